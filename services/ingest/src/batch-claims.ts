/**
 * Who processes a batch: one claim per (LAO, sha256) — the batch id — taken by one atomic conditional write in the
 * blob store every ingest replica shares (`putIfAbsent`: S3 `If-None-Match: *`, an exclusive link in a folder), so
 * exactly one request or replica stores, parses and publishes a file (invariant 2). A claim is a lease: its holder
 * renews it while the batch waits and runs, and a claim whose holder died (lease expired, or held by an earlier
 * run of this same replica) is retaken with a compare-and-swap (`putIfVersion`: S3 `If-Match`), so it never blocks
 * its file for ever. Open claims are also listed under `ingest/open/` so a sweep finds them without reading every
 * batch ever received (ADR 0014).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { BlobStore } from '@paywatch/blob-store';
import type { Logger } from '@paywatch/observability';
import { BatchManifest } from '@paywatch/domain';

const claimKey = (batchId: string) => `batches/${batchId}/claim.json`;
const OPEN_PREFIX = 'ingest/open/';
const openKey = (batchId: string) => `${OPEN_PREFIX}${batchId}`;

/** What the claimer knows about the upload: enough to write the manifest and find the raw file after a crash. */
export const ClaimFacts = BatchManifest.pick({ batchId: true, laoCode: true, sha256: true, fileName: true, sizeBytes: true, rawKey: true, uploadedBy: true, receivedAt: true });
export type ClaimFacts = z.infer<typeof ClaimFacts>;

/** The stored claim of one batch. `open` = someone works on it; `done` = published or refused; `void` = given up, nothing to finish. */
export const BatchClaim = ClaimFacts.extend({
  state: z.enum(['open', 'done', 'void']),
  owner: z.object({ replicaId: z.string(), incarnation: z.string() }),
  leaseUntil: z.string(),
  /** Unique per write, so a writer can tell its own write from a later one with otherwise equal bytes. */
  nonce: z.string(),
});
export type BatchClaim = z.infer<typeof BatchClaim>;

/** A claim this process holds: renewed in the background until finished, abandoned, released or lost. */
export interface HeldClaim {
  readonly facts: ClaimFacts;
  /** True once another replica retook the claim (this one failed to renew in time): stop, publish nothing more. */
  readonly lost: boolean;
  /** Renews now and reports whether the claim is still this process's: the fence before a batch is committed. */
  renew(): Promise<boolean>;
  /** The batch is published or refused: the claim is `done` for ever and leaves the open list. */
  finish(): Promise<void>;
  /** Nothing stored to finish (the raw file is missing): `void`, so the next upload of the bytes takes it at once. */
  abandon(): Promise<void>;
  /** Stops renewing without writing: the lease runs out and a sweep retries the batch (after a failure). */
  release(): void;
}

export interface BatchClaimsOptions {
  blobs: BlobStore;
  logger: Logger;
  /** Stable name of this replica across restarts; claims an earlier run of it held are retaken without waiting. */
  replicaId: string;
  /** How long a claim stays valid without renewal. */
  leaseMs: number;
  /** Wall clock for leases (replicas compare leases, so this is real time, not the business clock). */
  nowMs?: () => number;
}

/** The claim store of one ingest process. */
export function createBatchClaims(options: BatchClaimsOptions) {
  const { blobs, logger, replicaId, leaseMs } = options;
  const nowMs = options.nowMs ?? Date.now;
  // Unique per process start: tells this run's claims from those an earlier (dead) run of the same replica left.
  const incarnation = randomUUID();
  const renewEveryMs = Math.max(1, Math.floor(leaseMs / 3));
  const held = new Set<{ release(): void }>();

  const leaseFromNow = () => new Date(nowMs() + leaseMs).toISOString();
  const stamp = (facts: ClaimFacts, state: BatchClaim['state']): BatchClaim => ({
    ...facts, state, owner: { replicaId, incarnation }, leaseUntil: leaseFromNow(), nonce: randomUUID(),
  });

  async function read(batchId: string): Promise<{ claim: BatchClaim; version: string } | null> {
    const v = await blobs.getVersioned(claimKey(batchId));
    return v ? { claim: BatchClaim.parse(JSON.parse(v.body.toString('utf8'))), version: v.version } : null;
  }

  /** The version of the claim if it still holds our write (same nonce), else null: someone wrote after us. */
  async function versionIfOurs(batchId: string, nonce: string): Promise<string | null> {
    const now = await read(batchId);
    return now && now.claim.nonce === nonce ? now.version : null;
  }

  function hold(claim: BatchClaim, version: string): HeldClaim {
    let current = { claim, version };
    let lost = false;
    let stopped = false;
    // One write at a time: a renewal and the final write must not race each other's versions.
    let chain: Promise<unknown> = Promise.resolve();
    const log = logger.child({ batchId: claim.batchId });
    const write = (state: BatchClaim['state']): Promise<boolean> => {
      const p = chain.then(async () => {
        if (lost) return false;
        const next = stamp(current.claim, state);
        const ok = await blobs.putIfVersion(claimKey(next.batchId), JSON.stringify(next), current.version, 'application/json');
        const version = ok ? await versionIfOurs(next.batchId, next.nonce) : null;
        if (version === null) {
          lost = true;
          stop();
          log.warn({ replicaId }, 'batch claim lost to another replica (lease not renewed in time): stopping this run of the batch');
          return false;
        }
        current = { claim: next, version };
        return true;
      });
      chain = p.catch(() => undefined);
      return p;
    };
    const timer = setInterval(() => {
      // A failed renewal (store unreachable) is retried at the next tick; the lease covers two misses.
      write('open').catch((err: unknown) => log.warn({ err }, 'batch claim renewal failed; retrying'));
    }, renewEveryMs);
    timer.unref();
    const entry = { release: () => stop() };
    held.add(entry);
    function stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      held.delete(entry);
    }
    const close = async (state: 'done' | 'void') => {
      const ok = await write(state);
      stop();
      if (ok) await blobs.delete(openKey(claim.batchId));
    };
    return {
      facts: ClaimFacts.parse(claim),
      get lost() { return lost; },
      renew: () => write('open'),
      finish: () => close('done'),
      abandon: () => close('void'),
      release: stop,
    };
  }

  async function opened(claim: BatchClaim, version: string): Promise<HeldClaim> {
    const h = hold(claim, version);
    await blobs.put(openKey(claim.batchId), claim.batchId, 'text/plain');
    return h;
  }

  return {
    replicaId,
    incarnation,
    read,
    /**
     * Nobody works on this claim any more: given up (`void`), its lease ran out, or an earlier run of this replica
     * held it (that run is dead: this one is the replica now). A `done` claim is never dead: its batch is finished.
     */
    isDead(claim: BatchClaim): boolean {
      if (claim.state === 'done') return false;
      if (claim.state === 'void') return true;
      if (Date.parse(claim.leaseUntil) <= nowMs()) return true;
      return claim.owner.replicaId === replicaId && claim.owner.incarnation !== incarnation;
    },
    /** Takes the claim of a batch nobody claimed yet; null when someone already has (exactly one caller wins). */
    async take(facts: ClaimFacts): Promise<HeldClaim | null> {
      const claim = stamp(facts, 'open');
      if (!(await blobs.putIfAbsent(claimKey(facts.batchId), JSON.stringify(claim), 'application/json'))) return null;
      const version = await versionIfOurs(facts.batchId, claim.nonce);
      return version === null ? null : opened(claim, version);
    },
    /** Retakes a dead claim read at `version`, with these facts; null when another caller retook it first. */
    async retake(version: string, facts: ClaimFacts): Promise<HeldClaim | null> {
      const claim = stamp(facts, 'open');
      if (!(await blobs.putIfVersion(claimKey(facts.batchId), JSON.stringify(claim), version, 'application/json'))) return null;
      const now = await versionIfOurs(facts.batchId, claim.nonce);
      return now === null ? null : opened(claim, now);
    },
    /** Batch ids of the claims listed open (some may be finished already: the list is cleaned after the claim). */
    async listOpen(): Promise<string[]> {
      return (await blobs.list(OPEN_PREFIX)).map((k) => k.slice(OPEN_PREFIX.length));
    },
    /** Forgets an open-list entry whose claim is finished. */
    async closeListing(batchId: string): Promise<void> { await blobs.delete(openKey(batchId)); },
    /** Stops renewing every held claim (service stop): their leases run out, or this replica's next run retakes them. */
    releaseAll(): void { for (const h of [...held]) h.release(); },
  };
}
export type BatchClaims = ReturnType<typeof createBatchClaims>;

/**
 * A claim for a caller that is the only publisher of its batches (the national benchmark, tests of the publishing
 * path): never lost, stores nothing. A replica behind the upload API always holds a real claim from `take`.
 */
export function soleClaim(facts: ClaimFacts): HeldClaim {
  return { facts, lost: false, renew: async () => true, finish: async () => {}, abandon: async () => {}, release: () => {} };
}
