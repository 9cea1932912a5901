// The parser's fast paths stand in for domain helpers; these properties hold them equal on random input.
import fc from 'fast-check';
import { BANKS, cleanText, isValidThaiId, normaliseAccount, normaliseThaiId, parseSatangDigits } from '@paywatch/domain';
import { describe, expect, it } from 'vitest';
import { cleanField, thaiIdField, thaiIdInText, trimmedField } from '../src/fixed-width.ts';
import { BANK_INFO, parseKtbBulk } from '../src/parse-ktb-bulk.ts';
import { KTB_BULK_DETAIL as D, generateBulkBatch, renderKtbBulkText } from '../src/index.ts';
import { LAO, collect, withField } from './helpers.ts';

// Characters that exercise every branch: Thai, ASCII, each kind of white space, zero-width, digits.
const TRICKY = [...'กขฃคซญฎฏฐัาำิีุู่้๊๋็์๑๒๐ aZ.-1234567890', ' ', ' ', '\t', '\u00a0', '\u3000', '\u200b', '\u00ad', '\ufeff', '\u2028', '\u0001'];
const tricky = (maxLength: number) => fc.array(fc.constantFrom(...TRICKY), { maxLength }).map((cs) => cs.join(''));
/** A string with `field` somewhere inside it. */
const framed = (field: fc.Arbitrary<string>) => fc.tuple(tricky(5), field, tricky(5));

describe('fixed-width readers match the domain helpers', () => {
  it('when any text fills a name field, then cleanField equals cleanText of the slice', () => {
    fc.assert(fc.property(framed(tricky(40)), ([pre, body, post]) => {
      const s = pre + body + post;
      expect(cleanField(s, pre.length, pre.length + body.length)).toBe(cleanText(body));
    }), { numRuns: 2000 });
  });

  it('when any text fills a free-text field, then trimmedField equals trim of the slice, or null when empty', () => {
    fc.assert(fc.property(framed(tricky(30)), ([pre, body, post]) => {
      const s = pre + body + post;
      expect(trimmedField(s, pre.length, pre.length + body.length)).toBe(body.trim() === '' ? null : body.trim());
    }), { numRuns: 2000 });
  });

  it('when the receiver ID span holds anything, then thaiIdField agrees with normaliseThaiId + isValidThaiId', () => {
    const idLike = fc.oneof(
      fc.stringMatching(/^\d{13}$/),
      fc.tuple(fc.stringMatching(/^\d{12}$/), fc.integer({ min: 0, max: 9 })).map(([a, d]) => a + d),
      fc.constantFrom('1101700203450', '1-1017-00203-45-0', '๑๑๐๑๗๐๐๒๐๓๔๕๐', ' 1101700203450 ', '1101700203451'),
      tricky(18),
    );
    fc.assert(fc.property(idLike, (raw) => {
      const span = raw.slice(0, 18);
      const t = span.trim();
      const id = t.length >= 13 ? normaliseThaiId(t) : null;
      const expected = id !== null && isValidThaiId(id) ? id : null;
      expect(thaiIdField(span, 0, span.length)).toBe(expected);
    }), { numRuns: 2000 });
  });

  it('when a valid ID sits inside free text, then thaiIdInText finds it; a 14-digit run is not an ID', () => {
    expect(thaiIdInText('ผู้รับ 1101700203450 ค่าจ้าง')).toBe('1101700203450');
    expect(thaiIdInText('11017002034501')).toBeNull();
    expect(thaiIdInText('1101700203451 1101700203450')).toBe('1101700203450');
    expect(thaiIdInText(null)).toBeNull();
  });

  it('when an 11-digit field is shortened, then the parser\'s slice equals normaliseAccount for every bank', () => {
    const codes = BANKS.map((b) => b.code);
    fc.assert(fc.property(fc.constantFrom(...codes), fc.stringMatching(/^\d{11}$/), (code, field) => {
      const info = BANK_INFO[Number(code)]!;
      const fast = !info.dropsOneZero ? normaliseAccount(code, field) : field.startsWith('0') ? field.slice(1) : field;
      expect(fast).toBe(normaliseAccount(code, field));
    }), { numRuns: 2000 });
  });

  it('when the amount field holds anything, then the parsed amount is parseSatangDigits of it, or a reject', () => {
    const { lines } = (() => {
      const g = generateBulkBatch({ seed: 5, ...LAO, rows: 1, effectiveDate: '2024-10-28' });
      return { lines: renderKtbBulkText(g.spec, { eol: '\n' }).split('\n') };
    })();
    const amountChars = fc.constantFrom(...'0123456789๐๑๒๓๔๕๖๗๘๙ ,.x');
    const amount = fc.oneof(fc.stringMatching(/^\d{17}$/), fc.array(amountChars, { minLength: 17, maxLength: 17 }).map((cs) => cs.join('')));
    fc.assert(fc.property(amount, (raw) => {
      const line = withField(lines[1]!, D.amountSatang, raw);
      const { records, rejects } = collect(parseKtbBulk([lines[0], line].join('\n'), { laoCode: LAO.laoCode }));
      const expected = parseSatangDigits(raw);
      if (expected !== null && expected > 0) expect(records[0]?.record.amountSatang).toBe(expected);
      else expect(rejects[0]?.code).toMatch(/^PW_ROW_AMOUNT_/);
    }), { numRuns: 1000 });
  });
});
