import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bankByCode, isValidThaiId, thaiIdCheckDigit, parseDdMmYyyyCompact, parseThaiDateTime, maskAccount, maskDigitsInText, normaliseAccount, fiscalYear, alertIdFor } from '../src/index.ts';

describe('Thai IDs', () => {
  it('when the check digit is right, then the ID is valid; one digit off, then invalid', () => {
    const first12 = '110170020345';
    const good = first12 + thaiIdCheckDigit(first12);
    expect(isValidThaiId(good)).toBe(true);
    expect(isValidThaiId(first12 + ((thaiIdCheckDigit(first12) + 1) % 10))).toBe(false);
    expect(isValidThaiId('123')).toBe(false);
  });
});

describe('dates', () => {
  it('when the year is Buddhist Era, then it becomes CE', () => {
    expect(parseDdMmYyyyCompact('28102567')).toBe('2024-10-28');
    expect(parseDdMmYyyyCompact('28102024')).toBe('2024-10-28');
  });
  it('when the date does not exist, then it is null', () => {
    expect(parseDdMmYyyyCompact('31022024')).toBeNull();
    expect(parseThaiDateTime('29/02/2566')).toBeNull(); // 2023 is not a leap year
  });
  it('when a Bangkok wall-clock time is given, then the instant is stored in UTC', () => {
    expect(parseThaiDateTime('01/11/2567 02:30')).toEqual({ date: '2024-11-01', instant: '2024-10-31T19:30:00.000Z' });
  });
  it('fiscal year starts on 1 October', () => {
    expect(fiscalYear('2024-09-30')).toBe(2024);
    expect(fiscalYear('2024-10-01')).toBe(2025);
  });
});

describe('accounts and masking', () => {
  it('normalises accounts the way bulk files shorten them', () => {
    expect(normaliseAccount('030', '020012345678')).toBe('20012345678');
    expect(normaliseAccount('006', '01234567890')).toBe('1234567890');
    expect(normaliseAccount('004', '00123456789')).toBe('0123456789');
    expect(normaliseAccount('066', '01234567890')).toBe('1234567890');
    expect(normaliseAccount('069', '12345678901234')).toBe('5678901234');
    expect(normaliseAccount('014', '123-4-56789-0')).toBe('1234567890');
  });
  it('masks all but the last four digits', () => {
    expect(maskAccount('1234567890')).toBe('******7890');
    expect(maskDigitsInText('paid to 123-4-56789-0 today')).toBe('paid to ******7890 today');
  });
});

describe('alert ids', () => {
  it('are deterministic per LAO and subject and differ across subjects', () => {
    const a = alertIdFor('6600101', { kind: 'payment', key: 'b1:2' });
    expect(alertIdFor('6600101', { kind: 'payment', key: 'b1:2' })).toBe(a);
    expect(alertIdFor('6600101', { kind: 'payment', key: 'b1:3' })).not.toBe(a);
  });
});

describe('normaliseAccount idempotence', () => {
  const banks = fc.constantFrom('002', '004', '006', '030', '031', '033', '034', '066', '067', '069');
  it('when an account is normalised twice, then nothing changes', () => {
    fc.assert(fc.property(banks, fc.stringMatching(/^\d{6,15}$/), (bank, acct) => {
      const once = normaliseAccount(bank, acct);
      expect(normaliseAccount(bank, once)).toBe(once);
    }));
  });
  it('when a real account is written zero-padded into the 11-digit field, then it normalises to the same account', () => {
    // Accounts as the bank issues them: the bank's own length.
    const issued = banks.chain((bank) => fc.tuple(fc.constant(bank), fc.stringMatching(new RegExp(`^\\d{${bankByCode(bank)!.accountLengths[0]}}$`))));
    fc.assert(fc.property(issued, ([bank, acct]) => {
      const once = normaliseAccount(bank, acct);
      expect(normaliseAccount(bank, once.padStart(11, '0'))).toBe(once);
    }));
  });
});
