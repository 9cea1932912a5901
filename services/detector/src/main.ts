/** Production composition root of the detector: reads the environment, creates the real adapters, listens. */
import { z } from 'zod';
import { readFile } from 'node:fs/promises';
import { CommonEnv, HttpEnv, KafkaEnv, OidcEnv, S3Env, httpGuardsOf, oidcOptionsOf, readConfig } from '@paywatch/config';
import { createKafkaEventLog } from '@paywatch/event-log';
import { createS3BlobStore } from '@paywatch/blob-store';
import { createLogger, createMetricsRegistry } from '@paywatch/observability';
import { RuleSetConfig } from '@paywatch/rules';
import { TOPICS } from '@paywatch/domain';
import { buildDetectorService } from './app.ts';

const Env = CommonEnv.merge(KafkaEnv).merge(S3Env).extend({
  PORT: z.coerce.number().int().default(8082),
  RULE_SET_FILE: z.string().optional(),
  DETECTOR_GROUP_ID: z.string().default('detector'),
});

const env = readConfig(Env);
const oidc = oidcOptionsOf(readConfig(OidcEnv));
const http = httpGuardsOf(readConfig(HttpEnv));
const logger = createLogger({ service: 'detector', level: env.LOG_LEVEL });
const ruleSet = RuleSetConfig.parse(env.RULE_SET_FILE ? JSON.parse(await readFile(env.RULE_SET_FILE, 'utf8')) : {});
const blobStore = createS3BlobStore({ bucket: env.S3_BUCKET, region: env.S3_REGION, ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT } : {}) });
await blobStore.ensureBucket();
const eventLog = createKafkaEventLog({
  brokers: env.KAFKA_BROKERS, clientId: `${env.KAFKA_CLIENT_ID}-detector`, logger,
  consumerSessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT_MS, consumerHeartbeatIntervalMs: env.KAFKA_HEARTBEAT_INTERVAL_MS, consumerRebalanceTimeoutMs: env.KAFKA_SESSION_TIMEOUT_MS,
});
const t = (name: string) => name + env.TOPIC_SUFFIX;
const service = await buildDetectorService({
  eventLog, blobStore, ruleSet, logger, metrics: createMetricsRegistry('detector'), jwtSecret: env.JWT_SECRET, ...(oidc ? { oidc } : {}), http, groupId: env.DETECTOR_GROUP_ID,
  topics: {
    disbursements: t(TOPICS.disbursements), alerts: t(TOPICS.alerts), deadLetter: t(`${TOPICS.disbursements}.dlq`),
    batches: t(TOPICS.batches), byPayee: t(TOPICS.disbursementsByPayee),
  },
});
// Listen first: /health answers at once, /ready once the reference table is read and both groups joined (seconds).
await service.app.listen({ port: env.PORT, host: env.HOST });
await service.start();
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => { void service.stop().then(() => eventLog.close()).finally(() => process.exit(0)); });
