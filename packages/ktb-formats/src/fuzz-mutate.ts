/** Byte mutations for the fuzzer: what damaged uploads look like (bit rot, cut files, pasted Thai text, a runaway line). */
import { SeededRandom } from './seeded-random.ts';

/** One mutation: its name (for the crash report) and the bytes it makes. */
export interface Mutation { name: string; apply(bytes: Uint8Array, dice: SeededRandom): Uint8Array }

/** Thai text as Windows-874 bytes (one byte a character) and as UTF-8, plus the broken shapes between them. */
const THAI_SPLICES: readonly (readonly number[])[] = [
  [0xca, 0xd3, 0xe0, 0xc3, 0xe7, 0xa8], // สำเร็จ in Windows-874
  [0xbb, 0xa1, 0xd4, 0xe0, 0xca, 0xb8], // ปฏิเสธ in Windows-874
  [0xe0, 0xb8, 0xaa, 0xe0, 0xb8, 0xb3], // สำ in UTF-8
  [0xe0, 0xb8], // a UTF-8 sequence cut in the middle
  [0xe0, 0xb9, 0x90, 0xe0, 0xb9, 0x99], // Thai digits ๐๙ in UTF-8
  [0xef, 0xbb, 0xbf], // a BOM in the middle of the file
  [0xfc, 0xfd, 0xfe, 0xff], // bytes Windows-874 leaves undefined
  [0xe2, 0x80, 0x8b], // zero-width space
];
/** Characters that change how a line or a cell is cut. */
const STRUCTURAL = [0x22, 0x2c, 0x3b, 0x09, 0x0d, 0x0a, 0x00, 0x1a, 0x2d, 0x28, 0x29, 0x2e, 0x30, 0x39] as const;

const insertAt = (bytes: Uint8Array, at: number, chunk: ArrayLike<number>): Uint8Array => {
  const out = new Uint8Array(bytes.length + chunk.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(chunk, at);
  out.set(bytes.subarray(at), at + chunk.length);
  return out;
};
const removeRange = (bytes: Uint8Array, from: number, to: number): Uint8Array => {
  const out = new Uint8Array(bytes.length - (to - from));
  out.set(bytes.subarray(0, from), 0);
  out.set(bytes.subarray(to), from);
  return out;
};
const pos = (bytes: Uint8Array, dice: SeededRandom): number => dice.int(0, bytes.length);

/** Every mutation the fuzzer draws from, with equal chance. */
export const MUTATIONS: readonly Mutation[] = [
  { name: 'flip-bit', apply: (b, d) => { if (b.length === 0) return b; const o = b.slice(); const at = d.int(0, b.length - 1); o[at] = o[at]! ^ (1 << d.int(0, 7)); return o; } },
  { name: 'set-byte', apply: (b, d) => { if (b.length === 0) return b; const o = b.slice(); o[d.int(0, b.length - 1)] = d.int(0, 255); return o; } },
  { name: 'insert-random', apply: (b, d) => insertAt(b, pos(b, d), Array.from({ length: d.int(1, 16) }, () => d.int(0, 255))) },
  { name: 'insert-structural', apply: (b, d) => insertAt(b, pos(b, d), Array.from({ length: d.int(1, 4) }, () => d.pick(STRUCTURAL))) },
  { name: 'delete-range', apply: (b, d) => { const from = pos(b, d); return removeRange(b, from, Math.min(b.length, from + d.int(1, 600))); } },
  { name: 'truncate', apply: (b, d) => b.slice(0, pos(b, d)) },
  { name: 'splice-thai', apply: (b, d) => insertAt(b, pos(b, d), d.pick(THAI_SPLICES)) },
  { name: 'overwrite-thai', apply: (b, d) => { const chunk = d.pick(THAI_SPLICES); const at = pos(b, d); const o = b.slice(); o.set(chunk.slice(0, Math.max(0, o.length - at)), at); return o; } },
  {
    // A copied stretch of the file pasted elsewhere: duplicated lines, a header in the middle, a half row.
    name: 'splice-self',
    apply: (b, d) => { const from = pos(b, d); const chunk = b.slice(from, Math.min(b.length, from + d.int(1, 1200))); return insertAt(b, pos(b, d), chunk); },
  },
  {
    // A line with no end, longer than any limit (100,000 characters by default): runs of one byte, quotes or delimiters.
    name: 'huge-line',
    apply: (b, d) => insertAt(b, pos(b, d), new Uint8Array(d.int(100_001, 140_000)).fill(d.pick([0x41, 0x22, 0x2c, 0x20, 0x30, 0xa1] as const))),
  },
  { name: 'drop-line-ends', apply: (b) => b.filter((x) => x !== 0x0a) },
];

/** Applies 1 to `max` mutations drawn with `dice`; returns the bytes and the names of what was done. */
export function mutate(bytes: Uint8Array, dice: SeededRandom, max = 4): { bytes: Uint8Array; applied: string[] } {
  let out = bytes;
  const applied: string[] = [];
  for (let n = dice.int(1, max); n > 0; n--) {
    const m = dice.pick(MUTATIONS);
    out = m.apply(out, dice);
    applied.push(m.name);
  }
  return { bytes: out, applied };
}
