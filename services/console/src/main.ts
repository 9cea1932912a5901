/**
 * Production composition root of the web console: the only place that reads its environment. It calls ingest,
 * detector and alerts over HTTP with the signed-in user's token and verifies that token with the services'
 * JWT_SECRET, so it sits behind exactly the authentication of the services it shows.
 *
 * Environment: JWT_SECRET (same as the services), CONSOLE_COOKIE_SECRET (signs the session and CSRF cookies),
 * INGEST_URL, DETECTOR_URL, ALERTS_URL, PORT (8080), HOST, SECURE_COOKIES (true behind HTTPS), MAX_UPLOAD_BYTES,
 * LOG_LEVEL.
 */
import { z } from 'zod';
import { CommonEnv, readConfig } from '@paywatch/config';
import { createLogger, createMetricsRegistry } from '@paywatch/observability';
import { buildConsoleService } from './app.ts';

const Env = CommonEnv.extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  CONSOLE_COOKIE_SECRET: z.string().min(32, 'CONSOLE_COOKIE_SECRET must be at least 32 characters'),
  INGEST_URL: z.url().transform((u) => u.replace(/\/+$/, '')),
  DETECTOR_URL: z.url().transform((u) => u.replace(/\/+$/, '')),
  ALERTS_URL: z.url().transform((u) => u.replace(/\/+$/, '')),
  SECURE_COOKIES: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(50 * 1024 * 1024),
});

const env = readConfig(Env);
const logger = createLogger({ service: 'console', level: env.LOG_LEVEL });
const service = await buildConsoleService({
  logger, metrics: createMetricsRegistry('console'), jwtSecret: env.JWT_SECRET, cookieSecret: env.CONSOLE_COOKIE_SECRET,
  upstream: { ingest: env.INGEST_URL, detector: env.DETECTOR_URL, alerts: env.ALERTS_URL },
  secureCookies: env.SECURE_COOKIES, maxUploadBytes: env.MAX_UPLOAD_BYTES,
});
await service.app.listen({ port: env.PORT, host: env.HOST });
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => { void service.stop().finally(() => process.exit(0)); });
