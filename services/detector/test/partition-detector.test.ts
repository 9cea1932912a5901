import { describe, expect, it } from 'vitest';
import { createLogger } from '@paywatch/observability';
import { RuleSetConfig } from '@paywatch/rules';
import type { ConsumedBatch } from '@paywatch/event-log';
import { createPartitionDetector, type DetectionEngine } from '../src/partition-detector.ts';
import type { CheckpointStore } from '../src/checkpoint-store.ts';
import { worldRecords } from './fixtures.ts';

const busy = (ms: number) => { const end = performance.now() + ms; while (performance.now() < end) { /* a costly snapshot */ } };

describe('partition detector checkpoints', () => {
  it('when snapshots are costly, then they take at most about maxShare of the stream\'s time and the last state is still saved', async () => {
    const record = worldRecords(5)[0]!;
    const saved: string[] = [];
    const checkpoints = { load: async () => null, save: async (cp: { nextOffset: string }) => { saved.push(cp.nextOffset); return 1; } } as unknown as CheckpointStore;
    const engine = (): DetectionEngine => ({ process: () => [], processManifest: () => [], snapshot: () => { busy(20); return {}; }, restore: () => undefined });
    let snapshotMs = 0;
    const d = createPartitionDetector({
      producer: { send: async () => undefined, close: async () => undefined }, checkpoints, ruleSet: RuleSetConfig.parse({}), logger: createLogger({ service: 't', level: 'silent' }),
      topics: { alerts: 'a', deadLetter: 'd' }, createEngine: engine, checkpointEvery: { records: 1, ms: 0, maxShare: 0.1 },
      onCheckpoint: (_b, t) => { snapshotMs += t?.snapshotMs ?? 0; },
    });
    const ctx = { commit: async () => undefined, heartbeat: async () => undefined };
    const t0 = performance.now();
    for (let i = 0; i < 150; i++) {
      const batch: ConsumedBatch = { topic: 't', partition: 0, messages: [{ topic: 't', partition: 0, offset: String(i), key: record.laoCode, value: Buffer.from(JSON.stringify(record)), headers: {}, timestamp: '0' }] };
      await d.handle(batch, ctx);
      await new Promise((r) => setTimeout(r, 2));
    }
    const elapsedMs = performance.now() - t0;
    // Every batch was due (records: 1): unrationed, 150 snapshots of 20 ms would be most of the time.
    expect(saved.length).toBeGreaterThan(1);
    expect(saved.length).toBeLessThan(75);
    expect(snapshotMs).toBeLessThan(0.1 * elapsedMs + 250 + 40);
    await d.flush({ commit: false });
    expect(saved.at(-1)).toBe('150');
  });
});
