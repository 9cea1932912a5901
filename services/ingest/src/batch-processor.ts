/**
 * Turns a stored raw file into published events: parse as a stream of rows, publish accepted rows to
 * `disbursements.v1` (key = LAO), rejected rows to `disbursements.rejected.v1` (key = batch), then the
 * manifest to `batches.v1`. Invariant 1: rowsRead = rowsAccepted + rowsRejected, checked before publishing
 * the manifest. Runs only under the batch's claim (batch-claims.ts): a run whose claim another replica retook
 * stops, and the claim is renewed as a fence just before the manifest, so the manifest and the counters are
 * published once. Safe to run again on the same batch after a crash: record ids are stable and consumers are
 * idempotent.
 */
import { TOPICS, disbursementKey, disbursementOf, peerGroupOf, toBangkok, type BatchManifest, type Disbursement, type LaoRegistryEntry, type PublishedReject } from '@paywatch/domain';
import type { Producer } from '@paywatch/event-log';
import { fileSource, parseFileStream } from '@paywatch/ktb-formats';
import type { Logger } from '@paywatch/observability';
import { createChunkPublisher } from './chunk-publisher.ts';
import type { BatchRepository } from './batch-repository.ts';
import type { HeldClaim } from './batch-claims.ts';
import { countUnregistered, decideQuarantine, quarantineMessage, type QuarantinePolicy, type RegisterInForce } from './quarantine.ts';

/** The batch's claim went to another replica: this run stops without publishing more. */
export class ClaimLostError extends Error {
  constructor(batchId: string) { super(`claim of batch ${batchId} lost to another replica`); this.name = 'ClaimLostError'; }
}

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
  /** Storm control (ADR 0019): hold files whose payees are mostly not in the register in force. Off when absent. */
  quarantine?: { policy: QuarantinePolicy; registerOf: (laoCode: string) => Promise<RegisterInForce | null>; onQuarantined?: (m: BatchManifest) => void };
}

/** Publishes one batch; returns the final manifest. */
export function createBatchProcessor(deps: BatchProcessorDeps) {
  const topics = deps.topics ?? { disbursements: TOPICS.disbursements, rejected: TOPICS.disbursementsRejected, batches: TOPICS.batches };
  const chunkSize = deps.chunkSize ?? 2_000;
  const json = (v: unknown) => JSON.stringify(v);

  async function process(manifest: BatchManifest, claim: HeldClaim): Promise<BatchManifest> {
    const log = deps.logger.child({ batchId: manifest.batchId, laoCode: manifest.laoCode });
    try {
      if (claim.lost) throw new ClaimLostError(manifest.batchId);
      const raw = await deps.repository.spoolRaw(manifest.rawKey);
      if (!raw) throw new Error(`raw file ${manifest.rawKey} missing for batch ${manifest.batchId}`);
      let final: BatchManifest;
      try {
        final = await publish(manifest, raw.path, claim, log);
      } finally {
        await raw.cleanup();
      }
      await claim.finish();
      return final;
    } catch (err) {
      // The lease runs out and a sweep (this replica's or another's) runs the batch again from its raw file.
      claim.release();
      throw err;
    }
  }

  async function publish(manifest: BatchManifest, rawPath: string, claim: HeldClaim, log: Logger): Promise<BatchManifest> {
    const stillOurs = () => { if (claim.lost) throw new ClaimLostError(manifest.batchId); };
    await deps.repository.putManifest({ ...manifest, status: 'processing' });
    const today = toBangkok(deps.clock()).date;

    // A file ops released is published as it is; any other is checked first (a pre-pass: nothing is published yet).
    if (deps.quarantine && manifest.quarantine?.decision !== 'released') {
      const register = await deps.quarantine.registerOf(manifest.laoCode);
      if (register) {
        const count = await countUnregistered(rawPath, { laoCode: manifest.laoCode, registry: deps.registry, today }, register);
        const { quarantine, share } = decideQuarantine(count, register, deps.quarantine.policy);
        if (quarantine) {
          stillOurs();
          const held: BatchManifest = {
            ...manifest, status: 'quarantined',
            quarantine: { code: 'PW_ERR_BATCH_QUARANTINED', message: quarantineMessage(count, register), ...count, registerVersion: register.version, quarantinedAt: deps.clock().toISOString(), decision: null, decidedBy: null, decidedAt: null },
          };
          await deps.repository.putManifest(held);
          log.warn({ checkedRows: count.checkedRows, unregisteredRows: count.unregisteredRows, share: Number(share.toFixed(3)), registerVersion: register.version }, 'batch quarantined: most payees are not in the register in force; ops must release or discard it');
          deps.quarantine.onQuarantined?.(held);
          return held;
        }
      }
    }

    // One chunk in flight while the parser fills the next (ADR 0015).
    const records = createChunkPublisher(deps.producer, topics.disbursements, { maxMessages: chunkSize, maxChars: 1_000_000 });
    const rejects: PublishedReject[] = [];
    let final: BatchManifest | null = null;
    const headers = { 'content-type': 'application/json', 'x-batch-id': manifest.batchId, 'x-schema': 'disbursement.v1' };
    const entry = deps.registry.find((e) => e.laoCode === manifest.laoCode);
    const peerGroup = entry ? peerGroupOf(entry) : null;
    // Read from local disk a chunk at a time (text formats in bounded memory; a workbook is read whole).
    for await (const ev of parseFileStream(fileSource(rawPath), { laoCode: manifest.laoCode, registry: deps.registry, today })) {
      if (ev.kind === 'record') {
        const d = disbursementOf(ev.record, manifest.batchId, ev.row, manifest.fileName, peerGroup);
        stillOurs();
        await records.add({ key: disbursementKey(d), value: json(d), headers });
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
    // The fence: renewing proves no other replica retook the claim, and gives this run a whole lease to finish in.
    if (!(await claim.renew())) throw new ClaimLostError(manifest.batchId);
    await deps.producer.send(topics.batches, [{ key: manifest.batchId, value: json(final), headers: { ...headers, 'x-schema': 'batch.v1' } }]);
    await deps.repository.putManifest(final);
    log.info({ rowsRead: final.rowsRead, rowsAccepted: final.rowsAccepted, rowsRejected: final.rowsRejected, totalSatang: final.totalSatang, status: final.status }, 'batch published');
    deps.onPublished?.(final);
    return final;
  }

  // One batch at a time: publishing order per LAO stays the upload order, and memory stays bounded.
  let queue: Promise<unknown> = Promise.resolve();
  function enqueue(manifest: BatchManifest, claim: HeldClaim): Promise<BatchManifest> {
    const p = queue.then(() => process(manifest, claim));
    queue = p.catch((err: unknown) => {
      if (err instanceof ClaimLostError) deps.logger.warn({ batchId: manifest.batchId }, 'batch run stopped: another replica holds its claim');
      else deps.logger.error({ err, batchId: manifest.batchId }, 'batch processing failed; its claim expires and a sweep runs it again');
    });
    return p;
  }
  return { process, enqueue, idle: () => queue.then(() => undefined) };
}
export type BatchProcessor = ReturnType<typeof createBatchProcessor>;
