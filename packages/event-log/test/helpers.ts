// Test helpers shared by the contract suite and the adapter-specific tests.
import { randomBytes } from 'node:crypto';
import type { LoggerLike } from '../src/index.ts';
import type { BatchContext, BatchHandler, ConsumedMessage, TopicPartition } from '../src/index.ts';

/** A name no other test (in this run or against the shared mock cluster) uses. */
export const unique = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;

/** Polls `condition` until it holds; fails with `what` (and the last observed state) after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  { timeoutMs = 20_000, intervalMs = 20, what = 'condition', state }: { timeoutMs?: number; intervalMs?: number; what?: string; state?: () => unknown } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${state ? `; state: ${JSON.stringify(state())}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A promise with its resolver, for handlers that must block until the test says so. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** One handler call as a test sees it. */
export interface SeenBatch {
  topic: string;
  partition: number;
  offsets: string[];
}

/**
 * Records every message and batch; commits after each batch unless `commit` is false. `beforeCommit`
 * runs first and may throw to simulate a failing handler.
 */
export function recorder(options: { commit?: boolean | (() => boolean); beforeCommit?: (batch: SeenBatch, ctx: BatchContext) => void | Promise<void> } = {}) {
  const messages: ConsumedMessage[] = [];
  const batches: SeenBatch[] = [];
  const handler: BatchHandler = async (batch, ctx) => {
    const seen = { topic: batch.topic, partition: batch.partition, offsets: batch.messages.map((m) => m.offset) };
    await options.beforeCommit?.(seen, ctx);
    batches.push(seen);
    messages.push(...batch.messages);
    const commit = typeof options.commit === 'function' ? options.commit() : options.commit ?? true;
    if (commit) await ctx.commit(String(BigInt(batch.messages.at(-1)!.offset) + 1n));
  };
  return { messages, batches, handler };
}

/** Tracks the latest assignment a consumer was told about, and every revocation. */
export function assignmentTracker() {
  const state = { assigned: [] as TopicPartition[], revoked: [] as TopicPartition[][], history: [] as string[] };
  return {
    state,
    onAssigned: (tps: TopicPartition[]) => {
      state.assigned = tps;
      state.history.push(`+${tps.map((t) => t.partition).join(',')}`);
    },
    onRevoked: (tps: TopicPartition[]) => {
      state.revoked.push(tps);
      state.history.push(`-${tps.map((t) => t.partition).join(',')}`);
    },
  };
}

/** A logger that keeps what it is given, to assert on. */
export function capturingLogger() {
  const lines: Array<{ level: string; obj: Record<string, unknown>; msg?: string }> = [];
  const make = (bindings: Record<string, unknown>): LoggerLike => ({
    info: (obj, msg) => void lines.push({ level: 'info', obj: { ...bindings, ...obj }, msg }),
    warn: (obj, msg) => void lines.push({ level: 'warn', obj: { ...bindings, ...obj }, msg }),
    error: (obj, msg) => void lines.push({ level: 'error', obj: { ...bindings, ...obj }, msg }),
    debug: (obj, msg) => void lines.push({ level: 'debug', obj: { ...bindings, ...obj }, msg }),
    child: (more) => make({ ...bindings, ...more }),
  });
  return { lines, logger: make({}) };
}

/** `seq` header of a message produced by the tests. */
export const seqOf = (m: ConsumedMessage) => Number(m.headers.seq);
