/**
 * Production composition root of services/alerts: the only place that reads the environment (config.ts names every
 * variable: AUDIT_HMAC_KEY, S3_* for the audit anchors, SESSION_*, the rate limits…). Run: tsx services/alerts/src/main.ts
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { createS3BlobStore } from '@paywatch/blob-store';
import { createPgDb } from '@paywatch/db';
import { createKafkaEventLog } from '@paywatch/event-log';
import { readLaoRegistryFile } from '@paywatch/ktb-formats';
import { createSmtpMailer } from '@paywatch/mail';
import { createLogger, createMetricsRegistry } from '@paywatch/observability';
import { SEED_LAO_REGISTRY, SEED_USERS } from '@paywatch/seed';
import { buildAlertsService } from './app.ts';
import { ConfigError, loadAlertsConfig } from './config.ts';
import type { AlertUser } from './routing.ts';

const UserFile = z.array(z.object({
  sub: z.string(), name: z.string().optional(), email: z.email(),
  role: z.enum(['finance', 'provincial-auditor', 'district-auditor', 'central', 'ops', 'admin']),
  provinces: z.array(z.string()).optional(), district: z.string().optional(), laoCode: z.string().optional(),
  webhookUrl: z.url().optional(), lineUserId: z.string().optional(),
  /** A finance user who is the LAO's second approver (ADR 0018). */
  secondApprover: z.boolean().optional(),
  /** argon2id hash of the user's console password (PHC string); users without one sign in through OIDC only. */
  passwordHash: z.string().startsWith('$argon2id$').optional(),
}));

async function loadJson<T>(file: string, schema: z.ZodType<T>): Promise<T> {
  return schema.parse(JSON.parse(await readFile(file, 'utf8')));
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadAlertsConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) { console.error(err.message); process.exit(2); }
    throw err;
  }
  const logger = createLogger({ service: 'alerts', level: config.logLevel });
  const metrics = createMetricsRegistry('alerts');

  // The department's CSV layout or a JSON array, read as ingest and the CLI read it; refused rows are logged.
  const registryFile = config.laoRegistryFile;
  const registry = registryFile
    ? readLaoRegistryFile(registryFile, (r) => logger.warn({ file: registryFile, row: r.row, field: r.field, reason: r.message.en }, 'LAO registry row refused'))
    : SEED_LAO_REGISTRY;
  if (!config.laoRegistryFile) logger.warn({ laos: registry.length }, 'LAO_REGISTRY_FILE not set: using the demo seed registry');
  const fileUsers = config.usersFile ? await loadJson(config.usersFile, UserFile) : null;
  const users: readonly AlertUser[] = fileUsers ?? SEED_USERS;
  if (!config.usersFile) logger.warn({ users: users.length }, 'USERS_FILE not set: using the demo seed users');
  const passwordHashes = Object.fromEntries((fileUsers ?? []).flatMap((u) => (u.passwordHash ? [[u.sub, u.passwordHash]] : [])));
  // The demo password opens the seed users only: real users bring their own hashes.
  const demoPasswords = config.demoPassword && !fileUsers ? Object.fromEntries(SEED_USERS.map((u) => [u.sub, config.demoPassword!])) : {};
  if (config.demoPassword && fileUsers) logger.warn('DEMO_PASSWORD ignored: USERS_FILE is set');

  const db = createPgDb({ connectionString: config.databaseUrl });
  const eventLog = createKafkaEventLog({ ...config.kafka, logger });
  const mailer = createSmtpMailer(config.smtp);
  // The audit chain's anchors live outside the database (Object Lock retention where the bucket has it enabled).
  const anchorStore = createS3BlobStore(config.s3);
  await anchorStore.ensureBucket();

  const service = await buildAlertsService({
    db, eventLog, mailer, registry, users, logger, metrics, passwordHashes, demoPasswords, jwtSecret: config.jwtSecret, http: config.http, sessions: config.sessions, notifyRateLimit: config.notifyRateLimit,
    audit: { key: config.audit.key, anchorStore, anchorIntervalMs: config.audit.anchorIntervalMs, anchorRetentionDays: config.audit.anchorRetentionDays }, ...(config.oidc ? { oidc: config.oidc } : {}), consoleBaseUrl: config.consoleBaseUrl,
    ...(config.webhook ? { webhook: config.webhook } : {}), ...(config.line ? { line: config.line } : {}),
  });
  await service.app.listen({ port: config.port, host: config.host });
  await service.start();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    try {
      await service.stop();
      await Promise.allSettled([eventLog.close(), mailer.close()]);
      await db.close();
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'unclean shutdown');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
