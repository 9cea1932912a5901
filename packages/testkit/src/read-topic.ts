/** Reads a topic from the beginning with a fresh consumer group until `count` messages arrived. */
import { randomBytes } from 'node:crypto';
import type { ConsumedMessage, EventLog } from '@paywatch/event-log';
import { waitUntil } from './wait-until.ts';

export async function readTopic(log: EventLog, topic: string, count: number, timeoutMs = 20_000): Promise<ConsumedMessage[]> {
  const seen: ConsumedMessage[] = [];
  const consumer = log.consumer({ groupId: `reader-${randomBytes(5).toString('hex')}`, topics: [topic], fromBeginning: true });
  await consumer.run(async (batch) => { seen.push(...batch.messages); });
  try {
    await waitUntil(() => seen.length, (n) => n >= count, { timeoutMs, what: `${count} messages on ${topic}` });
    return seen;
  } finally {
    await consumer.stop();
  }
}
