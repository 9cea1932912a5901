// Child process of sqlite-event-log.test.ts: produces numbered messages and commits offsets as fast as it can,
// printing each acknowledgement, until the test kills it with SIGKILL. Run: node --import tsx sqlite-writer-child.ts FILE
import { createSqliteEventLog } from '../src/index.ts';

const file = process.argv[2]!;
const log = createSqliteEventLog({ file, defaultPartitions: 4 });
await log.ensureTopics([{ topic: 'payments', partitions: 4 }, { topic: 'table', partitions: 2, compacted: true }]);
const producer = await log.producer();
const start = Number((await log.consumer({ groupId: 'writer', topics: ['payments'] }).lag()).reduce((s, p) => s + Number(p.endOffset), 0));
process.stdout.write(`open ${start}\n`);
let consumed = 0;
const reader = log.consumer({ groupId: 'reader', topics: ['payments'] });
await reader.run(async (batch, ctx) => {
  consumed += batch.messages.length;
  const next = String(Number(batch.messages.at(-1)!.offset) + 1);
  await ctx.commit(next);
  process.stdout.write(`committed ${batch.partition} ${next}\n`);
});
for (let seq = start; ; seq += 10) {
  const messages = Array.from({ length: 10 }, (_, i) => ({ key: `lao-${(seq + i) % 7}`, value: JSON.stringify({ seq: seq + i, pad: 'x'.repeat(300) }), headers: { seq: String(seq + i) } }));
  await producer.send('payments', messages);
  await producer.send('table', [{ key: `k-${seq % 3}`, value: String(seq) }]);
  process.stdout.write(`acked ${seq + 9}\n`);
  if (consumed < 0) break; // never: keeps the loop typed as possibly ending
}
