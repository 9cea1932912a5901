/** The transfer report as an Excel workbook (`ktb-report` XLSX): the first worksheet, read with exceljs's streaming reader. */
import { refusedManifest, type ParseContext, type ParseEvent } from './parse-event.ts';
import { MAX_PREAMBLE_LINES, reportSettings, ReportTally } from './parse-ktb-report.ts';
import { refusal, type Refusal } from './refusal-codes.ts';
import { headerIndex, MIN_KNOWN_HEADERS } from './report-headers.ts';
import { KTB_REPORT_EXPECTED, knownFieldCount, laoKeysOfRow, readColumns, ReportRowMapper, type ReportColumns } from './report-row.ts';
import { resolveLao } from './resolve-lao.ts';
import { refusalExpecting } from './sniff-content.ts';
import { incompleteSheetPart } from './xlsx-integrity.ts';
import { firstSheetRows } from './xlsx-sheet.ts';
import { declaredSheetBytes, zipEntries, type ZipEntry } from './xlsx-zip.ts';

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
  let lastRow = 0;
  for await (const r of firstSheetRows(bytes, entries, stallMs)) {
    // Row numbers name the payments (record id = batch:row): a repeated or backward number, which no spreadsheet
    // program writes, would give two payments one id and the second would be dropped as a redelivery.
    if (!Number.isSafeInteger(r.row) || r.row <= lastRow) return damaged(`worksheet row ${r.row} after row ${lastRow}`);
    lastRow = r.row;
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
 * inflated; then those parts must be whole (xlsx-integrity.ts), or the file is refused as damaged. The sheet is streamed twice (LAO and limits first, then rows), never held whole.
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
  const incomplete = await incompleteSheetPart(bytes, entries, limits.maxXlsxUncompressedBytes);
  if (incomplete !== null) {
    yield refusedManifest('ktb-report', null, damaged(incomplete));
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
  const lao = resolveLao({ companyId: first.companyId, accounts: () => accounts }, ctx.laoCode, ctx.registry ?? [], ctx.unknownLao === 'allow');
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
      if (r.row <= lastRow) throw new Error(`worksheet row ${r.row} after row ${lastRow}`); // the first pass saw them in order
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
