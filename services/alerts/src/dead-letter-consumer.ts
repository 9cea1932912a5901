/**
 * Reads every dead-letter topic of the pipeline into the `dead_letters` table, in its own consumer group (so it
 * never competes with the alert consumer or with anyone reading a DLQ for another purpose). At-least-once and
 * idempotent: rows are keyed by the source message, and the offset is committed only after the insert commits.
 */
import { DEAD_LETTER_TOPICS, TOPICS, sourceTopicOfDeadLetterTopic } from '@paywatch/domain';
import type { Db } from '@paywatch/db';
import type { BatchContext, ConsumedBatch, Consumer, EventLog, PartitionLag } from '@paywatch/event-log';
import type { Logger } from '@paywatch/observability';
import { parseDeadLetter, storeDeadLetters, type DeadLetterSource } from './dead-letter-store.ts';

/** The consumer group of the dead-letter reader. */
export const DEAD_LETTER_CONSUMER_GROUP = 'alerts-dead-letters';

/** The pipeline's dead-letter topics and where each may be replayed to. */
export const DEFAULT_DEAD_LETTER_SOURCES: readonly DeadLetterSource[] = [
  { topic: DEAD_LETTER_TOPICS.disbursements, replayTo: [sourceTopicOfDeadLetterTopic(DEAD_LETTER_TOPICS.disbursements), TOPICS.batches] },
  { topic: DEAD_LETTER_TOPICS.disbursementsByPayee, replayTo: [sourceTopicOfDeadLetterTopic(DEAD_LETTER_TOPICS.disbursementsByPayee)] },
  { topic: DEAD_LETTER_TOPICS.alerts, replayTo: [sourceTopicOfDeadLetterTopic(DEAD_LETTER_TOPICS.alerts)] },
];

export interface DeadLetterConsumer {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The group's lag per dead-letter topic partition (empty before start): how far ops' table is behind the DLQs. */
  lag(): Promise<PartitionLag[]>;
  /** Exposed so tests can redeliver a batch exactly. */
  handleBatch(batch: ConsumedBatch, ctx: BatchContext): Promise<void>;
}

export function createDeadLetterConsumer(deps: {
  eventLog: EventLog; db: Db; logger: Logger; clock: () => Date;
  sources: readonly DeadLetterSource[]; groupId?: string; onStored?: (n: number, dlqTopic: string) => void;
}): DeadLetterConsumer {
  const log = deps.logger.child({ component: 'dead-letter-consumer' });
  const byTopic = new Map(deps.sources.map((s) => [s.topic, s]));
  let consumer: Consumer | null = null;

  async function handleBatch(batch: ConsumedBatch, ctx: BatchContext): Promise<void> {
    const last = batch.messages.at(-1);
    if (!last) return;
    const source = byTopic.get(batch.topic);
    // Subscribed topics only, so this is a wiring mistake: fail loudly rather than commit past the messages.
    if (!source) throw new Error(`dead-letter consumer got a batch of ${batch.topic}, which it does not read`);
    const letters = batch.messages.map((m) => parseDeadLetter(m, source));
    const stored = await deps.db.transaction((tx) => storeDeadLetters(tx, letters, deps.clock()));
    // Positions and codes only: the reason may quote the record, and the value is payment data.
    for (const d of letters) log.warn({ dlqTopic: d.dlqTopic, dlqOffset: d.dlqOffset, source: `${d.sourceTopic}/${d.sourcePartition}/${d.sourceOffset}`, code: d.code }, 'dead letter recorded');
    await ctx.commit(String(BigInt(last.offset) + 1n));
    if (stored > 0) deps.onStored?.(stored, batch.topic);
  }

  return {
    handleBatch,
    lag: () => consumer?.lag() ?? Promise.resolve([]),
    async start() {
      if (consumer) return;
      const topics = deps.sources.map((s) => s.topic);
      try {
        await deps.eventLog.ensureTopics(topics.map((topic) => ({ topic, partitions: 1 })));
      } catch (err) {
        // Not fatal, as for the alerts DLQ: brokers that auto-create topics (and the test peers) still deliver.
        log.warn({ err, topics }, 'could not ensure the dead-letter topics');
      }
      consumer = deps.eventLog.consumer({ groupId: deps.groupId ?? DEAD_LETTER_CONSUMER_GROUP, topics, fromBeginning: true });
      await consumer.run(handleBatch);
    },
    async stop() {
      const c = consumer;
      consumer = null;
      await c?.stop();
    },
  };
}
