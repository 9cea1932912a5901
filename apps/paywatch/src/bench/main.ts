/**
 * `pnpm bench [parse|csv|rss|xlsx|engine|restore|kafka|event-log|centre] [--rows N]`: prints benchmark figures as JSON. kafka also takes
 * `--detectors N` (detector processes; 0 = in this process), `--trivial` (every rule off) and `--trace` (where time goes).
 * `national [--laos 7850] [--records 10000000] [--event-log kafka|in-process] [--detectors 1,2,3] [--rules default|trivial|both]`:
 * the country's welfare day through the whole pipeline (national/national-bench.ts). Not part of a bare `pnpm bench`. Numbers, not
 * assertions; run on an idle machine. `--rows` sets the row count of the parser benchmarks (parse and csv 200,000;
 * rss 1,000,000 per format; xlsx 200,000; restore 210,000 records of history; event-log 100,000 messages; centre 100,000 alerts).
 */
import { benchParse, benchParsePeakRss, benchReportCsv, benchXlsx } from './parse-bench.ts';
import { benchEngine, benchRestore } from './engine-bench.ts';
import { benchKafkaPipeline } from './kafka-pipeline-bench.ts';
import { benchEventLogs } from './event-log-bench.ts';
import { benchNational, type EventLogKind } from './national/national-bench.ts';
import { NATIONAL_LAO_COUNT } from './national/thai-geography.ts';
import { benchCentre } from './centre-bench.ts';
import { opt, parseArgs } from '../args.ts';

const args = parseArgs(process.argv.slice(2), ['trace', 'trivial']);
const whole = (name: string, fallback: number) => { const v = opt(args, name); if (v === undefined) return fallback; if (!/^\d+$/.test(v)) throw new Error(`--${name} must be a whole number, got ${v}`); return Number(v); };
const only = args.positional[0];
const rowsOption = opt(args, 'rows');
if (rowsOption !== undefined && !/^[1-9]\d*$/.test(rowsOption)) throw new Error(`--rows must be a whole number > 0, got ${rowsOption}`);
const rows = (fallback: number) => (rowsOption === undefined ? fallback : Number(rowsOption));
const results: Record<string, unknown> = { node: process.version, cpus: (await import('node:os')).cpus().length, at: new Date().toISOString() };
if (!only || only === 'parse') results.parseKtbBulk = await benchParse(rows(200_000));
if (!only || only === 'parse' || only === 'csv') results.parseKtbReportCsv = await benchReportCsv(rows(200_000));
if (!only || only === 'rss') results.parsePeakRss = await benchParsePeakRss(rows(1_000_000));
if (!only || only === 'xlsx') results.parseKtbReportXlsx = await benchXlsx(rows(200_000));
if (!only || only === 'engine') results.detectorEngineInProcess = benchEngine(20_000);
if (!only || only === 'restore') results.detectorStateAndRestore = benchRestore(rows(210_000), 7);
if (!only || only === 'kafka') results.pipelineThroughKafkaPeer = await benchKafkaPipeline(rows(10_000), { trace: args.options.get('trace') === true, detectors: whole('detectors', 1), ruleSet: args.options.get('trivial') === true ? 'trivial' : 'default' });
if (!only || only === 'event-log') results.embeddedEventLogs = await benchEventLogs(rows(100_000));
// PostgreSQL from DATABASE_URL, else a throwaway Debian cluster (scripts/pg-start.sh); PGlite in memory.
if (!only || only === 'centre') results.centreReport = await benchCentre(rows(100_000), process.env.DATABASE_URL);
if (only === 'national') {
  const kind = opt(args, 'event-log') ?? 'kafka';
  if (kind !== 'kafka' && kind !== 'in-process') throw new Error(`--event-log must be kafka or in-process, got ${kind}`);
  const rules = opt(args, 'rules') ?? 'default';
  if (!['default', 'trivial', 'both'].includes(rules)) throw new Error(`--rules must be default, trivial or both, got ${rules}`);
  const detectors = (opt(args, 'detectors') ?? '1').split(',').map((d) => { if (!/^[1-9]$/.test(d)) throw new Error(`--detectors takes counts 1-9 separated by commas, got ${d}`); return Number(d); });
  results.national = await benchNational({
    laos: whole('laos', NATIONAL_LAO_COUNT), records: whole('records', 10_000_000), eventLog: kind as EventLogKind, detectors,
    ruleSets: rules === 'both' ? ['default', 'trivial'] : [rules as 'default' | 'trivial'], maxBacklog: whole('max-backlog', 150_000),
    progress: (line) => process.stderr.write(line + '\n'),
  });
}
process.stdout.write(JSON.stringify(results, null, 2) + '\n');
