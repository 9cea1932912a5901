/**
 * Run by parse-bench.ts in a fresh process: parses one file the way ingest does (parseFileStream over the file
 * on disk, read a chunk at a time; or, with `--whole`, the whole file's bytes to parseFileAsync, for comparison),
 * events counted and dropped, then prints the process's peak resident memory. A child of its own, so the peak is
 * this parse's and not the parent's generator or earlier benchmarks'.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileSource, parseFileAsync, parseFileStream } from '@paywatch/ktb-formats';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';

/** Peak resident set so far, MB: the kernel's high-water mark (VmHWM), else getrusage's maxRSS. */
function peakRssMb(): number {
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return Math.round((hwm ? Number(hwm) : process.resourceUsage().maxRSS) / 1024);
}

const file = process.argv[2];
if (!file) throw new Error('usage: parse-rss-child.ts FILE [--whole]');
const whole = process.argv[3] === '--whole';
const baselineRssMb = peakRssMb();
const t0 = performance.now();
const events = whole ? parseFileAsync(await readFile(file), { registry: SEED_LAO_REGISTRY }) : parseFileStream(fileSource(file), { registry: SEED_LAO_REGISTRY });
let records = 0, rejects = 0;
let manifest: unknown = null;
for await (const ev of events) {
  if (ev.kind === 'record') records++;
  else if (ev.kind === 'reject') rejects++;
  else manifest = ev;
}
const ms = performance.now() - t0;
const m = manifest as { format: string; rowsRead: number; refusal: unknown };
process.stdout.write(JSON.stringify({ format: m.format, rowsRead: m.rowsRead, records, rejects, refused: m.refusal !== null, baselineRssMb, peakRssMb: peakRssMb(), ms: Math.round(ms) }) + '\n');
