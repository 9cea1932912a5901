/**
 * The detector's batch handler: for each partition it owns, an engine restored from the partition's
 * checkpoint; records already reflected in the checkpoint are skipped, new ones evaluated and their alerts
 * produced and acknowledged. Every `checkpointEvery` records or milliseconds (and when the stream goes idle,
 * on revocation and on stop) the state is saved with the offset it reflects, and only then is that offset
 * committed (invariant 3). Between checkpoints nothing is committed: after a crash the records since the last
 * checkpoint are evaluated again and re-emit the same alerts with the same ids, which the alert store absorbs.
 * The snapshot is taken between batches; its write and the commit after it run while the next batches are
 * evaluated, and a partition whose snapshot is costly is checkpointed less often (ADR 0015).
 */
import { BatchManifest, Disbursement, type Alert, type ReferenceSnapshot } from '@paywatch/domain';
import type { BatchContext, ConsumedBatch, OutgoingMessage, Producer, TopicPartition } from '@paywatch/event-log';
import { createEngine, type RuleSetConfig } from '@paywatch/rules';
import type { Logger } from '@paywatch/observability';
import type { CheckpointStore } from './checkpoint-store.ts';

/** What a partition's state must offer: stage 1 (per LAO) and stage 2 (per payee account) engines both do. */
export interface DetectionEngine {
  /** `key`: the message key it was delivered under (stage 2 routes by it; stage 1 ignores it). */
  process(record: Disbursement, key?: string): Alert[];
  processManifest(manifest: BatchManifest): Alert[];
  /** The keys stage 2 gets a record under (stage 1's engine knows them: a person's citizen ID may come from the LAO's list). */
  forwardKeys?(record: Disbursement): string[];
  snapshot(): unknown;
  restore(snapshot: unknown): void;
}
type Engine = DetectionEngine;

interface PartitionState {
  topic: string;
  partition: number;
  engine: Engine;
  /** First offset not reflected in the engine. */
  nextOffset: bigint;
  /** First offset not reflected in the saved checkpoint. */
  checkpointedOffset: bigint;
  recordsSinceCheckpoint: number;
  lastCheckpointAt: number;
  /** How to commit for this partition (the context of its latest batch). */
  ctx: BatchContext | null;
  /** Serialises the handler and the flush timer on one partition. */
  lock: Promise<unknown>;
  /** The checkpoint being written (at most one per partition) and the offset it reflects. */
  writing: { offset: bigint; done: Promise<void> } | null;
  /** Milliseconds the last snapshot took (engine snapshot + serialisation), which the next batches waited for. */
  snapshotMs: number;
}

export interface PartitionDetectorDeps {
  producer: Producer;
  checkpoints: CheckpointStore;
  ruleSet: RuleSetConfig;
  logger: Logger;
  /** `batches` is the manifest topic: its messages go to the batch-level rules, all others are payment records. */
  topics: { alerts: string; deadLetter: string; batches?: string };
  /**
   * Checkpoint after this many records or this long since the last one. Default 5,000 records / 2,000 ms.
   * `maxShare`: the most of the time this stage's snapshots may take, all its partitions together (default 0.1): a
   * snapshot that took S ms is paid for by S / maxShare ms of time before due checkpoints go on, so a large state is
   * saved less often instead of stalling the stream (a crash then replays more, which is safe).
   */
  checkpointEvery?: { records?: number; ms?: number; maxShare?: number };
  now?: () => number;
  /** The engine for one partition; default: the per-LAO engine of the rule set. */
  createEngine?: () => DetectionEngine;
  /** The reference lists in force per LAO, for the default engine (the reference table). */
  referenceSource?: (laoCode: string) => Iterable<ReferenceSnapshot>;
  /** Also publish each valid record to `topic` under `key(record)` (stage 1 feeds stage 2), acknowledged before checkpointing. */
  forward?: { topic: string };
  onRecords?: (n: number) => void;
  onAlerts?: (alerts: Alert[]) => void;
  onDeadLetter?: (n: number) => void;
  /** A checkpoint was saved: its size, how long the snapshot held the partition, how long the write took. */
  onCheckpoint?: (bytes: number, timing?: { snapshotMs: number; writeMs: number }) => void;
  /** A checkpoint could not be saved (it is retried at the next flush; meanwhile a crash would replay more). */
  onCheckpointFailed?: () => void;
}

/** How far one owned partition's saved checkpoint is behind its engine. */
export interface CheckpointLag {
  topic: string;
  partition: number;
  /** Milliseconds since the engine first reflected a record the saved checkpoint does not; 0 when all is saved. */
  unsavedMs: number;
}

/** Creates the handler, the rebalance callback and the checkpoint flusher of the detector's consumer. */
export function createPartitionDetector(deps: PartitionDetectorDeps) {
  const owned = new Map<string, PartitionState>();
  const keyOf = (topic: string, partition: number) => `${topic}:${partition}`;
  const everyRecords = deps.checkpointEvery?.records ?? 5_000;
  const everyMs = deps.checkpointEvery?.ms ?? 2_000;
  const now = deps.now ?? Date.now;
  const maxShare = Math.min(1, Math.max(0.001, deps.checkpointEvery?.maxShare ?? 0.1));
  // A budget of snapshot time: it grows by `maxShare` of the time that passes (up to a cap) and each snapshot spends
  // what it took; a due checkpoint starts only while the budget is positive. Cheap snapshots are never rationed.
  const budgetCapMs = 250;
  let budgetMs = budgetCapMs;
  let budgetAt = now();
  const budget = () => {
    const t = now();
    budgetMs = Math.min(budgetCapMs, budgetMs + (t - budgetAt) * maxShare);
    budgetAt = t;
    return budgetMs;
  };
  /**
   * Per partition: since when its state has been ahead of the saved checkpoint. Kept when a failure drops the
   * engine (a store that keeps failing keeps the age growing); cleared by a saved checkpoint or a revocation.
   */
  const unsaved = new Map<string, { topic: string; partition: number; since: number }>();

  /** Checkpoint writes of engines dropped after a failure, which a new engine for the partition waits for. */
  const dropping = new Map<string, Promise<unknown>>();

  const locked = <T>(ps: PartitionState, fn: () => Promise<T>): Promise<T> => {
    const p = ps.lock.then(fn, fn);
    ps.lock = p.catch(() => undefined);
    return p;
  };

  async function stateFor(topic: string, partition: number): Promise<PartitionState> {
    const k = keyOf(topic, partition);
    const existing = owned.get(k);
    if (existing) return existing;
    // A dropped engine's checkpoint may still be being written: load after it, never an older one before it.
    await dropping.get(k);
    dropping.delete(k);
    if (owned.has(k)) return owned.get(k)!;
    const engine = deps.createEngine ? deps.createEngine() : createEngine(deps.ruleSet, deps.referenceSource ? { referenceSource: deps.referenceSource } : {});
    const cp = await deps.checkpoints.load(topic, partition);
    let nextOffset = 0n;
    if (cp) {
      engine.restore(cp.state);
      nextOffset = BigInt(cp.nextOffset);
      deps.logger.info({ topic, partition, nextOffset: cp.nextOffset }, 'restored detector state from checkpoint');
    }
    const ps: PartitionState = { topic, partition, engine, nextOffset, checkpointedOffset: nextOffset, recordsSinceCheckpoint: 0, lastCheckpointAt: now(), ctx: null, lock: Promise.resolve(), writing: null, snapshotMs: 0 };
    owned.set(k, ps);
    return ps;
  }

  /**
   * Snapshots the state now (synchronously: later batches cannot change what it holds) and writes it with the
   * offset it reflects; once written, commits that offset. Resolves when written and committed; the caller decides
   * whether to wait. A failed write keeps the previous checkpoint (the engine stays: its state is sound) and is
   * retried at the next one. A failed commit is harmless: the checkpoint is ahead.
   */
  function beginCheckpoint(ps: PartitionState, commit: boolean): Promise<void> {
    const from = ps.writing?.offset ?? ps.checkpointedOffset;
    if (ps.nextOffset === from) return ps.writing?.done ?? Promise.resolve();
    const next = ps.nextOffset;
    const t0 = performance.now();
    const saving = deps.checkpoints.save({ version: 1, topic: ps.topic, partition: ps.partition, nextOffset: String(next), ruleSetVersion: deps.ruleSet.version, state: ps.engine.snapshot() });
    const t1 = performance.now();
    ps.snapshotMs = t1 - t0;
    budget();
    budgetMs -= ps.snapshotMs;
    ps.recordsSinceCheckpoint = 0;
    ps.lastCheckpointAt = now();
    const k = keyOf(ps.topic, ps.partition);
    const done = saving.then(async (bytes) => {
      ps.checkpointedOffset = next;
      // Progress made while writing is not in this checkpoint: it has been unsaved since the snapshot.
      if (owned.get(k) === ps) {
        if (ps.nextOffset === next) unsaved.delete(k);
        else unsaved.set(k, { topic: ps.topic, partition: ps.partition, since: ps.lastCheckpointAt });
      }
      deps.onCheckpoint?.(bytes, { snapshotMs: ps.snapshotMs, writeMs: performance.now() - t1 });
      if (!commit) return;
      try {
        await ps.ctx?.commit(String(next));
      } catch (err) {
        deps.logger.warn({ err, topic: ps.topic, partition: ps.partition }, 'commit after checkpoint failed; the checkpoint is ahead of the committed offset, which is safe');
      }
    }, (err: unknown) => {
      deps.onCheckpointFailed?.();
      deps.logger.warn({ err, topic: ps.topic, partition: ps.partition }, 'checkpoint failed; it is retried at the next one');
      throw err;
    }).finally(() => { if (ps.writing?.done === done) ps.writing = null; });
    ps.writing = { offset: next, done };
    return done;
  }

  /** Checkpoints and waits for it (and for the write before it): idle flushes, revocation, stop. */
  async function checkpoint(ps: PartitionState, commit = true): Promise<void> {
    await ps.writing?.done.catch(() => undefined);
    await beginCheckpoint(ps, commit);
  }

  /** Whether a partition with unsaved progress may take a snapshot now: no write of its own in flight, and the stage within its time share. */
  const withinShare = (ps: PartitionState) => !ps.writing && budget() > 0;

  async function handle(batch: ConsumedBatch, ctx: BatchContext): Promise<void> {
    const k = keyOf(batch.topic, batch.partition);
    const ps = await stateFor(batch.topic, batch.partition);
    await locked(ps, async () => {
      try {
        const alerts: OutgoingMessage[] = [];
        const forwarded: OutgoingMessage[] = [];
        const dead: OutgoingMessage[] = [];
        const emitted: Alert[] = [];
        /** Where each group alert's latest version sits in `emitted` (storm control, ADR 0019). */
        const groupAt = new Map<string, number>();
        let processed = 0;
        for (const m of batch.messages) {
          // At-least-once delivery: what the engine already reflects is not evaluated twice.
          if (BigInt(m.offset) < ps.nextOffset) continue;
          const parsed = safeJson(m.value);
          const isManifest = batch.topic === deps.topics.batches;
          const input = parsed.ok ? (isManifest ? BatchManifest.safeParse(parsed.value) : Disbursement.safeParse(parsed.value)) : null;
          if (!input || !input.success) {
            const reason = !parsed.ok ? parsed.error : input!.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
            dead.push({ key: m.key, value: m.value, headers: { ...m.headers, 'x-dlq-reason': reason.slice(0, 500), 'x-dlq-source': `${m.topic}/${m.partition}/${m.offset}` } });
            continue;
          }
          processed++;
          // Stage 2 gets the key the record was delivered under: one record may come under its citizen ID and its account.
          const out = isManifest ? ps.engine.processManifest(input.data as BatchManifest) : ps.engine.process(input.data as Disbursement, m.key ?? undefined);
          if (deps.forward && !isManifest) for (const key of ps.engine.forwardKeys?.(input.data as Disbursement) ?? []) forwarded.push({ key, value: m.value, headers: m.headers });
          for (const a of out) coalesce(emitted, groupAt, a);
        }
        for (const a of emitted) alerts.push({ key: a.laoCode, value: JSON.stringify(a), headers: { 'content-type': 'application/json', 'x-schema': 'alert.v1' } });
        const last = batch.messages.at(-1);
        if (!last) return;
        const next = BigInt(last.offset) + 1n;
        ps.ctx = ctx;
        if (next <= ps.nextOffset) return; // the whole batch was already reflected
        // Outputs are acknowledged before the state that produced them can be checkpointed (all three topics at once).
        await Promise.all([
          dead.length ? deps.producer.send(deps.topics.deadLetter, dead) : undefined,
          forwarded.length ? deps.producer.send(deps.forward!.topic, forwarded) : undefined,
          alerts.length ? deps.producer.send(deps.topics.alerts, alerts) : undefined,
        ]);
        ps.nextOffset = next;
        if (!unsaved.has(k)) unsaved.set(k, { topic: ps.topic, partition: ps.partition, since: now() });
        ps.recordsSinceCheckpoint += batch.messages.length;
        deps.onRecords?.(processed);
        deps.onAlerts?.(emitted);
        if (dead.length) deps.onDeadLetter?.(dead.length);
        if ((ps.recordsSinceCheckpoint >= everyRecords || now() - ps.lastCheckpointAt >= everyMs) && withinShare(ps)) {
          // Written and committed while the next batches are evaluated; a failure is counted and retried later.
          beginCheckpoint(ps, true).catch(() => undefined);
        }
      } catch (err) {
        // The in-memory engine may be ahead of what was acknowledged: drop it, the redelivery restores from the checkpoint.
        owned.delete(k);
        if (ps.writing) dropping.set(k, ps.writing.done.catch(() => undefined));
        throw err;
      }
    });
  }

  /**
   * Checkpoints every owned partition that has unsaved progress (idle streams; shutdown with `commit: false`,
   * because a stopped consumer can no longer commit — the checkpoint alone is enough, 0004).
   */
  async function flush(options: { commit?: boolean; due?: boolean } = {}): Promise<void> {
    if (options.due) {
      // Idle partitions, the longest unsaved first, one at a time while the stage's share allows.
      const waiting = [...owned.values()].filter((ps) => ps.nextOffset !== (ps.writing?.offset ?? ps.checkpointedOffset)).sort((a, b) => a.lastCheckpointAt - b.lastCheckpointAt);
      for (const ps of waiting) {
        if (!withinShare(ps)) continue;
        await locked(ps, () => checkpoint(ps, options.commit ?? true)).catch(() => undefined);
      }
      return;
    }
    // A failure was counted and logged where it happened; it is retried at the next flush.
    await Promise.all([...owned.values()].map((ps) => locked(ps, () => checkpoint(ps, options.commit ?? true)).catch(() => undefined)));
  }

  return {
    handle,
    flush,
    /** Flushes idle partitions every `everyMs`; returns a stop function. */
    startFlusher(): () => void {
      const timer = setInterval(() => { void flush({ due: true }); }, everyMs);
      timer.unref();
      return () => clearInterval(timer);
    },
    async onRevoked(partitions: TopicPartition[]) {
      for (const p of partitions) {
        const ps = owned.get(keyOf(p.topic, p.partition));
        if (!ps) { unsaved.delete(keyOf(p.topic, p.partition)); continue; }
        // Save what this member reflected so the next owner skips it. No commit: the partition is no longer ours (0004).
        // A failure was counted and logged: the next owner replays from the previous checkpoint.
        await locked(ps, () => checkpoint(ps, false)).catch(() => undefined);
        owned.delete(keyOf(p.topic, p.partition));
        unsaved.delete(keyOf(p.topic, p.partition));
      }
    },
    ownedPartitions: () => [...owned.keys()],
    /** Per owned partition, how long its engine has been ahead of its saved checkpoint (what a crash now would replay). */
    checkpointLag(): CheckpointLag[] {
      const t = now();
      const out = new Map<string, CheckpointLag>([...owned.values()].map((ps) => [keyOf(ps.topic, ps.partition), { topic: ps.topic, partition: ps.partition, unsavedMs: 0 }]));
      for (const [k, u] of unsaved) out.set(k, { topic: u.topic, partition: u.partition, unsavedMs: Math.max(0, t - u.since) });
      return [...out.values()];
    },
  };
}

/** Members one alerts.v1 message carries at most (about 300 bytes each: well under a broker's 1 MB message limit). */
export const MAX_GROUP_MEMBERS_PER_MESSAGE = 1_000;

/**
 * Appends an alert to a batch's output; a group alert already in it is replaced by its newer version, which carries
 * the members of both (ADR 0019), so a storm of one rule in one upload is a message per consumed batch, not per
 * payment. Only the last version of a group matters downstream (the store upserts by id and keeps every member).
 */
export function coalesce(out: Alert[], groupAt: Map<string, number>, a: Alert): void {
  if (!a.groupMembers) { out.push(a); return; }
  const i = groupAt.get(a.alertId);
  const prev = i === undefined ? undefined : out[i]!;
  if (prev?.groupMembers && prev.groupMembers.length + a.groupMembers.length <= MAX_GROUP_MEMBERS_PER_MESSAGE) {
    prev.groupMembers.push(...a.groupMembers);
    out[i!] = { ...a, groupMembers: prev.groupMembers };
    return;
  }
  groupAt.set(a.alertId, out.length);
  out.push({ ...a, groupMembers: [...a.groupMembers] });
}

function safeJson(value: Buffer): { ok: true; value: unknown } | { ok: false; error: string } {
  try { return { ok: true, value: JSON.parse(value.toString('utf8')) }; } catch (e) { return { ok: false, error: `not JSON: ${(e as Error).message}` }; }
}
