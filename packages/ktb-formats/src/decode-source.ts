/**
 * Decoding a {@link ByteSource} a chunk at a time, with the same result as decodeBytes on the whole file:
 * UTF-8 with BOM (BOM removed, damaged sequences become U+FFFD), else valid UTF-8, else Windows-874.
 */
import { isUtf8 } from 'node:buffer';
import { concatBytes, type ByteSource } from './byte-source.ts';
import { cp874Decoder } from './cp874-decoder.ts';
import type { TextEncoding } from './decode-bytes.ts';
import { headOf, HEAD_CHARS, type TextSource } from './text-source.ts';

const hasUtf8Bom = (b: Uint8Array): boolean => b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;

/** Bytes at the end of `b` that start a UTF-8 sequence the next chunk completes (0 when it ends on a boundary). */
function incompleteTail(b: Uint8Array): number {
  let i = b.length - 1;
  let continuation = 0;
  while (i >= 0 && continuation < 3 && (b[i]! & 0xc0) === 0x80) { i--; continuation++; }
  if (i < 0) return 0;
  const lead = b[i]!;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return need > continuation + 1 ? continuation + 1 : 0;
}

/** True when every byte of the source is valid UTF-8 (node's validator, chunk by chunk; a sequence may straddle chunks). */
function isUtf8Source(source: ByteSource): boolean {
  let carry: Uint8Array = new Uint8Array(0);
  for (const chunk of source.chunks()) {
    const buf = carry.length > 0 ? concatBytes([carry, chunk]) : chunk;
    const cut = buf.length - incompleteTail(buf);
    if (!isUtf8(buf.subarray(0, cut))) return false;
    carry = buf.slice(cut);
  }
  return carry.length === 0;
}

/** The encoding of a source (one pass over it unless it starts with a BOM). */
export function sourceEncoding(source: ByteSource, first: Uint8Array): TextEncoding {
  if (hasUtf8Bom(first)) return 'utf-8-bom';
  return isUtf8Source(source) ? 'utf-8' : 'windows-874';
}

/** Decodes one piece that ends at a line end (or the file's end), so no character is ever split between pieces. */
function decoderFor(encoding: TextEncoding): (bytes: Uint8Array) => string {
  if (encoding === 'windows-874') return cp874Decoder();
  // Lenient after a BOM (as decodeBytes); a file found valid needs no fatal mode. A `\n` byte never sits inside
  // a UTF-8 sequence, so a damaged sequence before it decodes to U+FFFD here exactly as in the whole file.
  const d = new TextDecoder('utf-8', { ignoreBOM: true });
  return (b) => d.decode(b);
}

/**
 * The decoded text of a source in chunks that each end just after a `\n`. The bytes are cut at their last
 * `\n` byte (0x0A is a whole character in both encodings) and each piece decoded on its own: every chunk is a
 * flat string straight from the decoder, which the parsers' char-by-char reads are fastest on.
 */
function* decodedChunks(source: ByteSource, encoding: TextEncoding): Generator<string, void, undefined> {
  const decode = decoderFor(encoding);
  let carry: Uint8Array = new Uint8Array(0);
  let bomLeft = encoding === 'utf-8-bom' ? 3 : 0;
  for (let chunk of source.chunks()) {
    if (bomLeft > 0) {
      // The BOM's three bytes are dropped, as decodeBytes does, even when a tiny chunk splits them.
      const skip = Math.min(bomLeft, chunk.length);
      chunk = chunk.subarray(skip);
      bomLeft -= skip;
    }
    const nl = chunk.lastIndexOf(0x0a);
    if (nl === -1) { carry = concatBytes([carry, chunk]); continue; }
    let from = 0;
    if (carry.length > 0) {
      // Only the line that straddles the cut is copied (the carry and this chunk up to its first line end), not the
      // whole chunk: it goes out as a small piece of its own, and the rest of the chunk is decoded in place.
      const first = chunk.indexOf(0x0a);
      yield decode(concatBytes([carry, chunk.subarray(0, first + 1)]));
      from = first + 1;
    }
    if (from <= nl) yield decode(chunk.subarray(from, nl + 1));
    carry = chunk.slice(nl + 1);
  }
  if (carry.length > 0) yield decode(carry);
}

/** A source's text, decoded in `encoding`, as a {@link TextSource}; the head is read now (one partial pass). */
export function decodedSource(source: ByteSource, encoding: TextEncoding): TextSource {
  const chunks = () => decodedChunks(source, encoding);
  const parts: string[] = [];
  let length = 0;
  for (const c of chunks()) {
    parts.push(c);
    length += c.length;
    if (length >= HEAD_CHARS) break;
  }
  return { head: headOf(parts.join('')), chunks };
}
