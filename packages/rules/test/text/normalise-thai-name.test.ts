import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { looksLikeBusiness, normaliseThaiName } from '../../src/index.ts';

/** Thai consonants, vowels, marks and digits, Latin letters, spaces and punctuation: the alphabet names are typed in. */
const nameChar = fc.constantFrom(
  ...'กขคงจฉชซญณดตถทนบปผพฟภมยรลวศสหอฮ', ...'ะาำเแโใไๅ', '\u0E31', '\u0E34', '\u0E35', '\u0E36', '\u0E37', '\u0E38', '\u0E39',
  '\u0E47', '\u0E48', '\u0E49', '\u0E4A', '\u0E4B', '\u0E4C', '\u0E4D', ...'๐๑๒๙0129', ...'AbcMrs', ' ', '.', '(', ')', '-',
);
const name = fc.array(nameChar, { maxLength: 24 }).map((cs) => cs.join(''));
const noise = fc.constantFrom('\u200B', '\u200C', '\u200D', '\uFEFF', ' ', '  ', '\t', '\u00A0');

describe('normaliseThaiName', () => {
  it('when titles, legal forms, spacing and digits vary, then the same person or firm has one name', () => {
    expect(normaliseThaiName('นาย สมชาย  ใจดี')).toBe(normaliseThaiName('สมชาย ใจดี'));
    expect(normaliseThaiName('น.ส. สมหญิง ใจดี')).toBe(normaliseThaiName('นางสาวสมหญิง ใจดี'));
    expect(normaliseThaiName('ด.ช.ก้อง ดีงาม')).toBe(normaliseThaiName('เด็กชาย ก้อง ดีงาม'));
    expect(normaliseThaiName('บริษัท รุ่งเรือง ก่อสร้าง จำกัด (มหาชน)')).toBe(normaliseThaiName('บมจ.รุ่งเรืองก่อสร้าง'));
    expect(normaliseThaiName('บจก. รุ่งเรือง ก่อสร้าง')).toBe(normaliseThaiName('บริษัท รุ่งเรืองก่อสร้าง จำกัด'));
    expect(normaliseThaiName('หจก. รุ่งเรืองการช่าง')).toBe(normaliseThaiName('ห้างหุ้นส่วนจำกัด รุ่งเรืองการช่าง'));
    expect(normaliseThaiName('ร้าน ๙๙ การค้า')).toBe(normaliseThaiName('99การค้า'));
    expect(normaliseThaiName('Mr. John SMITH')).toBe(normaliseThaiName('john smith'));
    expect(normaliseThaiName('ABC Co., Ltd.')).toBe(normaliseThaiName('abc'));
  });

  it('when a tone mark is typed before its vowel or sara am as nikhahit + sara aa, then the name is unchanged', () => {
    // กี่ typed as ก + ่ + ี ; น้ำ typed as น + ํ + ้ + า
    expect(normaliseThaiName('ก\u0E48\u0E35ฬา')).toBe(normaliseThaiName('ก\u0E35\u0E48ฬา'));
    expect(normaliseThaiName('น\u0E4D\u0E49\u0E32ใจ')).toBe(normaliseThaiName('น้ำใจ'));
  });

  it('when two names differ in letters, then they stay different', () => {
    expect(normaliseThaiName('นายสมชาย ใจดี')).not.toBe(normaliseThaiName('นายสมชัย ใจดี'));
    expect(normaliseThaiName('บจก. รุ่งเรือง')).not.toBe(normaliseThaiName('บจก. รุ่งโรจน์'));
  });

  it('when a name is only a title, then it is kept rather than emptied', () => {
    expect(normaliseThaiName('นาย')).toBe('นาย');
  });

  it('when applied twice, then it gives what it gave once (idempotent)', () => {
    fc.assert(fc.property(name, (n) => normaliseThaiName(normaliseThaiName(n)) === normaliseThaiName(n)), { numRuns: 2000 });
  });

  it('when zero-width characters or spaces are inserted anywhere, then the result is the same', () => {
    fc.assert(
      fc.property(name, fc.array(fc.tuple(fc.nat(), noise), { maxLength: 6 }), (n, inserts) => {
        const chars = [...n];
        for (const [at, s] of inserts) chars.splice(at % (chars.length + 1), 0, s);
        expect(normaliseThaiName(chars.join(''))).toBe(normaliseThaiName(n));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('looksLikeBusiness', () => {
  it('when a name carries a legal form or shop word, then it is a business; a person with a title is not', () => {
    expect(['บจก. เอ', 'ห้างหุ้นส่วนจำกัด บี', 'ร้านซี', 'บริษัท ดี จำกัด (มหาชน)', 'ABC Co., Ltd.', 'สหกรณ์ออมทรัพย์'].map(looksLikeBusiness)).toEqual([true, true, true, true, true, true]);
    expect(['นายสมชาย ใจดี', 'น.ส.สมหญิง รักดี', 'Mr. John Smith'].map(looksLikeBusiness)).toEqual([false, false, false]);
  });
});
