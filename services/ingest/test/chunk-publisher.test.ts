import { describe, expect, it } from 'vitest';
import type { OutgoingMessage, Producer } from '@paywatch/event-log';
import { createChunkPublisher } from '../src/chunk-publisher.ts';

/** A producer whose sends resolve only when the test says, recording what is in flight. */
function slowProducer() {
  const sent: string[][] = [];
  const pending: Array<() => void> = [];
  let inFlight = 0, maxInFlight = 0;
  const producer: Producer = {
    send: (_topic, messages: OutgoingMessage[]) => new Promise<void>((resolve) => {
      inFlight++; maxInFlight = Math.max(maxInFlight, inFlight);
      sent.push(messages.map((m) => String(m.value)));
      pending.push(() => { inFlight--; resolve(); });
    }),
    close: async () => undefined,
  };
  return { producer, sent, pending, maxInFlight: () => maxInFlight };
}

describe('chunk publisher', () => {
  it('when messages stream in, then chunks go out in order with one in flight while the next fills, and flush waits for every acknowledgement', async () => {
    const p = slowProducer();
    const pub = createChunkPublisher(p.producer, 't', { maxMessages: 3, maxChars: 1_000 });
    for (let i = 0; i < 5; i++) await pub.add({ key: null, value: `m${i}` });
    // The first chunk is in flight, unacknowledged, and the parser was not held up: the second chunk is filling.
    expect(p.sent).toEqual([['m0', 'm1', 'm2']]);
    const flushed = pub.flush();
    await new Promise((r) => setTimeout(r, 5));
    expect(p.sent).toHaveLength(1); // the second waits for the first's acknowledgement
    p.pending.shift()!();
    await new Promise((r) => setTimeout(r, 5));
    expect(p.sent).toEqual([['m0', 'm1', 'm2'], ['m3', 'm4']]);
    let done = false;
    void flushed.then(() => { done = true; });
    await new Promise((r) => setTimeout(r, 5));
    expect(done).toBe(false);
    p.pending.shift()!();
    await flushed;
    expect(pub.acknowledged()).toBe(5);
    expect(p.maxInFlight()).toBe(1);
  });

  it('when a chunk fails, then the failure comes out of the next add or flush and nothing after it is sent', async () => {
    const sent: number[] = [];
    const producer: Producer = { send: async (_t, m) => { sent.push(m.length); throw new Error('broker down'); }, close: async () => undefined };
    const pub = createChunkPublisher(producer, 't', { maxMessages: 2, maxChars: 1_000 });
    await pub.add({ key: null, value: 'a' });
    await pub.add({ key: null, value: 'b' });
    await pub.add({ key: null, value: 'c' });
    await expect(pub.add({ key: null, value: 'd' })).rejects.toThrow('broker down');
    expect(sent).toEqual([2]);
    expect(pub.acknowledged()).toBe(0);
  });
});
