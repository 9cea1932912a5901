/**
 * Run by the national benchmark in a process of its own after the detectors stopped: for every checkpoint they
 * left (layout of ADR 0004, `detector/checkpoints/{group}/{topic}/{partition}.json`), times what a restart does
 * (read, parse, restore into a fresh engine) and what a checkpoint does (snapshot, serialise), one partition at a
 * time, and prints one JSON line with the figures and its own peak RSS.
 */
import { createFolderBlobStore } from '@paywatch/blob-store';
import { createCheckpointStore } from '@paywatch/detector';
import { createEngine, createPayeeEngine } from '@paywatch/rules';
import { benchRuleSet, type RuleSetKind } from '../bench-event-log.ts';
import { peakRssBytes } from '../detector-process.ts';

/** Figures of one partition's checkpoint. */
/** Figures of one partition's checkpoint; `error` when the engine could not restore it (the run's figures stand). */
export interface PartitionCheckpoint { group: string; topic: string; partition: number; bytes: number; restoreMs: number | null; snapshotMs: number | null; error?: string }

/** Times restore and snapshot of every checkpoint under `blobDir` for the groups given (stage 2: `payeeGroups`). */
export async function probeCheckpoints(blobDir: string, groups: { group: string; stage: 1 | 2 }[], ruleSetKind: RuleSetKind): Promise<PartitionCheckpoint[]> {
  const ruleSet = benchRuleSet(ruleSetKind);
  const out: PartitionCheckpoint[] = [];
  const blobs = createFolderBlobStore(blobDir);
  for (const { group, stage } of groups) {
    const store = createCheckpointStore(blobs, group);
    const prefix = `detector/checkpoints/${group}/`;
    for (const key of await blobs.list(prefix)) {
      const [topic, file] = key.slice(prefix.length).split('/') as [string, string];
      const partition = Number(file.replace(/\.json$/, ''));
      const t0 = performance.now();
      const cp = (await store.load(topic, partition))!;
      const engine = stage === 1 ? createEngine(ruleSet) : createPayeeEngine(ruleSet);
      try {
        engine.restore(cp.state);
      } catch (err) {
        // A restart would fail the same way: reported, not hidden.
        out.push({ group, topic, partition, bytes: (await blobs.get(key))!.length, restoreMs: null, snapshotMs: null, error: String((err as Error).message).slice(0, 200) });
        continue;
      }
      const t1 = performance.now();
      // What a checkpoint costs the stream: the snapshot and its serialisation (saved to a probe group, then measured).
      const bytes = await store.save({ ...cp, state: engine.snapshot() });
      const t2 = performance.now();
      out.push({ group, topic, partition, bytes, restoreMs: Math.round(t1 - t0), snapshotMs: Math.round(t2 - t1) });
    }
  }
  return out;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const [blobDir, groupsJson, kind] = process.argv.slice(2);
  const partitions = await probeCheckpoints(blobDir!, JSON.parse(groupsJson!), kind as RuleSetKind);
  process.stdout.write(JSON.stringify({ partitions, peakRssBytes: peakRssBytes() }) + '\n');
}
