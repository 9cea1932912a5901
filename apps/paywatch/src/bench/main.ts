/** `pnpm bench`: prints benchmark figures as JSON. Numbers, not assertions; run on an idle machine. */
import { benchParse } from './parse-bench.ts';
import { benchEngine, benchRestore } from './engine-bench.ts';
import { benchKafkaPipeline } from './kafka-pipeline-bench.ts';

const only = process.argv[2];
const results: Record<string, unknown> = { node: process.version, cpus: (await import('node:os')).cpus().length, at: new Date().toISOString() };
if (!only || only === 'parse') results.parseKtbBulk = benchParse(200_000);
if (!only || only === 'engine') results.detectorEngineInProcess = benchEngine(20_000);
if (!only || only === 'restore') results.detectorStateAndRestore = benchRestore(210_000, 7);
if (!only || only === 'kafka') results.pipelineThroughKafkaPeer = await benchKafkaPipeline(10_000);
process.stdout.write(JSON.stringify(results, null, 2) + '\n');
