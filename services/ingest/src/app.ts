/** Builds the ingest service from its ports; reads no environment (see main.ts). */
import { randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import { REFERENCE_TOPIC_PARTITIONS, ReferenceKind, referenceTopic, TOPIC_PARTITIONS, TOPICS, type LaoRegistryEntry } from '@paywatch/domain';
import type { BlobStore } from '@paywatch/blob-store';
import type { EventLog } from '@paywatch/event-log';
import { createHttpApp, type HttpGuards, type OidcOptions } from '@paywatch/http-kit';
import type { Logger, Registry } from '@paywatch/observability';
import { counter } from '@paywatch/observability';
import { createBatchRepository } from './batch-repository.ts';
import { createBatchProcessor, type BatchProcessorDeps } from './batch-processor.ts';
import { createBatchClaims } from './batch-claims.ts';
import { createBatchIntake } from './batch-intake.ts';
import { registerBatchRoutes } from './routes.ts';
import { createReferencePublisher, REFERENCE_REFUSAL_CODES } from './reference-publisher.ts';
import { INGEST_ERRORS } from './errors.ts';
import { REFUSAL_CODES } from '@paywatch/ktb-formats';
import { createReferenceRepository, referenceItemsKey } from './reference-repository.ts';
import { registerReferenceRoutes } from './reference-routes.ts';
import { accountKey, DEFAULT_QUARANTINE_POLICY, type QuarantinePolicy } from './quarantine.ts';
import { registerQuarantineRoutes } from './quarantine-routes.ts';


export interface IngestServiceDeps {
  blobStore: BlobStore;
  eventLog: EventLog;
  registry: readonly LaoRegistryEntry[];
  logger: Logger;
  metrics: Registry;
  jwtSecret: string;
  /** Accept the identity provider's tokens too (http-kit OIDC). */
  oidc?: OidcOptions;
  /** Rate limits and trusted proxies (http-kit defaults when absent). */
  http?: HttpGuards;
  clock?: () => Date;
  /** Largest accepted upload. Default 50 MiB. */
  maxUploadBytes?: number;
  topics?: BatchProcessorDeps['topics'];
  /** Reference topic per kind (tests give each run its own). Default `reference.{kind}.v1`. */
  referenceTopicOf?: (kind: ReferenceKind) => string;
  /** Where reference-list audit events go (ADR 0018). Default `reference-audit.v1`. */
  referenceAuditTopic?: string;
  /**
   * Stable name of this replica across restarts (a StatefulSet pod name; the one-machine mode's fixed name): batch
   * claims an earlier run of it held are retaken at start without waiting for their lease. Two live processes must
   * never share one. Default: a random name per process (dead claims are then retaken when their lease runs out).
   */
  replicaId?: string;
  /** How long a batch claim holds without renewal; renewed every third of it. Default 30 s. */
  claimLeaseMs?: number;
  /** How often open claims are swept for dead holders. Default half the lease. */
  claimSweepMs?: number;
  /** When a file is held for ops instead of published (ADR 0019); `null` turns the check off. Defaults in quarantine.ts. */
  quarantine?: Partial<QuarantinePolicy> | null;
}

/** The ingest service: HTTP upload API, and the processor that publishes stored batches. */
export async function buildIngestService(deps: IngestServiceDeps) {
  const clock = deps.clock ?? (() => new Date());
  const maxUploadBytes = deps.maxUploadBytes ?? 50 * 1024 * 1024;
  const repository = createBatchRepository(deps.blobStore);
  const producer = await deps.eventLog.producer();
  // Per LAO (and its province, which adds no series): bounded by the registry, about 7,850 LAOs (ADR 0011).
  const rows = counter(deps.metrics, 'paywatch_ingest_rows_total', 'Rows read from uploads, by outcome, LAO and province', ['outcome', 'lao', 'province']);
  const batches = counter(deps.metrics, 'paywatch_ingest_batches_total', 'Batches processed, by status, LAO and province', ['status', 'lao', 'province']);
  const refusals = counter(deps.metrics, 'paywatch_ingest_upload_refusals_total', 'Uploads refused whole, by kind (batch, reference) and code: at the door (size, format of the request, another LAO\'s rows) or after parsing (a file refused whole)', ['kind', 'code']);
  // Every code starts at 0, so the first refusal of a kind after a restart shows in increase() (a new series would hide it).
  const ingestCodes = Object.values(INGEST_ERRORS).map((e) => (e as (arg: never) => { code: string })('' as never).code);
  for (const code of [...Object.keys(REFUSAL_CODES), ...ingestCodes]) refusals.inc({ kind: 'batch', code }, 0);
  for (const code of [...REFERENCE_REFUSAL_CODES, ...ingestCodes]) refusals.inc({ kind: 'reference', code }, 0);
  const provinceOf = new Map(deps.registry.map((l) => [l.laoCode, l.provinceCode]));
  const quarantined = counter(deps.metrics, 'paywatch_ingest_quarantined_total', 'Batches held by the quarantine check (most payees not in the register in force) until ops release or discard them');
  quarantined.inc(0);
  const referenceRepository = createReferenceRepository(deps.blobStore);
  /** The payee register in force for an LAO, as `bank:account` keys (read per batch: a register uploaded since counts). */
  const registerOf = async (laoCode: string) => {
    const latest = await referenceRepository.latest(laoCode, 'payees');
    if (!latest?.version) return null;
    const bytes = await deps.blobStore.get(referenceItemsKey(laoCode, 'payees', latest.version));
    if (!bytes) return null;
    const items = JSON.parse(bytes.toString('utf8')) as Array<{ bankCode: string; account: string }>;
    return { version: latest.version, accounts: new Set(items.map((i) => accountKey(i.bankCode, i.account))) };
  };
  const processor = createBatchProcessor({
    ...(deps.quarantine === null ? {} : { quarantine: { policy: { ...DEFAULT_QUARANTINE_POLICY, ...deps.quarantine }, registerOf, onQuarantined: () => quarantined.inc() } }),
    repository, producer, registry: deps.registry, logger: deps.logger, clock, ...(deps.topics ? { topics: deps.topics } : {}),
    onPublished: (m) => {
      const where = { lao: m.laoCode, province: provinceOf.get(m.laoCode) ?? 'unknown' };
      rows.inc({ outcome: 'accepted', ...where }, m.rowsAccepted);
      rows.inc({ outcome: 'rejected', ...where }, m.rowsRejected);
      batches.inc({ status: m.status, ...where });
      if (m.status === 'refused') refusals.inc({ kind: 'batch', code: m.refusal?.code ?? 'unknown' });
    },
  });
  const app = await createHttpApp({
    service: 'ingest', logger: deps.logger, metrics: deps.metrics, jwtSecret: deps.jwtSecret, ...(deps.oidc ? { oidc: deps.oidc } : {}),
    description: 'Upload KTB Corporate Online payment files and follow their batches.',
    readiness: { blobStore: () => deps.blobStore.ping(), eventLog: () => deps.eventLog.ping() },
    ...deps.http,
    // Uploads cost a parse each: a tighter limit per client address than the rest of the API.
    limitedRoutes: [{ method: 'POST', url: /^\/v1\/(batches|reference\/)/, kind: 'upload' }],
  });
  // Per-route limits (one file, few short fields) are set where the body is read: upload-file.ts.
  await app.register(multipart, { limits: { fileSize: maxUploadBytes } });
  const claimLeaseMs = deps.claimLeaseMs ?? 30_000;
  const claims = createBatchClaims({ blobs: deps.blobStore, logger: deps.logger, replicaId: deps.replicaId ?? `ingest-${randomUUID()}`, leaseMs: claimLeaseMs });
  const intake = createBatchIntake({ repository, claims, processor, logger: deps.logger, clock, maxWaitMs: 2 * claimLeaseMs });
  // An upload answered 4xx is a refusal (not an authentication or scope answer: those say nothing about the file).
  app.addHook('onError', async (req, _reply, err) => {
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    const url = req.routeOptions.url ?? '';
    if (req.method !== 'POST' || status < 400 || status >= 500 || [401, 403, 404].includes(status)) return;
    if (url === '/v1/batches') refusals.inc({ kind: 'batch', code: (err as { code?: string }).code ?? 'unknown' });
    else if (url.startsWith('/v1/reference/')) refusals.inc({ kind: 'reference', code: (err as { code?: string }).code ?? 'unknown' });
  });
  const registry = new Map(deps.registry.map((l) => [l.laoCode, l]));
  registerBatchRoutes(app, { repository, intake, registry, maxUploadBytes });
  registerQuarantineRoutes(app, { repository, claims, processor, logger: deps.logger, clock });
  const referenceTopicOf = deps.referenceTopicOf ?? referenceTopic;
  const referenceAuditTopic = deps.referenceAuditTopic ?? TOPICS.referenceAudit;
  const referencePublisher = createReferencePublisher({ blobs: deps.blobStore, repository: referenceRepository, producer, logger: deps.logger, topicOf: referenceTopicOf, auditTopic: referenceAuditTopic });
  registerReferenceRoutes(app, { publisher: referencePublisher, repository: referenceRepository, registry, clock, maxUploadBytes });

  let sweeper: NodeJS.Timeout | undefined;
  return {
    app, processor, repository, claims, intake,
    /**
     * Finishes batches a crash left claimed but unpublished (nothing accepted is lost), then sweeps open claims
     * for dead holders every `claimSweepMs`, so a replica that dies for good leaves nothing behind either.
     */
    async start() {
      // Reference topics are tables: compacted, so the latest announcement per LAO is kept for ever.
      await deps.eventLog.ensureTopics(ReferenceKind.options.map((k) => ({ topic: referenceTopicOf(k), partitions: REFERENCE_TOPIC_PARTITIONS, compacted: true })));
      // The audit trail of the lists: one partition, never compacted (every step is an entry).
      await deps.eventLog.ensureTopics([{ topic: referenceAuditTopic, partitions: TOPIC_PARTITIONS[TOPICS.referenceAudit] }]);
      // In upload order, claimed or not: an LAO's records reach the detector in the order its files came (batch-intake.ts).
      await intake.recover();
      sweeper = setInterval(() => { void intake.sweep(); }, deps.claimSweepMs ?? Math.max(1, Math.floor(claimLeaseMs / 2)));
      sweeper.unref();
    },
    async stop() { clearInterval(sweeper); await processor.idle(); claims.releaseAll(); await app.close(); await producer.close(); },
  };
}
export type IngestService = Awaited<ReturnType<typeof buildIngestService>>;
