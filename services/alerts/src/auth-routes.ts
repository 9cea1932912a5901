/** Login against the built-in user store: username and password in, a signed bearer token out. */
import { z } from 'zod';
import type { Db } from '@paywatch/db';
import { ErrorResponse, signToken, type HttpApp } from '@paywatch/http-kit';
import type { Logger } from '@paywatch/observability';
import { authenticate } from './user-store.ts';

/** How long a token from the login lasts. */
export const LOGIN_TOKEN_TTL = '12h';

/** Adds `POST /v1/auth/login` (public). */
export function registerAuthRoutes(app: HttpApp, deps: { db: Db; clock: () => Date; logger: Logger }): void {
  const log = deps.logger.child({ component: 'auth' });
  app.post('/v1/auth/login', {
    schema: {
      summary: 'Log in with the built-in user store (username = sub or e-mail); returns a bearer token',
      tags: ['auth'],
      security: [],
      body: z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(1_000) }),
      response: { 200: z.object({ token: z.string(), expiresIn: z.string() }), 400: ErrorResponse, 401: ErrorResponse, 429: ErrorResponse },
    },
  }, async (req) => {
    const principal = await authenticate(deps.db, { username: req.body.username, password: req.body.password, now: deps.clock(), logger: log });
    log.info({ sub: principal.sub, role: principal.role }, 'login');
    return { token: signToken(app, principal, LOGIN_TOKEN_TTL), expiresIn: LOGIN_TOKEN_TTL };
  });
}
