/**
 * Production composition root of the web console: the only place that reads its environment. It signs people in
 * through alerts (the cookie holds an alerts session id, traded for a short bearer token at each request), calls
 * ingest, detector and alerts over HTTP with that token and verifies it with the services' JWT_SECRET, so it sits
 * behind exactly the authentication of the services it shows. Cookies are `Secure` and `__Host-` unless
 * SECURE_COOKIES=false: serve the console over HTTPS (a TLS-terminating proxy in front; list it in TRUST_PROXY so
 * the users' own addresses are counted). Run: tsx services/console/src/main.ts
 *
 * Environment: JWT_SECRET (same as the services), CONSOLE_COOKIE_SECRET (≥ 32 characters, signs the session and
 * CSRF cookies), INGEST_URL, DETECTOR_URL, ALERTS_URL, PORT (8080; 0 for any free port), HOST, SECURE_COOKIES (true;
 * false only for a plain-HTTP demo), MAX_UPLOAD_BYTES (50 MiB), LOG_LEVEL, RATE_LIMIT_PER_MINUTE,
 * LOGIN_RATE_LIMIT_PER_MINUTE, UPLOAD_RATE_LIMIT_PER_MINUTE, TRUST_PROXY.
 */
import { z } from 'zod';
import { CommonEnv, HttpEnv, httpGuardsOf, readConfig } from '@paywatch/config';
import { createLogger, createMetricsRegistry } from '@paywatch/observability';
import { buildConsoleService } from './app.ts';

const Url = z.url().transform((u) => u.replace(/\/+$/, ''));
const Env = CommonEnv.extend(HttpEnv.shape).extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  CONSOLE_COOKIE_SECRET: z.string().min(32, 'CONSOLE_COOKIE_SECRET must be at least 32 characters'),
  INGEST_URL: Url,
  DETECTOR_URL: Url,
  ALERTS_URL: Url,
  SECURE_COOKIES: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(50 * 1024 * 1024),
});

const env = readConfig(Env);
const logger = createLogger({ service: 'console', level: env.LOG_LEVEL });
// Without Secure a session cookie travels in clear over HTTP: allowed for a demo on one machine, never quietly.
if (!env.SECURE_COOKIES) logger.warn('SECURE_COOKIES=false: session cookies are not Secure (plain-HTTP demo only; serve the console over HTTPS in production)');
const service = await buildConsoleService({
  logger, metrics: createMetricsRegistry('console'), jwtSecret: env.JWT_SECRET, cookieSecret: env.CONSOLE_COOKIE_SECRET,
  upstream: { ingest: env.INGEST_URL, detector: env.DETECTOR_URL, alerts: env.ALERTS_URL },
  secureCookies: env.SECURE_COOKIES, maxUploadBytes: env.MAX_UPLOAD_BYTES, http: httpGuardsOf(env),
});
await service.app.listen({ port: env.PORT, host: env.HOST });
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => { void service.stop().finally(() => process.exit(0)); });
