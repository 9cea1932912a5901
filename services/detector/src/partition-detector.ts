/**
 * The detector's batch handler: for each partition it owns, an engine restored from the partition's
 * checkpoint; records already reflected in the checkpoint are skipped, new ones evaluated, alerts
 * produced and acknowledged, then the checkpoint saved, then the offset committed (invariant 3).
 */
import { BatchManifest, Disbursement, type Alert } from '@paywatch/domain';
import type { BatchContext, ConsumedBatch, OutgoingMessage, Producer, TopicPartition } from '@paywatch/event-log';
import { createEngine, type RuleSetConfig } from '@paywatch/rules';
import type { Logger } from '@paywatch/observability';
import type { CheckpointStore } from './checkpoint-store.ts';

type Engine = ReturnType<typeof createEngine>;
interface PartitionState { engine: Engine; nextOffset: bigint }

export interface PartitionDetectorDeps {
  producer: Producer;
  checkpoints: CheckpointStore;
  ruleSet: RuleSetConfig;
  logger: Logger;
  /** `batches` is the manifest topic: its messages go to the batch-level rules, all others are payment records. */
  topics: { alerts: string; deadLetter: string; batches?: string };
  onRecords?: (n: number) => void;
  onAlerts?: (alerts: Alert[]) => void;
  onDeadLetter?: (n: number) => void;
  onCheckpoint?: (bytes: number) => void;
}

/** Creates the handler and the rebalance callbacks of the detector's consumer. */
export function createPartitionDetector(deps: PartitionDetectorDeps) {
  const owned = new Map<string, PartitionState>();
  const keyOf = (topic: string, partition: number) => `${topic}:${partition}`;

  async function stateFor(topic: string, partition: number): Promise<PartitionState> {
    const k = keyOf(topic, partition);
    const existing = owned.get(k);
    if (existing) return existing;
    const engine = createEngine(deps.ruleSet);
    const cp = await deps.checkpoints.load(topic, partition);
    let nextOffset = 0n;
    if (cp) {
      engine.restore(cp.state);
      nextOffset = BigInt(cp.nextOffset);
      deps.logger.info({ topic, partition, nextOffset: cp.nextOffset }, 'restored detector state from checkpoint');
    }
    const ps = { engine, nextOffset };
    owned.set(k, ps);
    return ps;
  }

  async function handle(batch: ConsumedBatch, ctx: BatchContext): Promise<void> {
    const k = keyOf(batch.topic, batch.partition);
    const ps = await stateFor(batch.topic, batch.partition);
    try {
      const alerts: OutgoingMessage[] = [];
      const dead: OutgoingMessage[] = [];
      const emitted: Alert[] = [];
      let processed = 0;
      for (const m of batch.messages) {
        // At-least-once delivery: what the checkpoint already reflects is not evaluated twice.
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
        const out = isManifest ? ps.engine.processManifest(input.data as BatchManifest) : ps.engine.process(input.data as Disbursement);
        for (const a of out) {
          emitted.push(a);
          alerts.push({ key: a.laoCode, value: JSON.stringify(a), headers: { 'content-type': 'application/json', 'x-schema': 'alert.v1' } });
        }
      }
      const last = batch.messages.at(-1);
      if (!last) return;
      const next = BigInt(last.offset) + 1n;
      if (next <= ps.nextOffset) return; // the whole batch was already reflected
      if (dead.length) await deps.producer.send(deps.topics.deadLetter, dead);
      if (alerts.length) await deps.producer.send(deps.topics.alerts, alerts);
      ps.nextOffset = next;
      const bytes = await deps.checkpoints.save({ version: 1, topic: batch.topic, partition: batch.partition, nextOffset: String(next), ruleSetVersion: deps.ruleSet.version, state: ps.engine.snapshot() });
      await ctx.commit(String(next));
      deps.onRecords?.(processed);
      deps.onAlerts?.(emitted);
      if (dead.length) deps.onDeadLetter?.(dead.length);
      deps.onCheckpoint?.(bytes);
    } catch (err) {
      // The in-memory engine may be ahead of what was acknowledged: drop it, the redelivery restores from the checkpoint.
      owned.delete(k);
      throw err;
    }
  }

  return {
    handle,
    onRevoked(partitions: TopicPartition[]) { for (const p of partitions) owned.delete(keyOf(p.topic, p.partition)); },
    ownedPartitions: () => [...owned.keys()],
  };
}

function safeJson(value: Buffer): { ok: true; value: unknown } | { ok: false; error: string } {
  try { return { ok: true, value: JSON.parse(value.toString('utf8')) }; } catch (e) { return { ok: false, error: `not JSON: ${(e as Error).message}` }; }
}
