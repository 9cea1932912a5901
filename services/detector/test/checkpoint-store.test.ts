import { describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFolderBlobStore } from '@paywatch/blob-store';
import { createCheckpointStore } from '../src/checkpoint-store.ts';

const store = async () => {
  const blobs = createFolderBlobStore(await mkdtemp(join(tmpdir(), 'pw-cp-')));
  return { blobs, cps: createCheckpointStore(blobs, 'g') };
};
const meta = { version: 1 as const, topic: 't', partition: 3, nextOffset: '1234', ruleSetVersion: 'v' };

describe('checkpoint store', () => {
  it('when a state has arrays of many elements, then it is written as lines no longer than one slice and read back equal', async () => {
    const { blobs, cps } = await store();
    const state = { format: 'x/1', accounts: Array.from({ length: 45_001 }, (_, i) => [`006:${i}`, [{ name: `ชื่อ\n${i}`, n: i }]]), small: [1, 2], nested: { a: [3] } };
    const bytes = await cps.save({ ...meta, state });
    const raw = (await blobs.get('detector/checkpoints/g/t/3.json'))!;
    expect(raw.length).toBe(bytes);
    const lines = raw.toString('utf8').split('\n');
    // Header, three slices of `accounts`, then format, small and nested: no line holds the whole state.
    expect(lines.length).toBe(1 + 3 + 3);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(raw.length / 2);
    expect(await cps.load('t', 3)).toEqual({ ...meta, state });
  });

  it('when a checkpoint was written whole by an earlier version, then it still loads', async () => {
    const { blobs, cps } = await store();
    await blobs.put('detector/checkpoints/g/t/3.json', JSON.stringify({ ...meta, state: { a: [1, 2, 3] } }));
    expect(await cps.load('t', 3)).toEqual({ ...meta, state: { a: [1, 2, 3] } });
  });

  it('when a checkpoint is cut short, then loading it fails instead of restoring part of a state', async () => {
    const { blobs, cps } = await store();
    await cps.save({ ...meta, state: { a: Array.from({ length: 50_000 }, (_, i) => i), b: 1 } });
    const raw = (await blobs.get('detector/checkpoints/g/t/3.json'))!;
    await blobs.put('detector/checkpoints/g/t/3.json', raw.subarray(0, raw.lastIndexOf(0x0a)));
    await expect(cps.load('t', 3)).rejects.toThrow(/cut short/);
  });
});
