/**
 * Where ingest keeps what it knows: the raw file, the manifest and the rejected rows, all in the blob store.
 * Ingest needs no database: the manifest under a batch id derived from the bytes is what makes re-upload a no-op.
 */
import type { BlobStore } from '@paywatch/blob-store';
import { BatchManifest, PublishedReject, toBangkok } from '@paywatch/domain';
import { z } from 'zod';
import { streamToTempFile, type TempFile } from './temp-file.ts';

const manifestKey = (batchId: string) => `batches/${batchId}/manifest.json`;
const rejectsKey = (batchId: string) => `batches/${batchId}/rejects.json`;

/** `raw/{laoCode}/{yyyy-mm}/{sha256}.{ext}` (architecture.md), month of receipt in Bangkok. */
export function rawKeyFor(laoCode: string, receivedAt: Date, sha256: string, fileName: string): string {
  const bkk = toBangkok(receivedAt).date.slice(0, 7);
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(fileName)?.[1]?.toLowerCase() ?? 'bin';
  return `raw/${laoCode}/${bkk}/${sha256}.${ext}`;
}

/** Reads and writes batch manifests and rejects. */
export function createBatchRepository(blobs: BlobStore) {
  return {
    async getManifest(batchId: string): Promise<BatchManifest | null> {
      const bytes = await blobs.get(manifestKey(batchId));
      return bytes ? BatchManifest.parse(JSON.parse(bytes.toString('utf8'))) : null;
    },
    async putManifest(m: BatchManifest): Promise<void> {
      await blobs.put(manifestKey(m.batchId), JSON.stringify(m), 'application/json');
    },
    async getRejects(batchId: string): Promise<PublishedReject[]> {
      const bytes = await blobs.get(rejectsKey(batchId));
      return bytes ? z.array(PublishedReject).parse(JSON.parse(bytes.toString('utf8'))) : [];
    },
    async putRejects(batchId: string, rejects: PublishedReject[]): Promise<void> {
      await blobs.put(rejectsKey(batchId), JSON.stringify(rejects), 'application/json');
    },
    async putRaw(key: string, bytes: Uint8Array): Promise<void> { await blobs.put(key, bytes); },
    /** True when the raw file is stored (a claimer may have died before storing it). */
    rawExists: (key: string): Promise<boolean> => blobs.exists(key),
    async putRawFile(key: string, path: string): Promise<void> { await blobs.putFile(key, path); },
    /**
     * Copies a raw file from the blob store to a temporary file, streaming (never whole in memory), so the
     * parser can read it in passes; null when it is missing. The caller calls `cleanup()`.
     */
    async spoolRaw(key: string): Promise<TempFile | null> {
      const stream = await blobs.getStream(key);
      return stream ? streamToTempFile('pw-raw-', stream) : null;
    },
    /** All manifests, for listing and for resuming batches a crash left unfinished. */
    async listManifests(): Promise<BatchManifest[]> {
      const keys = (await blobs.list('batches/')).filter((k) => k.endsWith('/manifest.json'));
      const out: BatchManifest[] = [];
      for (const k of keys) {
        const b = await blobs.get(k);
        if (b) out.push(BatchManifest.parse(JSON.parse(b.toString('utf8'))));
      }
      return out;
    },
  };
}
export type BatchRepository = ReturnType<typeof createBatchRepository>;
