/** Detection engine throughput in-process: records/s through all rules of the default rule set. */
import { createEngine, RuleSetConfig } from '@paywatch/rules';
import { bulkBytes, toDisbursements } from './parse-bench.ts';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';

const SEED_LAOS = SEED_LAO_REGISTRY.map((l) => l.laoCode);

export function benchEngine(rowsPerLao: number) {
  const laos = ['6600101', '6600102', '6600201', '6000101', '6000102'];
  const records = laos.flatMap((lao, i) => toDisbursements(bulkBytes(rowsPerLao, lao, 10 + i), `${lao}.txt`));
  let alerts = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const engine = createEngine(RuleSetConfig.parse({}));
  for (const r of records) alerts += engine.process(r).length;
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const snapshotBytes = JSON.stringify(engine.snapshot()).length;
  // Per CPU-second as well as per wall second: on a shared machine the wall clock counts other people's work.
  return {
    records: records.length, laos: laos.length, recordsPerSec: Math.round(records.length / (ms / 1000)),
    recordsPerCpuSecond: Math.round(records.length / ((cpu.user + cpu.system) / 1e6)), alertsEmitted: alerts, snapshotBytesPerLao: Math.round(snapshotBytes / laos.length),
  };
}

/**
 * State size and restore time: processes `records` records spread over `laos` LAOs, then times snapshot →
 * JSON → parse → restore, as a detector restart does (the checkpoint read itself is I/O and not included).
 */
export function benchRestore(totalRecords: number, laoCount: number) {
  const laos = SEED_LAOS.slice(0, laoCount);
  const perLao = Math.ceil(totalRecords / laos.length);
  const records = laos.flatMap((lao, i) => toDisbursements(bulkBytes(perLao, lao, 50 + i), `${lao}.txt`));
  const engine = createEngine(RuleSetConfig.parse({}));
  const t0 = performance.now();
  for (const r of records) engine.process(r);
  const processMs = performance.now() - t0;
  const t1 = performance.now();
  const json = JSON.stringify(engine.snapshot());
  const snapshotMs = performance.now() - t1;
  const t2 = performance.now();
  createEngine(RuleSetConfig.parse({})).restore(JSON.parse(json));
  const restoreMs = performance.now() - t2;
  return {
    records: records.length, laos: laos.length, recordsPerSecPerCore: Math.round(records.length / (processMs / 1000)),
    stateBytes: json.length, stateBytesPerLao: Math.round(json.length / laos.length), stateBytesPer1MRecords: Math.round((json.length / records.length) * 1_000_000),
    snapshotMs: Math.round(snapshotMs), restoreMs: Math.round(restoreMs),
  };
}
