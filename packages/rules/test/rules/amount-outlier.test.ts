import { describe, expect, it } from 'vitest';
import { baht, only, payment, run } from '../helpers/factory.ts';

/** n ordinary purchases around 10,000 baht, each to a different contractor (no payee history builds up). */
function ordinary(n: number) {
  return Array.from({ length: n }, (_, i) =>
    payment({ batchId: 'b_hist', row: i + 1, payeeAccount: String(1_000_000_000 + i), effectiveDate: '2025-01-15', amountSatang: baht(9_000 + ((i * 137) % 2_000)) }));
}

const big = (over: Parameters<typeof payment>[0] = {}) =>
  payment({ batchId: 'b_new', row: 1, payeeAccount: '5555555555', payeeName: 'นายสมชาย ใจดี', effectiveDate: '2025-01-20', amountSatang: baht(500_000), ...over });

describe('amount-outlier', () => {
  it('when 30 ordinary amounts are followed by one 50 times larger, then a medium alert carries the robust z', () => {
    const alerts = run(only('amount-outlier'), [...ordinary(30), big()]);
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(alert).toMatchObject({ ruleIds: ['amount-outlier'], severity: 'medium', subject: { kind: 'payment', key: big().recordId }, amountSatang: baht(500_000) });
    const evidence = alert!.evidence['amount-outlier'] as { lao: { observations: number; robustZ: number }; zThreshold: number; payee: unknown };
    expect(evidence.lao.observations).toBe(30);
    expect(evidence.lao.robustZ).toBeGreaterThan(6);
    expect(evidence.zThreshold).toBe(6);
    expect(evidence.payee).toBeNull();
    expect(alert!.reasons.th).toContain('นายสมชาย ใจดี');
    expect(alert!.reasons.en).toContain('500,000.00');
  });

  it('when the LAO pays amounts across several orders of magnitude, then a large but ordinary contract stays quiet', () => {
    // 60 purchases spread log-evenly from 500 to 500,000 baht, as a municipality's goods-and-services payments are.
    const spread = Array.from({ length: 60 }, (_, i) =>
      payment({ batchId: 'b_spread', row: i + 1, payeeAccount: String(2_000_000_000 + i), effectiveDate: '2025-01-15', amountSatang: baht(Math.round(500 * 1000 ** (((i * 37) % 60) / 59))) }));
    expect(run(only('amount-outlier'), [...spread, big({ amountSatang: baht(450_000) })])).toEqual([]);
    // …while an amount orders of magnitude above anything the LAO pays still fires.
    expect(run(only('amount-outlier'), [...ordinary(30), big({ amountSatang: baht(90_000_000) })])).toHaveLength(1);
  });

  it('when there are only 10 earlier amounts, then it stays quiet', () => {
    expect(run(only('amount-outlier'), [...ordinary(10), big()])).toEqual([]);
  });

  it('when the amount is ordinary, then it stays quiet', () => {
    expect(run(only('amount-outlier'), [...ordinary(30), big({ amountSatang: baht(10_500) })])).toEqual([]);
  });

  it('when the payee has its own history of such amounts, then its large payment is not an outlier', () => {
    const regular = Array.from({ length: 20 }, (_, i) =>
      big({ batchId: 'b_regular', row: i + 1, effectiveDate: '2025-01-10', amountSatang: baht(480_000 + i * 1_000), voucherNo: `${i + 1}/2568` }));
    // The LAO's history now mixes both, so compare against a history of ordinary amounts plus this payee's.
    const engine = only('amount-outlier');
    run(engine, [...ordinary(60), ...regular]);
    expect(engine.process(big({ voucherNo: '99/2568' }))).toEqual([]);
  });

  it('when the amounts are of another service type, then they are not this type\'s history', () => {
    const salaries = ordinary(30).map((r) => ({ ...r, serviceType: '01' }));
    expect(run(only('amount-outlier'), [...salaries, big()])).toEqual([]);
  });

  it('when the large transfer failed, then it is not flagged', () => {
    expect(run(only('amount-outlier'), [...ordinary(30), big({ status: 'failed' })])).toEqual([]);
  });
});
