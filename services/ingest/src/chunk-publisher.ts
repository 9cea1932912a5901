/**
 * Publishes a stream of messages to one topic in chunks, with one chunk in flight while the next one fills: the
 * parser keeps reading while the broker acknowledges, instead of waiting for each acknowledgement (ADR 0015).
 * Order is kept (one send at a time), and `flush()` resolves only once every message added is acknowledged.
 */
import type { OutgoingMessage, Producer } from '@paywatch/event-log';

export interface ChunkPublisherOptions {
  /** Messages per produce call. */
  maxMessages: number;
  /** Characters of values per produce call (before compression), so that wide records do not make huge requests. */
  maxChars: number;
  /** Called with the number of messages of each acknowledged chunk. */
  onAcknowledged?: (n: number) => void;
}

/** A chunked, pipelined publisher of one topic. */
export function createChunkPublisher(producer: Producer, topic: string, options: ChunkPublisherOptions) {
  let chunk: OutgoingMessage[] = [];
  let chunkChars = 0;
  let inFlight: Promise<void> = Promise.resolve();
  let acknowledged = 0;

  /** Starts sending the current chunk once the previous one is acknowledged; waits for that previous one only. */
  async function ship(): Promise<void> {
    if (chunk.length === 0) return;
    const sending = chunk;
    chunk = [];
    chunkChars = 0;
    const previous = inFlight;
    // A failed previous chunk fails the stream here; this chunk is not sent after it.
    await previous;
    inFlight = producer.send(topic, sending).then(() => { acknowledged += sending.length; options.onAcknowledged?.(sending.length); });
    // Surfaced by the next add() or flush(); never an unhandled rejection meanwhile.
    inFlight.catch(() => undefined);
  }

  return {
    /** Adds a message; resolves at once unless a full chunk had to wait for the one before it. */
    async add(message: OutgoingMessage): Promise<void> {
      chunk.push(message);
      chunkChars += message.value.length;
      if (chunk.length >= options.maxMessages || chunkChars >= options.maxChars) await ship();
    },
    /** Sends what is left and resolves once every message added so far is acknowledged. */
    async flush(): Promise<void> {
      await ship();
      await inFlight;
    },
    /** Messages acknowledged so far. */
    acknowledged: () => acknowledged,
  };
}
