/**
 * Checks, before a workbook is read, that the parts the sheet reader will read are whole. exceljs's streaming
 * reader never closes its XML parser, so a worksheet whose XML stops half-way is read as the rows before the cut,
 * without an error: the file would be half-accepted silently. Each worksheet and the shared strings are inflated
 * once, as a stream and without being kept, and must inflate cleanly, match the CRC-32 and size the central
 * directory declares, and end with their root element's closing tag. Every other part the reader inflates
 * (workbook, relationships, styles) is inflated once too, only to bound it. Inflated bytes are counted as they come
 * out and inflating stops the moment they pass the declared size (or the limit): a part that claims 5,000 bytes and
 * inflates to 1 GiB costs 5,000 bytes of work, not a second of CPU.
 */
import { Readable } from 'node:stream';
import { createInflateRaw, crc32 } from 'node:zlib';
import { isReadPart, type ZipEntry } from './xlsx-zip.ts';

const LOCAL_SIG = 0x04034b50;
/** The parts the reader inflates to read cells, and the closing tag each must end with (any namespace prefix). */
const CHECKED: ReadonlyArray<{ name: RegExp; root: string }> = [
  { name: /^xl\/worksheets\/sheet\d+\.xml$/, root: 'worksheet' },
  { name: /^xl\/sharedStrings\.xml$/, root: 'sst' },
];
const TAIL_BYTES = 256;

/**
 * The problem with one part, in words (no file content in it), or null when it is whole. `root` names the element
 * the part must close with; without it only the bound (and a clean inflate) is checked.
 */
async function partProblem(bytes: Uint8Array, e: ZipEntry, root: string | null, maxBytes: number): Promise<string | null> {
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
  const bound = Math.min(e.uncompressedSize, maxBytes);
  const tooBig = () => (size > e.uncompressedSize ? `${e.name}: inflates past the ${e.uncompressedSize} bytes declared` : `${e.name}: inflates past the ${maxBytes}-byte limit`);
  if (method === 0) {
    if (data.length > bound) { size = data.length; return tooBig(); }
    take(data);
  } else if (method === 8) {
    // Fed in small slices and read chunk by chunk: the inflater never runs far ahead of the count, and leaving the
    // loop destroys it, so nothing past the bound is inflated.
    const inflater = Readable.from(slices(data, 16 * 1024)).pipe(createInflateRaw({ chunkSize: 16 * 1024 }));
    try {
      for await (const chunk of inflater) {
        const c = chunk as Buffer;
        if (size + c.length > bound) { size += c.length; return tooBig(); }
        take(c);
      }
    } catch (err) {
      return `${e.name}: ${(err as Error).message}`;
    } finally {
      inflater.destroy();
    }
  } else return `${e.name}: compression method ${method} is not supported`;
  if (root === null) return size === e.uncompressedSize ? null : `${e.name}: ${size} bytes where ${e.uncompressedSize} are declared`;
  if (crc !== e.crc32) return `${e.name}: CRC-32 differs from the one declared`;
  if (size !== e.uncompressedSize) return `${e.name}: ${size} bytes where ${e.uncompressedSize} are declared`;
  const end = new TextDecoder('latin1').decode(tail);
  if (!new RegExp(`</(?:[\\w.-]+:)?${root}>\\s*$`).test(end)) return `${e.name}: the XML stops before its closing </${root}>`;
  return null;
}

/** Slices of a buffer, without copying. */
function* slices(data: Uint8Array, size: number): Generator<Buffer> {
  for (let at = 0; at < data.length; at += size) yield Buffer.from(data.buffer, data.byteOffset + at, Math.min(size, data.length - at));
}

/**
 * Why the parts of a workbook the reader inflates are not whole or not bounded, or null when they are: each must
 * inflate to at most what it declares and at most `maxBytes`; worksheets and shared strings must also match their
 * CRC-32 and declared size exactly and end with their closing tag.
 */
export async function incompleteSheetPart(bytes: Uint8Array, entries: readonly ZipEntry[], maxBytes: number): Promise<string | null> {
  for (const e of entries) {
    const checked = CHECKED.find((c) => c.name.test(e.name));
    if (!checked && !isReadPart(e.name)) continue;
    const problem = await partProblem(bytes, e, checked?.root ?? null, maxBytes);
    if (problem !== null) return problem;
  }
  return null;
}
