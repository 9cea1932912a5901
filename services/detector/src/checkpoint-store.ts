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

/** Loads and saves checkpoints under `detector/checkpoints/{groupId}/{topic}/{partition}.json`. */
export function createCheckpointStore(blobs: BlobStore, groupId: string) {
  const key = (topic: string, partition: number) => `detector/checkpoints/${groupId}/${topic}/${partition}.json`;
  return {
    async load(topic: string, partition: number): Promise<Checkpoint | null> {
      const b = await blobs.get(key(topic, partition));
      return b ? Checkpoint.parse(JSON.parse(b.toString('utf8'))) : null;
    },
    async save(cp: Checkpoint): Promise<number> {
      const body = JSON.stringify(cp);
      await blobs.put(key(cp.topic, cp.partition), body, 'application/json');
      return body.length;
    },
  };
}
export type CheckpointStore = ReturnType<typeof createCheckpointStore>;
