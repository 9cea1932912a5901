/**
 * `pnpm bench event-log`: messages per second through each embedded event log (in memory, SQLite with
 * synchronous FULL as `serve` runs it, SQLite NORMAL for comparison): produce in sends of 500 payment-sized JSON
 * values, then consume the lot in one group, committing after every batch as the services do.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInProcessEventLog, createSqliteEventLog, type EventLog } from '@paywatch/event-log';

/** One line per adapter: produce and consume+commit rates, and the file size per message for SQLite. */
export async function benchEventLogs(messages: number) {
  const value = JSON.stringify({ recordId: 'b_0123456789abcdef01234567:1', payeeName: 'ห้างหุ้นส่วนจำกัด รุ่งเรืองวัสดุ', amountSatang: 4_850_000, remark: 'x'.repeat(400) });
  const dir = await mkdtemp(join(tmpdir(), 'pw-bench-log-'));
  const adapters: Array<[string, () => EventLog]> = [
    ['in-process', () => createInProcessEventLog()],
    ['sqlite synchronous=FULL (serve)', () => createSqliteEventLog({ file: join(dir, 'full.sqlite') })],
    ['sqlite synchronous=NORMAL', () => createSqliteEventLog({ file: join(dir, 'normal.sqlite'), synchronous: 'normal' })],
  ];
  const out = [];
  try {
    for (const [adapter, make] of adapters) {
      const log = make();
      const producer = await log.producer();
      let t = performance.now();
      for (let i = 0; i < messages; i += 500) await producer.send('bench', Array.from({ length: Math.min(500, messages - i) }, (_, j) => ({ key: `lao-${(i + j) % 50}`, value })));
      const produceMs = performance.now() - t;
      t = performance.now();
      let seen = 0;
      const consumer = log.consumer({ groupId: 'bench', topics: ['bench'] });
      await new Promise<void>((done) => {
        void consumer.run(async (batch, ctx) => {
          seen += batch.messages.length;
          await ctx.commit(String(Number(batch.messages.at(-1)!.offset) + 1));
          if (seen >= messages) done();
        });
      });
      const consumeMs = performance.now() - t;
      await log.close();
      out.push({ adapter, messages, valueBytes: Buffer.byteLength(value), produceMsgPerS: Math.round(messages / (produceMs / 1000)), consumeAndCommitMsgPerS: Math.round(messages / (consumeMs / 1000)) });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return out;
}
