/**
 * Whole ZIP entries in and out, for the fuzzer, tests and benchmarks (never for uploads, which are only ever
 * streamed after the checks in xlsx-zip.ts): inflate every entry, and write entries back as a plain ZIP.
 */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { zipEntries } from './xlsx-zip.ts';

/** One file of a ZIP, uncompressed. */
export interface ZipPart { name: string; data: Uint8Array }

/** The entries of a ZIP, inflated; null when it cannot be read (only stored and deflated entries are). */
export function unzipParts(bytes: Uint8Array): ZipPart[] | null {
  const entries = zipEntries(bytes);
  if (entries === null) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: ZipPart[] = [];
  for (const e of entries) {
    const at = e.localHeaderOffset;
    if (at + 30 > bytes.length) return null;
    const method = view.getUint16(at + 8, true);
    const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    const raw = bytes.subarray(start, start + e.compressedSize);
    if (method === 0) parts.push({ name: e.name, data: raw.slice() });
    else if (method === 8) parts.push({ name: e.name, data: new Uint8Array(inflateRawSync(raw)) });
    else return null;
  }
  return parts;
}

/** A ZIP of `parts`, deflated, without data descriptors: the layout every reader accepts. */
export function zipParts(parts: readonly ZipPart[]): Uint8Array {
  const enc = new TextEncoder();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = enc.encode(p.name);
    const data = new Uint8Array(deflateRawSync(p.data));
    const crc = crc32(p.data);
    const local = new Uint8Array(30 + name.length + data.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true); lv.setUint16(4, 20, true); lv.setUint16(6, 0x0800, true); lv.setUint16(8, 8, true);
    lv.setUint32(14, crc, true); lv.setUint32(18, data.length, true); lv.setUint32(22, p.data.length, true); lv.setUint16(26, name.length, true);
    local.set(name, 30);
    local.set(data, 30 + name.length);
    const central = new Uint8Array(46 + name.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true); cv.setUint16(4, 20, true); cv.setUint16(6, 20, true); cv.setUint16(8, 0x0800, true); cv.setUint16(10, 8, true);
    cv.setUint32(16, crc, true); cv.setUint32(20, data.length, true); cv.setUint32(24, p.data.length, true); cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    central.set(name, 46);
    locals.push(local);
    centrals.push(central);
    offset += local.length;
  }
  const cdSize = centrals.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true); ev.setUint16(8, parts.length, true); ev.setUint16(10, parts.length, true);
  ev.setUint32(12, cdSize, true); ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + cdSize + 22);
  let w = 0;
  for (const c of [...locals, ...centrals, end]) { out.set(c, w); w += c.length; }
  return out;
}
