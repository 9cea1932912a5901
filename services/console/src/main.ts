/**
 * Production composition root of the web console: the only place that reads its environment. Cookies are always
 * `Secure` (and `__Host-`) here: the console is served over HTTPS (a TLS-terminating proxy in front; list it in
 * TRUST_PROXY so the users' own addresses are counted). Run: tsx services/console/src/main.ts
 *
 * Environment: JWT_SECRET (same as the services), COOKIE_SECRET (≥ 32 characters, signs the session and CSRF
 * cookies), INGEST_URL, DETECTOR_URL, ALERTS_URL, PORT (8080), HOST, MAX_UPLOAD_BYTES (50 MiB), LOG_LEVEL,
 * RATE_LIMIT_PER_MINUTE, LOGIN_RATE_LIMIT_PER_MINUTE, UPLOAD_RATE_LIMIT_PER_MINUTE, TRUST_PROXY.
 */
import { z } from 'zod';
import { CommonEnv, HttpEnv, httpGuardsOf, readConfig } from '@paywatch/config';
import { createLogger, createMetricsRegistry } from '@paywatch/observability';
import { buildConsoleService } from './app.ts';

const Url = z.url().transform((u) => u.replace(/\/+$/, ''));
const Env = CommonEnv.extend({
  COOKIE_SECRET: z.string().min(32, 'COOKIE_SECRET must be at least 32 characters'),
  INGEST_URL: Url,
  DETECTOR_URL: Url,
  ALERTS_URL: Url,
  PORT: z.coerce.number().int().min(1).max(65_535).default(8080),
  MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(50 * 1024 * 1024),
});

const env = readConfig(Env);
const http = httpGuardsOf(readConfig(HttpEnv));
const logger = createLogger({ service: 'console', level: env.LOG_LEVEL });
const service = await buildConsoleService({
  logger, metrics: createMetricsRegistry('console'), jwtSecret: env.JWT_SECRET, cookieSecret: env.COOKIE_SECRET,
  upstream: { ingest: env.INGEST_URL, detector: env.DETECTOR_URL, alerts: env.ALERTS_URL },
  secureCookies: true, maxUploadBytes: env.MAX_UPLOAD_BYTES, http,
});
await service.app.listen({ port: env.PORT, host: env.HOST });
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => { void service.stop().finally(() => process.exit(0)); });
