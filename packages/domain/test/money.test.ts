import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatSatangAsBaht, parseBahtToSatang, parseSatangDigits } from '../src/index.ts';

describe('parseBahtToSatang', () => {
  it('when the text has separators and decimals, then it is exact satang', () => {
    expect(parseBahtToSatang('1,234,567.50')).toEqual({ ok: true, satang: 123456750 });
    expect(parseBahtToSatang('0.1')).toEqual({ ok: true, satang: 10 });
    expect(parseBahtToSatang('600')).toEqual({ ok: true, satang: 60000 });
  });
  it('when the text uses Thai digits, then it parses like ASCII digits', () => {
    expect(parseBahtToSatang('๑,๒๓๔.๕๐')).toEqual({ ok: true, satang: 123450 });
  });
  it('when the amount is negative or parenthesised, then it is refused as negative', () => {
    expect(parseBahtToSatang('-5.00')).toEqual({ ok: false, error: 'negative' });
    expect(parseBahtToSatang('(5.00)')).toEqual({ ok: false, error: 'negative' });
  });
  it('when the text is malformed, then it is refused', () => {
    expect(parseBahtToSatang('1,23.00').ok).toBe(false);
    expect(parseBahtToSatang('12.345')).toEqual({ ok: false, error: 'too-many-decimals' });
    expect(parseBahtToSatang('')).toEqual({ ok: false, error: 'empty' });
  });
  it('when amounts are large, then no floating-point rounding creeps in', () => {
    // 0.29 * 100 is 28.999999999999996 in floating point: string arithmetic must give 29.
    expect(parseBahtToSatang('0.29')).toEqual({ ok: true, satang: 29 });
    expect(parseBahtToSatang('90,071,992,547,409.91')).toEqual({ ok: true, satang: 9007199254740991 });
  });
  it('formats and parses back to the same satang for any safe amount', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 999_999_999_999_99 }), (satang) => {
      expect(parseBahtToSatang(formatSatangAsBaht(satang))).toEqual({ ok: true, satang });
    }));
  });
  it('reads zero-padded fixed-width satang digits', () => {
    expect(parseSatangDigits('00000000000123450')).toBe(123450);
    expect(parseSatangDigits('00000000000012A45')).toBeNull();
  });
});
