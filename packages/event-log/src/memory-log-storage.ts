// The in-process log's storage: arrays in memory whose index is the offset (nothing is ever deleted), gone
// with the process. Unit tests and tools that need no durability use it.
import { tpKey, type AppendEntry, type LogStorage, type StoredMessage, type StoredTopic } from './log-storage.ts';

interface MemoryPartition {
  readonly messages: StoredMessage[];
  /** Compacted topics only: the newest offset of each key, so readers skip superseded values. */
  readonly latestOffsetByKey: Map<string, number> | null;
}

/** Creates an empty in-memory storage. */
export function createMemoryLogStorage(): LogStorage {
  const topics = new Map<string, { spec: StoredTopic; partitions: MemoryPartition[] }>();
  const groups = new Map<string, Map<string, number>>();
  const partitionOf = (topic: string, partition: number): MemoryPartition => {
    const p = topics.get(topic)?.partitions[partition];
    if (!p) throw new RangeError(`unknown partition ${topic}/${partition}`);
    return p;
  };

  return {
    topics: () => [...topics.values()].map((t) => t.spec),
    createTopic(spec) {
      topics.set(spec.name, {
        spec,
        partitions: Array.from({ length: spec.partitions }, () => ({ messages: [], latestOffsetByKey: spec.compacted ? new Map() : null })),
      });
    },
    endOffset: (topic, partition) => partitionOf(topic, partition).messages.length,
    append(topic, entries: readonly AppendEntry[]) {
      for (const { partition, offset, message } of entries) {
        const p = partitionOf(topic, partition);
        if (offset !== p.messages.length) throw new RangeError(`append at ${offset}, end is ${p.messages.length}`);
        p.messages.push(message);
        if (p.latestOffsetByKey && message.key !== null) p.latestOffsetByKey.set(message.key, offset);
      }
    },
    read(topic, partition, from, to) {
      const p = partitionOf(topic, partition);
      const out: Array<{ offset: number; message: StoredMessage }> = [];
      for (let offset = from; offset < Math.min(to, p.messages.length); offset++) {
        const message = p.messages[offset]!;
        // Compaction as the reader sees it: a value superseded by a newer one of the same key is skipped.
        if (p.latestOffsetByKey && message.key !== null && p.latestOffsetByKey.get(message.key)! > offset) continue;
        out.push({ offset, message });
      }
      return out;
    },
    committed: (groupId) => new Map(groups.get(groupId) ?? []),
    commit(groupId, topic, partition, nextOffset) {
      let g = groups.get(groupId);
      if (!g) groups.set(groupId, (g = new Map()));
      g.set(tpKey(topic, partition), nextOffset);
    },
    close() {},
  };
}
