import argon2 from 'argon2';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '@paywatch/observability';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';
import { buildAlertsService } from '../src/app.ts';
import { ACCOUNT_POLICY, ADDRESS_POLICY } from '../src/login-throttle.ts';
import { AUDIT_KEY_TEXT, JWT_SECRET, PUBLIC_BASE_URL, TEST_USERS, captureLogger, manualClock, metricValue, serviceOnPg, silentLogger, type PgService } from './helpers.ts';

const running: PgService[] = [];
afterEach(async () => { await Promise.all(running.splice(0).map((s) => s.close())); });

const DEMO_PASSWORDS = { 'auditor-66': 'phichit-demo-2569', 'finance-6600101': 'finance-demo-2569' };

async function withUsers() {
  const clock = manualClock();
  const cap = captureLogger();
  // The per-replica request limit is off here: these tests are about the database throttle behind it.
  const s = await serviceOnPg({ clock: clock.now, logger: cap.logger, extra: { demoPasswords: DEMO_PASSWORDS, http: { rateLimit: false } } });
  running.push(s);
  const login = (username: string, password: string, remoteAddress = '192.0.2.10') =>
    s.service.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username, password }, remoteAddress });
  const checks = () => metricValue(s.metrics, 'paywatch_alerts_login_password_checks_total');
  return { s, clock, cap, login, checks };
}

describe('users and login', () => {
  it('when the service starts, then the users table holds every configured user with an argon2id hash only where a demo password was given', async () => {
    const { s } = await withUsers();
    const rows = (await s.db.query<{ sub: string; password_hash: string | null; provinces: string[] }>('SELECT sub, password_hash, provinces FROM users ORDER BY sub')).rows;
    expect(rows).toHaveLength(10);
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

  it('when the service is rebuilt with a user removed from the configuration, then that user can no longer log in and the others keep their hashes', async () => {
    const { s } = await withUsers();
    const before = (await s.db.query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE sub = 'auditor-66'`)).rows[0]!.password_hash;
    const again = await buildAlertsService({
      db: s.db, eventLog: s.eventLog, mailer: s.mailer, registry: SEED_LAO_REGISTRY, users: TEST_USERS.filter((u) => u.sub !== 'finance-6600101'),
      logger: silentLogger(), metrics: createMetricsRegistry('alerts'), jwtSecret: JWT_SECRET, audit: { key: AUDIT_KEY_TEXT }, publicBaseUrl: PUBLIC_BASE_URL, demoPasswords: DEMO_PASSWORDS,
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
      logger: silentLogger(), metrics: createMetricsRegistry('alerts'), jwtSecret: JWT_SECRET, audit: { key: AUDIT_KEY_TEXT }, publicBaseUrl: PUBLIC_BASE_URL, passwordHashes: { 'central-1': hash },
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

  it('when USERS_FILE brings a new hash for a user, then the sessions opened with the old password end at the next start; the same hash again keeps them', async () => {
    const { s } = await withUsers();
    const start = async (hash: string) => buildAlertsService({
      db: s.db, eventLog: s.eventLog, mailer: s.mailer, registry: SEED_LAO_REGISTRY, users: TEST_USERS,
      logger: silentLogger(), metrics: createMetricsRegistry('alerts'), jwtSecret: JWT_SECRET, audit: { key: AUDIT_KEY_TEXT }, publicBaseUrl: PUBLIC_BASE_URL, passwordHashes: { 'central-1': hash },
    });
    const trade = (svc: Awaited<ReturnType<typeof start>>, sessionId: string) => svc.app.inject({ method: 'POST', url: '/v1/auth/session/token', headers: { 'x-paywatch-session': sessionId } });
    const oldHash = await argon2.hash('prod-password-2569', { type: argon2.argon2id });
    const first = await start(oldHash);
    let sessionId = '';
    try {
      const opened = await first.app.inject({ method: 'POST', url: '/v1/auth/sessions', payload: { username: 'central-1', password: 'prod-password-2569' } });
      expect(opened.statusCode).toBe(201);
      sessionId = opened.json().sessionId;
      expect((await trade(first, sessionId)).statusCode).toBe(200);
    } finally { await first.stop(); }
    const same = await start(oldHash);
    try { expect((await trade(same, sessionId)).statusCode).toBe(200); } finally { await same.stop(); }
    const rotated = await start(await argon2.hash('prod-password-2570', { type: argon2.argon2id }));
    try {
      expect((await trade(rotated, sessionId)).statusCode).toBe(401);
      expect((await rotated.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'central-1', password: 'prod-password-2570' } })).statusCode).toBe(200);
    } finally { await rotated.stop(); }
  });
});

describe('login throttle (per account and per address, in the database)', () => {
  const codes = (rs: Array<{ statusCode: number }>) => rs.map((r) => r.statusCode);

  it('when 100 wrong passwords arrive in parallel from one address, then at most the address allowance is checked and the rest are 429', async () => {
    const { login, checks } = await withUsers();
    const rs = await Promise.all(Array.from({ length: 100 }, (_, i) => login('auditor-66', `guess-${i}`)));
    expect(await checks()).toBeLessThanOrEqual(ADDRESS_POLICY.freeFailures);
    expect(codes(rs).filter((c) => c === 401)).toHaveLength(await checks());
    expect(codes(rs).filter((c) => c === 429).length).toBeGreaterThanOrEqual(100 - ADDRESS_POLICY.freeFailures);
    const refused = rs.find((r) => r.statusCode === 429)!;
    expect(refused.json().error.code).toBe('PW_ERR_LOGIN_THROTTLED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('when 100 guesses come in parallel from 100 addresses, then the account allowance caps them, whether the sub or the e-mail was typed', async () => {
    const { login, checks } = await withUsers();
    const rs = await Promise.all(Array.from({ length: 100 }, (_, i) =>
      login(i % 2 ? 'auditor-66' : 'AUDIT.PHICHIT@example.go.th', `guess-${i}`, `198.51.100.${i + 1}`)));
    expect(await checks()).toBeLessThanOrEqual(ACCOUNT_POLICY.freeFailures);
    expect(codes(rs).filter((c) => c === 429).length).toBeGreaterThanOrEqual(100 - ACCOUNT_POLICY.freeFailures);
  });

  it('when the account is in backoff, then it waits 1 min, then 2, doubling; after the wait the right password logs in and resets the account', async () => {
    const { clock, login, cap } = await withUsers();
    // Ten failures from ten addresses (none reaches its own address limit) lock the account for a minute.
    for (let i = 0; i < ACCOUNT_POLICY.freeFailures; i++) expect((await login('auditor-66', `g${i}`, `203.0.113.${i + 1}`)).statusCode).toBe(401);
    const locked = await login('auditor-66', 'phichit-demo-2569', '203.0.113.50');
    expect([locked.statusCode, locked.json().error.code, locked.headers['retry-after']]).toEqual([429, 'PW_ERR_LOGIN_THROTTLED', '60']);
    clock.advance(61_000);
    expect((await login('auditor-66', 'wrong-again', '203.0.113.51')).statusCode).toBe(401);
    expect((await login('auditor-66', 'phichit-demo-2569', '203.0.113.52')).headers['retry-after']).toBe('120');
    clock.advance(121_000);
    expect((await login('auditor-66', 'phichit-demo-2569', '203.0.113.53')).statusCode).toBe(200);
    // Reset: the next wrong password is one failure again, not a lock.
    expect((await login('auditor-66', 'typo', '203.0.113.54')).statusCode).toBe(401);
    expect((await login('auditor-66', 'phichit-demo-2569', '203.0.113.55')).statusCode).toBe(200);
    expect(cap.lines().some((l) => l.msg === 'login throttled' && l.bucket === 'account')).toBe(true);
    expect(JSON.stringify(cap.lines())).not.toContain('phichit-demo-2569');
  });

  it('when an attacker elsewhere has locked the account, then its owner still logs in from an address it used before', async () => {
    const { login } = await withUsers();
    expect((await login('auditor-66', 'phichit-demo-2569', '192.0.2.77')).statusCode).toBe(200);
    for (let i = 0; i < 30; i++) await login('auditor-66', `g${i}`, `203.0.113.${i + 1}`);
    expect((await login('auditor-66', 'phichit-demo-2569', '203.0.113.99')).statusCode).toBe(429);
    expect((await login('auditor-66', 'phichit-demo-2569', '192.0.2.77')).statusCode).toBe(200);
  });

  it('when one address guesses many accounts, then its own limit stops it before any account is locked, and other addresses are unaffected', async () => {
    const { login } = await withUsers();
    const users = ['auditor-66', 'finance-6600101', 'central-1', 'ops-1', 'nobody-1', 'nobody-2', 'nobody-3', 'nobody-4', 'nobody-5', 'nobody-6'];
    const rs = [];
    for (const u of users) rs.push((await login(u, 'wrong', '203.0.113.200')).statusCode);
    expect(rs.slice(0, ADDRESS_POLICY.freeFailures).every((c) => c === 401)).toBe(true);
    expect(rs.slice(ADDRESS_POLICY.freeFailures).every((c) => c === 429)).toBe(true);
    expect((await login('auditor-66', 'phichit-demo-2569', '192.0.2.1')).statusCode).toBe(200);
  });
});
