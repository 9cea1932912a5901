import { describe, expect, it } from 'vitest';
import { benfordFit } from '../../src/index.ts';
import { only, payment, run } from '../helpers/factory.ts';

/** Amounts whose log10 is spread evenly (golden-ratio sequence): every prefix of the list follows Benford closely. */
const benfordAmounts = (n: number): number[] => Array.from({ length: n }, (_, i) => Math.round(10 ** (5 + ((i * 0.6180339887498949) % 1))));
const pay = (amountSatang: number, i: number, over: Parameters<typeof payment>[0] = {}) =>
  payment({ batchId: `b_${Math.floor(i / 500)}`, row: (i % 500) + 1, payeeAccount: String(1_000_000_000 + (i % 50)), amountSatang, effectiveDate: '2025-03-03', ...over });

describe('benford', () => {
  it('when a fiscal year of procurement amounts mostly start with 4 and 9, then a lao-period alert at 300 payments reports the MADs and the excess', () => {
    const amounts = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? 4_850_000 + i : i % 3 === 1 ? 9_700_000 + i : 1_200_000 + i));
    const alerts = run(only('benford'), amounts.map((a, i) => pay(a, i)));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ ruleIds: ['benford'], severity: 'medium', subject: { kind: 'lao-period', key: 'fy-2025' } });
    const e = alerts[0]!.evidence['benford'] as Record<string, number>;
    expect(e).toMatchObject({ fiscalYear: 2025, payments: 300, minPayments: 300 });
    expect(e['madFirstDigit']).toBeGreaterThan(0.015);
    expect(e['expectedMadFirstDigit']).toBeCloseTo(0.0136, 4);
    expect(e['excessMadFirstDigit']).toBeCloseTo(e['madFirstDigit']! - e['expectedMadFirstDigit']!, 4);
    expect(e['excessMadFirstDigit']).toBeGreaterThan(0.015);
    expect(alerts[0]!.reasons.th).toContain('2568');
  });

  it('when the anomaly persists, then it is evaluated again only every 100 payments and updates the same alert', () => {
    const amounts = Array.from({ length: 450 }, (_, i) => 4_850_000 + i);
    const alerts = run(only('benford'), amounts.map((a, i) => pay(a, i)));
    expect(alerts.map((a) => (a.evidence['benford'] as { payments: number }).payments)).toEqual([300, 400]);
    expect(new Set(alerts.map((a) => a.alertId)).size).toBe(1);
  });

  it('when the amounts follow Benford, then it is quiet at every evaluation', () => {
    const amounts = benfordAmounts(1_000);
    expect(run(only('benford'), amounts.map((a, i) => pay(a, i)))).toEqual([]);
  });

  it('when an honest year of 300 amounts deviates only as much as chance makes a sample that small, then it is quiet', () => {
    // Benford-distributed amounts from a fixed pseudo-random sequence (log10 uniform), not a low-discrepancy one.
    let x = 12345;
    const uniform = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const amounts = Array.from({ length: 300 }, () => Math.round(10 ** (5 + uniform())));
    const counts = new Array<number>(90).fill(0);
    for (const a of amounts) counts[Number(String(a).slice(0, 2)) - 10]!++;
    // Above Nigrini's raw first-two-digit cut-off (benford@1.0.0 fired here), but not above what chance gives at n = 300.
    expect(benfordFit(counts).madFirstTwo).toBeGreaterThan(0.0022);
    expect(run(only('benford'), amounts.map((a, i) => pay(a, i)))).toEqual([]);
  });

  it('when there are fewer than 300 procurement payments, or the odd amounts are salaries, then it is quiet', () => {
    expect(run(only('benford'), Array.from({ length: 299 }, (_, i) => pay(4_850_000, i)))).toEqual([]);
    expect(run(only('benford'), Array.from({ length: 400 }, (_, i) => pay(4_850_000, i, { serviceType: '01' })))).toEqual([]);
  });

  it('when payments are split across fiscal years, then each year is counted on its own', () => {
    const records = Array.from({ length: 400 }, (_, i) => pay(4_850_000, i, { effectiveDate: i % 2 === 0 ? '2025-09-30' : '2025-10-01' }));
    expect(run(only('benford'), records)).toEqual([]);
  });

  it('when the LAO has no history, or a short one (fewer than minPayments this fiscal year), then digits say nothing and it is silent; at minPayments it is judged', () => {
    const skewed = (n: number) => Array.from({ length: n }, (_, i) => pay(4_850_000 + i, i));
    expect(only('benford', { minPayments: 50 }).process(pay(4_850_000, 0))).toEqual([]);
    expect(run(only('benford', { minPayments: 50 }), skewed(49))).toEqual([]);
    const alerts = run(only('benford', { minPayments: 50 }), skewed(50));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.evidence['benford']).toMatchObject({ payments: 50, minPayments: 50 });
  });
});
