/** Just enough of the ZIP format to look at an XLSX's central directory before anything is inflated. */

/** One entry of a ZIP central directory, with the sizes it declares. */
export interface ZipEntry { name: string; compressedSize: number; uncompressedSize: number }

const EOCD_SIG = 0x06054b50;
const CD_SIG = 0x02014b50;
const ZIP64_MARK = 0xffffffff;

/** The entries of a ZIP's central directory, or null when there is none to read (not a ZIP, or truncated). */
export function zipEntries(bytes: Uint8Array): ZipEntry[] | null {
  if (bytes.length < 22) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i--) {
    if (view.getUint32(i, true) === EOCD_SIG) { eocd = i; break; }
  }
  if (eocd < 0) return null;
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
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
      compressedSize: view.getUint32(at + 20, true),
      uncompressedSize: view.getUint32(at + 24, true),
    });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

const isPkZip = (b: Uint8Array): boolean => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/** True when the bytes are a ZIP whose central directory lists `xl/workbook.xml` (an XLSX workbook). */
export function isXlsx(bytes: Uint8Array): boolean {
  if (!isPkZip(bytes)) return false;
  const entries = zipEntries(bytes);
  return entries !== null && entries.some((e) => e.name === 'xl/workbook.xml');
}

/**
 * The declared uncompressed bytes of what the reader inflates to read cells: the worksheets and the
 * shared strings. A ZIP64 size marker counts as infinite (refused).
 */
export function declaredSheetBytes(entries: readonly ZipEntry[]): number {
  let total = 0;
  for (const e of entries) {
    if (!(e.name.startsWith('xl/worksheets/') || e.name === 'xl/sharedStrings.xml')) continue;
    if (e.uncompressedSize === ZIP64_MARK || e.compressedSize === ZIP64_MARK) return Number.POSITIVE_INFINITY;
    total += e.uncompressedSize;
  }
  return total;
}
