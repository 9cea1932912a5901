/**
 * The event-log port. Services depend on this interface only; they never know whether kafkajs
 * (production, tests against the Kafka-protocol peer) or the in-process log (embedded mode) is behind it.
 * Delivery is at-least-once: consumers commit only after their outputs are acknowledged, and every
 * consumer is idempotent (see docs/decisions).
 */

/** A message to append. `key` decides the partition (same key ⇒ same partition, in both adapters). */
export interface OutgoingMessage {
  key: string | null;
  value: string | Buffer;
  headers?: Record<string, string>;
}

/** A message read from a partition. Offsets are decimal strings (Kafka offsets are int64). */
export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
  /** Append time, ms since epoch as a decimal string. */
  timestamp: string;
}

/** The messages of one partition handed to a consumer at once, in offset order. */
export interface ConsumedBatch {
  topic: string;
  partition: number;
  messages: ConsumedMessage[];
}

export interface BatchContext {
  /** Commits `nextOffset` (the offset of the next message to read) for this batch's topic-partition. */
  commit(nextOffset: string): Promise<void>;
  /** Keeps group membership alive during long work. */
  heartbeat(): Promise<void>;
}

export type BatchHandler = (batch: ConsumedBatch, ctx: BatchContext) => Promise<void>;

export interface TopicPartition { topic: string; partition: number }

export interface ConsumerOptions {
  groupId: string;
  topics: string[];
  /** Where a group with no committed offset starts. Default true: paywatch never skips data. */
  fromBeginning?: boolean;
  /** Called with the partitions this member owns after every (re)assignment, before their batches. */
  onAssigned?: (partitions: TopicPartition[]) => void | Promise<void>;
  /** Called with the partitions taken away from this member (rebalance or stop). */
  onRevoked?: (partitions: TopicPartition[]) => void | Promise<void>;
}

export interface PartitionLag { topic: string; partition: number; committedOffset: string | null; endOffset: string; lag: number }

export interface Consumer {
  /**
   * Starts consuming; resolves once the consumer has joined its group. The handler is called one
   * batch at a time per partition. If it throws, the batch is redelivered (from the last committed offset)
   * after a back-off; offsets are never committed by the adapter itself.
   */
  run(handler: BatchHandler): Promise<void>;
  /** Committed offset vs end offset per partition of the subscribed topics, for ops. */
  lag(): Promise<PartitionLag[]>;
  stop(): Promise<void>;
}

export interface Producer {
  /** Appends messages; resolves only once the log has acknowledged all of them (acks = all). */
  send(topic: string, messages: OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

export interface TopicSpec { topic: string; partitions: number; compacted?: boolean }

export interface EventLog {
  producer(): Promise<Producer>;
  consumer(options: ConsumerOptions): Consumer;
  /** Creates missing topics (production: admin API). Idempotent. */
  ensureTopics(specs: TopicSpec[]): Promise<void>;
  /** True when the log answers (for /ready). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
