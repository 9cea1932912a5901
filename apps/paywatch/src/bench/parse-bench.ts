/**
 * Parser benchmarks: bulk throughput next to a bare decode + split of the same bytes; peak memory of parsing
 * 1,000,000-row files (each in a child process); XLSX rows/s next to a bare exceljs streaming read.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bareCsvParseRowCount, bareExcelJsRowCount, decodeBytes, fileSource, generateBulkBatch, parseFile, parseFileAsync, parseFileStream, renderKtbBulk } from '@paywatch/ktb-formats';
import { reportWorkbook, writeBulkFile, writeReportCsvFile } from './bench-files.ts';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';
import type { Disbursement } from '@paywatch/domain';
import { batchIdFor, disbursementOf, peerGroupOf, recordIdOf, sha256Hex } from '@paywatch/domain';

/** Best of `runs` timings of fn, in ms: the least disturbed run is the closest to the code's own cost. */
export function bestOf(runs: number, fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) { const t0 = performance.now(); fn(); best = Math.min(best, performance.now() - t0); }
  return best;
}

/**
 * The parser against its bare baseline on a shared, noisy machine: `pairs` runs of each, in turn (baseline, parser,
 * baseline, …), the ratio taken pair by pair and its median reported, so a slow spell of the machine moves both
 * sides of a pair alike. Also the best time of each side.
 */
export function pairedRatio(pairs: number, bare: () => void, parser: () => void): { bareMs: number; parseMs: number; ratio: number; ratios: number[] } {
  const ratios: number[] = [];
  let bareMs = Infinity, parseMs = Infinity;
  for (let i = 0; i < pairs; i++) {
    const t0 = performance.now(); bare(); const b = performance.now() - t0;
    const t1 = performance.now(); parser(); const p = performance.now() - t1;
    bareMs = Math.min(bareMs, b); parseMs = Math.min(parseMs, p);
    ratios.push(b / p);
  }
  const sorted = [...ratios].sort((x, y) => x - y);
  return { bareMs, parseMs, ratio: sorted[Math.floor(sorted.length / 2)]!, ratios: ratios.map((r) => Number(r.toFixed(3))) };
}

/** A generated KTB bulk file of `rows` details for a seed LAO, Windows-874 bytes. */
export function bulkBytes(rows: number, laoCode = '6600101', seed = 1): Uint8Array {
  const lao = SEED_LAO_REGISTRY.find((l) => l.laoCode === laoCode)!;
  const g = generateBulkBatch({ seed, laoCode, companyId: lao.companyIds[0]!, debitAccount: lao.accounts[0]!, rows, effectiveDate: '2026-10-05' });
  return renderKtbBulk(g.spec, { encoding: 'windows-874', eol: '\r\n' });
}

/** Parses bytes into published-shape records (what the detector consumes). */
export function toDisbursements(bytes: Uint8Array, file: string): Disbursement[] {
  const sha = sha256Hex(bytes);
  const out: Disbursement[] = [];
  for (const ev of parseFile(bytes, { registry: SEED_LAO_REGISTRY })) {
    if (ev.kind !== 'record') continue;
    // Peer groups stamped as ingest stamps them, so the bench runs the peer and province baselines too.
    const entry = SEED_LAO_REGISTRY.find((l) => l.laoCode === ev.record.laoCode);
    out.push(disbursementOf(ev.record, batchIdFor(ev.record.laoCode ?? '', sha), ev.row, file, entry ? peerGroupOf(entry) : null));
  }
  return out;
}

/** {@link pairedRatio} for an async parser (the streamed parse), against the same synchronous baseline. */
export async function pairedRatioAsync(pairs: number, bare: () => void, parser: () => Promise<void>): Promise<{ bareMs: number; parseMs: number; ratio: number; ratios: number[] }> {
  const ratios: number[] = [];
  let bareMs = Infinity, parseMs = Infinity;
  for (let i = 0; i < pairs; i++) {
    const t0 = performance.now(); bare(); const b = performance.now() - t0;
    const t1 = performance.now(); await parser(); const p = performance.now() - t1;
    bareMs = Math.min(bareMs, b); parseMs = Math.min(parseMs, p);
    ratios.push(b / p);
  }
  const sorted = [...ratios].sort((x, y) => x - y);
  return { bareMs, parseMs, ratio: sorted[Math.floor(sorted.length / 2)]!, ratios: ratios.map((r) => Number(r.toFixed(3))) };
}

/**
 * KTB bulk throughput on a `rows`-row Windows-874 file, next to a bare TextDecoder('windows-874') decode + line split
 * of the same bytes (the issue's floor): in memory (parseFile) and streamed from disk a 1 MiB chunk at a time
 * (parseFileStream over fileSource, as ingest reads), median of paired runs. Also the in-memory parse against a split
 * of decodeBytes' text, whose Windows-874 table decoder the parser shares: how much of the parse is beyond decoding.
 */
export async function benchParse(rows: number, pairs = 5) {
  const bytes = bulkBytes(rows);
  let sink = 0;
  let accepted = 0;
  const bare = () => {
    const text = new TextDecoder('windows-874').decode(bytes);
    for (const line of text.split('\n')) sink += line.length;
  };
  const inMemory = pairedRatio(pairs, bare, () => {
    accepted = 0;
    for (const ev of parseFile(bytes, { registry: SEED_LAO_REGISTRY })) if (ev.kind === 'record') accepted++;
  });
  if (accepted !== rows || sink === 0) throw new Error(`bench parse read ${accepted} of ${rows} rows`);
  const sameDecoder = pairedRatio(pairs, () => {
    for (const line of decodeBytes(bytes).text.split('\n')) sink += line.length;
  }, () => {
    accepted = 0;
    for (const ev of parseFile(bytes, { registry: SEED_LAO_REGISTRY })) if (ev.kind === 'record') accepted++;
  });
  const dir = await mkdtemp(join(tmpdir(), 'pw-bench-bulk-'));
  try {
    const file = join(dir, 'bulk.txt');
    await writeFile(file, bytes);
    const streamed = await pairedRatioAsync(pairs, bare, async () => {
      accepted = 0;
      for await (const ev of parseFileStream(fileSource(file), { registry: SEED_LAO_REGISTRY })) if (ev.kind === 'record') accepted++;
    });
    if (accepted !== rows) throw new Error(`bench parse (streamed) read ${accepted} of ${rows} rows`);
    const perSec = (ms: number) => Math.round(rows / (ms / 1000));
    return {
      rows, bytes: bytes.length, pairs,
      parseRowsPerSec: perSec(inMemory.parseMs), bareDecodeSplitRowsPerSec: perSec(inMemory.bareMs),
      ratioToBare: Number(inMemory.ratio.toFixed(3)), ratiosPairByPair: inMemory.ratios,
      streamedRowsPerSec: perSec(streamed.parseMs), streamedRatioToBare: Number(streamed.ratio.toFixed(3)), streamedRatiosPairByPair: streamed.ratios,
      ratioToSameDecoderSplit: Number(sameDecoder.ratio.toFixed(3)), sameDecoderSplitRowsPerSec: perSec(sameDecoder.bareMs),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Transfer report CSV throughput on a `rows`-row report (UTF-8, Thai headers, BE dates, as the bank exports it),
 * next to a bare decode + csv-parse of the same bytes. The parser reads the rows twice before emitting (limits
 * and the LAO's debit accounts first), then maps and validates every cell.
 */
export async function benchReportCsv(rows: number) {
  const dir = await mkdtemp(join(tmpdir(), 'pw-bench-csv-'));
  try {
    const file = join(dir, 'report.csv');
    await writeReportCsvFile(file, rows);
    const bytes = new Uint8Array(await readFile(file));
    let bare = 0;
    let accepted = 0;
    const { bareMs, parseMs, ratio, ratios } = pairedRatio(5, () => { bare = bareCsvParseRowCount(bytes); }, () => {
      accepted = 0;
      for (const ev of parseFile(bytes, { registry: SEED_LAO_REGISTRY })) if (ev.kind === 'record') accepted++;
    });
    if (accepted !== rows || bare !== rows + 1) throw new Error(`bench csv: parsed ${accepted}, bare read ${bare} rows of ${rows}`);
    const parseRowsPerSec = Math.round(rows / (parseMs / 1000));
    const bareRowsPerSec = Math.round(rows / (bareMs / 1000));
    return { rows, bytes: bytes.length, parseRowsPerSec, bareCsvParseRowsPerSec: bareRowsPerSec, ratioToBare: Number(ratio.toFixed(3)), ratiosPairByPair: ratios };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Old-space heap the bounded-memory run gets: far below any file the bench parses. */
const CAPPED_HEAP_MB = 64;

/** What the child reports (parse-rss-child.ts). */
interface ChildParse { format: string; rowsRead: number; records: number; rejects: number; refused: boolean; baselineRssMb: number; peakRssMb: number; ms: number }

/** Parses `file` in a fresh node process (through tsx, as the services run) and returns what it measured. */
function parseInChild(file: string, whole: boolean, maxHeapMb?: number): Promise<ChildParse> {
  return new Promise((resolve, reject) => {
    const heap = maxHeapMb === undefined ? [] : [`--max-old-space-size=${maxHeapMb}`];
    const child = spawn(process.execPath, [...heap, '--import', import.meta.resolve('tsx'), join(import.meta.dirname, 'parse-rss-child.ts'), file, ...(whole ? ['--whole'] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as ChildParse) : reject(new Error(`parse child exited ${code}`))));
  });
}

/**
 * Peak resident memory of parsing a `rows`-row KTB bulk file and a `rows`-row transfer report CSV, each generated
 * to a temp file first and parsed in its own process: streamed from disk (parseFileStream over fileSource, as
 * ingest and `paywatch parse` read), where the peak should not grow with the file, and, for comparison, whole in
 * memory (parseFileAsync over the file's bytes), where it grows with bytes + decoded text. Left alone, V8 lets
 * garbage pile up while memory is plentiful, so the streamed peak still rises with the file; the same parse with
 * the heap capped at {@link CAPPED_HEAP_MB} MB is the proof that what it keeps does not.
 */
export async function benchParsePeakRss(rows: number) {
  const dir = await mkdtemp(join(tmpdir(), 'pw-bench-rss-'));
  try {
    const out: Record<string, unknown> = { rows, input: 'streamed: parseFileStream(fileSource(file)), as ingest reads; whole: parseFileAsync(bytes); events counted, not kept' };
    for (const [name, write, ext] of [['ktbBulk', writeBulkFile, 'txt'], ['ktbReportCsv', writeReportCsvFile, 'csv']] as const) {
      const file = join(dir, `${name}.${ext}`);
      const bytes = await write(file, rows);
      const result: Record<string, unknown> = { fileMb: Math.round(bytes / 1_048_576) };
      for (const [label, whole, heap] of [['streamed', false, undefined], [`streamedHeapCapped${CAPPED_HEAP_MB}Mb`, false, CAPPED_HEAP_MB], ['whole', true, undefined]] as const) {
        const r = await parseInChild(file, whole, heap);
        if (r.refused || r.rowsRead !== rows) throw new Error(`bench rss: ${name} read ${r.rowsRead} of ${rows} rows (refused: ${r.refused})`);
        result[label] = {
          peakRssMb: r.peakRssMb, baselineRssMb: r.baselineRssMb,
          // What the parse itself added, per MB of file: the figure to size an ingest worker's memory by.
          parseMbPerFileMb: Number(((r.peakRssMb - r.baselineRssMb) / (bytes / 1_048_576)).toFixed(2)),
          rowsPerSec: Math.round(rows / (r.ms / 1000)), recordsAccepted: r.records,
        };
      }
      out[name] = result;
      await rm(file);
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** How long an async fn takes, in ms (once: a 200k-row workbook takes long enough to swamp scheduling noise). */
async function timed(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/**
 * XLSX transfer report throughput on a `rows`-row workbook, next to a bare exceljs streaming read of the same
 * bytes. The parser streams the sheet twice (LAO, limits and row count first, then the rows), so about half the
 * bare rate is the expected ceiling.
 */
export async function benchXlsx(rows: number) {
  const bytes = await reportWorkbook(rows);
  let bare = 0;
  const bareMs = await timed( async () => { bare = await bareExcelJsRowCount(bytes); });
  let accepted = 0;
  const parseMs = await timed( async () => {
    accepted = 0;
    for await (const ev of parseFileAsync(bytes, { registry: SEED_LAO_REGISTRY })) if (ev.kind === 'record') accepted++;
  });
  if (accepted !== rows || bare !== rows + 1) throw new Error(`bench xlsx: parsed ${accepted}, bare read ${bare} rows of ${rows}`);
  const parseRowsPerSec = Math.round(rows / (parseMs / 1000));
  const bareRowsPerSec = Math.round(rows / (bareMs / 1000));
  return { rows, bytes: bytes.length, parseRowsPerSec, bareExcelJsStreamRowsPerSec: bareRowsPerSec, ratioToBare: Number((parseRowsPerSec / bareRowsPerSec).toFixed(3)) };
}
