import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baht, only, payment, run } from '../helpers/factory.ts';

/** 60 one-off payments of 10,000–15,900 baht to 20 known vendors (p95 ≈ 15,600 baht). */
const history = Array.from({ length: 60 }, (_, i) =>
  payment({ batchId: 'b_hist', row: i + 1, payeeAccount: String(1_000_000_000 + (i % 20)), amountSatang: baht(10_000 + i * 100), effectiveDate: '2025-03-01' }));
const engineWithHistory = (over: Record<string, unknown> = {}) => { const e = only('new-payee-large', over); run(e, history); return e; };
const newcomer = (amountBaht: number, over: Parameters<typeof payment>[0] = {}) =>
  payment({ batchId: 'b_new', payeeAccount: '5555555555', payeeName: 'นายใหม่ มาก่อน', amountSatang: baht(amountBaht), effectiveDate: '2025-03-05', ...over });

describe('new-payee-large', () => {
  it('when an account never paid before receives more than the LAO p95, then a medium alert gives the amount, the p95 and the sample size', () => {
    const [alert] = engineWithHistory().process(newcomer(80_000));
    expect(alert).toMatchObject({ ruleIds: ['new-payee-large'], severity: 'medium', subject: { kind: 'payment', key: 'b_new:1' } });
    expect(alert!.evidence['new-payee-large']).toMatchObject({ amountSatang: baht(80_000), quantile: 0.95, observations: 60, minObservations: 50 });
    expect((alert!.evidence['new-payee-large'] as { quantileSatang: number }).quantileSatang).toBeGreaterThan(baht(15_000));
    expect(alert!.reasons.en).toContain('95th percentile');
  });

  it('when a known vendor receives the same large sum, then it is quiet', () => {
    expect(engineWithHistory().process(newcomer(80_000, { payeeAccount: '1000000003' }))).toEqual([]);
  });

  it('when a new payee receives an ordinary amount (below p95), then it is quiet', () => {
    expect(engineWithHistory().process(newcomer(12_000))).toEqual([]);
  });

  it('when the LAO has fewer than 50 one-off payments, then it is quiet', () => {
    const e = only('new-payee-large');
    run(e, history.slice(0, 49));
    expect(e.process(newcomer(80_000))).toEqual([]);
  });

  it('when the large payment to a new account is a salary, then it is not a one-off payment and it is quiet', () => {
    expect(engineWithHistory().process(newcomer(80_000, { serviceType: '01' }))).toEqual([]);
  });

  it('when a large transfer to a new account failed and is paid again, then only the successful one fires', () => {
    const e = engineWithHistory();
    expect(e.process(newcomer(80_000, { status: 'failed' }))).toEqual([]);
    expect(e.process(newcomer(80_000, { batchId: 'b_retry' }))).toHaveLength(1);
    expect(e.process(newcomer(80_000, { batchId: 'b_again' }))).toEqual([]);
  });
});

describe('new-payee-large pre-check', () => {
  it('when histories and amounts are random, then it fires exactly when the amount is above the interpolated p95', async () => {
    const { quantile } = await import('simple-statistics');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 50, maxLength: 130 }), fc.integer({ min: 1, max: 62 }), fc.boolean(), (units, unit, plusOne) => {
        const e = only('new-payee-large');
        run(e, units.map((u, i) => payment({ batchId: 'b_h', row: i + 1, payeeAccount: String(1_000_000_000 + i), amountSatang: u * 1_000 })));
        const amount = unit * 1_000 + (plusOne ? 1 : 0);
        const fired = e.process(newcomer(0, { amountSatang: amount })).length === 1;
        expect(fired).toBe(amount > quantile(units.map((u) => u * 1_000), 0.95));
      }),
      { numRuns: 300 },
    );
  });

  it('when the amount is just above or just below the p95 of the sample, then the count pre-check agrees with the exact quantile', async () => {
    const { quantile } = await import('simple-statistics');
    const sample = history.map((r) => r.amountSatang);
    const p95 = quantile(sample, 0.95);
    expect(engineWithHistory().process(newcomer((p95 + 1) / 100, { amountSatang: Math.floor(p95) + 1 }))).toHaveLength(1);
    expect(engineWithHistory().process(newcomer(0, { amountSatang: Math.floor(p95) }))).toEqual([]);
  });
});
