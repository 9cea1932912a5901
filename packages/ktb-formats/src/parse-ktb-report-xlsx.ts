/** The transfer report as an Excel workbook (`ktb-report` XLSX): the first worksheet, read with exceljs's streaming reader. */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { refusedManifest, type ParseContext, type ParseEvent } from './parse-event.ts';
import { MAX_PREAMBLE_LINES, reportSettings, ReportTally } from './parse-ktb-report.ts';
import { refusal, type Refusal } from './refusal-codes.ts';
import { headerIndex, MIN_KNOWN_HEADERS } from './report-headers.ts';
import { KTB_REPORT_EXPECTED, knownFieldCount, laoKeysOfRow, readColumns, ReportRowMapper, type ReportColumns } from './report-row.ts';
import { resolveLao } from './resolve-lao.ts';
import { refusalExpecting } from './sniff-content.ts';
import { declaredSheetBytes, entriesInReadingOrder, zipEntries, type ZipEntry } from './xlsx-zip.ts';

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * The text of a cell, never evaluated: a formula is kept as `=formula` (its cached result is not
 * trusted), rich text is joined, a hyperlink gives its text, a date cell its wall clock `DD/MM/YYYY HH:MM:SS`.
 */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return '';
    const time = `${pad2(v.getUTCHours())}:${pad2(v.getUTCMinutes())}:${pad2(v.getUTCSeconds())}`;
    return `${pad2(v.getUTCDate())}/${pad2(v.getUTCMonth() + 1)}/${v.getUTCFullYear()}${time === '00:00:00' ? '' : ` ${time}`}`;
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.formula === 'string') return `=${o.formula}`;
    if (typeof o.sharedFormula === 'string') return `=${o.sharedFormula}`;
    if (Array.isArray(o.richText)) return o.richText.map((t) => (typeof (t as { text?: unknown }).text === 'string' ? (t as { text: string }).text : '')).join('');
    if ('text' in o) return cellText(o.text);
    if (typeof o.error === 'string') return o.error;
  }
  return '';
}

interface SheetRow { row: number; cells: string[] }

/** The rows of the first worksheet, as text cells (index 0 = column A). Empty rows are not stored in XLSX and so are not seen. */
function firstSheetRows(bytes: Uint8Array, entries: readonly ZipEntry[], stallMs: number): AsyncGenerator<SheetRow> {
  const parts = entriesInReadingOrder(bytes, entries);
  if (parts === null) throw new Error('ZIP entry offsets out of range');
  const input = Readable.from(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
  return withStallTimeout(sheetRows(input), stallMs, () => input.destroy());
}

/**
 * The iterable's values, failing when the next one takes longer than `ms`: some damaged ZIPs make
 * the streaming reader wait forever instead of failing, which would hang the upload.
 */
async function* withStallTimeout<T>(source: AsyncIterable<T>, ms: number, onStall: () => void): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const next = it.next();
    next.catch(() => {}); // a late failure after a stall must not become an unhandled rejection
    const stall = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        onStall();
        reject(new Error(`no progress for ${ms} ms`));
      }, ms);
    });
    try {
      const r = await Promise.race([next, stall]);
      if (r.done) return;
      yield r.value;
    } finally {
      clearTimeout(timer);
    }
  }
}

async function* sheetRows(input: Readable): AsyncGenerator<SheetRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', entries: 'ignore',
  });
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = row.values as unknown[];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
      yield { row: row.number, cells };
    }
    return; // the first worksheet only
  }
}

const isBlank = (cells: readonly string[]): boolean => cells.every((c) => c.trim() === '');
const rawOf = (cells: readonly string[]): string => cells.join('\t');

interface FirstPass { columns: ReportColumns; headerRow: number; dataRows: number; companyId: string | null; accounts: Array<{ account: string; row: number }> }

/** Reads the sheet once: header, row count within the limit, and the company ID and debit accounts for the LAO. */
async function firstPass(bytes: Uint8Array, entries: readonly ZipEntry[], ctx: ParseContext, maxRows: number, stallMs: number): Promise<FirstPass | Refusal> {
  const index = headerIndex(ctx.reportHeaderMap);
  let columns: ReportColumns | null = null;
  let headerRow = 0;
  let dataRows = 0;
  let companyId: string | null = null;
  const seen = new Set<string>();
  const accounts: Array<{ account: string; row: number }> = [];
  let preamble = 0;
  let firstLine = '';
  for await (const r of firstSheetRows(bytes, entries, stallMs)) {
    if (columns === null) {
      if (isBlank(r.cells)) continue;
      if (knownFieldCount(r.cells, index) < MIN_KNOWN_HEADERS) {
        // Title rows above the header (report name, period) are skipped, as in the CSV.
        if (preamble === 0) firstLine = rawOf(r.cells).slice(0, 30);
        if (++preamble > MAX_PREAMBLE_LINES) return refusalExpecting('PW_ERR_UNKNOWN_FORMAT', [KTB_REPORT_EXPECTED], { firstLine });
        continue;
      }
      const c = readColumns(r.cells, index);
      if ('code' in c) return c;
      columns = c;
      headerRow = r.row;
      continue;
    }
    if (isBlank(r.cells)) continue;
    if (++dataRows > maxRows) return refusal('PW_ERR_TOO_MANY_ROWS', { max: String(maxRows) });
    const keys = laoKeysOfRow(columns, r.cells);
    companyId ??= keys.companyId;
    if (keys.debitAccount !== null && !seen.has(keys.debitAccount)) {
      seen.add(keys.debitAccount);
      accounts.push({ account: keys.debitAccount, row: r.row });
    }
  }
  if (columns === null) return preamble > 0 ? refusalExpecting('PW_ERR_UNKNOWN_FORMAT', [KTB_REPORT_EXPECTED], { firstLine }) : refusalExpecting('PW_ERR_EMPTY_FILE', [KTB_REPORT_EXPECTED]);
  if (dataRows === 0) return refusal('PW_ERR_REPORT_NO_ROWS');
  return { columns, headerRow, dataRows, companyId, accounts };
}

const damaged = (e: unknown): Refusal => refusal('PW_ERR_XLSX_DAMAGED', { detail: (e instanceof Error ? e.message : String(e)).replace(/\d{6,}/g, '…').slice(0, 120) });

/**
 * Parses an XLSX transfer report: like the CSV (same header map, row mapper, rejects and manifest),
 * with the sheet's row numbers. The central directory is checked first: declared worksheet and
 * shared-string sizes above `limits.maxXlsxUncompressedBytes` refuse the file before anything is
 * inflated. The sheet is streamed twice (LAO and limits first, then rows), never held whole.
 */
export async function* parseKtbReportXlsx(bytes: Uint8Array, ctx: ParseContext = {}): AsyncGenerator<ParseEvent, void, undefined> {
  const { maxFutureDays, limits } = reportSettings(ctx);
  const entries = zipEntries(bytes);
  if (entries === null) {
    yield refusedManifest('ktb-report', null, damaged('no ZIP central directory'));
    return;
  }
  const size = declaredSheetBytes(entries);
  if (size > limits.maxXlsxUncompressedBytes) {
    yield refusedManifest('ktb-report', null, refusal('PW_ERR_XLSX_TOO_LARGE', { size: Number.isFinite(size) ? String(size) : '> 4 GB', max: String(limits.maxXlsxUncompressedBytes) }));
    return;
  }
  let first: FirstPass | Refusal;
  try {
    first = await firstPass(bytes, entries, ctx, limits.maxRows, limits.xlsxStallMs);
  } catch (e) {
    if (e instanceof TypeError && /ctx\./.test(e.message)) throw e;
    first = damaged(e);
  }
  if ('code' in first) {
    yield refusedManifest('ktb-report', null, first);
    return;
  }
  const { columns, headerRow, accounts } = first;
  const lao = resolveLao({ companyId: first.companyId, accounts: () => accounts }, ctx.laoCode, ctx.registry ?? []);
  if ('code' in lao) {
    yield refusedManifest('ktb-report', null, lao);
    return;
  }
  const mapper = new ReportRowMapper(columns, lao.laoCode, maxFutureDays, ctx.today);
  const tally = new ReportTally(mapper);
  let lastRow = headerRow;
  try {
    for await (const r of firstSheetRows(bytes, entries, limits.xlsxStallMs)) {
      if (r.row <= headerRow) continue;
      lastRow = r.row;
      const cells = r.cells.length < columns.width ? [...r.cells, ...Array<string>(columns.width - r.cells.length).fill('')] : r.cells;
      // XLSX has no blank lines: a row of empty cells is skipped rather than rejected.
      if (isBlank(cells)) continue;
      yield* tally.row(r.row, cells, rawOf(r.cells));
    }
  } catch (e) {
    yield* tally.malformed(lastRow + 1, damaged(e).message.en, '');
  }
  yield { kind: 'manifest', format: 'ktb-report', encoding: null, rowsRead: tally.rowsRead, rowsAccepted: tally.rowsAccepted, rowsRejected: tally.rowsRejected, totalSatang: mapper.totalSatang, header: null, refusal: null };
}
