// The production event log: the port on top of kafkajs (idempotent producer, consumer groups with
// manual commits). Redelivery after a failed handler is done here, not by kafkajs's crash-and-rejoin.
import { Kafka, Partitioners, logLevel, type CompressionTypes, type Admin, type Consumer as KafkaConsumer, type EachBatchPayload, type IHeaders, type logCreator } from 'kafkajs';
import { EventLogError } from './errors.ts';
import { compressionTypeOf, type Compression } from './kafka-compression.ts';
import { silentLogger, type LoggerLike } from './logger.ts';
import type { BatchHandler, ConsumedMessage, Consumer, ConsumerOptions, EventLog, PartitionLag, Producer, TopicPartition, TopicSpec } from './port.ts';

/** Options of {@link createKafkaEventLog}. Defaults are for a production cluster; tests shorten the timeouts. */
export interface KafkaEventLogOptions {
  brokers: string[];
  clientId: string;
  logger?: LoggerLike;
  /** Group session timeout. Default 30 000 ms. */
  consumerSessionTimeoutMs?: number;
  /** Default 3 000 ms (a third of the default session timeout, as Kafka recommends). */
  consumerHeartbeatIntervalMs?: number;
  /** How long the group waits for members to rejoin during a rebalance. Default 60 000 ms. */
  consumerRebalanceTimeoutMs?: number;
  /** Longest a fetch waits on the broker for data. Default 500 ms (the Java client's default). */
  consumerMaxWaitTimeMs?: number;
  /** Partitions whose batches are handled at the same time (one batch at a time per partition). Default 4. */
  partitionsConsumedConcurrently?: number;
  /** How long `run()` waits for the first group join. Default: session + rebalance timeout. */
  joinTimeoutMs?: number;
  /** Retries of kafkajs requests (connect, produce, commit, join). */
  retry?: { initialRetryTimeMs?: number; maxRetryTimeMs?: number; retries?: number };
  /** Back-off before redelivering a batch whose handler threw: starts at `initialMs`, doubles up to `maxMs`. */
  handlerRetryBackoff?: { initialMs?: number; maxMs?: number };
  /** Default 10 000 ms. */
  connectionTimeoutMs?: number;
  /** Default 2 000 ms. */
  pingTimeoutMs?: number;
  /**
   * Codec of produced record batches. Default `zstd` (Node's own zlib; Kafka ≥ 2.1): JSON records shrink several
   * times for about a microsecond each, so a produce or fetch carries many more records per byte (ADR 0015).
   */
  compression?: Compression;
  /** Most bytes one fetch returns per partition. Default 1 MiB (kafkajs's), compressed bytes. */
  consumerMaxBytesPerPartition?: number;
}

const LEVEL_NAMES = { [logLevel.ERROR]: 'error', [logLevel.WARN]: 'warn', [logLevel.INFO]: 'info', [logLevel.DEBUG]: 'debug' } as const;

/** Routes kafkajs's own log lines into the caller's logger (kafkajs is set to warn and above). */
function kafkaLogCreator(logger: LoggerLike): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp: _timestamp, logger: _logger, ...extra } = log;
      const method = LEVEL_NAMES[level as keyof typeof LEVEL_NAMES];
      if (method) logger[method]({ namespace, ...extra }, message);
    };
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    // Kafka allows repeated header names; the port has one value per name, so the last one wins.
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) out[name] = Buffer.isBuffer(last) ? last.toString('utf8') : String(last);
  }
  return out;
}

/** True when the broker lacks the API (librdkafka's mock cluster has no CreateTopics), as opposed to a real failure. */
function isUnsupportedApi(err: unknown, apiName: string): boolean {
  for (let e = err as { name?: string; apiName?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.name === 'KafkaJSServerDoesNotSupportApiKey' && e.apiName === apiName) return true;
  }
  return false;
}

const tpKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/** Per assigned partition: where redelivery restarts, and the back-off of the last failure. */
interface PartitionState {
  /** The group's committed offset as this member knows it (first offset fetched since the join, then each commit). */
  restartOffset: string | null;
  backoffMs: number;
  resumeTimer: NodeJS.Timeout | null;
}

/** Creates the kafkajs-backed event log (acks = all, idempotent producer, manual commits). */
export function createKafkaEventLog(options: KafkaEventLogOptions): EventLog {
  const log = (options.logger ?? silentLogger).child({ component: 'event-log', adapter: 'kafka' });
  const sessionTimeout = options.consumerSessionTimeoutMs ?? 30_000;
  const heartbeatInterval = options.consumerHeartbeatIntervalMs ?? 3_000;
  const rebalanceTimeout = options.consumerRebalanceTimeoutMs ?? 60_000;
  const maxWaitTimeInMs = options.consumerMaxWaitTimeMs ?? 500;
  const concurrency = options.partitionsConsumedConcurrently ?? 4;
  const joinTimeoutMs = options.joinTimeoutMs ?? sessionTimeout + rebalanceTimeout;
  const initialBackoffMs = options.handlerRetryBackoff?.initialMs ?? 100;
  const maxBackoffMs = options.handlerRetryBackoff?.maxMs ?? 5_000;
  const pingTimeoutMs = options.pingTimeoutMs ?? 2_000;
  const compression: CompressionTypes = compressionTypeOf(options.compression ?? 'zstd');
  const retry = {
    initialRetryTime: options.retry?.initialRetryTimeMs ?? 300,
    maxRetryTime: options.retry?.maxRetryTimeMs ?? 30_000,
    retries: options.retry?.retries ?? 8,
  };

  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeoutMs ?? 10_000,
    retry,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(log.child({ lib: 'kafkajs' })),
  });

  const openProducers = new Set<Producer>();
  const runningConsumers = new Set<Consumer>();
  let closed = false;
  let adminClient: Admin | null = null;
  let adminReady: Promise<Admin> | null = null;

  const assertOpen = () => {
    if (closed) throw new EventLogError('PW_ERR_EVENT_LOG_CLOSED');
  };

  /** One admin client per event log, connected on first use; a failed connect is retried on the next call. */
  const admin = (): Promise<Admin> => {
    if (!adminReady) {
      const client = (adminClient = kafka.admin());
      adminReady = client.connect().then(() => client);
      adminReady.catch(() => {
        if (adminClient === client) adminClient = adminReady = null;
      });
    }
    return adminReady;
  };

  // kafkajs's admin is not safe for concurrent calls on different topics (a metadata refresh of one call
  // can drop the topic another call just added, and fetchTopicOffsets then crashes): one call at a time.
  let adminQueue: Promise<unknown> = Promise.resolve();
  const withAdmin = <T>(fn: (a: Admin) => Promise<T>): Promise<T> => {
    const run = adminQueue.then(() => admin().then(fn));
    adminQueue = run.catch(() => {});
    return run;
  };

  function consumer(consumerOptions: ConsumerOptions): Consumer {
    const { groupId, topics } = consumerOptions;
    const fromBeginning = consumerOptions.fromBeginning ?? true;
    const clog = log.child({ groupId });
    let kc: KafkaConsumer | null = null;
    let stopping: Promise<void> | null = null;
    let assigned: TopicPartition[] = [];
    // onAssigned/onRevoked run in order, and every batch waits for the latest of them (port: "before their batches").
    let listeners: Promise<void> = Promise.resolve();
    const partitions = new Map<string, PartitionState>();
    const inFlight = new Set<Promise<void>>();

    const callListener = (name: 'onAssigned' | 'onRevoked', tps: TopicPartition[]) => {
      listeners = listeners.then(async () => {
        try {
          await consumerOptions[name]?.(tps);
        } catch (err) {
          clog.error({ err, partitions: tps }, `${name} listener failed`);
        }
      });
    };

    const partitionState = (key: string): PartitionState => {
      let state = partitions.get(key);
      if (!state) partitions.set(key, (state = { restartOffset: null, backoffMs: initialBackoffMs, resumeTimer: null }));
      return state;
    };

    const clearTimers = () => {
      for (const state of partitions.values()) if (state.resumeTimer) clearTimeout(state.resumeTimer);
      partitions.clear();
    };

    async function handleBatch(c: KafkaConsumer, handler: BatchHandler, payload: EachBatchPayload) {
      const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
      const { topic, partition } = batch;
      // A batch fetched before our own seek (or while stopping) must not reach the handler.
      if (stopping || !isRunning() || isStale() || batch.messages.length === 0) return;
      await listeners;
      const state = partitionState(tpKey(topic, partition));
      state.restartOffset ??= batch.messages[0]!.offset;
      const messages: ConsumedMessage[] = batch.messages.map((m) => ({
        topic,
        partition,
        offset: m.offset,
        key: m.key === null ? null : m.key.toString('utf8'),
        value: m.value ?? Buffer.alloc(0),
        headers: headersToStrings(m.headers),
        timestamp: m.timestamp,
      }));
      try {
        await handler({ topic, partition, messages }, {
          commit: async (nextOffset) => {
            await c.commitOffsets([{ topic, partition, offset: nextOffset }]);
            state.restartOffset = nextOffset;
          },
          heartbeat,
        });
        // Only a handled batch moves the fetch position; the committed offset is the handler's business.
        resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
        state.backoffMs = initialBackoffMs;
      } catch (err) {
        // kafkajs would refetch from the last *resolved* offset and, after its retries, crash and rejoin the
        // whole group. Instead: rewind this partition to the committed offset and pause it for a back-off.
        const retryInMs = state.backoffMs;
        clog.error({ err, topic, partition, offset: messages[0]!.offset, retryInMs }, 'batch handler failed, redelivering from the committed offset');
        // Null means the group was rejoined meanwhile, and after a join kafkajs fetches from the committed offset anyway.
        if (state.restartOffset !== null) c.seek({ topic, partition, offset: state.restartOffset });
        c.pause([{ topic, partitions: [partition] }]);
        if (state.resumeTimer) clearTimeout(state.resumeTimer);
        state.resumeTimer = setTimeout(() => {
          state.resumeTimer = null;
          if (kc === c && !stopping) c.resume([{ topic, partitions: [partition] }]);
        }, retryInMs);
        state.backoffMs = Math.min(retryInMs * 2, maxBackoffMs);
      }
    }

    /**
     * A group join can fail for good inside kafkajs (a non-retriable SyncGroup answer while a rebalance is in flight —
     * seen against librdkafka's mock cluster when a second member joins); kafkajs then stops without restarting.
     * Such a crash before the first join is retried with a fresh kafkajs consumer a few times instead of failing run().
     */
    async function runWithJoinRetries(handler: BatchHandler, attempts = 3): Promise<void> {
      for (let attempt = 1; ; attempt++) {
        try {
          return await self.runOnce(handler);
        } catch (err) {
          if ((err as EventLogError).code !== 'PW_ERR_EVENT_LOG_CRASHED' || attempt >= attempts) throw err;
          clog.warn({ err, attempt }, 'consumer crashed while joining its group; retrying with a fresh consumer');
          await new Promise((r) => setTimeout(r, 250 * attempt));
        }
      }
    }

    const self: Consumer & { runOnce(handler: BatchHandler): Promise<void> } = {
      run: (handler) => runWithJoinRetries(handler),
      async runOnce(handler) {
        assertOpen();
        if (kc || stopping) throw new EventLogError('PW_ERR_EVENT_LOG_ALREADY_RUNNING', groupId);
        const c = kafka.consumer({ groupId, sessionTimeout, heartbeatInterval, rebalanceTimeout, maxWaitTimeInMs, ...(options.consumerMaxBytesPerPartition ? { maxBytesPerPartition: options.consumerMaxBytesPerPartition } : {}), retry: {
          ...retry,
          restartOnFailure: async (err) => {
            clog.error({ err }, 'consumer crashed, restarting');
            return true;
          },
        } });
        kc = c;
        runningConsumers.add(self);

        let joined = false;
        let settleJoin: { resolve: () => void; reject: (err: Error) => void } | null = null;
        const firstJoin = new Promise<void>((resolve, reject) => {
          settleJoin = { resolve, reject };
        });
        firstJoin.catch(() => {});

        c.on(c.events.GROUP_JOIN, ({ payload }) => {
          const next = Object.entries(payload.memberAssignment).flatMap(([topic, ps]) => ps.map((partition) => ({ topic, partition })));
          const nextKeys = new Set(next.map((tp) => tpKey(tp.topic, tp.partition)));
          const revoked = assigned.filter((tp) => !nextKeys.has(tpKey(tp.topic, tp.partition)));
          assigned = next;
          // After every join kafkajs fetches from the committed offsets again: forget what we knew.
          for (const state of partitions.values()) {
            state.restartOffset = null;
          }
          if (revoked.length > 0) callListener('onRevoked', revoked);
          callListener('onAssigned', next);
          joined = true;
          settleJoin?.resolve();
        });
        c.on(c.events.CRASH, ({ payload }) => {
          // kafkajs has left the group by now: whatever we owned is gone until the next join.
          if (assigned.length > 0) callListener('onRevoked', assigned);
          assigned = [];
          if (!payload.restart) {
            clog.error({ err: payload.error }, 'consumer crashed and will not restart');
            settleJoin?.reject(new EventLogError('PW_ERR_EVENT_LOG_CRASHED', groupId, { cause: payload.error }));
          }
        });

        try {
          await c.connect();
          await c.subscribe({ topics, fromBeginning });
          await c.run({
            autoCommit: false,
            eachBatchAutoResolve: false,
            partitionsConsumedConcurrently: concurrency,
            eachBatch: (payload) => {
              const done = handleBatch(c, handler, payload);
              inFlight.add(done);
              return done.finally(() => inFlight.delete(done));
            },
          });
          // kafkajs's run() returns after the first join, or after a failed one (it then restarts on its own).
          if (!joined) {
            await withTimeout(firstJoin, joinTimeoutMs, () => new EventLogError('PW_ERR_EVENT_LOG_JOIN_TIMEOUT', `${groupId} after ${joinTimeoutMs} ms`));
          }
          await listeners;
        } catch (err) {
          await self.stop();
          throw err;
        }
      },

      lag: () => withAdmin(async (a) => {
        const committed = await a.fetchOffsets({ groupId, topics });
        const result: PartitionLag[] = [];
        for (const topic of topics) {
          const ends = await a.fetchTopicOffsets(topic);
          const byPartition = new Map(committed.find((t) => t.topic === topic)?.partitions.map((p) => [p.partition, p.offset]));
          for (const { partition, high, low } of ends.sort((x, y) => x.partition - y.partition)) {
            const offset = byPartition.get(partition);
            // Kafka answers -1 for "nothing committed".
            const committedOffset = offset === undefined || BigInt(offset) < 0n ? null : offset;
            const from = committedOffset ?? (fromBeginning ? low : high);
            result.push({ topic, partition, committedOffset, endOffset: high, lag: Number(BigInt(high) - BigInt(from)) });
          }
        }
        return result;
      }),

      // Waits for in-flight batches: calling stop() from inside the handler would wait for itself.
      stop() {
        if (stopping) return stopping;
        const c = kc;
        if (!c) return Promise.resolve();
        stopping = (async () => {
          // kafkajs drops commits made after its own stop() began, so let in-flight handlers finish (and
          // commit) first; `stopping` keeps new batches away from the handler meanwhile.
          try {
            c.pause(topics.map((topic) => ({ topic })));
          } catch {
            // not running yet (join failed): nothing to pause
          }
          await Promise.allSettled([...inFlight]);
          await c.disconnect().catch((err: unknown) => clog.warn({ err }, 'consumer disconnect failed'));
          clearTimers();
          if (assigned.length > 0) callListener('onRevoked', assigned);
          assigned = [];
          await listeners;
        })().finally(() => {
          kc = null;
          stopping = null;
          runningConsumers.delete(self);
        });
        return stopping;
      },
    };
    return self;
  }

  return {
    async producer(): Promise<Producer> {
      assertOpen();
      const p = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
        retry,
      });
      await p.connect();
      let producerClosed = false;
      const producer: Producer = {
        async send(topic, messages) {
          if (producerClosed) throw new EventLogError('PW_ERR_EVENT_LOG_CLOSED', 'producer');
          if (messages.length === 0) return;
          await p.send({
            topic,
            acks: -1,
            compression,
            messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers ?? {} })),
          });
        },
        async close() {
          if (producerClosed) return;
          producerClosed = true;
          openProducers.delete(producer);
          await p.disconnect();
        },
      };
      openProducers.add(producer);
      return producer;
    },

    consumer(consumerOptions) {
      assertOpen();
      return consumer(consumerOptions);
    },

    async ensureTopics(specs: TopicSpec[]) {
      assertOpen();
      if (specs.length === 0) return;
      await withAdmin(async (a) => {
        try {
          await a.createTopics({
            waitForLeaders: true,
            topics: specs.map((s) => ({
              topic: s.topic,
              numPartitions: s.partitions,
              configEntries: s.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
            })),
          });
        } catch (err) {
          if (!isUnsupportedApi(err, 'CreateTopics')) throw err;
          // Test peers (librdkafka's mock cluster) cannot create topics but create them on first metadata
          // request, with their default partition count. A real broker never takes this branch.
          const { topics } = await a.fetchTopicMetadata({ topics: specs.map((s) => s.topic) });
          const partitions = Object.fromEntries(topics.map((t) => [t.name, t.partitions.length]));
          log.warn({ wanted: specs, partitions }, 'broker does not support CreateTopics; topics are auto-created with its default partition count');
        }
      });
    },

    async ping() {
      if (closed) return false;
      try {
        await withTimeout(withAdmin((a) => a.describeCluster()), pingTimeoutMs, () => new Error(`no answer within ${pingTimeoutMs} ms`));
        return true;
      } catch (err) {
        log.warn({ err }, 'ping failed');
        return false;
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...runningConsumers].map((c) => c.stop()));
      await Promise.allSettled([...openProducers].map((p) => p.close()));
      const a = adminClient;
      adminClient = adminReady = null;
      // Not awaiting a pending connect: against an unreachable broker it would take the whole retry budget.
      await a?.disconnect().catch(() => {});
    },
  };
}
