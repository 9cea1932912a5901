/** @paywatch/ingest — the upload service. `buildIngestService` is what composition roots call. */
export { buildIngestService, type IngestService, type IngestServiceDeps } from './app.ts';
