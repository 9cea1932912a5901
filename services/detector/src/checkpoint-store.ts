/**
 * Detector checkpoints: per input partition, the engine state together with the offset of the next
 * record it has not yet reflected. Stored in the blob store so any replica can restore any partition.
 * See docs/decisions/0004-detector-checkpoints.md.
 */
import type { BlobStore } from '@paywatch/blob-store';
import { z } from 'zod';

export const Checkpoint = z.object({
  version: z.literal(1),
  topic: z.string(),
  partition: z.number().int(),
  /** The offset of the first record NOT reflected in `state`. */
  nextOffset: z.string().regex(/^\d+$/),
  ruleSetVersion: z.string(),
  state: z.unknown(),
});
export type Checkpoint = z.infer<typeof Checkpoint>;

/** Elements of a top-level state array per line: each line stays far below V8's string limit (~512 MiB). */
const ELEMENTS_PER_LINE = 20_000;
const NEWLINE = 0x0a;

/**
 * Serialises a checkpoint as lines (JSON never holds a raw newline): the first line is the checkpoint without its
 * state plus `stateLines`; each further line is `[property, value]`, or `[property, elements, true]` for a slice of a
 * top-level array. A state of several GiB is then never one string, which V8 could not hold (ADR 0015).
 */
function serialise(cp: Checkpoint): { body: Buffer; bytes: number } {
  const { state, ...meta } = cp;
  const lines: string[] = [];
  if (state !== null && typeof state === 'object' && !Array.isArray(state)) {
    for (const [k, v] of Object.entries(state)) {
      if (Array.isArray(v) && v.length > ELEMENTS_PER_LINE) {
        for (let i = 0; i < v.length; i += ELEMENTS_PER_LINE) lines.push(JSON.stringify([k, v.slice(i, i + ELEMENTS_PER_LINE), true]));
      } else lines.push(JSON.stringify([k, v]));
    }
  } else lines.push(JSON.stringify(['', state]));
  const parts = [Buffer.from(JSON.stringify({ ...meta, stateLines: lines.length })), ...lines.map((l) => Buffer.from(`\n${l}`))];
  const body = Buffer.concat(parts);
  return { body, bytes: body.length };
}

/** Reads what {@link serialise} wrote, line by line from the bytes (never the whole as one string); also reads the older single-object form. */
function deserialise(bytes: Buffer): Checkpoint {
  let at = bytes.indexOf(NEWLINE);
  const first = JSON.parse(bytes.toString('utf8', 0, at === -1 ? bytes.length : at)) as Record<string, unknown>;
  if (typeof first.stateLines !== 'number') return Checkpoint.parse(first);
  const { stateLines, ...meta } = first;
  let state: unknown = undefined;
  const object: Record<string, unknown> = {};
  for (let n = 0; n < stateLines; n++) {
    if (at === -1) throw new Error(`checkpoint cut short: ${n} of ${stateLines} state lines`);
    const next = bytes.indexOf(NEWLINE, at + 1);
    const [k, v, slice] = JSON.parse(bytes.toString('utf8', at + 1, next === -1 ? bytes.length : next)) as [string, unknown, boolean?];
    at = next;
    if (k === '' && stateLines === 1) { state = v; continue; }
    if (slice) { const into = (object[k] ??= []) as unknown[]; for (const e of v as unknown[]) into.push(e); } else object[k] = v;
  }
  return Checkpoint.parse({ ...meta, state: state === undefined ? object : state });
}

/** Loads and saves checkpoints under `detector/checkpoints/{groupId}/{topic}/{partition}.json`. */
export function createCheckpointStore(blobs: BlobStore, groupId: string) {
  const key = (topic: string, partition: number) => `detector/checkpoints/${groupId}/${topic}/${partition}.json`;
  return {
    async load(topic: string, partition: number): Promise<Checkpoint | null> {
      const b = await blobs.get(key(topic, partition));
      return b ? deserialise(b) : null;
    },
    /** Serialises synchronously (the state may change once this returns), then writes; resolves with the size written. */
    save(cp: Checkpoint): Promise<number> {
      const { body, bytes } = serialise(cp);
      return blobs.put(key(cp.topic, cp.partition), body, 'application/x-ndjson').then(() => bytes);
    },
  };
}
export type CheckpointStore = ReturnType<typeof createCheckpointStore>;
