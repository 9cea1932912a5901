/**
 * Parser benchmarks: bulk throughput next to a bare decode + split of the same bytes; peak memory of parsing
 * 1,000,000-row files (each in a child process); XLSX rows/s next to a bare exceljs streaming read.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bareExcelJsRowCount, generateBulkBatch, parseFile, parseFileAsync, renderKtbBulk } from '@paywatch/ktb-formats';
import { reportWorkbook, writeBulkFile, writeReportCsvFile } from './bench-files.ts';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';
import type { Disbursement } from '@paywatch/domain';
import { batchIdFor, recordIdOf, sha256Hex } from '@paywatch/domain';

/** Best of `runs` timings of fn, in ms: the least disturbed run is the closest to the code's own cost. */
export function bestOf(runs: number, fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) { const t0 = performance.now(); fn(); best = Math.min(best, performance.now() - t0); }
  return best;
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
    const batchId = batchIdFor(ev.record.laoCode, sha);
    out.push({ ...ev.record, recordId: recordIdOf(batchId, ev.row), batchId, row: ev.row, sourceFile: file });
  }
  return out;
}

export function benchParse(rows: number) {
  const bytes = bulkBytes(rows);
  let sink = 0;
  const bareMs = bestOf(3, () => {
    const text = new TextDecoder('windows-874').decode(bytes);
    for (const line of text.split('\n')) sink += line.length;
  });
  let accepted = 0;
  const parseMs = bestOf(3, () => {
    accepted = 0;
    for (const ev of parseFile(bytes, { registry: SEED_LAO_REGISTRY })) if (ev.kind === 'record') accepted++;
  });
  if (accepted !== rows || sink === 0) throw new Error(`bench parse read ${accepted} of ${rows} rows`);
  const parseRowsPerSec = Math.round(rows / (parseMs / 1000));
  const bareRowsPerSec = Math.round(rows / (bareMs / 1000));
  return { rows, bytes: bytes.length, parseRowsPerSec, bareDecodeSplitRowsPerSec: bareRowsPerSec, ratioToBare: Number((parseRowsPerSec / bareRowsPerSec).toFixed(3)) };
}

/** What the child reports (parse-rss-child.ts). */
interface ChildParse { format: string; rowsRead: number; records: number; rejects: number; refused: boolean; baselineRssMb: number; peakRssMb: number; ms: number }

/** Parses `file` in a fresh node process (through tsx, as the services run) and returns what it measured. */
function parseInChild(file: string): Promise<ChildParse> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(import.meta.dirname, 'parse-rss-child.ts'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as ChildParse) : reject(new Error(`parse child exited ${code}`))));
  });
}

/**
 * Peak resident memory of parsing a `rows`-row KTB bulk file and a `rows`-row transfer report CSV, each generated
 * to a temp file first and parsed in its own process. The parsers take the whole file (parseFileAsync gets a
 * Uint8Array, as ingest hands it the upload) and decode it to one string, so the peak grows with the file:
 * bytes + decoded text (two bytes a character once Thai is in it) + the parser's working set.
 */
export async function benchParsePeakRss(rows: number) {
  const dir = await mkdtemp(join(tmpdir(), 'pw-bench-rss-'));
  try {
    const out: Record<string, unknown> = { rows, input: 'whole file in memory: parseFileAsync(Uint8Array), as ingest calls it; events counted, not kept' };
    for (const [name, write, ext] of [['ktbBulk', writeBulkFile, 'txt'], ['ktbReportCsv', writeReportCsvFile, 'csv']] as const) {
      const file = join(dir, `${name}.${ext}`);
      const bytes = await write(file, rows);
      const r = await parseInChild(file);
      if (r.refused || r.rowsRead !== rows) throw new Error(`bench rss: ${name} read ${r.rowsRead} of ${rows} rows (refused: ${r.refused})`);
      out[name] = {
        fileMb: Math.round(bytes / 1_048_576), peakRssMb: r.peakRssMb, baselineRssMb: r.baselineRssMb,
        // What the parse itself added, per MB of file: the figure to size an ingest worker's memory by.
        parseMbPerFileMb: Number(((r.peakRssMb - r.baselineRssMb) / (bytes / 1_048_576)).toFixed(2)),
        rowsPerSec: Math.round(rows / (r.ms / 1000)), recordsAccepted: r.records,
      };
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
