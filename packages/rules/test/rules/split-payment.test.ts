import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/index.ts';
import { baht, only, payment, run } from '../helpers/factory.ts';
import { vouchers } from '../helpers/reference.ts';

// Each purchase has its own voucher, so duplicate-payment stays out of the way.
const buy = (n: number, effectiveDate: string, amountBaht = 40_000, extra: Parameters<typeof payment>[0] = {}) =>
  payment({ batchId: `b_${n}`, row: n, effectiveDate, amountSatang: baht(amountBaht), voucherNo: `${n}/2568`, ...extra });

describe('split-payment', () => {
  it('when three 40,000-baht purchases from one payee fall within a week, then one medium alert crosses 100,000 with the sum in evidence', () => {
    const engine = createEngine();
    expect(run(engine, [buy(1, '2025-03-03'), buy(2, '2025-03-04')])).toEqual([]);
    const third = buy(3, '2025-03-07');
    const alerts = engine.process(third);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      ruleIds: ['split-payment'],
      severity: 'medium',
      subject: { kind: 'payee', key: `006:9876543210:${buy(1, '2025-03-03').recordId}` },
      amountSatang: baht(120_000),
      occurredOn: '2025-03-07',
    });
    expect(alerts[0]!.evidence['split-payment']).toMatchObject({ thresholdSatang: baht(100_000), sumSatang: baht(120_000), count: 3, windowDays: 21, spanDays: 4, budgetItem: null });
    expect(alerts[0]!.findings[0]!.ruleVersion).toBe('3.0.0');
    expect(alerts[0]!.reasons.th).toContain('100,000.00');
    expect(alerts[0]!.reasons.en).toContain('120,000.00');
  });

  it('when a fourth payment joins the series, then the same alert is updated with the new sum', () => {
    const engine = createEngine();
    const [firstAlert] = run(engine, [buy(1, '2025-03-03'), buy(2, '2025-03-04'), buy(3, '2025-03-07')]);
    const [updated] = engine.process(buy(4, '2025-03-08'));
    expect(updated!.alertId).toBe(firstAlert!.alertId);
    expect(updated!.evidence['split-payment']).toMatchObject({ sumSatang: baht(160_000), count: 4 });
    expect(updated!.payments).toHaveLength(4);
  });

  it('when the fourth payment is dated before the others but arrives last, then the alert id does not change', () => {
    const engine = createEngine();
    const [firstAlert] = run(engine, [buy(1, '2025-03-05'), buy(2, '2025-03-06'), buy(3, '2025-03-07')]);
    const [updated] = engine.process(buy(4, '2025-03-02'));
    expect(updated!.alertId).toBe(firstAlert!.alertId);
    expect(updated!.evidence['split-payment']).toMatchObject({ count: 4, firstDate: '2025-03-02' });
  });

  it('when the series grows past 500,000 baht, then the same alert becomes high', () => {
    const engine = createEngine();
    const [firstAlert] = run(engine, [buy(1, '2025-03-03'), buy(2, '2025-03-04'), buy(3, '2025-03-07')]);
    // 400,000 baht is also ten times this payee's usual 40,000: amount-outlier raises its own alert about the payment.
    const alerts = engine.process(buy(4, '2025-03-08', 400_000));
    expect(alerts.map((a) => a.ruleIds).sort()).toEqual([['amount-outlier'], ['split-payment']]);
    const escalated = alerts.find((a) => a.ruleIds.includes('split-payment'));
    expect(escalated).toMatchObject({ alertId: firstAlert!.alertId, severity: 'high' });
    expect(escalated!.evidence['split-payment']).toMatchObject({ thresholdSatang: baht(500_000), sumSatang: baht(520_000) });
  });

  it('when the payments are more than three weeks apart, then there is no alert; a 30-day span is one setting away', () => {
    expect(run(createEngine(), [buy(1, '2025-03-03', 60_000), buy(2, '2025-03-25', 60_000)])).toEqual([]);
    expect(run(createEngine(), [buy(1, '2025-03-03', 60_000), buy(2, '2025-03-24', 60_000)])).toHaveLength(1);
    const month = createEngine({ rules: { 'split-payment': { windowDays: 30 } } });
    expect(run(month, [buy(1, '2025-03-01', 60_000), buy(2, '2025-03-31', 60_000)])).toHaveLength(1);
  });

  it('when a vendor is paid on two vouchers a month apart, then it is two purchases, not a split', () => {
    expect(run(createEngine(), [buy(1, '2025-03-05', 70_000), buy(2, '2025-04-04', 70_000)])).toEqual([]);
  });

  it('when a monthly service or utility is paid month after month, then there is no alert', () => {
    // A cleaning contract paid as goods/services (04) and an electricity bill (11), 60,000 baht each month.
    const months = ['2025-01-06', '2025-02-05', '2025-03-05', '2025-04-07', '2025-05-06'];
    expect(run(createEngine(), months.map((d, i) => buy(i + 1, d, 60_000)))).toEqual([]);
    expect(run(createEngine({ rules: { 'split-payment': { windowDays: 30 } } }), months.map((d, i) => buy(i + 1, d, 60_000, { serviceType: '11', payeeName: 'การไฟฟ้าส่วนภูมิภาค' })))).toEqual([]);
  });

  it('when the approved vouchers charge the pieces to different budget items, then they do not add up; the same item does', () => {
    const items = (first: string, second: string) => vouchers([
      { voucherNo: '1/2568', voucherDate: '2025-03-03', amountSatang: baht(60_000), budgetItem: first },
      { voucherNo: '2/2568', voucherDate: '2025-03-04', amountSatang: baht(60_000), budgetItem: second },
    ]);
    const pieces = [buy(1, '2025-03-03', 60_000), buy(2, '2025-03-04', 60_000)];
    const different = createEngine();
    different.applyReference(items('ค่าวัสดุก่อสร้าง', 'ค่าวัสดุสำนักงาน'));
    expect(run(different, pieces)).toEqual([]);
    const same = createEngine();
    same.applyReference(items('ค่าวัสดุก่อสร้าง', 'ค่าวัสดุก่อสร้าง '));
    const [alert] = run(same, pieces);
    expect(alert!.evidence['split-payment']).toMatchObject({ budgetItem: 'ค่าวัสดุก่อสร้าง', count: 2 });
    expect(alert!.reasons.en).toContain('budget item "ค่าวัสดุก่อสร้าง"');
    const off = createEngine({ rules: { 'split-payment': { sameBudgetItem: false } } });
    off.applyReference(items('ค่าวัสดุก่อสร้าง', 'ค่าวัสดุสำนักงาน'));
    expect(run(off, pieces)).toHaveLength(1);
  });

  it('when only one piece has a known budget item, then the unknown one still counts', () => {
    const engine = only('split-payment');
    engine.applyReference(vouchers([{ voucherNo: '1/2568', voucherDate: '2025-03-03', amountSatang: baht(60_000), budgetItem: 'ค่าวัสดุก่อสร้าง' }]));
    expect(run(engine, [buy(1, '2025-03-03', 60_000), buy(2, '2025-03-04', 55_000, { voucherNo: null })])).toHaveLength(1);
  });

  it('when the LAO has no history, then one payment cannot be a split; in its first week two pieces already are', () => {
    expect(run(only('split-payment'), [buy(1, '2025-03-03', 99_000)])).toEqual([]);
    const [alert] = run(only('split-payment'), [buy(1, '2025-03-03', 60_000), buy(2, '2025-03-04', 60_000)]);
    expect(alert!.evidence['split-payment']).toMatchObject({ count: 2, sumSatang: baht(120_000), thresholdSatang: baht(100_000) });
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

  it('when the bank report lists the transfers of a bulk file that already raised the alert, then the report adds no second alert', () => {
    const bulk = { sourceFormat: 'ktb-bulk' as const, status: 'instructed' as const };
    const engine = createEngine();
    const fromBulk = run(engine, [buy(1, '2025-03-03', 60_000, bulk), buy(2, '2025-03-04', 60_000, bulk)]);
    expect(fromBulk).toHaveLength(1);
    expect(run(engine, [buy(3, '2025-03-03', 60_000), buy(4, '2025-03-04', 60_000)])).toEqual([]);
    // A transfer the bulk file never instructed is new money: the report's own split still shows.
    expect(run(engine, [buy(5, '2025-03-05', 70_000)]).map((a) => a.ruleIds)).toEqual([['split-payment']]);
  });

  it('when the procurement service types are configured, then other types count too', () => {
    const other = { serviceType: '20' };
    const records = [buy(1, '2025-03-01', 60_000, other), buy(2, '2025-03-05', 60_000, other)];
    expect(run(createEngine(), records)).toEqual([]);
    expect(run(createEngine({ rules: { 'split-payment': { serviceTypes: ['04', '20'] } } }), records)).toHaveLength(1);
  });
});
