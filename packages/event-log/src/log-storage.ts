/**
 * Where the embedded event log keeps its data: topics, the messages of each partition and the offsets each
 * consumer group committed. Group membership, rebalancing and delivery live in `embedded-event-log.ts` and are
 * the same whatever the storage, so the in-memory log (unit tests) and the SQLite log (`serve`) behave alike.
 * Every method is synchronous: a call either happened whole or not at all when it returns.
 */

/** A message as stored: the key decides nothing here (the caller chose the partition). */
export interface StoredMessage {
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
  /** Append time, ms since epoch as a decimal string. */
  timestamp: string;
}

/** A topic's configuration, fixed at creation (like Kafka without partition growth). */
export interface StoredTopic { name: string; partitions: number; compacted: boolean }

/** One message to append, at an offset the caller computed from {@link LogStorage.endOffset}. */
export interface AppendEntry { partition: number; offset: number; message: StoredMessage }

/** The storage behind the embedded event log. */
export interface LogStorage {
  /** Topics created so far, in creation order. */
  topics(): StoredTopic[];
  createTopic(topic: StoredTopic): void;
  /** The offset the next appended message of the partition gets. */
  endOffset(topic: string, partition: number): number;
  /**
   * Appends every entry, all or none, and returns once they are stored (durable storage: on disk). On a
   * compacted topic an entry supersedes the earlier message of its key in its partition.
   */
  append(topic: string, entries: readonly AppendEntry[]): void;
  /** Messages with `from <= offset < to`, in offset order, without those a newer value of their key superseded. */
  read(topic: string, partition: number, from: number, to: number): Array<{ offset: number; message: StoredMessage }>;
  /** The group's committed offsets (next offset to read), keyed by {@link tpKey}. */
  committed(groupId: string): Map<string, number>;
  commit(groupId: string, topic: string, partition: number, nextOffset: number): void;
  close(): void;
}

/** The key of a topic-partition in maps. */
export const tpKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;
