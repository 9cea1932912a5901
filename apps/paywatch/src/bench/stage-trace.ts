/**
 * Where pipeline time goes: wraps an event log and a blob store so that every produce, every handled batch,
 * every commit and every blob write is timed, without touching the services. The bench prints the totals per
 * stage (topic for produce, group for consume), and for consumed messages the wait between the producer's
 * timestamp and the handler receiving it (broker + fetch wait + queueing behind other batches).
 */
import type { BlobStore } from '@paywatch/blob-store';
import type { Consumer, ConsumerOptions, EventLog, Producer } from '@paywatch/event-log';

/** Counts, total and worst milliseconds of one kind of step. */
export interface StepStats { count: number; items: number; totalMs: number; maxMs: number }

const step = (): StepStats => ({ count: 0, items: 0, totalMs: 0, maxMs: 0 });
const add = (s: StepStats, ms: number, items = 1) => { s.count++; s.items += items; s.totalMs += ms; if (ms > s.maxMs) s.maxMs = ms; };

/** The recorder both wrappers write to. */
export function createStageTrace(now: () => number = () => performance.now()) {
  const steps = new Map<string, StepStats>();
  const stat = (name: string) => { let s = steps.get(name); if (!s) steps.set(name, (s = step())); return s; };
  /** Broker wait per group: producer timestamp → handler start, per message. */
  const waits = new Map<string, number[]>();

  const marks: Array<[string, number]> = [];
  const t0 = now();
  const time = async <T>(name: string, items: number, fn: () => Promise<T>): Promise<T> => {
    const t0 = now();
    try { return await fn(); } finally { add(stat(name), now() - t0, items); }
  };

  function wrapProducer(p: Producer, who: string): Producer {
    return {
      send: (topic, messages) => time(`produce ${who} → ${topic}`, messages.length, () => p.send(topic, messages)),
      close: () => p.close(),
    };
  }

  function wrapConsumer(c: Consumer, options: ConsumerOptions): Consumer {
    return {
      run: (handler) => c.run(async (batch, ctx) => {
        const at = Date.now();
        let w = waits.get(options.groupId);
        if (!w) waits.set(options.groupId, (w = []));
        for (const m of batch.messages) w.push(at - Number(m.timestamp));
        await time(`handle ${options.groupId} (${batch.topic})`, batch.messages.length, () => handler(batch, {
          heartbeat: () => ctx.heartbeat(),
          commit: (offset) => time(`commit ${options.groupId}`, 1, () => ctx.commit(offset)),
        }));
      }),
      lag: () => c.lag(),
      stop: () => c.stop(),
    };
  }

  return {
    /** The event log with every produce, handled batch and commit timed; `who` names its producers. */
    eventLog(log: EventLog, who: string): EventLog {
      return {
        producer: async () => wrapProducer(await log.producer(), who),
        consumer: (options) => wrapConsumer(log.consumer(options), options),
        ensureTopics: (specs) => log.ensureTopics(specs),
        ping: () => log.ping(),
        close: () => log.close(),
      };
    },
    /** The blob store with writes timed by their first two key segments (`detector/checkpoints`, `raw/…`). */
    blobStore(store: BlobStore): BlobStore {
      const prefix = (key: string) => (key.startsWith('detector/') ? key.split('/').slice(0, 3).join('/') : key.split('/')[0]!);
      return {
        ...store,
        put: (key, body, type) => time(`blob put ${prefix(key)}`, 1, () => store.put(key, body, type)),
        putFile: (key, path, type) => time(`blob putFile ${prefix(key)}`, 1, () => store.putFile(key, path, type)),
        putIfAbsent: (key, body, type) => time(`blob putIfAbsent ${prefix(key)}`, 1, () => store.putIfAbsent(key, body, type)),
        get: (key) => time(`blob get ${prefix(key)}`, 1, () => store.get(key)),
        getStream: (key) => store.getStream(key),
        exists: (key) => store.exists(key),
        list: (prefix) => store.list(prefix),
        ping: () => store.ping(),
      };
    },
    /** Times any other step by name. */
    time,
    /** Notes that something happened now (the report lists marks in ms since the trace began). */
    mark(name: string) { marks.push([name, Math.round(now() - t0)]); },
    /** Every step (rounded ms) and the broker wait quantiles per consumer group. */
    report() {
      const q = (xs: number[], p: number) => xs.length ? xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]! : null;
      return {
        steps: Object.fromEntries([...steps].sort((a, b) => b[1].totalMs - a[1].totalMs).map(([k, s]) => [k, { calls: s.count, items: s.items, totalMs: Math.round(s.totalMs), meanMs: Math.round((s.totalMs / s.count) * 10) / 10, maxMs: Math.round(s.maxMs) }])),
        marks: Object.fromEntries(marks),
        producedToHandledMs: Object.fromEntries([...waits].map(([g, xs]) => { const s = [...xs].sort((a, b) => a - b); return [g, { messages: s.length, p50: q(s, 0.5), p99: q(s, 0.99), max: s.at(-1) ?? null }]; })),
      };
    },
  };
}
export type StageTrace = ReturnType<typeof createStageTrace>;
