/**
 * Checks, before a workbook is read, that the parts the sheet reader will read are whole. exceljs's streaming
 * reader never closes its XML parser, so a worksheet whose XML stops half-way is read as the rows before the cut,
 * without an error: the file would be half-accepted silently. Each worksheet and the shared strings are inflated
 * once, as a stream and without being kept, and must inflate cleanly, match the CRC-32 and size the central
 * directory declares, and end with their root element's closing tag.
 */
import { Readable } from 'node:stream';
import { createInflateRaw, crc32 } from 'node:zlib';
import type { ZipEntry } from './xlsx-zip.ts';

const LOCAL_SIG = 0x04034b50;
/** The parts the reader inflates to read cells, and the closing tag each must end with (any namespace prefix). */
const CHECKED: ReadonlyArray<{ name: RegExp; root: string }> = [
  { name: /^xl\/worksheets\/sheet\d+\.xml$/, root: 'worksheet' },
  { name: /^xl\/sharedStrings\.xml$/, root: 'sst' },
];
const TAIL_BYTES = 256;

/** The problem with one part, in words (no file content in it), or null when it is whole. */
async function partProblem(bytes: Uint8Array, e: ZipEntry, root: string): Promise<string | null> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = e.localHeaderOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL_SIG) return `${e.name}: no local header`;
  const method = view.getUint16(at + 8, true);
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (start + e.compressedSize > bytes.length) return `${e.name}: data beyond the end of the file`;
  const data = bytes.subarray(start, start + e.compressedSize);
  let crc = 0, size = 0;
  let tail = new Uint8Array(0);
  const take = (chunk: Uint8Array) => {
    crc = crc32(chunk, crc);
    size += chunk.length;
    const joined = new Uint8Array(tail.length + chunk.length);
    joined.set(tail, 0);
    joined.set(chunk, tail.length);
    tail = joined.slice(Math.max(0, joined.length - TAIL_BYTES));
  };
  if (method === 0) take(data);
  else if (method === 8) {
    try {
      for await (const chunk of Readable.from([Buffer.from(data.buffer, data.byteOffset, data.byteLength)]).pipe(createInflateRaw())) take(chunk as Buffer);
    } catch (err) {
      return `${e.name}: ${(err as Error).message}`;
    }
  } else return `${e.name}: compression method ${method} is not supported`;
  if (crc !== e.crc32) return `${e.name}: CRC-32 differs from the one declared`;
  if (size !== e.uncompressedSize) return `${e.name}: ${size} bytes where ${e.uncompressedSize} are declared`;
  const end = new TextDecoder('latin1').decode(tail);
  if (!new RegExp(`</(?:[\\w.-]+:)?${root}>\\s*$`).test(end)) return `${e.name}: the XML stops before its closing </${root}>`;
  return null;
}

/** Why the worksheets or shared strings of a workbook are not whole, or null when they are. */
export async function incompleteSheetPart(bytes: Uint8Array, entries: readonly ZipEntry[]): Promise<string | null> {
  for (const e of entries) {
    const checked = CHECKED.find((c) => c.name.test(e.name));
    if (!checked) continue;
    const problem = await partProblem(bytes, e, checked.root);
    if (problem !== null) return problem;
  }
  return null;
}
