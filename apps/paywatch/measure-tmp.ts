// Usage: node measure.ts <path to rules index.ts> <rowsPerLao>
import { bulkBytes, toDisbursements } from '/work/main/apps/paywatch/src/bench/parse-bench.ts';
const [, , rulesPath, rowsArg] = process.argv;
const { createEngine } = await import(rulesPath!);
const rows = Number(rowsArg ?? 20000);
const laos = ['6600101', '6600102', '6600201', '6000101', '6000102'];
const records = laos.flatMap((lao, i) => toDisbursements(bulkBytes(rows, lao, 10 + i), `${lao}.txt`));
const engine = createEngine({});
const t0 = performance.now();
let alerts = 0;
for (const r of records) alerts += engine.process(r).length;
const ms = performance.now() - t0;
const bytes = JSON.stringify(engine.snapshot()).length;
console.log(JSON.stringify({ records: records.length, alerts, recordsPerSec: Math.round(records.length / (ms / 1000)), snapshotBytesPerLao: Math.round(bytes / laos.length) }));
