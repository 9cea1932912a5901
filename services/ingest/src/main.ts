/** Production composition root of ingest: reads the environment, creates the real adapters, listens. */
import { z } from 'zod';
import { CommonEnv, HttpEnv, KafkaEnv, OidcEnv, S3Env, httpGuardsOf, oidcOptionsOf, readConfig } from '@paywatch/config';
import { createKafkaEventLog } from '@paywatch/event-log';
import { createS3BlobStore } from '@paywatch/blob-store';
import { createLogger, createMetricsRegistry } from '@paywatch/observability';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';
import { readLaoRegistryFile } from '@paywatch/ktb-formats';
import type { RowReject } from '@paywatch/domain';
import { buildIngestService } from './app.ts';

const Env = CommonEnv.merge(KafkaEnv).merge(S3Env).extend({
  PORT: z.coerce.number().int().default(8081),
  MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(50 * 1024 * 1024),
  LAO_REGISTRY_FILE: z.string().optional(),
  /** Stable name of this replica across restarts (e.g. a StatefulSet pod name); never shared by two live processes. */
  INGEST_REPLICA_ID: z.string().min(1).optional(),
  /** How long a batch claim holds without renewal (ADR 0014). */
  INGEST_CLAIM_LEASE_MS: z.coerce.number().int().min(1000).default(30_000),
});

const env = readConfig(Env);
const oidc = oidcOptionsOf(readConfig(OidcEnv));
const http = httpGuardsOf(readConfig(HttpEnv));
const logger = createLogger({ service: 'ingest', level: env.LOG_LEVEL });
const registry = env.LAO_REGISTRY_FILE ? readLaoRegistryFile(env.LAO_REGISTRY_FILE, logRegistryReject(env.LAO_REGISTRY_FILE)) : SEED_LAO_REGISTRY;
if (!env.LAO_REGISTRY_FILE) logger.warn({ laos: registry.length }, 'LAO_REGISTRY_FILE not set: using the demo seed registry');

/** Refused rows of the registry file are logged; a file with no usable LAO stops start-up (readLaoRegistryFile throws). */
function logRegistryReject(path: string) {
  return (r: RowReject) => logger.warn({ file: path, row: r.row, field: r.field, reason: r.message.en }, 'LAO registry row refused');
}
const blobStore = createS3BlobStore({ bucket: env.S3_BUCKET, region: env.S3_REGION, ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT } : {}) });
await blobStore.ensureBucket();
const eventLog = createKafkaEventLog({ brokers: env.KAFKA_BROKERS, clientId: `${env.KAFKA_CLIENT_ID}-ingest`, logger });
const service = await buildIngestService({ blobStore, eventLog, registry, logger, metrics: createMetricsRegistry('ingest'), jwtSecret: env.JWT_SECRET, ...(oidc ? { oidc } : {}), http, maxUploadBytes: env.MAX_UPLOAD_BYTES,
  claimLeaseMs: env.INGEST_CLAIM_LEASE_MS, ...(env.INGEST_REPLICA_ID ? { replicaId: env.INGEST_REPLICA_ID } : {}),
});
await service.start();
await service.app.listen({ port: env.PORT, host: env.HOST });
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => { void service.stop().then(() => eventLog.close()).finally(() => process.exit(0)); });
