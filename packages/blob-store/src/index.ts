/** @paywatch/blob-store — the blob-store port with a folder adapter (embedded) and an S3 adapter (production). */
export * from './port.ts';
export * from './folder-blob-store.ts';
export * from './s3-blob-store.ts';
