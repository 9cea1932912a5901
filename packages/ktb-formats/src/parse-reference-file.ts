/**
 * A reference data file of any supported kind of file (ktb-formats.md §3: "CSV or XLSX"), recognised from its
 * content: an XLSX workbook's first worksheet, streamed like the transfer report's (same ZIP checks, including the
 * declared-size refusal before anything is inflated, the whole-part check, and the same fixed reading order of the entries), or a CSV.
 * Columns, rows and rejects are the CSV's (parse-reference.ts). Never throws on content.
 */
import type { Bilingual, ReferenceKind } from '@paywatch/domain';
import { decodeBytes } from './decode-bytes.ts';
import type { ParseContext } from './parse-event.ts';
import { DEFAULT_LIMITS } from './parse-ktb-report.ts';
import { parseReferenceText, ReferenceReader, type ReferenceOptions, type ReferenceParse } from './parse-reference.ts';
import { refusal, type Refusal } from './refusal-codes.ts';
import { binaryKindOfText, isBlankText, knownBinaryKind, refusalExpecting, utf16Bom } from './sniff-content.ts';
import { incompleteSheetPart } from './xlsx-integrity.ts';
import { firstSheetRows } from './xlsx-sheet.ts';
import { declaredSheetBytes, isXlsx, zipEntries } from './xlsx-zip.ts';

/** What a reference file is, for refusals that say what to send instead. */
export const REFERENCE_EXPECTED: Bilingual = {
  th: 'แฟ้มข้อมูลอ้างอิง (CSV หรือ Excel .xlsx มีแถวหัวตาราง เช่น รหัส อปท. ชื่อ เลขที่บัญชี)',
  en: 'a reference data file (CSV or Excel .xlsx with a header row such as LAO Code, Name, Account No.)',
};

/** The LAO of a file without an LAO code column, and the size limits of uploads (rows, XLSX size and stall). */
export type ReferenceContext = ReferenceOptions & Pick<ParseContext, 'limits'>;

const refused = (kind: ReferenceKind, why: Refusal): ReferenceParse => ({ kind, byLao: new Map(), rejects: [], flagged: [], rowsRead: 0, refusal: why });

const damaged = (e: unknown): Refusal =>
  refusal('PW_ERR_XLSX_DAMAGED', { detail: (e instanceof Error ? e.message : String(e)).replace(/\d{6,}/g, '…').slice(0, 120) });

/**
 * Reads the first worksheet of a reference workbook. A workbook that cannot be read to its end is refused whole,
 * not read in part: a reference list replaces the LAO's previous one, and a silently shortened list of registered
 * payees would make every payee it lost look unregistered.
 */
async function parseReferenceXlsx(bytes: Uint8Array, kind: ReferenceKind, ctx: ReferenceContext): Promise<ReferenceParse> {
  const limits = { ...DEFAULT_LIMITS, ...ctx.limits };
  const entries = zipEntries(bytes);
  if (entries === null) return refused(kind, damaged('no ZIP central directory'));
  const size = declaredSheetBytes(entries);
  if (size > limits.maxXlsxUncompressedBytes) {
    return refused(kind, refusal('PW_ERR_XLSX_TOO_LARGE', { size: Number.isFinite(size) ? String(size) : '> 4 GB', max: String(limits.maxXlsxUncompressedBytes) }));
  }
  const incomplete = await incompleteSheetPart(bytes, entries, limits.maxXlsxUncompressedBytes);
  if (incomplete !== null) return refused(kind, damaged(incomplete));
  const reader = new ReferenceReader(kind, ctx);
  let lastRow = 0;
  try {
    for await (const r of firstSheetRows(bytes, entries, limits.xlsxStallMs)) {
      // Row numbers are what rejects point at: a repeated or backward one means a damaged sheet.
      if (!Number.isSafeInteger(r.row) || r.row <= lastRow) throw new Error(`worksheet row ${r.row} after row ${lastRow}`);
      lastRow = r.row;
      reader.row(r.row, r.cells, r.cells.join('\t'));
      if (reader.result.rowsRead > limits.maxRows) return refused(kind, refusal('PW_ERR_TOO_MANY_ROWS', { max: String(limits.maxRows) }));
    }
  } catch (e) {
    return refused(kind, damaged(e));
  }
  return reader.result;
}

/**
 * Parses one reference file of `kind`, CSV or XLSX, told apart by content. Empty files, UTF-16 text and other
 * binary files (PDF, images, archives that are not workbooks) are refused with what was expected.
 */
export async function parseReferenceFile(bytes: Uint8Array, kind: ReferenceKind, ctx: ReferenceContext = {}): Promise<ReferenceParse> {
  if (isXlsx(bytes)) return parseReferenceXlsx(bytes, kind, ctx);
  const expected = [REFERENCE_EXPECTED];
  if (bytes.length === 0) return refused(kind, refusalExpecting('PW_ERR_EMPTY_FILE', expected));
  const utf16 = utf16Bom(bytes);
  if (utf16 !== null) return refused(kind, refusalExpecting('PW_ERR_UNSUPPORTED_ENCODING', expected, { kindEn: utf16 }));
  const binary = knownBinaryKind(bytes);
  if (binary !== null) return refused(kind, refusalExpecting('PW_ERR_BINARY_FILE', expected, { ...binary }));
  const { text } = decodeBytes(bytes);
  if (isBlankText(text)) return refused(kind, refusalExpecting('PW_ERR_EMPTY_FILE', expected));
  const binaryText = binaryKindOfText(text);
  if (binaryText !== null) return refused(kind, refusalExpecting('PW_ERR_BINARY_FILE', expected, { ...binaryText }));
  return parseReferenceText(text, kind, ctx);
}
