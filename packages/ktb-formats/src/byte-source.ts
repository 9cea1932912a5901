/**
 * Bytes of an upload that can be read more than once, a chunk at a time: a file on disk, or bytes already in
 * memory. The text parsers read a file in two or three passes (encoding, LAO and limits, then rows) so that a
 * whole-file refusal never follows row events, without ever holding the whole file.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Re-readable bytes. */
export interface ByteSource {
  /** The bytes from the start, in order; each call starts over. Chunks stay valid after the next is read. */
  chunks(): Iterable<Uint8Array>;
}

/** Bytes read per chunk by default: large enough that per-chunk costs vanish, small enough to keep memory flat. */
export const CHUNK_BYTES = 1 << 20;

/** Bytes in memory as a source (views, no copies). */
export function bytesSource(bytes: Uint8Array, chunkBytes = CHUNK_BYTES): ByteSource {
  return {
    *chunks() {
      for (let at = 0; at < bytes.length; at += chunkBytes) yield bytes.subarray(at, Math.min(bytes.length, at + chunkBytes));
    },
  };
}

/**
 * A file as a source, read synchronously: the parsers are synchronous generators, and a 1 MiB read from a
 * local file takes about a millisecond, less than parsing the rows in it. The file is closed when a pass
 * ends or is abandoned.
 */
export function fileSource(path: string, chunkBytes = CHUNK_BYTES): ByteSource {
  return {
    *chunks() {
      const fd = openSync(path, 'r');
      try {
        const size = fstatSync(fd).size;
        for (let at = 0; at < size; ) {
          const buf = Buffer.allocUnsafe(Math.min(chunkBytes, size - at));
          const n = readSync(fd, buf, 0, buf.length, at);
          if (n === 0) break; // the file shrank under us: what was there is what we read
          at += n;
          yield new Uint8Array(buf.buffer, buf.byteOffset, n);
        }
      } finally {
        closeSync(fd);
      }
    },
  };
}

/** At least the first `n` bytes of a source (fewer only when it is shorter), for magic numbers and a BOM. */
export function headBytes(source: ByteSource, n = 4096): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const c of source.chunks()) {
    parts.push(c);
    size += c.length;
    if (size >= n) break;
  }
  return parts.length === 1 ? parts[0]! : concatBytes(parts, size);
}

/** The parts one after another in a new array of `size` bytes (their total). */
export function concatBytes(parts: readonly Uint8Array[], size = parts.reduce((n, p) => n + p.length, 0)): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** Every byte of a source in one array (for formats that need the whole file, such as a ZIP's directory at its end). */
export function readAll(source: ByteSource): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const c of source.chunks()) { parts.push(c); size += c.length; }
  return parts.length === 1 ? parts[0]! : concatBytes(parts, size);
}
