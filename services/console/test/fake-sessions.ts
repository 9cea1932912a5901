// The session routes of alerts as the console's HTTP tests need them: open, trade for a token, end.
import { randomBytes } from 'node:crypto';
import type { Principal } from '@paywatch/http-kit';

const json = (status: number, body: unknown) => new Response(body === null ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/**
 * A fake of alerts' `/v1/auth/sessions`, `/v1/auth/session/token` and `DELETE /v1/auth/session`: `answer` returns
 * a Response for those paths and null for any other. `login` decides who a username and password are.
 */
export function fakeSessions(sign: (p: Principal) => string, login: (username: string, password: string) => Principal | null) {
  const live = new Map<string, Principal>();
  const ended = new Set<string>();
  return {
    live, ended,
    answer(path: string, init?: RequestInit): Response | null {
      const headers = (init?.headers ?? {}) as Record<string, string>;
      if (path === '/v1/auth/sessions') {
        const { username, password } = JSON.parse(String(init?.body)) as { username: string; password: string };
        if (password === 'throttled') return json(429, { error: { code: 'PW_ERR_LOGIN_THROTTLED', message: { th: 'กรุณารอ 60 วินาที', en: 'try again in 60 s' } } });
        const p = login(username, password);
        if (!p) return json(401, { error: { code: 'PW_ERR_LOGIN_FAILED', message: { th: 'x', en: 'x' } } });
        const sessionId = randomBytes(32).toString('base64url');
        live.set(sessionId, p);
        return json(201, { sessionId, expiresAt: new Date(Date.now() + 12 * 3600_000).toISOString(), principal: p });
      }
      if (path === '/v1/auth/session/token') {
        const p = live.get(headers['x-paywatch-session'] ?? '');
        if (!p) return json(401, { error: { code: 'PW_ERR_SESSION_ENDED', message: { th: 'x', en: 'x' } } });
        return json(200, { token: sign(p), expiresInSeconds: 300, principal: p, sessionExpiresAt: new Date(Date.now() + 3600_000).toISOString() });
      }
      if (path === '/v1/auth/session' && init?.method === 'DELETE') {
        const id = headers['x-paywatch-session'] ?? '';
        if (live.delete(id)) ended.add(id);
        return new Response(null, { status: 204 });
      }
      return null;
    },
  };
}
