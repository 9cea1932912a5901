import { describe, expect, it } from 'vitest';
import { benfordFit } from '../../src/index.ts';
import { only, payment, run } from '../helpers/factory.ts';

/** Amounts whose log10 is spread evenly (golden-ratio sequence): every prefix of the list follows Benford closely. */
const benfordAmounts = (n: number): number[] => Array.from({ length: n }, (_, i) => Math.round(10 ** (5 + ((i * 0.6180339887498949) % 1))));
const pay = (amountSatang: number, i: number, over: Parameters<typeof payment>[0] = {}) =>
  payment({ batchId: `b_${Math.floor(i / 500)}`, row: (i % 500) + 1, payeeAccount: String(1_000_000_000 + (i % 50)), amountSatang, effectiveDate: '2025-03-03', ...over });

/** The fiscal-year test alone (the month test of 2.1.0 would fire first on these one-day samples). */
const YEAR = { month: { enabled: false } };

describe('benford', () => {
  it('when a fiscal year of procurement amounts mostly start with 4 and 9, then a lao-period alert at 300 payments reports the MADs and the excess', () => {
    const amounts = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? 4_850_000 + i : i % 3 === 1 ? 9_700_000 + i : 1_200_000 + i));
    const alerts = run(only('benford', YEAR), amounts.map((a, i) => pay(a, i)));
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
    const alerts = run(only('benford', YEAR), amounts.map((a, i) => pay(a, i)));
    expect(alerts.map((a) => (a.evidence['benford'] as { payments: number }).payments)).toEqual([300, 400]);
    expect(new Set(alerts.map((a) => a.alertId)).size).toBe(1);
  });

  it('when the amounts follow Benford, then it is quiet at every evaluation', () => {
    const amounts = benfordAmounts(1_000);
    expect(run(only('benford', YEAR), amounts.map((a, i) => pay(a, i)))).toEqual([]);
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
    expect(run(only('benford', YEAR), amounts.map((a, i) => pay(a, i)))).toEqual([]);
  });

  it('when there are fewer than 300 procurement payments, or the odd amounts are salaries, then it is quiet', () => {
    expect(run(only('benford', YEAR), Array.from({ length: 299 }, (_, i) => pay(4_850_000, i)))).toEqual([]);
    expect(run(only('benford', YEAR), Array.from({ length: 400 }, (_, i) => pay(4_850_000, i, { serviceType: '01' })))).toEqual([]);
  });

  it('when payments are split across fiscal years, then each year is counted on its own', () => {
    const records = Array.from({ length: 400 }, (_, i) => pay(4_850_000, i, { effectiveDate: i % 2 === 0 ? '2025-09-30' : '2025-10-01' }));
    expect(run(only('benford', YEAR), records)).toEqual([]);
  });

  it('when the LAO has no history, or a short one (fewer than minPayments this fiscal year), then digits say nothing and it is silent; at minPayments it is judged', () => {
    const skewed = (n: number) => Array.from({ length: n }, (_, i) => pay(4_850_000 + i, i));
    expect(only('benford', { ...YEAR, minPayments: 50 }).process(pay(4_850_000, 0))).toEqual([]);
    expect(run(only('benford', { ...YEAR, minPayments: 50 }), skewed(49))).toEqual([]);
    const alerts = run(only('benford', { ...YEAR, minPayments: 50 }), skewed(50));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.evidence['benford']).toMatchObject({ payments: 50, minPayments: 50 });
  });
});

/** `n` distinct amounts in baht 10,000–99,999 whose first digits run 1..9 in turn: invented, evenly spread. */
const evenAmounts = (n: number, salt = 0): number[] => Array.from({ length: n }, (_, i) => ((i % 9) + 1) * 1_000_000 + ((i * 7_919 + salt) % 1_000_000));
/** `n` distinct amounts that follow Benford (log10 spread by the golden ratio), in baht 10,000–99,999. */
const lawfulAmounts = (n: number, salt = 0): number[] => Array.from({ length: n }, (_, i) => Math.round(10 ** (6 + (((i + salt) * 0.6180339887498949) % 1))) * 100 + i);
const inMonth = (amounts: readonly number[], month: string, from = 0, over: Parameters<typeof payment>[0] = {}) =>
  amounts.map((a, i) => pay(a, from + i, { batchId: `b_${month}_${Math.floor(i / 20)}`, row: (i % 20) + 1, effectiveDate: `${month}-${String(1 + Math.floor((i * 27) / amounts.length)).padStart(2, '0')}`, ...over }));
/** A salary paid on the 28th: it moves the LAO's clock past the month's purchases, which runs the month's test on them. */
const closing = (month: string) => pay(1_800_000, 9_999, { batchId: `b_${month}_salary`, row: 1, serviceType: '01', payeeName: 'นายสมศักดิ์ ใจดี', effectiveDate: `${month}-28` });

describe('benford: the calendar month\'s test', () => {
  it('when the LAO has no history and a first month holds 72 invented amounts with evenly spread first digits, then the month alone fires a lao-period alert naming the month', () => {
    const alerts = run(only('benford'), [...inMonth(evenAmounts(72), '2025-03'), closing('2025-03')]);
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts[0]).toMatchObject({ ruleIds: ['benford'], subject: { kind: 'lao-period', key: 'fy-2025' } });
    const e = alerts[0]!.evidence['benford'] as Record<string, unknown>;
    expect(e).toMatchObject({ test: 'month', month: '2025-03', degreesOfFreedom: 8, pValueThreshold: 0.002, minPayments: 40 });
    // Judged once a paying day, not once a payment: a handful of updates for the month, the last with all 72.
    expect(alerts.length).toBeLessThan(10);
    expect(alerts.at(-1)!.evidence['benford']).toMatchObject({ payments: 72 });
    expect(e['payments']).toBeGreaterThanOrEqual(40);
    expect(e['pValue']).toBeLessThan(0.002);
    expect(alerts[0]!.reasons.en).toContain('2025-03');
    expect(alerts[0]!.reasons.th).toContain('03/2568');
  });

  it('when the history is short (two honest months) and the third month is invented, then the honest months are quiet and the invented one fires', () => {
    const e = only('benford');
    expect(run(e, [...inMonth(lawfulAmounts(60), '2025-01'), closing('2025-01'), ...inMonth(lawfulAmounts(60, 7), '2025-02', 100), closing('2025-02')])).toEqual([]);
    const alerts = run(e, [...inMonth(evenAmounts(72, 3), '2025-03', 200), closing('2025-03')]);
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts.every((a) => (a.evidence['benford'] as { month: string }).month === '2025-03')).toBe(true);
  });

  it('when a month of 80 honest amounts follows the law only as closely as chance allows, then it is quiet', () => {
    let x = 987_654;
    const uniform = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const amounts = [...new Set(Array.from({ length: 80 }, () => Math.round(10 ** (6 + uniform())) * 100))];
    expect(run(only('benford'), [...inMonth(amounts, '2025-03'), closing('2025-03')])).toEqual([]);
  });

  it('when the evenly spread amounts are paid to persons (contract workers) or repeat one price, or number fewer than 40, then it is quiet', () => {
    expect(run(only('benford'), [...inMonth(evenAmounts(60), '2025-03', 0, { payeeName: 'นายสมชาย ใจดี' }), closing('2025-03')])).toEqual([]);
    const fixed = evenAmounts(9).flatMap((a) => Array.from({ length: 6 }, () => a));
    expect(run(only('benford'), [...inMonth(fixed, '2025-03'), closing('2025-03')])).toEqual([]);
    expect(run(only('benford'), [...inMonth(evenAmounts(39), '2025-03'), closing('2025-03')])).toEqual([]);
  });

  it('when the month test is disabled, then a first month of invented amounts is quiet (the year never reaches 300)', () => {
    expect(run(only('benford', YEAR), [...inMonth(evenAmounts(72), '2025-03'), closing('2025-03')])).toEqual([]);
  });

  it('when the month\'s bank report arrives after the LAO\'s clock has moved on (lines dated before its latest day), then its lines are judged every 50th procurement line', () => {
    const report = inMonth(evenAmounts(100), '2025-03', 0, { sourceFormat: 'ktb-report' });
    const alerts = run(only('benford'), [closing('2025-03'), ...report]);
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts.at(-1)!.evidence['benford']).toMatchObject({ test: 'month', month: '2025-03', sourceFormat: 'ktb-report', payments: 100 });
  });
});
