import argon2 from 'argon2';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '@paywatch/observability';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';
import { buildAlertsService } from '../src/app.ts';
import { JWT_SECRET, PUBLIC_BASE_URL, TEST_USERS, captureLogger, manualClock, serviceOnPg, silentLogger, type PgService } from './helpers.ts';

const running: PgService[] = [];
afterEach(async () => { await Promise.all(running.splice(0).map((s) => s.close())); });

const DEMO_PASSWORDS = { 'auditor-66': 'phichit-demo-2569', 'finance-6600101': 'finance-demo-2569' };

async function withUsers() {
  const clock = manualClock();
  const cap = captureLogger();
  const s = await serviceOnPg({ clock: clock.now, logger: cap.logger, extra: { demoPasswords: DEMO_PASSWORDS } });
  running.push(s);
  const login = (username: string, password: string) => s.service.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username, password } });
  return { s, clock, cap, login };
}

describe('users and login', () => {
  it('when the service starts, then the users table holds every configured user with an argon2id hash only where a demo password was given', async () => {
    const { s } = await withUsers();
    const rows = (await s.db.query<{ sub: string; password_hash: string | null; provinces: string[] }>('SELECT sub, password_hash, provinces FROM users ORDER BY sub')).rows;
    expect(rows).toHaveLength(9);
    expect(rows.find((r) => r.sub === 'auditor-66')!.password_hash).toMatch(/^\$argon2id\$/);
    expect(rows.find((r) => r.sub === 'auditor-66')!.provinces).toEqual(['66']);
    expect(rows.filter((r) => r.password_hash !== null).map((r) => r.sub).sort()).toEqual(['auditor-66', 'finance-6600101']);
    expect(JSON.stringify(rows)).not.toContain('phichit-demo-2569');
  });

  it('when an auditor logs in with the right password, then the token works on the scoped API like any bearer token', async () => {
    const { s, login } = await withUsers();
    const r = await login('auditor-66', 'phichit-demo-2569');
    expect(r.statusCode).toBe(200);
    const { token } = r.json();
    const list = await s.service.app.inject({ url: '/v1/alerts', headers: { authorization: `Bearer ${token}` } });
    expect(list.statusCode).toBe(200);
    // The e-mail works as a username too; the finance officer's token carries the LAO and no alert access.
    const fin = (await login('finance.6600101@example.go.th', 'finance-demo-2569')).json().token;
    expect((await s.service.app.inject({ url: '/v1/alerts', headers: { authorization: `Bearer ${fin}` } })).statusCode).toBe(403);
  });

  it('when the password is wrong, the user unknown or without a password, then the same 401 PW_ERR_LOGIN_FAILED with no hint', async () => {
    const { login } = await withUsers();
    const bodies = await Promise.all([login('auditor-66', 'wrong'), login('nobody', 'phichit-demo-2569'), login('central-1', 'anything')]);
    expect(bodies.map((b) => b.statusCode)).toEqual([401, 401, 401]);
    expect(new Set(bodies.map((b) => b.body)).size).toBe(1);
    expect(bodies[0]!.json().error).toMatchObject({ code: 'PW_ERR_LOGIN_FAILED', message: { th: expect.any(String), en: 'Wrong username or password' } });
  });

  it('when a username fails 5 times within 10 minutes, then the 6th attempt is refused even with the right password, until the window passes', async () => {
    const { clock, cap, login } = await withUsers();
    for (let i = 0; i < 5; i++) { expect((await login('auditor-66', `guess-${i}`)).statusCode).toBe(401); clock.advance(60_000); }
    const throttled = await login('auditor-66', 'phichit-demo-2569');
    expect([throttled.statusCode, throttled.json().error.code]).toEqual([429, 'PW_ERR_LOGIN_THROTTLED']);
    // Other usernames are not affected.
    expect((await login('finance-6600101', 'finance-demo-2569')).statusCode).toBe(200);
    clock.advance(6 * 60_000); // the first failure is now older than 10 minutes
    expect((await login('auditor-66', 'phichit-demo-2569')).statusCode).toBe(200);
    expect(cap.lines().some((l) => l.msg === 'login throttled' && l.username === 'auditor-66')).toBe(true);
    expect(JSON.stringify(cap.lines())).not.toContain('phichit-demo-2569');
  });

  it('when the service is rebuilt with a user removed from the configuration, then that user can no longer log in and the others keep their hashes', async () => {
    const { s } = await withUsers();
    const before = (await s.db.query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE sub = 'auditor-66'`)).rows[0]!.password_hash;
    const again = await buildAlertsService({
      db: s.db, eventLog: s.eventLog, mailer: s.mailer, registry: SEED_LAO_REGISTRY, users: TEST_USERS.filter((u) => u.sub !== 'finance-6600101'),
      logger: silentLogger(), metrics: createMetricsRegistry('alerts'), jwtSecret: JWT_SECRET, publicBaseUrl: PUBLIC_BASE_URL, demoPasswords: DEMO_PASSWORDS,
    });
    try {
      const login = (username: string, password: string) => again.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username, password } });
      expect((await login('finance-6600101', 'finance-demo-2569')).statusCode).toBe(401);
      expect((await login('auditor-66', 'phichit-demo-2569')).statusCode).toBe(200);
      const after = (await s.db.query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE sub = 'auditor-66'`)).rows[0]!.password_hash;
      expect(after).toBe(before); // not re-hashed at every start
    } finally {
      await again.stop();
    }
  });

  it('when a configured user comes with an argon2id hash (USERS_FILE), then that user logs in with the password it was made from; without one, not at all', async () => {
    const { s } = await withUsers();
    const hash = await argon2.hash('prod-password-2569', { type: argon2.argon2id });
    const again = await buildAlertsService({
      db: s.db, eventLog: s.eventLog, mailer: s.mailer, registry: SEED_LAO_REGISTRY, users: TEST_USERS,
      logger: silentLogger(), metrics: createMetricsRegistry('alerts'), jwtSecret: JWT_SECRET, publicBaseUrl: PUBLIC_BASE_URL, passwordHashes: { 'central-1': hash },
    });
    try {
      const login = (username: string, password: string) => again.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username, password } });
      expect((await login('central-1', 'prod-password-2569')).statusCode).toBe(200);
      expect((await login('central-1', 'prod-password-2570')).statusCode).toBe(401);
      expect((await login('ops-1', 'prod-password-2569')).statusCode).toBe(401);
      const stored = (await s.db.query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE sub = 'central-1'`)).rows[0]!.password_hash;
      expect(stored).toBe(hash);
    } finally {
      await again.stop();
    }
  });
});
