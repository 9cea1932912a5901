/** @paywatch/ingest — the upload service. `buildIngestService` is what composition roots call. */
export { buildIngestService, type IngestService, type IngestServiceDeps } from './app.ts';
/** Ingest's publishing path on its own (parse a stored file, key and publish its rows): what the benchmarks drive. */
export { createBatchProcessor, type BatchProcessor, type BatchProcessorDeps } from './batch-processor.ts';
export { soleClaim } from './batch-claims.ts';
export { createBatchRepository, type BatchRepository } from './batch-repository.ts';
