/**
 * Login against the built-in user store, and the console's server-side sessions:
 * - `POST /v1/auth/login` — username and password in, a bearer token (12 h) out, for API clients;
 * - `POST /v1/auth/sessions` — the same check, a session id out (the console's cookie);
 * - `POST /v1/auth/session/token` — a live session id in (header), a 5-minute bearer token and the principal out;
 * - `DELETE /v1/auth/session` — logout: the session ends for every replica at once;
 * - `POST /v1/auth/password` — a new password; every session of the user ends.
 * Every attempt is throttled per account and address in the database (login-throttle.ts).
 */
import { z } from 'zod';
import type { Db } from '@paywatch/db';
import { ErrorResponse, HttpError, Principal, SESSION_HEADER, clientAddressOf, principalOf, signToken, type HttpApp } from '@paywatch/http-kit';
import type { Logger, Registry } from '@paywatch/observability';
import { counter } from '@paywatch/observability';
import { ALERTS_ERRORS } from './errors.ts';
import { authenticate, changePassword, MIN_PASSWORD_LENGTH, principalOfUser } from './user-store.ts';
import { openSession, revokeSession, sessionHandle, useSession, type SessionPolicy } from './session-store.ts';

/** How long a token from the login lasts (the longest any token may). */
export const LOGIN_TOKEN_TTL = '12h';

const sessionEnded = () => new HttpError(401, 'PW_ERR_SESSION_ENDED',
  { th: 'การเข้าสู่ระบบสิ้นสุดแล้ว กรุณาเข้าสู่ระบบใหม่', en: 'The session has ended; log in again' });
const passwordTooShort = () => new HttpError(400, 'PW_ERR_PASSWORD_WEAK',
  { th: `รหัสผ่านใหม่ต้องยาวอย่างน้อย ${MIN_PASSWORD_LENGTH} ตัวอักษร และต่างจากรหัสผ่านเดิม`, en: `The new password needs at least ${MIN_PASSWORD_LENGTH} characters and must differ from the current one` });

const Credentials = z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(1_000) });
const SessionHeaders = z.object({ [SESSION_HEADER]: z.string().min(1).max(200) });

/** Adds the login, session and password routes (login and session opening are public). */
export function registerAuthRoutes(app: HttpApp, deps: { db: Db; clock: () => Date; logger: Logger; metrics: Registry; sessions: SessionPolicy }): void {
  const log = deps.logger.child({ component: 'auth' });
  const checks = counter(deps.metrics, 'paywatch_alerts_login_password_checks_total', 'Passwords checked with argon2 (attempts the throttle let through)');
  const check = (req: { body: { username: string; password: string }; ip: string; clientAddress: string }) =>
    authenticate(deps.db, { username: req.body.username, password: req.body.password, address: clientAddressOf(req), now: deps.clock(), logger: log, onPasswordCheck: () => checks.inc() });
  const withRetryAfter = async <T>(reply: { header(k: string, v: string): unknown }, fn: () => Promise<T>): Promise<T> => {
    try { return await fn(); } catch (err) {
      const retry = (err as HttpError).details as { retryAfterSeconds?: number } | undefined;
      if (err instanceof HttpError && err.statusCode === 429 && retry?.retryAfterSeconds) reply.header('retry-after', String(retry.retryAfterSeconds));
      throw err;
    }
  };

  app.post('/v1/auth/login', {
    schema: {
      summary: 'Log in with the built-in user store (username = sub or e-mail); returns a bearer token (12 h, not revocable: prefer a session)',
      tags: ['auth'], security: [], body: Credentials,
      response: { 200: z.object({ token: z.string(), expiresIn: z.string() }), 400: ErrorResponse, 401: ErrorResponse, 429: ErrorResponse },
    },
  }, async (req, reply) => {
    const principal = await withRetryAfter(reply, () => check(req));
    log.info({ sub: principal.sub, role: principal.role }, 'login');
    return { token: signToken(app, principal, LOGIN_TOKEN_TTL), expiresIn: LOGIN_TOKEN_TTL };
  });

  app.post('/v1/auth/sessions', {
    schema: {
      summary: 'Log in and open a server-side session (the console keeps its id in a cookie); throttled like login',
      tags: ['auth'], security: [], body: Credentials,
      response: { 201: z.object({ sessionId: z.string(), expiresAt: z.string(), principal: Principal }), 400: ErrorResponse, 401: ErrorResponse, 429: ErrorResponse },
    },
  }, async (req, reply) => {
    const principal = await withRetryAfter(reply, () => check(req));
    const { sessionId, expiresAt } = await openSession(deps.db, principal.sub, deps.clock(), deps.sessions);
    log.info({ sub: principal.sub, role: principal.role, session: sessionHandle(sessionId) }, 'session opened');
    return reply.status(201).send({ sessionId, expiresAt: expiresAt.toISOString(), principal });
  });

  app.post('/v1/auth/session/token', {
    schema: {
      summary: `Trade a live session id (header ${SESSION_HEADER}) for a short bearer token and the user as stored now; 401 PW_ERR_SESSION_ENDED after logout, expiry or a password change`,
      tags: ['auth'], security: [], headers: SessionHeaders,
      response: { 200: z.object({ token: z.string(), expiresInSeconds: z.number().int(), principal: Principal, sessionExpiresAt: z.string() }), 401: ErrorResponse },
    },
  }, async (req) => {
    const sessionId = req.headers[SESSION_HEADER] as string;
    const session = await useSession(deps.db, sessionId, deps.clock(), deps.sessions);
    const principal = session ? await principalOfUser(deps.db, session.sub) : null;
    if (!session || !principal) throw sessionEnded();
    // Never beyond the session's own end.
    const ttl = Math.max(1, Math.min(deps.sessions.tokenTtlSeconds, Math.floor((session.expiresAt.getTime() - deps.clock().getTime()) / 1000)));
    return { token: signToken(app, { ...principal, sid: sessionHandle(sessionId) }, ttl), expiresInSeconds: ttl, principal, sessionExpiresAt: session.expiresAt.toISOString() };
  });

  app.delete('/v1/auth/session', {
    schema: { summary: 'Log out: end the session (idempotent)', tags: ['auth'], security: [], headers: SessionHeaders, response: { 204: z.null() } },
  }, async (req, reply) => {
    const sessionId = req.headers[SESSION_HEADER] as string;
    if (await revokeSession(deps.db, sessionId, deps.clock(), 'logout')) log.info({ session: sessionHandle(sessionId) }, 'session ended: logout');
    return reply.status(204).send(null);
  });

  app.post('/v1/auth/password', {
    schema: {
      summary: 'Change your password (current one required, throttled like login); every session of yours ends',
      tags: ['auth'],
      body: z.object({ currentPassword: z.string().min(1).max(1_000), newPassword: z.string().max(1_000) }),
      response: { 200: z.object({ sessionsEnded: z.number().int() }), 400: ErrorResponse, 401: ErrorResponse, 429: ErrorResponse },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const { currentPassword, newPassword } = req.body;
    if ([...newPassword].length < MIN_PASSWORD_LENGTH || newPassword === currentPassword) throw passwordTooShort();
    await withRetryAfter(reply, () => authenticate(deps.db, {
      username: p.sub, password: currentPassword, address: clientAddressOf(req), now: deps.clock(), logger: log, onPasswordCheck: () => checks.inc(),
    }).catch((err: unknown) => { throw err instanceof HttpError && err.code === 'PW_ERR_LOGIN_FAILED' ? ALERTS_ERRORS.loginFailed() : err; }));
    const sessionsEnded = await changePassword(deps.db, p.sub, newPassword, deps.clock());
    log.info({ sub: p.sub, sessionsEnded }, 'password changed; sessions ended');
    return { sessionsEnded };
  });
}
