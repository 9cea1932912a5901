/** Builds the ingest service from its ports; reads no environment (see main.ts). */
import multipart from '@fastify/multipart';
import { REFERENCE_TOPIC_PARTITIONS, ReferenceKind, referenceTopic, type LaoRegistryEntry } from '@paywatch/domain';
import type { BlobStore } from '@paywatch/blob-store';
import type { EventLog } from '@paywatch/event-log';
import { createHttpApp, type OidcOptions } from '@paywatch/http-kit';
import type { Logger, Registry } from '@paywatch/observability';
import { counter } from '@paywatch/observability';
import { createBatchRepository } from './batch-repository.ts';
import { createBatchProcessor, type BatchProcessorDeps } from './batch-processor.ts';
import { registerBatchRoutes } from './routes.ts';
import { createReferencePublisher } from './reference-publisher.ts';
import { createReferenceRepository } from './reference-repository.ts';
import { registerReferenceRoutes } from './reference-routes.ts';

import { UPLOAD_PAGE_HTML } from './upload-page.ts';

export interface IngestServiceDeps {
  blobStore: BlobStore;
  eventLog: EventLog;
  registry: readonly LaoRegistryEntry[];
  logger: Logger;
  metrics: Registry;
  jwtSecret: string;
  /** Accept the identity provider's tokens too (http-kit OIDC). */
  oidc?: OidcOptions;
  clock?: () => Date;
  /** Largest accepted upload. Default 50 MiB. */
  maxUploadBytes?: number;
  topics?: BatchProcessorDeps['topics'];
  /** Reference topic per kind (tests give each run its own). Default `reference.{kind}.v1`. */
  referenceTopicOf?: (kind: ReferenceKind) => string;
}

/** The ingest service: HTTP upload API, and the processor that publishes stored batches. */
export async function buildIngestService(deps: IngestServiceDeps) {
  const clock = deps.clock ?? (() => new Date());
  const maxUploadBytes = deps.maxUploadBytes ?? 50 * 1024 * 1024;
  const repository = createBatchRepository(deps.blobStore);
  const producer = await deps.eventLog.producer();
  const rows = counter(deps.metrics, 'paywatch_ingest_rows_total', 'Rows read from uploads, by outcome', ['outcome']);
  const batches = counter(deps.metrics, 'paywatch_ingest_batches_total', 'Batches processed, by status', ['status']);
  const processor = createBatchProcessor({
    repository, producer, registry: deps.registry, logger: deps.logger, clock, ...(deps.topics ? { topics: deps.topics } : {}),
    onPublished: (m) => { rows.inc({ outcome: 'accepted' }, m.rowsAccepted); rows.inc({ outcome: 'rejected' }, m.rowsRejected); batches.inc({ status: m.status }); },
  });
  const app = await createHttpApp({
    service: 'ingest', logger: deps.logger, metrics: deps.metrics, jwtSecret: deps.jwtSecret, ...(deps.oidc ? { oidc: deps.oidc } : {}),
    description: 'Upload KTB Corporate Online payment files and follow their batches.',
    readiness: { blobStore: () => deps.blobStore.ping(), eventLog: () => deps.eventLog.ping() },
  });
  await app.register(multipart, { limits: { fileSize: maxUploadBytes, files: 1 } });
  const registry = new Map(deps.registry.map((l) => [l.laoCode, l]));
  registerBatchRoutes(app, { repository, processor, registry, clock, maxUploadBytes });
  const referenceRepository = createReferenceRepository(deps.blobStore);
  const referenceTopicOf = deps.referenceTopicOf ?? referenceTopic;
  const referencePublisher = createReferencePublisher({ blobs: deps.blobStore, repository: referenceRepository, producer, logger: deps.logger, topicOf: referenceTopicOf });
  registerReferenceRoutes(app, { publisher: referencePublisher, repository: referenceRepository, registry, clock, maxUploadBytes });
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(UPLOAD_PAGE_HTML));

  return {
    app, processor, repository,
    /** Resumes batches that a crash left stored but not published (nothing accepted is lost). */
    async start() {
      // Reference topics are tables: compacted, so the latest announcement per LAO is kept for ever.
      await deps.eventLog.ensureTopics(ReferenceKind.options.map((k) => ({ topic: referenceTopicOf(k), partitions: REFERENCE_TOPIC_PARTITIONS, compacted: true })));
      // In upload order: an LAO's records reach the detector in the order its files came, as without the crash.
      const byUpload = (await repository.listManifests()).sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.batchId.localeCompare(b.batchId));
      for (const m of byUpload) {
        if (m.status === 'received' || m.status === 'processing') {
          deps.logger.warn({ batchId: m.batchId }, 'resuming unfinished batch');
          void processor.enqueue(m).catch(() => undefined);
        }
      }
    },
    async stop() { await processor.idle(); await app.close(); await producer.close(); },
  };
}
export type IngestService = Awaited<ReturnType<typeof buildIngestService>>;
