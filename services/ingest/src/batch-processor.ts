/**
 * Turns a stored raw file into published events: parse as a stream of rows, publish accepted rows to
 * `disbursements.v1` (key = LAO), rejected rows to `disbursements.rejected.v1` (key = batch), then the
 * manifest to `batches.v1`. Invariant 1: rowsRead = rowsAccepted + rowsRejected, checked before publishing
 * the manifest. Safe to run again on the same batch: record ids are stable and consumers are idempotent.
 */
import { TOPICS, disbursementOf, toBangkok, type BatchManifest, type Disbursement, type LaoRegistryEntry, type PublishedReject } from '@paywatch/domain';
import type { Producer } from '@paywatch/event-log';
import { fileSource, parseFileStream } from '@paywatch/ktb-formats';
import type { Logger } from '@paywatch/observability';
import { createChunkPublisher } from './chunk-publisher.ts';
import type { BatchRepository } from './batch-repository.ts';

export interface BatchProcessorDeps {
  repository: BatchRepository;
  producer: Producer;
  registry: readonly LaoRegistryEntry[];
  logger: Logger;
  clock: () => Date;
  /** Records per produce call (default 2,000, at most ~1 MB of JSON): large enough for throughput, small enough to keep memory flat. */
  chunkSize?: number;
  /** Topic names (tests give each run its own). */
  topics?: { disbursements: string; rejected: string; batches: string };
  onPublished?: (m: BatchManifest) => void;
}

/** Publishes one batch; returns the final manifest. */
export function createBatchProcessor(deps: BatchProcessorDeps) {
  const topics = deps.topics ?? { disbursements: TOPICS.disbursements, rejected: TOPICS.disbursementsRejected, batches: TOPICS.batches };
  const chunkSize = deps.chunkSize ?? 2_000;
  const json = (v: unknown) => JSON.stringify(v);

  async function process(manifest: BatchManifest): Promise<BatchManifest> {
    const log = deps.logger.child({ batchId: manifest.batchId, laoCode: manifest.laoCode });
    const raw = await deps.repository.spoolRaw(manifest.rawKey);
    if (!raw) throw new Error(`raw file ${manifest.rawKey} missing for batch ${manifest.batchId}`);
    try {
      return await publish(manifest, raw.path, log);
    } finally {
      await raw.cleanup();
    }
  }

  async function publish(manifest: BatchManifest, rawPath: string, log: Logger): Promise<BatchManifest> {
    await deps.repository.putManifest({ ...manifest, status: 'processing' });
    const today = toBangkok(deps.clock()).date;

    // One chunk in flight while the parser fills the next (ADR 0015).
    const records = createChunkPublisher(deps.producer, topics.disbursements, { maxMessages: chunkSize, maxChars: 1_000_000 });
    const rejects: PublishedReject[] = [];
    let final: BatchManifest | null = null;
    const headers = { 'content-type': 'application/json', 'x-batch-id': manifest.batchId, 'x-schema': 'disbursement.v1' };
    // Read from local disk a chunk at a time (text formats in bounded memory; a workbook is read whole).
    for await (const ev of parseFileStream(fileSource(rawPath), { laoCode: manifest.laoCode, registry: deps.registry, today })) {
      if (ev.kind === 'record') {
        const d = disbursementOf(ev.record, manifest.batchId, ev.row, manifest.fileName);
        await records.add({ key: d.laoCode, value: json(d), headers });
      } else if (ev.kind === 'reject') {
        rejects.push({ row: ev.row, field: ev.field, code: ev.code, message: ev.message, raw: ev.raw, batchId: manifest.batchId, laoCode: manifest.laoCode });
      } else {
        await records.flush();
        final = {
          ...manifest,
          format: ev.format, encoding: ev.encoding,
          rowsRead: ev.rowsRead, rowsAccepted: ev.rowsAccepted, rowsRejected: ev.rowsRejected, totalSatang: ev.totalSatang,
          header: ev.header ?? null,
          status: ev.refusal ? 'refused' : 'published',
          refusal: ev.refusal ?? null,
          publishedAt: deps.clock().toISOString(),
        };
      }
    }
    if (!final) throw new Error('parser ended without a manifest');
    const published = records.acknowledged();
    // Invariant 1, checked where a violation would otherwise be published as truth.
    if (final.rowsRead !== final.rowsAccepted + final.rowsRejected || published !== final.rowsAccepted || rejects.length !== final.rowsRejected) {
      throw new Error(`row accounting broken: read ${final.rowsRead}, accepted ${final.rowsAccepted} (published ${published}), rejected ${final.rowsRejected} (${rejects.length})`);
    }
    for (let i = 0; i < rejects.length; i += chunkSize) {
      await deps.producer.send(topics.rejected, rejects.slice(i, i + chunkSize).map((r) => ({ key: manifest.batchId, value: json(r), headers: { ...headers, 'x-schema': 'reject.v1' } })));
    }
    await deps.repository.putRejects(manifest.batchId, rejects);
    await deps.producer.send(topics.batches, [{ key: manifest.batchId, value: json(final), headers: { ...headers, 'x-schema': 'batch.v1' } }]);
    await deps.repository.putManifest(final);
    log.info({ rowsRead: final.rowsRead, rowsAccepted: final.rowsAccepted, rowsRejected: final.rowsRejected, totalSatang: final.totalSatang, status: final.status }, 'batch published');
    deps.onPublished?.(final);
    return final;
  }

  // One batch at a time: publishing order per LAO stays the upload order, and memory stays bounded.
  let queue: Promise<unknown> = Promise.resolve();
  function enqueue(manifest: BatchManifest): Promise<BatchManifest> {
    const p = queue.then(() => process(manifest));
    queue = p.catch((err) => deps.logger.error({ err, batchId: manifest.batchId }, 'batch processing failed; it resumes at next start'));
    return p;
  }
  return { process, enqueue, idle: () => queue.then(() => undefined) };
}
export type BatchProcessor = ReturnType<typeof createBatchProcessor>;
