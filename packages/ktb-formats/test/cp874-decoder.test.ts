// The table decoder against iconv-lite's cp874 (what decodeBytes used before): the same text for every byte value,
// for random bytes at every alignment, and for real bulk files.
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { cp874Decoder } from '../src/cp874-decoder.ts';
import { encodeText, generateBulkBatch, renderKtbBulk } from '../src/index.ts';
import { LAO } from './helpers.ts';

const viaIconv = (b: Uint8Array): string => iconv.decode(Buffer.from(b.buffer, b.byteOffset, b.byteLength), 'cp874');

describe('cp874Decoder', () => {
  it('when every byte value is decoded, alone and in one run, then each gives iconv-lite’s character', () => {
    const decode = cp874Decoder();
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (let i = 0; i < 256; i++) expect(decode(all.subarray(i, i + 1))).toBe(viaIconv(all.subarray(i, i + 1)));
    const many = new Uint8Array(256 * 8).map((_, i) => i & 0xff);
    expect(decode(many)).toBe(viaIconv(many));
  });

  it('when random bytes start at any offset of their buffer and have any length, then the text equals iconv-lite’s', () => {
    const decode = cp874Decoder();
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 2_000, size: 'max' }), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 }), fc.boolean(), (body, offset, tail, ascii) => {
        const bytes = ascii ? body.map((b, i) => (i % 17 === 0 ? b : b & 0x7f)) : body;
        const buf = new Uint8Array(offset + bytes.length + tail).fill(0xa1);
        buf.set(bytes, offset);
        const view = buf.subarray(offset, offset + bytes.length);
        expect(decode(view)).toBe(viaIconv(view));
      }),
      { numRuns: 2_000 },
    );
  });

  it('when a generated bulk file in Windows-874 is decoded, then it reads back as the text it was written from', () => {
    const g = generateBulkBatch({ seed: 3, ...LAO, rows: 500, effectiveDate: '2026-10-05' });
    const bytes = renderKtbBulk(g.spec, { encoding: 'windows-874', eol: '\r\n' });
    const text = cp874Decoder()(bytes);
    expect(text).toBe(viaIconv(bytes));
    expect(encodeText(text, 'windows-874')).toEqual(bytes);
    expect(text).toContain(g.records[0]!.payeeName);
  });
});
