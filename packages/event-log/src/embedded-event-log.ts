// The embedded mode's event log: Kafka's model (partitions, keys, consumer groups, committed offsets,
// at-least-once redelivery) in one process, so services run unchanged without a broker. Membership,
// rebalancing and delivery live here; the data lives in a LogStorage (memory for tests, SQLite for `serve`),
// so both embedded adapters share this one implementation of the semantics.
import { setImmediate as yieldToEventLoop, setTimeout as sleep } from 'node:timers/promises';
import { EventLogError } from './errors.ts';
import { silentLogger, type LoggerLike } from './logger.ts';
import { tpKey, type AppendEntry, type LogStorage } from './log-storage.ts';
import { partitionForKey } from './partitioner.ts';
import type {
  BatchContext,
  BatchHandler,
  ConsumedMessage,
  Consumer,
  ConsumerOptions,
  EventLog,
  OutgoingMessage,
  PartitionLag,
  Producer,
  TopicPartition,
  TopicSpec,
} from './port.ts';

/** Options shared by the embedded adapters (in-process and SQLite). */
export interface EmbeddedEventLogOptions {
  /** Partition counts of topics created on first use (produce or subscribe), by topic name. */
  partitions?: Record<string, number>;
  /** Partition count of other topics created on first use. Default 6. */
  defaultPartitions?: number;
  logger?: LoggerLike;
  /** Most messages handed to a handler at once. Default 500. */
  maxBatchMessages?: number;
  /** Back-off before redelivering a batch whose handler threw: starts at `initialMs`, doubles up to `maxMs`. */
  retryBackoff?: { initialMs?: number; maxMs?: number };
}

/** One partition as the log sees it in memory: its end offset and the readers waiting past it. */
class PartitionCursor {
  private readonly waiters = new Set<() => void>();

  constructor(public endOffset: number) {}

  notify(): void {
    for (const wake of [...this.waiters]) wake();
  }

  /** Resolves once the log holds a message at `offset`, or when `signal` aborts; never polls. */
  waitForOffset(offset: number, signal: AbortSignal): Promise<void> {
    if (this.endOffset > offset || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        if (this.endOffset <= offset && !signal.aborted) return;
        this.waiters.delete(wake);
        signal.removeEventListener('abort', wake);
        resolve();
      };
      this.waiters.add(wake);
      signal.addEventListener('abort', wake, { once: true });
    });
  }
}

interface TopicState {
  readonly name: string;
  readonly partitions: PartitionCursor[];
  readonly compacted: boolean;
  /** Null keys are spread round-robin, like kafkajs's default partitioner. */
  roundRobin: number;
}

interface PartitionWorker {
  readonly tp: TopicPartition;
  readonly abort: AbortController;
  /** Settles when the delivery loop has ended, i.e. after the in-flight batch (if any) finished. */
  done: Promise<void>;
}

interface Member {
  readonly id: number;
  readonly options: ConsumerOptions;
  readonly handler: BatchHandler;
  readonly logger: LoggerLike;
  readonly owned: Map<string, PartitionWorker>;
}

/** A consumer group: its members and the offsets it committed (`next offset to read` per partition). */
class GroupState {
  readonly members: Member[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly committed: Map<string, number>) {}

  /** Serialises rebalances so that a partition is never delivered to two members at once. */
  enqueue(step: () => Promise<void>): Promise<void> {
    const run = this.queue.then(step);
    this.queue = run.catch(() => {});
    return run;
  }
}

function parseOffset(offset: string): number {
  if (!/^\d+$/.test(offset)) throw new EventLogError('PW_ERR_EVENT_LOG_INVALID_OFFSET', offset);
  const n = Number(offset);
  if (!Number.isSafeInteger(n)) throw new EventLogError('PW_ERR_EVENT_LOG_INVALID_OFFSET', offset);
  return n;
}

/**
 * Range assignment per topic over the members subscribed to it, in join order: deterministic, and
 * each member of a topic gets a contiguous, near-equal share of its partitions.
 */
function assignPartitions(members: readonly Member[], partitionCount: (topic: string) => number): Map<number, TopicPartition[]> {
  const plan = new Map<number, TopicPartition[]>(members.map((m) => [m.id, []]));
  const topics = [...new Set(members.flatMap((m) => m.options.topics))].sort();
  for (const topic of topics) {
    const subscribers = members.filter((m) => m.options.topics.includes(topic)).sort((a, b) => a.id - b.id);
    const n = partitionCount(topic);
    const share = Math.floor(n / subscribers.length);
    const extra = n % subscribers.length;
    let next = 0;
    subscribers.forEach((member, i) => {
      const count = share + (i < extra ? 1 : 0);
      for (let p = next; p < next + count; p++) plan.get(member.id)!.push({ topic, partition: p });
      next += count;
    });
  }
  return plan;
}

/**
 * Creates an embedded event log over `storage` (same port, same partitioner as Kafka). `adapter` names it in
 * logs; `close()` closes the storage after the consumers have stopped.
 */
export function createEmbeddedEventLog(storage: LogStorage, adapter: string, options: EmbeddedEventLogOptions = {}): EventLog {
  const log = (options.logger ?? silentLogger).child({ component: 'event-log', adapter });
  const defaultPartitions = options.defaultPartitions ?? 6;
  const maxBatchMessages = options.maxBatchMessages ?? 500;
  const initialBackoffMs = options.retryBackoff?.initialMs ?? 100;
  const maxBackoffMs = options.retryBackoff?.maxMs ?? 5_000;
  const topics = new Map<string, TopicState>();
  const groups = new Map<string, GroupState>();
  const consumers = new Set<Consumer>();
  let memberSeq = 0;
  let closed = false;

  const assertOpen = () => {
    if (closed) throw new EventLogError('PW_ERR_EVENT_LOG_CLOSED');
  };

  const track = (name: string, partitions: number, compacted: boolean): TopicState => {
    const state: TopicState = {
      name,
      partitions: Array.from({ length: partitions }, (_, p) => new PartitionCursor(storage.endOffset(name, p))),
      compacted,
      roundRobin: 0,
    };
    topics.set(name, state);
    return state;
  };
  // What the storage already holds (a reopened SQLite log): topics with their end offsets.
  for (const t of storage.topics()) track(t.name, t.partitions, t.compacted);

  const createTopic = (name: string, partitions: number, compacted: boolean): TopicState => {
    if (!name || !Number.isInteger(partitions) || partitions < 1) {
      throw new EventLogError('PW_ERR_EVENT_LOG_INVALID_TOPIC', `${name}: ${partitions} partitions`);
    }
    storage.createTopic({ name, partitions, compacted });
    return track(name, partitions, compacted);
  };

  // Like a Kafka broker with auto-create on: first use creates the topic with its configured count.
  const topicFor = (name: string): TopicState =>
    topics.get(name) ?? createTopic(name, options.partitions?.[name] ?? defaultPartitions, false);

  const groupFor = (groupId: string): GroupState => {
    let group = groups.get(groupId);
    if (!group) groups.set(groupId, (group = new GroupState(storage.committed(groupId))));
    return group;
  };

  async function callback(member: Member, name: 'onAssigned' | 'onRevoked', partitions: TopicPartition[]) {
    try {
      await member.options[name]?.(partitions);
    } catch (err) {
      // A failing listener must not wedge the whole group: log it and go on, as kafkajs does.
      member.logger.error({ err, partitions }, `${name} listener failed`);
    }
  }

  async function deliver(member: Member, group: GroupState, worker: PartitionWorker): Promise<void> {
    const { topic, partition } = worker.tp;
    const key = tpKey(topic, partition);
    const cursor = topicFor(topic).partitions[partition]!;
    const signal = worker.abort.signal;
    const fromBeginning = member.options.fromBeginning ?? true;
    // Where this member started: the fallback for redelivery while the group has committed nothing.
    const startOffset = group.committed.get(key) ?? (fromBeginning ? 0 : cursor.endOffset);
    let position = startOffset;
    let backoffMs = initialBackoffMs;

    const ctx: BatchContext = {
      commit: async (nextOffset) => {
        const offset = parseOffset(nextOffset);
        // Kafka refuses commits from a member that lost the partition (ILLEGAL_GENERATION); so do we.
        if (member.owned.get(key) !== worker) throw new EventLogError('PW_ERR_EVENT_LOG_NOT_ASSIGNED', `${topic}/${partition}`);
        if (closed) throw new EventLogError('PW_ERR_EVENT_LOG_CLOSED');
        // Stored first: a commit is acknowledged only once it would survive a restart.
        storage.commit(member.options.groupId, topic, partition, offset);
        group.committed.set(key, offset);
      },
      heartbeat: async () => {},
    };

    while (!signal.aborted) {
      if (position >= cursor.endOffset) {
        await cursor.waitForOffset(position, signal);
        continue;
      }
      const end = Math.min(position + maxBatchMessages, cursor.endOffset);
      // The storage leaves out values a newer one of the same key superseded (compacted topics).
      const messages: ConsumedMessage[] = storage.read(topic, partition, position, end).map(({ offset, message: m }) => (
        { topic, partition, offset: String(offset), key: m.key, value: m.value, headers: { ...m.headers }, timestamp: m.timestamp }
      ));
      if (messages.length === 0) {
        position = end;
        continue;
      }
      try {
        await member.handler({ topic, partition, messages }, ctx);
        position = end;
        backoffMs = initialBackoffMs;
      } catch (err) {
        member.logger.error({ err, topic, partition, offset: messages[0]!.offset, retryInMs: backoffMs }, 'batch handler failed, redelivering from the committed offset');
        await sleep(backoffMs, undefined, { signal }).catch(() => {});
        backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
        position = group.committed.get(key) ?? startOffset;
      }
      // Hand the event loop back between batches so a large backlog cannot starve timers and sockets.
      await yieldToEventLoop();
    }
  }

  /** Recomputes the group's assignment; revoked partitions finish their in-flight batch before anyone else gets them. */
  function rebalance(group: GroupState, leaving?: Member): Promise<void> {
    return group.enqueue(async () => {
      const plan = assignPartitions(group.members, (topic) => topicFor(topic).partitions.length);
      const affected = leaving ? [...group.members, leaving] : [...group.members];
      await Promise.all(
        affected.map(async (member) => {
          const keep = new Set((plan.get(member.id) ?? []).map((tp) => tpKey(tp.topic, tp.partition)));
          const revoked = [...member.owned.entries()].filter(([key]) => !keep.has(key));
          if (revoked.length === 0) return;
          for (const [, worker] of revoked) worker.abort.abort();
          await Promise.all(revoked.map(([, worker]) => worker.done));
          for (const [key] of revoked) member.owned.delete(key);
          await callback(member, 'onRevoked', revoked.map(([, worker]) => worker.tp));
        }),
      );
      for (const member of group.members) {
        const assigned = plan.get(member.id) ?? [];
        await callback(member, 'onAssigned', assigned);
        for (const tp of assigned) {
          const key = tpKey(tp.topic, tp.partition);
          if (member.owned.has(key)) continue;
          const worker: PartitionWorker = { tp, abort: new AbortController(), done: Promise.resolve() };
          member.owned.set(key, worker);
          worker.done = deliver(member, group, worker).catch((err) => {
            member.logger.error({ err, ...tp }, 'partition delivery loop failed');
          });
        }
      }
    });
  }

  function consumer(consumerOptions: ConsumerOptions): Consumer {
    const { groupId } = consumerOptions;
    let member: Member | null = null;
    let stopping: Promise<void> | null = null;

    const self: Consumer = {
      async run(handler) {
        assertOpen();
        if (member || stopping) throw new EventLogError('PW_ERR_EVENT_LOG_ALREADY_RUNNING', groupId);
        for (const topic of consumerOptions.topics) topicFor(topic);
        const group = groupFor(groupId);
        const id = ++memberSeq;
        member = { id, options: consumerOptions, handler, owned: new Map(), logger: log.child({ groupId, memberId: id }) };
        group.members.push(member);
        consumers.add(self);
        await rebalance(group);
      },

      async lag() {
        const group = groups.get(groupId);
        const fromBeginning = consumerOptions.fromBeginning ?? true;
        return consumerOptions.topics.flatMap((topic) =>
          topicFor(topic).partitions.map((cursor, partition): PartitionLag => {
            // A group this process has not seen yet may have committed in an earlier run (SQLite storage).
            const committed = (group?.committed ?? storage.committed(groupId)).get(tpKey(topic, partition));
            const end = cursor.endOffset;
            const from = committed ?? (fromBeginning ? 0 : end);
            return { topic, partition, committedOffset: committed === undefined ? null : String(committed), endOffset: String(end), lag: end - from };
          }),
        );
      },

      // Waits for in-flight batches: calling stop() from inside the handler would wait for itself.
      stop() {
        if (stopping) return stopping;
        const leaving = member;
        if (!leaving) return Promise.resolve();
        const group = groupFor(groupId);
        group.members.splice(group.members.indexOf(leaving), 1);
        stopping = rebalance(group, leaving).finally(() => {
          member = null;
          stopping = null;
          consumers.delete(self);
        });
        return stopping;
      },
    };
    return self;
  }

  return {
    async producer(): Promise<Producer> {
      assertOpen();
      let producerClosed = false;
      return {
        async send(topic, messages: OutgoingMessage[]) {
          assertOpen();
          if (producerClosed) throw new EventLogError('PW_ERR_EVENT_LOG_CLOSED', 'producer');
          const state = topicFor(topic);
          const n = state.partitions.length;
          const timestamp = String(Date.now());
          const next = new Map<number, number>();
          const entries: AppendEntry[] = messages.map((m) => {
            const partition = m.key === null ? state.roundRobin++ % n : partitionForKey(m.key, n);
            const offset = next.get(partition) ?? state.partitions[partition]!.endOffset;
            next.set(partition, offset + 1);
            // Copy: the caller may reuse its buffer, and the log must stay immutable.
            return { partition, offset, message: { key: m.key, value: Buffer.from(m.value), headers: { ...m.headers }, timestamp } };
          });
          // All or nothing, and stored (on disk, for SQLite) before the send resolves: acks = all.
          if (entries.length) storage.append(topic, entries);
          for (const [partition, end] of next) state.partitions[partition]!.endOffset = end;
          for (const partition of next.keys()) state.partitions[partition]!.notify();
        },
        async close() {
          producerClosed = true;
        },
      };
    },

    consumer(consumerOptions) {
      assertOpen();
      return consumer(consumerOptions);
    },

    async ensureTopics(specs: TopicSpec[]) {
      assertOpen();
      for (const spec of specs) {
        const existing = topics.get(spec.topic);
        if (!existing) {
          createTopic(spec.topic, spec.partitions, spec.compacted ?? false);
        } else if (existing.partitions.length !== spec.partitions || existing.compacted !== (spec.compacted ?? false)) {
          // Kafka answers TOPIC_ALREADY_EXISTS and keeps the topic as it is; mirror that, but say so.
          log.warn({ topic: spec.topic, partitions: existing.partitions.length, wanted: spec }, 'topic exists with another configuration, left unchanged');
        }
      }
    },

    async ping() {
      return !closed;
    },

    async close() {
      if (closed) return;
      await Promise.all([...consumers].map((c) => c.stop()));
      closed = true;
      storage.close();
    },
  };
}
