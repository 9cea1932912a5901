/**
 * `pnpm bench [parse|csv|rss|xlsx|engine|restore|kafka|event-log|centre] [--rows N]`: prints benchmark figures as JSON. Numbers, not
 * assertions; run on an idle machine. `--rows` sets the row count of the parser benchmarks (parse and csv 200,000;
 * rss 1,000,000 per format; xlsx 200,000; restore 210,000 records of history; event-log 100,000 messages; centre 100,000 alerts).
 */
import { benchParse, benchParsePeakRss, benchReportCsv, benchXlsx } from './parse-bench.ts';
import { benchEngine, benchRestore } from './engine-bench.ts';
import { benchKafkaPipeline } from './kafka-pipeline-bench.ts';
import { benchEventLogs } from './event-log-bench.ts';
import { benchCentre } from './centre-bench.ts';
import { opt, parseArgs } from '../args.ts';

const args = parseArgs(process.argv.slice(2));
const only = args.positional[0];
const rowsOption = opt(args, 'rows');
if (rowsOption !== undefined && !/^[1-9]\d*$/.test(rowsOption)) throw new Error(`--rows must be a whole number > 0, got ${rowsOption}`);
const rows = (fallback: number) => (rowsOption === undefined ? fallback : Number(rowsOption));
const results: Record<string, unknown> = { node: process.version, cpus: (await import('node:os')).cpus().length, at: new Date().toISOString() };
if (!only || only === 'parse') results.parseKtbBulk = benchParse(rows(200_000));
if (!only || only === 'parse' || only === 'csv') results.parseKtbReportCsv = await benchReportCsv(rows(200_000));
if (!only || only === 'rss') results.parsePeakRss = await benchParsePeakRss(rows(1_000_000));
if (!only || only === 'xlsx') results.parseKtbReportXlsx = await benchXlsx(rows(200_000));
if (!only || only === 'engine') results.detectorEngineInProcess = benchEngine(20_000);
if (!only || only === 'restore') results.detectorStateAndRestore = benchRestore(rows(210_000), 7);
if (!only || only === 'kafka') results.pipelineThroughKafkaPeer = await benchKafkaPipeline(10_000);
if (!only || only === 'event-log') results.embeddedEventLogs = await benchEventLogs(rows(100_000));
// PostgreSQL from DATABASE_URL, else a throwaway Debian cluster (scripts/pg-start.sh); PGlite in memory.
if (!only || only === 'centre') results.centreReport = await benchCentre(rows(100_000), process.env.DATABASE_URL);
process.stdout.write(JSON.stringify(results, null, 2) + '\n');
