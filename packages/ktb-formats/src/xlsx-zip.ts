/** Just enough of the ZIP format to look at an XLSX's central directory before anything is inflated. */

/** One entry of a ZIP central directory, with the sizes it declares. */
export interface ZipEntry { name: string; compressedSize: number; uncompressedSize: number; localHeaderOffset: number; crc32: number }

const EOCD_SIG = 0x06054b50;
const CD_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const ZIP64_MARK = 0xffffffff;

/** Where the end-of-central-directory record starts (it may be followed by a comment of up to 64 KiB), or -1. */
function endOfCentralDirectory(view: DataView): number {
  for (let i = view.byteLength - 22; i >= Math.max(0, view.byteLength - 22 - 65_535); i--) {
    if (view.getUint32(i, true) === EOCD_SIG) return i;
  }
  return -1;
}

/** The entries of a ZIP's central directory, or null when there is none to read (not a ZIP, or truncated). */
export function zipEntries(bytes: Uint8Array): ZipEntry[] | null {
  if (bytes.length < 22) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = endOfCentralDirectory(view);
  if (eocd < 0) return null;
  const count = view.getUint16(eocd + 10, true);
  let at = centralDirectoryStart(view, eocd);
  const entries: ZipEntry[] = [];
  const names = new TextDecoder('utf-8');
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CD_SIG) return null;
    const nameLen = view.getUint16(at + 28, true);
    const extraLen = view.getUint16(at + 30, true);
    const commentLen = view.getUint16(at + 32, true);
    if (at + 46 + nameLen > bytes.length) return null;
    entries.push({
      name: names.decode(bytes.subarray(at + 46, at + 46 + nameLen)),
      crc32: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      uncompressedSize: view.getUint32(at + 24, true),
      localHeaderOffset: view.getUint32(at + 42, true),
    });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

const centralDirectoryStart = (view: DataView, eocd: number): number => view.getUint32(eocd + 16, true);

/** Reading order for a streaming XLSX reader: what a worksheet's cells refer to first, then the sheets by number. */
function readingRank(name: string): number {
  if (name === 'xl/_rels/workbook.xml.rels') return 0;
  if (name === 'xl/workbook.xml') return 1;
  if (name === 'xl/sharedStrings.xml') return 2;
  if (name === 'xl/styles.xml') return 3;
  const sheet = /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(name);
  return sheet ? 4 + Number(sheet[1]) : -1;
}

/** True when the streaming reader inflates this part (entriesInReadingOrder passes it on). */
export const isReadPart = (name: string): boolean => readingRank(name) >= 0;

/**
 * The ZIP's local entries that a streaming XLSX reader needs, re-ordered so the workbook, its
 * relationships, shared strings and styles come before any worksheet. Nothing is inflated: each
 * entry's bytes (local header, data, data descriptor) are sliced as they are. Why: ZIP does not fix
 * the order of entries, and exceljs's streaming reader fails ("reading 'sheets'") when a worksheet
 * comes before `xl/workbook.xml`, and spools sheets to temp files when they come before the shared
 * strings. Returns null when an offset is out of range (damaged, or ZIP64).
 */
export function entriesInReadingOrder(bytes: Uint8Array, entries: readonly ZipEntry[]): Uint8Array[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = endOfCentralDirectory(view);
  if (eocd < 0) return null;
  const cdStart = centralDirectoryStart(view, eocd);
  const starts = [...new Set(entries.map((e) => e.localHeaderOffset))].sort((a, b) => a - b);
  if (starts.some((o) => o >= cdStart || o + 30 > bytes.length || view.getUint32(o, true) !== LOCAL_SIG)) return null;
  const endOf = (start: number): number => starts.find((o) => o > start) ?? cdStart;
  return entries
    .map((e) => ({ e, rank: readingRank(e.name) }))
    .filter((x) => x.rank >= 0)
    .sort((a, b) => a.rank - b.rank)
    .map(({ e }) => bytes.subarray(e.localHeaderOffset, endOf(e.localHeaderOffset)));
}

export const isPkZip = (b: Uint8Array): boolean => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/** True when the bytes are a ZIP whose central directory lists `xl/workbook.xml` (an XLSX workbook). */
export function isXlsx(bytes: Uint8Array): boolean {
  if (!isPkZip(bytes)) return false;
  const entries = zipEntries(bytes);
  return entries !== null && entries.some((e) => e.name === 'xl/workbook.xml');
}

/**
 * The declared uncompressed bytes of what the reader inflates: the worksheets, the shared strings, the
 * workbook, its relationships and the styles. A ZIP64 size marker counts as infinite (refused).
 */
export function declaredSheetBytes(entries: readonly ZipEntry[]): number {
  let total = 0;
  for (const e of entries) {
    if (!(e.name.startsWith('xl/worksheets/') || isReadPart(e.name))) continue;
    if (e.uncompressedSize === ZIP64_MARK || e.compressedSize === ZIP64_MARK) return Number.POSITIVE_INFINITY;
    total += e.uncompressedSize;
  }
  return total;
}
