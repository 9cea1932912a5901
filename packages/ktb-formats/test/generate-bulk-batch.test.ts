import { bankByCode, isValidThaiId } from '@paywatch/domain';
import { describe, expect, it } from 'vitest';
import { generateBulkBatch, mulberry32, renderKtbBulk } from '../src/index.ts';
import { LAO } from './helpers.ts';

const options = { seed: 2024, ...LAO, rows: 200, effectiveDate: '2024-10-28' };

describe('generateBulkBatch', () => {
  it('when the seed is the same, then the bytes are the same; another seed, then other bytes', () => {
    const render = (seed: number) => renderKtbBulk(generateBulkBatch({ ...options, seed }).spec, { encoding: 'windows-874', eol: '\r\n' });
    expect(render(2024)).toEqual(render(2024));
    expect(render(2024)).not.toEqual(render(2025));
  });

  it('when a batch is generated, then it looks like an LAO batch: Thai names, real banks and account lengths, integer satang, ฎีกา numbers', () => {
    const { spec, records } = generateBulkBatch(options);
    expect(records).toHaveLength(200);
    for (const d of spec.details) {
      expect(d.payeeName).toMatch(/^(บริษัท .+ จำกัด|ห้างหุ้นส่วนจำกัด .+|ร้าน.+|(นาย|นาง|นางสาว)\S+ \S+)$/);
      expect(bankByCode(d.payeeBankCode)?.accountLengths).toContain(d.payeeAccount.length);
      expect(['04', '01', '59']).toContain(d.serviceType);
      expect(Number.isSafeInteger(d.amountSatang) && d.amountSatang > 0).toBe(true);
      if (d.voucherNo) expect(d.voucherNo).toMatch(/^ฎ\d{1,3}\/2567$/);
      if (d.payeeId) expect(isValidThaiId(d.payeeId)).toBe(true);
    }
    expect(new Set(spec.details.map((d) => d.serviceType))).toEqual(new Set(['04', '01', '59']));
    expect(new Set(spec.details.map((d) => d.payeeBankCode)).size).toBeGreaterThan(8);
    expect(spec.details.filter((d) => d.serviceType === '59').every((d) => [60_000, 70_000, 80_000, 100_000].includes(d.amountSatang))).toBe(true);
  });

  it('when mulberry32 is seeded twice alike, then it repeats its sequence within [0, 1)', () => {
    const a = mulberry32(7), b = mulberry32(7);
    const xs = Array.from({ length: 100 }, () => a());
    expect(xs).toEqual(Array.from({ length: 100 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
