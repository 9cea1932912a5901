import { describe, expect, it } from 'vitest';
import { baht, only, payment, run } from '../helpers/factory.ts';

/** The thresholds these tests are written against (the defaults of near-threshold@1.0.0, spelled out so that tuning a default does not move them). */
const CFG = { thresholdsSatang: [10_000_000, 50_000_000], bandFraction: 0.9, minPayments: 30, minComparisonCount: 5, baselineShare: 0.02, pValue: 0.001 };
const engine = (over: Record<string, unknown> = {}) => only('near-threshold', { ...CFG, ...over });

const pay = (amountBaht: number, i: number, over: Parameters<typeof payment>[0] = {}) =>
  payment({ batchId: `b_${Math.floor(i / 500)}`, row: (i % 500) + 1, payeeAccount: String(1_000_000_000 + (i % 40)), amountSatang: baht(amountBaht), effectiveDate: '2025-03-03', ...over });
/** Ordinary purchases spread from 5,000 to 79,000 baht: none near a threshold. */
const ordinary = (n: number, from = 0) => Array.from({ length: n }, (_, k) => pay(5_000 + ((k * 7_919) % 74_000), from + k));

describe('near-threshold', () => {
  it('when many purchases sit at 95,000–99,900 baht, then a lao-period alert gives the share, the expected share and the p-value', () => {
    const hugging = Array.from({ length: 12 }, (_, k) => pay(95_000 + k * 400, 100 + k));
    const alerts = run(engine(), [...ordinary(100), ...hugging]);
    expect(alerts.length).toBeGreaterThan(0);
    const last = alerts.at(-1)!;
    expect(last).toMatchObject({ ruleIds: ['near-threshold'], severity: 'medium', subject: { kind: 'lao-period', key: 'fy-2025' } });
    const e = last.evidence['near-threshold'] as Record<string, unknown>;
    expect(e).toMatchObject({ thresholdSatang: baht(100_000), band: { fromSatang: baht(90_000), toSatang: baht(100_000) }, payments: 112, inBand: 12, baseline: 'baseline', expectedShare: 0.02, pValueThreshold: 0.001 });
    expect(e['pValue'] as number).toBeLessThan(0.001);
    expect(new Set(alerts.map((a) => a.alertId)).size).toBe(1);
  });

  it('when the hugging payments left the window months ago, then they no longer count toward the share', () => {
    const hugging = Array.from({ length: 12 }, (_, k) => pay(95_000 + k * 400, 100 + k, { effectiveDate: '2024-06-03' }));
    // Months later: ordinary purchases move the window on, then one more payment lands in the band.
    const later = ordinary(100, 1_000).map((r) => ({ ...r, effectiveDate: '2025-03-03' }));
    const alerts = run(engine(), [...hugging, ...later, pay(96_000, 2_000)]);
    expect(alerts.filter((a) => a.payments.some((x) => x.row === (2_000 % 500) + 1 && x.batchId === 'b_4'))).toEqual([]);
    const e = run(engine({ pValue: 0.5, baselineShare: 0.000_1 }), [...hugging, ...later, pay(96_000, 2_000)]).at(-1)!.evidence['near-threshold'] as Record<string, unknown>;
    expect(e).toMatchObject({ payments: 101, inBand: 1 });
  });

  it('when the band holds about as many as the band just below, then it is quiet', () => {
    const below = Array.from({ length: 10 }, (_, k) => pay(81_000 + k * 800, 200 + k));
    const inBand = Array.from({ length: 10 }, (_, k) => pay(91_000 + k * 800, 300 + k));
    expect(run(engine(), [...ordinary(100), ...below, ...inBand])).toEqual([]);
  });

  it('when the band below is as crowded, then the expected share comes from it and a moderate excess is quiet', () => {
    const below = Array.from({ length: 8 }, (_, k) => pay(81_000 + k * 800, 200 + k));
    const inBand = Array.from({ length: 9 }, (_, k) => pay(91_000 + k * 800, 300 + k));
    expect(run(engine(), [...ordinary(60), ...below, ...inBand])).toEqual([]);
  });

  it('when there are fewer than 30 procurement payments, then it is quiet however many hug the limit', () => {
    expect(run(engine(), Array.from({ length: 29 }, (_, k) => pay(99_000, k)))).toEqual([]);
  });

  it('when the amounts near the limit are salaries, or at or above the limit, then they do not count', () => {
    const salaries = Array.from({ length: 20 }, (_, k) => pay(95_000, 100 + k, { serviceType: '01' }));
    const atLimit = Array.from({ length: 20 }, (_, k) => pay(100_000, 200 + k));
    expect(run(engine(), [...ordinary(100), ...salaries, ...atLimit])).toEqual([]);
  });

  it('when payments hug the 500,000 baht limit, then that threshold is reported', () => {
    const hugging = Array.from({ length: 12 }, (_, k) => pay(460_000 + k * 3_000, 100 + k));
    const last = run(engine(), [...ordinary(100), ...hugging]).at(-1)!;
    expect(last.evidence['near-threshold']).toMatchObject({ thresholdSatang: baht(500_000) });
  });

  it('when the LAO has no history, or fewer than minPayments procurement payments, then it is silent; with minPayments lowered the same amounts are judged', () => {
    expect(engine().process(pay(99_000, 0))).toEqual([]);
    const hugging = [...ordinary(15), ...Array.from({ length: 10 }, (_, k) => pay(95_000 + k * 400, 100 + k))];
    expect(run(engine({ minPayments: 30 }), hugging)).toEqual([]);
    expect(run(engine({ minPayments: 20 }), hugging).length).toBeGreaterThan(0);
  });

  it('when a first month (no history) pays four suppliers just under the limits before the LAO has minPayments payments, then the payment that brings it to minPayments runs the test, and the finding lists the four', () => {
    const early = [pay(96_000, 0, { effectiveDate: '2025-03-03' }), pay(97_500, 1, { effectiveDate: '2025-03-03' }), pay(480_000, 2, { effectiveDate: '2025-03-04' }), pay(470_000, 3, { effectiveDate: '2025-03-04' })];
    const later = ordinary(26, 10).map((r) => ({ ...r, effectiveDate: '2025-03-20' }));
    const e = engine({ baselineShare: 0.005 });
    const alerts = run(e, [...early, ...later]);
    expect(alerts).toHaveLength(1);
    const ev = alerts[0]!.evidence['near-threshold'] as Record<string, unknown>;
    expect(ev).toMatchObject({ test: 'all-thresholds', payments: 30, inBand: 4, expectedShare: 0.01 });
    expect(ev['pValue'] as number).toBeLessThan(0.001);
    expect(alerts[0]!.payments.map((x) => x.row)).toEqual([1, 2, 3, 4]);
    // One more ordinary payment does not re-fire it.
    expect(e.process(pay(20_000, 99, { effectiveDate: '2025-03-21' }))).toEqual([]);
  });

  it('when a short history holds three payments under each limit, too few for either band alone, then the two bands tested together fire', () => {
    const history = ordinary(34).map((r) => ({ ...r, effectiveDate: '2025-02-10' }));
    const hugging = [95_000, 96_500, 98_000, 455_000, 470_000, 490_000].map((b, k) => pay(b, 100 + k, { effectiveDate: '2025-03-03' }));
    const alerts = run(engine({ baselineShare: 0.01 }), [...history, ...hugging]);
    expect(alerts.length).toBeGreaterThan(0);
    const ev = alerts.at(-1)!.evidence['near-threshold'] as Record<string, unknown>;
    expect(ev).toMatchObject({ test: 'all-thresholds', payments: 40, inBand: 6, expectedShare: 0.02 });
    expect((ev['bands'] as unknown[]).length).toBe(2);
    expect(alerts.at(-1)!.payments).toHaveLength(6);
    // Either band alone is not enough: with one threshold configured the same payments are quiet.
    expect(run(engine({ baselineShare: 0.01, thresholdsSatang: [10_000_000] }), [...history, ...hugging])).toEqual([]);
  });
});
