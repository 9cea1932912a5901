import { afterEach, describe, expect, it } from 'vitest';
import { manualClock, serviceOnPg, type PgService } from './helpers.ts';

const running: PgService[] = [];
afterEach(async () => { await Promise.all(running.splice(0).map((s) => s.close())); });

const PASSWORDS = { 'auditor-66': 'phichit-demo-2569' };

async function withSessions() {
  const clock = manualClock();
  const s = await serviceOnPg({ clock: clock.now, extra: { demoPasswords: PASSWORDS } });
  running.push(s);
  const app = s.service.app;
  const open = async (password = 'phichit-demo-2569') => app.inject({ method: 'POST', url: '/v1/auth/sessions', payload: { username: 'auditor-66', password } });
  const trade = (sessionId: string) => app.inject({ method: 'POST', url: '/v1/auth/session/token', headers: { 'x-paywatch-session': sessionId } });
  const logout = (sessionId: string) => app.inject({ method: 'DELETE', url: '/v1/auth/session', headers: { 'x-paywatch-session': sessionId } });
  const alerts = (token: string) => app.inject({ url: '/v1/alerts', headers: { authorization: `Bearer ${token}` } });
  return { s, clock, open, trade, logout, alerts, app };
}

describe('console sessions', () => {
  it('when a session is opened, then its id trades for a 5-minute token that works on the API, and the table holds only the id\'s hash', async () => {
    const { s, open, trade, alerts } = await withSessions();
    const opened = await open();
    expect(opened.statusCode).toBe(201);
    const { sessionId, principal } = opened.json();
    expect(principal).toMatchObject({ sub: 'auditor-66', role: 'provincial-auditor' });
    const t = await trade(sessionId);
    expect(t.statusCode).toBe(200);
    expect(t.json().expiresInSeconds).toBe(300);
    const claims = JSON.parse(Buffer.from(t.json().token.split('.')[1], 'base64url').toString());
    expect(claims.exp - claims.iat).toBe(300);
    expect((await alerts(t.json().token)).statusCode).toBe(200);
    const rows = JSON.stringify((await s.db.query('SELECT * FROM sessions')).rows);
    expect(rows).not.toContain(sessionId);
  });

  it('when the user logs out, then the same session id no longer trades for a token (401 PW_ERR_SESSION_ENDED), and logging out again is harmless', async () => {
    const { open, trade, logout } = await withSessions();
    const { sessionId } = (await open()).json();
    expect((await logout(sessionId)).statusCode).toBe(204);
    const replay = await trade(sessionId);
    expect([replay.statusCode, replay.json().error.code]).toEqual([401, 'PW_ERR_SESSION_ENDED']);
    expect((await logout(sessionId)).statusCode).toBe(204);
  });

  it('when a session is idle an hour or 12 hours old, then it has ended; used regularly it lasts until its absolute end', async () => {
    const { clock, open, trade } = await withSessions();
    const idle = (await open()).json().sessionId;
    const busy = (await open()).json().sessionId;
    // 14 uses 50 minutes apart: 11 h 40 min, each within the idle hour and the 12 h.
    for (let i = 0; i < 14; i++) { clock.advance(50 * 60_000); expect((await trade(busy)).statusCode, `use ${i}`).toBe(200); }
    expect((await trade(idle)).statusCode).toBe(401);
    clock.advance(25 * 60_000); // 12 h 05 min after opening
    expect((await trade(busy)).statusCode).toBe(401);
  });

  it('when the password is changed, then every session of the user ends and the old password no longer works', async () => {
    const { open, trade, app } = await withSessions();
    const a = (await open()).json().sessionId;
    const b = (await open()).json().sessionId;
    const token = (await trade(a)).json().token;
    const weak = await app.inject({ method: 'POST', url: '/v1/auth/password', headers: { authorization: `Bearer ${token}` }, payload: { currentPassword: 'phichit-demo-2569', newPassword: 'short' } });
    expect(weak.json().error.code).toBe('PW_ERR_PASSWORD_WEAK');
    const wrong = await app.inject({ method: 'POST', url: '/v1/auth/password', headers: { authorization: `Bearer ${token}` }, payload: { currentPassword: 'not-it', newPassword: 'ใหม่-และ-ยาวพอ-2569' } });
    expect(wrong.statusCode).toBe(401);
    const changed = await app.inject({ method: 'POST', url: '/v1/auth/password', headers: { authorization: `Bearer ${token}` }, payload: { currentPassword: 'phichit-demo-2569', newPassword: 'ใหม่-และ-ยาวพอ-2569' } });
    expect(changed.json()).toEqual({ sessionsEnded: 2 });
    expect((await trade(a)).statusCode).toBe(401);
    expect((await trade(b)).statusCode).toBe(401);
    expect((await open()).statusCode).toBe(401);
    expect((await open('ใหม่-และ-ยาวพอ-2569')).statusCode).toBe(201);
  });

  it('when a session id is made up or malformed, then 401 and nothing else', async () => {
    const { trade } = await withSessions();
    for (const id of ['x', 'A'.repeat(43), '../../etc']) expect((await trade(id)).statusCode).toBe(401);
  });
});
