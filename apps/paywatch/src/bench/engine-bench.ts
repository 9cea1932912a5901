/** Detection engine throughput in-process: records/s through all rules of the default rule set. */
import { createEngine, RuleSetConfig } from '@paywatch/rules';
import { bulkBytes, toDisbursements } from './parse-bench.ts';

export function benchEngine(rowsPerLao: number) {
  const laos = ['6600101', '6600102', '6600201', '6000101', '6000102'];
  const records = laos.flatMap((lao, i) => toDisbursements(bulkBytes(rowsPerLao, lao, 10 + i), `${lao}.txt`));
  let alerts = 0;
  const t0 = performance.now();
  const engine = createEngine(RuleSetConfig.parse({}));
  for (const r of records) alerts += engine.process(r).length;
  const ms = performance.now() - t0;
  const snapshotBytes = JSON.stringify(engine.snapshot()).length;
  return { records: records.length, laos: laos.length, recordsPerSec: Math.round(records.length / (ms / 1000)), alertsEmitted: alerts, snapshotBytesPerLao: Math.round(snapshotBytes / laos.length) };
}
