/** Parser of the KTB Corporate Online transfer report as CSV (`ktb-report`): a header row, then one event per row. */
import type { LaoRegistryEntry } from '@paywatch/domain';
import type { TextEncoding } from './decode-bytes.ts';
import { isBlankLine, isBlankRange, LineCursor } from './line-cursor.ts';
import { asTextSource, chunksFrom, linesFrom, type TextSource } from './text-source.ts';
import { refusedManifest, shownRaw, type ParseContext, type ParseEvent } from './parse-event.ts';
import { DEFAULT_MAX_FUTURE_DAYS } from './parse-ktb-bulk.ts';
import { refusal, type Refusal } from './refusal-codes.ts';
import { rejectMessage } from './reject-codes.ts';
import { BUILT_IN_HEADER_INDEX, headerIndex, MIN_KNOWN_HEADERS } from './report-headers.ts';
import { KTB_REPORT_EXPECTED, knownFieldCount, laoKeysOfRow, readColumns, ReportRowMapper, type ReportColumns } from './report-row.ts';
import { resolveLao } from './resolve-lao.ts';
import { contentRefusal } from './sniff-content.ts';

/** Defaults of {@link ParseContext.limits}. */
export const DEFAULT_LIMITS = { maxRows: 2_000_000, maxLineChars: 100_000, maxXlsxUncompressedBytes: 200 * 1024 * 1024, xlsxStallMs: 15_000 } as const;

/** Where a recognised report's header row is, and its delimiter. */
export interface KtbReportCsvStart { delimiter: ',' | ';' | '\t'; headerRow: number; offset: number }

const DELIMITERS = [',', ';', '\t'] as const;
const SNIFF_CHARS = 65_536;

/** Splits one header line on a delimiter, honouring double quotes (enough for sniffing; parsing uses csv-parse). */
function splitHeader(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '"') {
      if (quoted && line[i + 1] === '"') { cur += '"'; i++; } else quoted = !quoted;
    } else if (ch === delimiter && !quoted) { out.push(cur); cur = ''; } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** The delimiter of a header line: the one of `,` `;` tab that occurs most outside quotes (comma on a tie). */
function sniffDelimiter(line: string): KtbReportCsvStart['delimiter'] {
  const counts = [0, 0, 0];
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted) { const k = DELIMITERS.indexOf(ch as never); if (k >= 0) counts[k]!++; }
  }
  let best = 0;
  for (let k = 1; k < 3; k++) if (counts[k]! > counts[best]!) best = k;
  return DELIMITERS[best]!;
}

/** Title lines an export may put above the header row (report name, period, account). */
export const MAX_PREAMBLE_LINES = 10;

/**
 * The header row and delimiter: the first of the first {@link MAX_PREAMBLE_LINES} + 1 non-blank
 * lines that names at least {@link MIN_KNOWN_HEADERS} known report fields; else null. Lines above
 * it are the export's title, not rows.
 */
export function sniffKtbReportCsv(text: string): KtbReportCsvStart | null {
  const cursor = new LineCursor(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  for (let seen = 0; seen <= MAX_PREAMBLE_LINES && cursor.next(); ) {
    if (isBlankRange(text, cursor.start, cursor.end)) continue;
    seen++;
    const line = text.slice(cursor.start, Math.min(cursor.end, cursor.start + SNIFF_CHARS));
    const delimiter = sniffDelimiter(line);
    if (knownFieldCount(splitHeader(line, delimiter), BUILT_IN_HEADER_INDEX) >= MIN_KNOWN_HEADERS) return { delimiter, headerRow: cursor.row, offset: cursor.start };
  }
  return null;
}

export { csvRows, type CsvRow } from './csv-rows.ts';
import { csvRows } from './csv-rows.ts';

const isBlankCells = (cells: readonly string[]): boolean => cells.every((c) => isBlankLine(c));

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks the context (a bad one is the caller's bug: it throws) and returns the limits and future-day window. */
export function reportSettings(ctx: ParseContext): { maxFutureDays: number; limits: { maxRows: number; maxLineChars: number; maxXlsxUncompressedBytes: number; xlsxStallMs: number } } {
  if (ctx.today !== undefined && !ISO_DATE.test(ctx.today)) throw new TypeError(`ctx.today must be YYYY-MM-DD, got ${JSON.stringify(ctx.today)}`);
  const maxFutureDays = ctx.maxFutureDays ?? DEFAULT_MAX_FUTURE_DAYS;
  if (!Number.isSafeInteger(maxFutureDays) || maxFutureDays < 0) throw new TypeError(`ctx.maxFutureDays must be a whole number of days ≥ 0, got ${maxFutureDays}`);
  const limits = { ...DEFAULT_LIMITS, ...ctx.limits };
  for (const [k, v] of Object.entries(limits)) if (!Number.isSafeInteger(v) || v <= 0) throw new TypeError(`ctx.limits.${k} must be a positive whole number, got ${v}`);
  return { maxFutureDays, limits };
}

/** The LAO of a report: the same rules as the bulk file (first company ID of the rows, then the debit accounts). */
export function resolveReportLao(columns: ReportColumns, rows: () => Iterable<{ row: number; cells: string[] } | { error: string }>, ctx: ParseContext): { laoCode: string | null } | Refusal {
  const registry: readonly LaoRegistryEntry[] = ctx.registry ?? [];
  let companyId: string | null = null;
  if (columns.field.companyId !== undefined && (ctx.laoCode === undefined || registry.length > 0)) {
    for (const r of rows()) {
      if (!('cells' in r)) break;
      companyId = laoKeysOfRow(columns, r.cells).companyId;
      if (companyId !== null) break;
    }
  }
  return resolveLao({
    companyId,
    accounts: function* () {
      if (columns.field.debitAccount === undefined) return;
      for (const r of rows()) {
        if (!('cells' in r)) return;
        const account = laoKeysOfRow(columns, r.cells).debitAccount;
        if (account !== null) yield { account, row: r.row };
      }
    },
  }, ctx.laoCode, registry, ctx.unknownLao === 'allow');
}

/** Counts the events of a report as they are yielded. */
export class ReportTally {
  rowsRead = 0;
  rowsAccepted = 0;
  rowsRejected = 0;
  private blanks: Array<{ row: number; raw: string }> | null = null;

  constructor(private readonly mapper: ReportRowMapper) {}

  /** The events of one data row (blank rows are held until a later row shows they were not trailing). */
  *row(row: number, cells: readonly string[], raw: string): Generator<ParseEvent> {
    if (isBlankCells(cells)) {
      (this.blanks ??= []).push({ row, raw: shownRaw(raw) });
      return;
    }
    if (this.blanks !== null) {
      for (const b of this.blanks) {
        this.rowsRead++;
        this.rowsRejected++;
        yield { kind: 'reject', row: b.row, field: 'line', code: 'PW_ROW_BLANK_LINE', message: rejectMessage('PW_ROW_BLANK_LINE'), raw: b.raw };
      }
      this.blanks = null;
    }
    this.rowsRead++;
    const out = this.mapper.map(cells);
    if (typeof out === 'string') {
      this.rowsRejected++;
      yield { kind: 'reject', row, field: this.mapper.fieldOf(out), code: out, message: rejectMessage(out, this.mapper.rejectValue, this.mapper.rejectDetail), raw: shownRaw(raw) };
    } else {
      this.rowsAccepted++;
      yield { kind: 'record', row, record: out };
    }
  }

  /** A row that could not be read at all (malformed CSV); the held blank rows come first. */
  *malformed(row: number, error: string, raw: string): Generator<ParseEvent> {
    yield* this.flushBlanks();
    this.rowsRead++;
    this.rowsRejected++;
    yield { kind: 'reject', row, field: 'line', code: 'PW_ROW_REPORT_MALFORMED', message: rejectMessage('PW_ROW_REPORT_MALFORMED', error), raw: shownRaw(raw) };
  }

  private *flushBlanks(): Generator<ParseEvent> {
    if (this.blanks === null) return;
    for (const b of this.blanks) {
      this.rowsRead++;
      this.rowsRejected++;
      yield { kind: 'reject', row: b.row, field: 'line', code: 'PW_ROW_BLANK_LINE', message: rejectMessage('PW_ROW_BLANK_LINE'), raw: b.raw };
    }
    this.blanks = null;
  }
}

/** Line-length and row-count limits, checked before any row is read so a refusal never follows row events. */
function checkCsvLimits(text: TextSource, start: KtbReportCsvStart, limits: { maxRows: number; maxLineChars: number }): Refusal | 'no-rows' | null {
  let rows = -1; // the header is not a data row
  for (const cursor of linesFrom(text, start.offset, start.headerRow - 1)) {
    if (cursor.end - cursor.start > limits.maxLineChars) return refusal('PW_ERR_LINE_TOO_LONG', { row: String(cursor.row), max: String(limits.maxLineChars) });
    if (!isBlankRange(cursor.text, cursor.start, cursor.end) && ++rows > limits.maxRows) return refusal('PW_ERR_TOO_MANY_ROWS', { max: String(limits.maxRows) });
  }
  return rows <= 0 ? 'no-rows' : null;
}

/**
 * Parses a decoded CSV transfer report (a string, or a TextSource read in chunks: limits, LAO, then rows). Yields a `record` or a `reject` per data row in file order,
 * then one `manifest` (`header` null: a report declares no totals). Failed and rejected transfers are
 * records with their status; `totalSatang` adds successful ones only. The whole file is refused when
 * it is not a report, lacks a required column, breaks a limit, has no rows, its LAO is unknown, or it
 * debits another LAO's account. Throws only on a malformed context, never on content.
 */
export function* parseKtbReportCsv(input: string | TextSource, ctx: ParseContext = {}, encoding: TextEncoding = 'utf-8'): Generator<ParseEvent, void, undefined> {
  const { maxFutureDays, limits } = reportSettings(ctx);
  const index = headerIndex(ctx.reportHeaderMap);
  const text = asTextSource(input);
  const start = sniffKtbReportCsv(text.head);
  if (start === null) {
    yield refusedManifest('ktb-report', encoding, contentRefusal(text.head, [KTB_REPORT_EXPECTED]));
    return;
  }
  const limit = checkCsvLimits(text, start, limits);
  if (limit !== null) {
    yield refusedManifest('ktb-report', encoding, limit === 'no-rows' ? refusal('PW_ERR_REPORT_NO_ROWS') : limit);
    return;
  }
  const rowsFrom = () => csvRows(text, start.offset, start.headerRow, start.delimiter, limits.maxLineChars);
  const first = rowsFrom().next();
  const headerCells = !first.done && 'cells' in first.value ? first.value.cells : [];
  const columns = readColumns(headerCells, index);
  if ('code' in columns) {
    yield refusedManifest('ktb-report', encoding, columns);
    return;
  }
  const dataRows = function* () {
    const it = rowsFrom();
    it.next(); // the header
    yield* it;
  };
  const lao = resolveReportLao(columns, dataRows, ctx);
  if ('code' in lao) {
    yield refusedManifest('ktb-report', encoding, lao);
    return;
  }
  const mapper = new ReportRowMapper(columns, lao.laoCode, maxFutureDays, ctx.today);
  const tally = new ReportTally(mapper);
  for (const r of dataRows()) {
    if ('cells' in r) yield* tally.row(r.row, r.cells, r.raw);
    else yield* tally.malformed(r.row, r.error, r.raw);
  }
  yield { kind: 'manifest', format: 'ktb-report', encoding, rowsRead: tally.rowsRead, rowsAccepted: tally.rowsAccepted, rowsRejected: tally.rowsRejected, totalSatang: mapper.totalSatang, header: null, refusal: null };
}
