import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/index.ts';
import { baht, payment, run } from '../helpers/factory.ts';

// Each purchase has its own voucher, so duplicate-payment stays out of the way.
const buy = (n: number, effectiveDate: string, amountBaht = 40_000, extra: Parameters<typeof payment>[0] = {}) =>
  payment({ batchId: `b_${n}`, row: n, effectiveDate, amountSatang: baht(amountBaht), voucherNo: `${n}/2568`, ...extra });

describe('split-payment', () => {
  it('when three 40,000-baht purchases from one payee fall within 30 days, then one medium alert crosses 100,000 with the sum in evidence', () => {
    const engine = createEngine();
    expect(run(engine, [buy(1, '2025-03-01'), buy(2, '2025-03-10')])).toEqual([]);
    const third = buy(3, '2025-03-25');
    const alerts = engine.process(third);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      ruleIds: ['split-payment'],
      severity: 'medium',
      subject: { kind: 'payee', key: `006:9876543210:${buy(1, '2025-03-01').recordId}` },
      amountSatang: baht(120_000),
      occurredOn: '2025-03-25',
    });
    expect(alerts[0]!.evidence['split-payment']).toMatchObject({ thresholdSatang: baht(100_000), sumSatang: baht(120_000), count: 3, windowDays: 30, spanDays: 24 });
    expect(alerts[0]!.reasons.th).toContain('100,000.00');
    expect(alerts[0]!.reasons.en).toContain('120,000.00');
  });

  it('when a fourth payment joins the series, then the same alert is updated with the new sum', () => {
    const engine = createEngine();
    const [firstAlert] = run(engine, [buy(1, '2025-03-01'), buy(2, '2025-03-10'), buy(3, '2025-03-25')]);
    const [updated] = engine.process(buy(4, '2025-03-28'));
    expect(updated!.alertId).toBe(firstAlert!.alertId);
    expect(updated!.evidence['split-payment']).toMatchObject({ sumSatang: baht(160_000), count: 4 });
    expect(updated!.payments).toHaveLength(4);
  });

  it('when the fourth payment is dated before the others but arrives last, then the alert id does not change', () => {
    const engine = createEngine();
    const [firstAlert] = run(engine, [buy(1, '2025-03-05'), buy(2, '2025-03-10'), buy(3, '2025-03-25')]);
    const [updated] = engine.process(buy(4, '2025-03-02'));
    expect(updated!.alertId).toBe(firstAlert!.alertId);
    expect(updated!.evidence['split-payment']).toMatchObject({ count: 4, firstDate: '2025-03-02' });
  });

  it('when the series grows past 500,000 baht, then the same alert becomes high', () => {
    const engine = createEngine();
    const [firstAlert] = run(engine, [buy(1, '2025-03-01'), buy(2, '2025-03-10'), buy(3, '2025-03-25')]);
    const [escalated] = engine.process(buy(4, '2025-03-26', 400_000));
    expect(escalated).toMatchObject({ alertId: firstAlert!.alertId, severity: 'high' });
    expect(escalated!.evidence['split-payment']).toMatchObject({ thresholdSatang: baht(500_000), sumSatang: baht(520_000) });
  });

  it('when the payments are more than 30 days apart, then there is no alert', () => {
    expect(run(createEngine(), [buy(1, '2025-03-01', 60_000), buy(2, '2025-04-01', 60_000)])).toEqual([]);
    expect(run(createEngine(), [buy(1, '2025-03-01', 60_000), buy(2, '2025-03-31', 60_000)])).toHaveLength(1);
  });

  it('when the payments are salaries, then there is no alert', () => {
    const salary = { serviceType: '01' };
    expect(run(createEngine(), [buy(1, '2025-03-01', 40_000, salary), buy(2, '2025-03-10', 40_000, salary), buy(3, '2025-03-25', 40_000, salary)])).toEqual([]);
  });

  it('when one of the payments is itself above the threshold, then it does not count toward that threshold', () => {
    expect(run(createEngine(), [buy(1, '2025-03-01', 90_000), buy(2, '2025-03-05', 110_000)])).toEqual([]);
  });

  it('when the sum only equals the threshold, then there is no alert', () => {
    expect(run(createEngine(), [buy(1, '2025-03-01', 50_000), buy(2, '2025-03-05', 50_000)])).toEqual([]);
  });

  it('when the bank report repeats the transfers of a bulk file, then they are not added together', () => {
    const bulk = { sourceFormat: 'ktb-bulk' as const, status: 'instructed' as const };
    expect(run(createEngine(), [buy(1, '2025-03-01', 60_000, bulk), buy(2, '2025-03-01', 60_000)])).toEqual([]);
  });

  it('when the procurement service types are configured, then other types count too', () => {
    const other = { serviceType: '20' };
    const records = [buy(1, '2025-03-01', 60_000, other), buy(2, '2025-03-05', 60_000, other)];
    expect(run(createEngine(), records)).toEqual([]);
    expect(run(createEngine({ rules: { 'split-payment': { serviceTypes: ['04', '20'] } } }), records)).toHaveLength(1);
  });
});
