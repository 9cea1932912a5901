/**
 * Admits uploads as batches, once each (invariant 2), and finishes batches whose processing died. An upload
 * takes the batch's claim (batch-claims.ts) and stores the raw file and the `received` manifest before it is
 * acknowledged (invariant 1); every other upload of the same bytes waits until that manifest exists and answers
 * `duplicate`, so a duplicate answer always means the bytes are durable. A claim whose holder died is retaken:
 * by the next upload of the bytes, by this replica's next start, or by the sweep any replica runs.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { batchIdFor, type BatchManifest } from '@paywatch/domain';
import type { Logger } from '@paywatch/observability';
import { rawKeyFor, type BatchRepository } from './batch-repository.ts';
import type { BatchClaims, ClaimFacts, HeldClaim } from './batch-claims.ts';
import type { BatchProcessor } from './batch-processor.ts';
import { INGEST_ERRORS } from './errors.ts';

export interface BatchIntakeDeps {
  repository: BatchRepository;
  claims: BatchClaims;
  processor: BatchProcessor;
  logger: Logger;
  clock: () => Date;
  /** How often a waiting duplicate looks again. Default 100 ms. */
  pollMs?: number;
  /** How long a duplicate waits for the claimer to store the file before answering 503. Default 60 s. */
  maxWaitMs?: number;
}

/** The stored upload being admitted: its bytes are in a local file until the raw copy is in the blob store. */
export interface IncomingFile { path: string; sha256: string; sizeBytes: number; fileName: string }

export interface Admission { manifest: BatchManifest; duplicate: boolean }

/** Nothing more to do without a person: published, refused, held for ops (quarantined) or discarded by them. */
const isFinished = (m: BatchManifest) => m.status === 'published' || m.status === 'refused' || m.status === 'quarantined' || m.status === 'discarded';

/** The `received` manifest of a claimed batch. */
export function receivedManifest(f: ClaimFacts): BatchManifest {
  return {
    batchId: f.batchId, laoCode: f.laoCode, sha256: f.sha256, fileName: f.fileName, sizeBytes: f.sizeBytes, rawKey: f.rawKey,
    format: null, encoding: null, rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, totalSatang: 0, header: null, status: 'received', refusal: null,
    uploadedBy: f.uploadedBy, receivedAt: f.receivedAt, publishedAt: null,
  };
}

/** Admission of uploads and recovery of dead claims, over one claim store. */
export function createBatchIntake(deps: BatchIntakeDeps) {
  const { repository, claims, processor } = deps;
  const pollMs = deps.pollMs ?? 100;
  const maxWaitMs = deps.maxWaitMs ?? 60_000;
  let sweeping: Promise<void> | null = null;

  /** Runs a held batch in the processor; a failure leaves its claim to expire so a sweep retries it. */
  function run(manifest: BatchManifest, held: HeldClaim): void {
    void processor.enqueue(manifest, held).catch(() => undefined);
  }

  /**
   * Finishes what a retaken claim left: nothing when its batch is published or refused, the stored raw file when
   * there is one (writing the `received` manifest if the claimer died before it), and otherwise gives the claim up
   * (`void`): the file was never acknowledged, and its next upload takes the claim at once.
   */
  async function resume(held: HeldClaim, reason: string): Promise<void> {
    const { batchId, rawKey } = held.facts;
    const log = deps.logger.child({ batchId });
    const manifest = await repository.getManifest(batchId);
    if (manifest && isFinished(manifest)) { await held.finish(); return; }
    if (manifest || (await repository.rawExists(rawKey))) {
      const m = manifest ?? receivedManifest(held.facts);
      if (!manifest) await repository.putManifest(m);
      log.warn({ reason }, 'resuming a batch whose processing stopped');
      run(m, held);
      return;
    }
    log.warn({ reason }, 'claimed batch has no stored file: claim given up, the next upload of these bytes takes it');
    await held.abandon();
  }

  /** Looks at one listed claim (as read before): retakes and resumes it when its holder is gone; cleans the listing of a finished one. */
  async function sweepOne(batchId: string, cur: Awaited<ReturnType<BatchClaims['read']>>): Promise<void> {
    if (!cur || cur.claim.state === 'done') { await claims.closeListing(batchId); return; }
    if (!claims.isDead(cur.claim)) return;
    // A compare-and-swap on the version read: a claim renewed or finished since is left alone.
    const held = await claims.retake(cur.version, cur.claim);
    if (held) await resume(held, cur.claim.state === 'void' ? 'claim given up' : 'claim lease expired or held by an earlier run');
  }

  /** The open claims, each with a step that sweeps it; a claim that cannot be read is warned about and retried next time. */
  async function openClaims(): Promise<Unfinished[]> {
    const out: Unfinished[] = [];
    for (const batchId of await claims.listOpen()) {
      const cur = await claims.read(batchId).catch((err: unknown) => { deps.logger.warn({ err, batchId }, 'reading a batch claim failed; the next sweep retries'); return undefined; });
      if (cur === undefined) continue;
      out.push({
        batchId, receivedAt: cur?.claim.receivedAt ?? '',
        step: () => sweepOne(batchId, cur).catch((err: unknown) => deps.logger.warn({ err, batchId }, 'sweeping a batch claim failed; the next sweep retries')),
      });
    }
    return out;
  }

  return {
    /**
     * Admits the file as the batch of (LAO, sha256): exactly one caller, on any replica, stores and publishes it
     * (`duplicate: false`); every other caller answers `duplicate: true` once the batch's manifest is stored.
     */
    async admit(file: IncomingFile, laoCode: string, uploadedBy: string): Promise<Admission> {
      const batchId = batchIdFor(laoCode, file.sha256);
      const facts = (): ClaimFacts => {
        const receivedAt = deps.clock();
        return {
          batchId, laoCode, sha256: file.sha256, fileName: file.fileName, sizeBytes: file.sizeBytes,
          rawKey: rawKeyFor(laoCode, receivedAt, file.sha256, file.fileName), uploadedBy, receivedAt: receivedAt.toISOString(),
        };
      };
      const deadline = Date.now() + maxWaitMs;
      for (;;) {
        const manifest = await repository.getManifest(batchId);
        const cur = await claims.read(batchId);
        if (manifest) {
          // Stored before: a duplicate. If its claimer died mid-way, this upload finishes it (a sweep would later).
          if (!isFinished(manifest) && cur && claims.isDead(cur.claim)) {
            const held = await claims.retake(cur.version, cur.claim);
            if (held) await resume(held, 'duplicate upload found the claim dead');
          } else if (!isFinished(manifest) && !cur) {
            // A manifest from before claims existed: claim it and finish it.
            const held = await claims.take({ ...receivedFactsOf(manifest) });
            if (held) run(manifest, held);
          }
          return { manifest, duplicate: true };
        }
        let held: HeldClaim | null = null;
        if (!cur) held = await claims.take(facts());
        else if (claims.isDead(cur.claim)) held = await claims.retake(cur.version, facts());
        if (held) return accept(held, file);
        if (Date.now() > deadline) throw INGEST_ERRORS.uploadBusy();
        // Someone holds the claim and is storing the file: wait for its manifest (jitter spreads the pollers).
        await sleep(pollMs + Math.floor(Math.random() * pollMs));
      }
    },

    /** One pass over the open claims, in upload order: those whose holder is gone are retaken and finished. */
    sweep(): Promise<void> {
      // One pass at a time: a slow store must not pile passes up.
      sweeping ??= (async () => {
        try {
          await inUploadOrder(await openClaims());
        } catch (err) {
          deps.logger.warn({ err }, 'listing open batch claims failed; the next sweep retries');
        } finally {
          sweeping = null;
        }
      })();
      return sweeping;
    },

    /**
     * At start, before the periodic sweep: every unfinished batch — a `received` or `processing` manifest with no
     * claim (stored before claims existed), or an open claim whose holder is gone (an earlier run of this replica,
     * an expired lease) — is resumed in upload order (receivedAt), whichever of the two it is, so an LAO's records
     * reach the detector in the order its files came, as they would have without the crash.
     */
    async recover(): Promise<void> {
      const unclaimed: Unfinished[] = [];
      for (const m of await repository.listManifests()) {
        if (isFinished(m) || (await claims.read(m.batchId))) continue;
        unclaimed.push({
          batchId: m.batchId, receivedAt: m.receivedAt,
          step: async () => {
            const held = await claims.take(receivedFactsOf(m));
            if (held) { deps.logger.warn({ batchId: m.batchId }, 'resuming unfinished batch stored without a claim'); run(m, held); }
          },
        });
      }
      await inUploadOrder([...unclaimed, ...(await openClaims())]);
    },
  };

  /** The winner stores the raw file, then the manifest, then queues the batch: only then is it acknowledged. */
  async function accept(held: HeldClaim, file: IncomingFile): Promise<Admission> {
    try {
      // A retaken claim may belong to a batch whose manifest appeared meanwhile: finish that one from its stored file.
      const existing = await repository.getManifest(held.facts.batchId);
      if (existing) { await resume(held, 'claim retaken by an upload'); return { manifest: existing, duplicate: true }; }
      // Invariant 1: the raw bytes are durable before anything is published or acknowledged.
      await repository.putRawFile(held.facts.rawKey, file.path);
      const manifest = receivedManifest(held.facts);
      await repository.putManifest(manifest);
      run(manifest, held);
      return { manifest, duplicate: false };
    } catch (err) {
      // Nothing acknowledged: give the claim up so the client's retry takes it at once instead of after the lease.
      await held.abandon().catch(() => held.release());
      throw err;
    }
  }
}
export type BatchIntake = ReturnType<typeof createBatchIntake>;

/** One unfinished batch found by a sweep or at start, and the step that finishes it (queues it in the processor). */
interface Unfinished { batchId: string; receivedAt: string; step: () => Promise<void> }

/** Runs the steps one after another, oldest upload first (ties by batch id): the processor queues batches in call order. */
async function inUploadOrder(items: Unfinished[]): Promise<void> {
  for (const i of [...items].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.batchId.localeCompare(b.batchId))) await i.step();
}

/** Claim facts of a stored manifest. */
function receivedFactsOf(m: BatchManifest): ClaimFacts {
  return { batchId: m.batchId, laoCode: m.laoCode, sha256: m.sha256, fileName: m.fileName, sizeBytes: m.sizeBytes, rawKey: m.rawKey, uploadedBy: m.uploadedBy, receivedAt: m.receivedAt };
}
