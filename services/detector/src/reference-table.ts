/**
 * The reference lists as a table every detector instance holds whole (like a Kafka Streams global
 * table): a consumer of the compacted `reference.{kind}.v1` topics from the beginning, under a group of
 * its own that never commits, keeping the highest version per (LAO, kind) with its items read from the
 * blob store (claim check, ADR 0007). Whole, not by partition: the reference topics are not
 * co-partitioned with `disbursements.v1`, and the lists are small next to the payment stream.
 * `waitUntilCaughtUp` lets start-up read what was published before it before any payment is evaluated.
 */
import { randomBytes } from 'node:crypto';
import { REFERENCE_TOPIC_PARTITIONS, ReferenceAnnouncement, ReferenceKind, ReferenceSnapshot } from '@paywatch/domain';
import type { BlobStore } from '@paywatch/blob-store';
import type { ConsumedBatch, Consumer, EventLog } from '@paywatch/event-log';
import type { Logger } from '@paywatch/observability';

export interface ReferenceTableDeps {
  eventLog: EventLog;
  blobStore: BlobStore;
  logger: Logger;
  /** Prefix of the table's consumer group; each instance appends a random suffix and reads everything. */
  groupPrefix: string;
  topicOf: (kind: ReferenceKind) => string;
  onApplied?: (snapshot: ReferenceSnapshot) => void;
  onInvalid?: () => void;
}

/** `applied`: list versions taken into force since start (a newer version of a list held counts again). */
export interface ReferenceTableStatus { lists: number; laos: number; applied: number; caughtUp: boolean }

export function createReferenceTable(deps: ReferenceTableDeps) {
  const byLao = new Map<string, Map<ReferenceKind, ReferenceSnapshot>>();
  /** Per topic-partition: the offset after the last message read. */
  const readUpTo = new Map<string, bigint>();
  let target: Map<string, bigint> | null = null;
  let consumer: Consumer | null = null;
  const topics = ReferenceKind.options.map(deps.topicOf);

  const isCaughtUp = (): boolean => target !== null && [...target].every(([tp, end]) => (readUpTo.get(tp) ?? 0n) >= end);

  async function load(value: Buffer): Promise<ReferenceSnapshot | string> {
    let announcement: ReferenceAnnouncement;
    try {
      announcement = ReferenceAnnouncement.parse(JSON.parse(value.toString('utf8')));
    } catch (e) {
      return `not a reference announcement: ${(e as Error).message.slice(0, 200)}`;
    }
    const held = byLao.get(announcement.laoCode)?.get(announcement.kind);
    if (held && held.version >= announcement.version) return held;
    const items = await deps.blobStore.get(announcement.itemsKey);
    if (!items) return `items ${announcement.itemsKey} missing from the blob store`;
    // A register's account history, when ingest sent one: the compacted topic keeps only this announcement, so the
    // history of the versions before it travels with it (ADR 0018).
    const changes = announcement.changesKey ? await deps.blobStore.get(announcement.changesKey) : null;
    if (announcement.changesKey && !changes) return `register history ${announcement.changesKey} missing from the blob store`;
    const { itemsKey: _key, itemCount: _count, changesKey: _changes, ...head } = announcement;
    const parsed = ReferenceSnapshot.safeParse({ ...head, items: JSON.parse(items.toString('utf8')), ...(changes ? { changes: JSON.parse(changes.toString('utf8')) } : {}) });
    return parsed.success ? parsed.data : `items of ${announcement.itemsKey} do not validate: ${parsed.error.issues[0]?.message ?? ''}`;
  }

  let applied = 0;
  async function handle(batch: ConsumedBatch): Promise<void> {
    for (const m of batch.messages) {
      const loaded = await load(m.value);
      if (typeof loaded === 'string') {
        // Bad reference data must not stop payments being evaluated: the rules needing it stay silent.
        deps.logger.error({ topic: m.topic, partition: m.partition, offset: m.offset, reason: loaded }, 'reference announcement skipped');
        deps.onInvalid?.();
      } else {
        const lists = byLao.get(loaded.laoCode) ?? new Map<ReferenceKind, ReferenceSnapshot>();
        const held = lists.get(loaded.kind);
        if (!held || held.version < loaded.version) {
          lists.set(loaded.kind, loaded);
          byLao.set(loaded.laoCode, lists);
          applied++;
          deps.onApplied?.(loaded);
        }
      }
      readUpTo.set(`${m.topic}:${m.partition}`, BigInt(m.offset) + 1n);
    }
  }

  return {
    /** The lists in force for an LAO (what the engine's reference source returns). */
    snapshotsFor(laoCode: string): Iterable<ReferenceSnapshot> {
      return byLao.get(laoCode)?.values() ?? [];
    },
    async start(): Promise<void> {
      await deps.eventLog.ensureTopics(topics.map((topic) => ({ topic, partitions: REFERENCE_TOPIC_PARTITIONS, compacted: true })));
      consumer = deps.eventLog.consumer({ groupId: `${deps.groupPrefix}-${randomBytes(6).toString('hex')}`, topics, fromBeginning: true });
      await consumer.run(handle);
      // What was published before start is what start-up must have read (the end offsets now).
      const ends = await consumer.lag();
      target = new Map(ends.map((p) => [`${p.topic}:${p.partition}`, BigInt(p.endOffset)]));
    },
    /** Resolves true once everything published before `start` is read, false after `timeoutMs`. */
    async waitUntilCaughtUp(timeoutMs: number): Promise<boolean> {
      const deadline = Date.now() + timeoutMs;
      while (!isCaughtUp()) {
        if (Date.now() >= deadline) return false;
        await new Promise((r) => setTimeout(r, 25));
      }
      return true;
    },
    status(): ReferenceTableStatus {
      let lists = 0;
      for (const l of byLao.values()) lists += l.size;
      return { lists, laos: byLao.size, applied, caughtUp: isCaughtUp() };
    },
    async stop(): Promise<void> { await consumer?.stop(); },
  };
}
export type ReferenceTable = ReturnType<typeof createReferenceTable>;
