/** Content checks shared by every format: empty, binary, and the refusal that names what was expected. */
import { maskDigitsInText, type Bilingual } from '@paywatch/domain';
import { isBlankLine, LineCursor } from './line-cursor.ts';
import { refusal, type Refusal } from './refusal-codes.ts';

/** What a binary file looks like, in both languages. */
export interface BinaryKind { kindTh: string; kindEn: string }

const GENERIC_BINARY: BinaryKind = { kindTh: 'แฟ้มไบนารี', kindEn: 'binary data' };

// Magic numbers of what finance offices upload by mistake: the scanned PDF, the spreadsheet, a photo.
const MAGIC: ReadonlyArray<{ bytes: readonly number[]; kind: BinaryKind }> = [
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], kind: { kindTh: 'เอกสาร PDF', kindEn: 'a PDF document' } },
  { bytes: [0x50, 0x4b, 0x03, 0x04], kind: { kindTh: 'แฟ้ม ZIP หรือ Excel .xlsx', kindEn: 'a ZIP archive or Excel .xlsx workbook' } },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], kind: { kindTh: 'แฟ้ม Excel .xls หรือ Word .doc', kindEn: 'an Excel .xls or Word .doc file' } },
  { bytes: [0x89, 0x50, 0x4e, 0x47], kind: { kindTh: 'รูปภาพ PNG', kindEn: 'a PNG image' } },
  { bytes: [0xff, 0xd8, 0xff], kind: { kindTh: 'รูปภาพ JPEG', kindEn: 'a JPEG image' } },
  { bytes: [0x1f, 0x8b], kind: { kindTh: 'แฟ้มบีบอัด gzip', kindEn: 'a gzip archive' } },
];

const startsWithBytes = (b: Uint8Array, magic: readonly number[]): boolean => b.length >= magic.length && magic.every((m, i) => b[i] === m);

/** The kind of a well-known binary file from its first bytes, or null. */
export function knownBinaryKind(bytes: Uint8Array): BinaryKind | null {
  for (const m of MAGIC) if (startsWithBytes(bytes, m.bytes)) return m.kind;
  return null;
}

/** `UTF-16LE`/`UTF-16BE` when the bytes start with a UTF-16 byte-order mark (Excel's "Unicode text"), else null. */
export function utf16Bom(bytes: Uint8Array): string | null {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16LE';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16BE';
  return null;
}

const SAMPLE_CHARS = 8192;
/** Share of control or undecodable characters above which decoded content is treated as binary. */
export const BINARY_CONTROL_RATIO = 0.1;

/**
 * Why decoded text is binary, or null when it reads as text: a NUL character, a known magic
 * prefix, or more than {@link BINARY_CONTROL_RATIO} of the first 8 KiB being control characters or
 * U+FFFD (bytes Windows-874 leaves undefined). Tab, CR, LF, form feed and DOS Ctrl-Z are text.
 */
export function binaryKindOfText(text: string): BinaryKind | null {
  if (text.startsWith('%PDF-')) return MAGIC[0]!.kind;
  if (text.startsWith('PK\u0003\u0004')) return MAGIC[1]!.kind;
  const n = Math.min(text.length, SAMPLE_CHARS);
  let suspicious = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return GENERIC_BINARY;
    if ((c < 32 && c !== 9 && c !== 10 && c !== 12 && c !== 13 && c !== 26) || c === 127 || c === 0xfffd) suspicious++;
  }
  return suspicious > n * BINARY_CONTROL_RATIO ? GENERIC_BINARY : null;
}

/** True when the text has nothing but white space (or a BOM). */
export function isBlankText(text: string): boolean {
  return isBlankLine(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
}

/** The expected formats joined into one phrase per language, for `{expected}`. */
export function expectedPhrase(expected: readonly Bilingual[]): { expectedTh: string; expectedEn: string } {
  // One format may plug in twice (the report as CSV and as XLSX): name it once.
  const unique = expected.filter((e, i) => expected.findIndex((o) => o.th === e.th && o.en === e.en) === i);
  return { expectedTh: unique.map((e) => e.th).join(' หรือ '), expectedEn: unique.map((e) => e.en).join(' or ') };
}

/** A refusal whose message names the expected formats (the Thai and English templates get their own phrase). */
export function refusalExpecting(code: Refusal['code'], expected: readonly Bilingual[], vars: Readonly<Record<string, string>> = {}): Refusal {
  const { expectedTh, expectedEn } = expectedPhrase(expected);
  const th = refusal(code, { ...vars, expected: expectedTh }).message.th;
  const en = refusal(code, { ...vars, expected: expectedEn }).message.en;
  return { code, message: { th, en } };
}

/** The start of the first non-blank line, control characters shown as `·` and long digit runs masked, for messages. */
export function firstLineSnippet(text: string, max = 30): string {
  const cursor = new LineCursor(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  while (cursor.next() && isBlankLine(cursor.line));
  let out = '';
  const line = cursor.line.trim();
  for (let i = 0; i < line.length && out.length < max; i++) {
    const c = line.charCodeAt(i);
    out += c < 32 || c === 127 ? '·' : line[i];
  }
  return maskDigitsInText(out) + (line.length > max ? '…' : '');
}

/** The refusal for content no format recognised: empty, binary, or unknown, naming what was expected. */
export function contentRefusal(text: string, expected: readonly Bilingual[]): Refusal {
  if (isBlankText(text)) return refusalExpecting('PW_ERR_EMPTY_FILE', expected);
  const kind = binaryKindOfText(text);
  if (kind) return refusalExpecting('PW_ERR_BINARY_FILE', expected, { ...kind });
  return refusalExpecting('PW_ERR_UNKNOWN_FORMAT', expected, { firstLine: firstLineSnippet(text) });
}
