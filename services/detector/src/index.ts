/** @paywatch/detector — the detection service. `buildDetectorService` is what composition roots call. */
export { buildDetectorService, type DetectorService, type DetectorServiceDeps } from './app.ts';
export { createCheckpointStore, Checkpoint, type CheckpointStore } from './checkpoint-store.ts';
