/**
 * Appends what ingest did to the reference lists (uploads with their diffs, confirmations, second approvals,
 * discards; `reference-audit.v1`) to the HMAC-chained audit log (ADR 0018). Its own consumer group; at-least-once and
 * idempotent: each event id is recorded in `reference_audit_events` in the transaction that appends its entry, and the
 * offset is committed only after that commits. A message that is not an event is logged and skipped (it cannot be
 * appended, and must not stop the ones after it).
 */
import { ReferenceAuditEvent, TOPIC_PARTITIONS, TOPICS } from '@paywatch/domain';
import type { Db } from '@paywatch/db';
import type { BatchContext, ConsumedBatch, Consumer, EventLog, PartitionLag } from '@paywatch/event-log';
import type { Logger } from '@paywatch/observability';
import { appendAudit } from './audit-log.ts';

/** The consumer group of the reference audit reader. */
export const REFERENCE_AUDIT_CONSUMER_GROUP = 'alerts-reference-audit';

export interface ReferenceAuditConsumer {
  start(): Promise<void>;
  stop(): Promise<void>;
  lag(): Promise<PartitionLag[]>;
  /** Exposed so tests can redeliver a batch exactly. */
  handleBatch(batch: ConsumedBatch, ctx: BatchContext): Promise<void>;
}

export function createReferenceAuditConsumer(deps: { eventLog: EventLog; db: Db; logger: Logger; topic?: string; groupId?: string; onAppended?: (n: number) => void }): ReferenceAuditConsumer {
  const log = deps.logger.child({ component: 'reference-audit-consumer' });
  const topic = deps.topic ?? TOPICS.referenceAudit;
  let consumer: Consumer | null = null;

  async function handleBatch(batch: ConsumedBatch, ctx: BatchContext): Promise<void> {
    const last = batch.messages.at(-1);
    if (!last) return;
    let appended = 0;
    for (const m of batch.messages) {
      let event: ReferenceAuditEvent;
      try {
        event = ReferenceAuditEvent.parse(JSON.parse(m.value.toString('utf8')));
      } catch (err) {
        log.error({ topic: batch.topic, offset: m.offset, reason: (err as Error).message.slice(0, 200) }, 'reference audit event skipped: not an event');
        continue;
      }
      appended += await deps.db.transaction(async (tx) => {
        const fresh = await tx.query('INSERT INTO reference_audit_events (event_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING event_id', [event.eventId]);
        if (fresh.rows.length === 0) return 0;
        await appendAudit(tx, { at: new Date(event.at), actor: event.actor, action: event.action, alertId: null, payload: { ...event.payload, eventId: event.eventId } });
        return 1;
      });
    }
    await ctx.commit(String(BigInt(last.offset) + 1n));
    if (appended > 0) deps.onAppended?.(appended);
  }

  return {
    handleBatch,
    lag: () => consumer?.lag() ?? Promise.resolve([]),
    async start() {
      if (consumer) return;
      try {
        await deps.eventLog.ensureTopics([{ topic, partitions: TOPIC_PARTITIONS[TOPICS.referenceAudit] }]);
      } catch (err) {
        log.warn({ err, topic }, 'could not ensure the reference audit topic');
      }
      consumer = deps.eventLog.consumer({ groupId: deps.groupId ?? REFERENCE_AUDIT_CONSUMER_GROUP, topics: [topic], fromBeginning: true });
      await consumer.run(handleBatch);
    },
    async stop() {
      const c = consumer;
      consumer = null;
      await c?.stop();
    },
  };
}
