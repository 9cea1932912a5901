import { alertIdFor } from '@paywatch/domain';
import { describe, expect, it } from 'vitest';
import { createEngine, DuplicatePaymentConfig, matchDuplicate, normaliseVoucher, toWindowPayment } from '../../src/index.ts';
import { baht, LAO, only, payment, run } from '../helpers/factory.ts';
import { vouchers } from '../helpers/reference.ts';

const first = payment({ batchId: 'b_mar', row: 4, effectiveDate: '2025-03-03', voucherNo: 'ฎ.12/2568' });

describe('duplicate-payment', () => {
  it('when two lines of the same amount quote no voucher but the LAO\'s approved list holds one for each, then they are two payments; one voucher for both is a double', () => {
    // Both lines are 40,000 baht to account 9876543210 of bank 006, ten days apart, with no voucher number on the line.
    const a = payment({ batchId: 'b_v1', row: 1, effectiveDate: '2025-03-03', voucherNo: null });
    const b = payment({ batchId: 'b_v2', row: 1, effectiveDate: '2025-03-13', voucherNo: null });
    const withList = (items: Parameters<typeof vouchers>[0]) => { const e = createEngine(); e.applyReference(vouchers(items)); return e; };
    expect(run(withList([{ voucherNo: '11/2568', voucherDate: '2025-03-02' }, { voucherNo: '12/2568', voucherDate: '2025-03-12' }]), [a, b]).filter((x) => x.ruleIds.includes('duplicate-payment'))).toEqual([]);
    // Only the first is covered: nothing approved the second.
    expect(run(withList([{ voucherNo: '11/2568', voucherDate: '2025-03-02' }]), [a, b]).filter((x) => x.ruleIds.includes('duplicate-payment'))).toHaveLength(1);
    // Two days apart and one voucher covering both: the voucher was paid twice.
    const c = payment({ batchId: 'b_v3', row: 1, effectiveDate: '2025-03-05', voucherNo: null });
    expect(run(withList([{ voucherNo: '11/2568', voucherDate: '2025-03-04' }]), [a, c]).filter((x) => x.ruleIds.includes('duplicate-payment'))).toHaveLength(1);
  });

  it('when the same voucher pays the same account twice, then one high alert names the later payment', () => {
    const again = payment({ batchId: 'b_mar2', row: 7, effectiveDate: '2025-03-12', voucherNo: 'ฎ. 12/2568', amountSatang: baht(35_000) });
    const alerts = run(createEngine(), [first, again]);
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(alert).toMatchObject({
      alertId: alertIdFor(LAO, { kind: 'payment', key: again.recordId }),
      ruleIds: ['duplicate-payment'],
      severity: 'high',
      subject: { kind: 'payment', key: again.recordId },
      amountSatang: baht(40_000) + baht(35_000),
      occurredOn: '2025-03-12',
    });
    expect(alert!.payments.map((p) => p.recordId).sort()).toEqual([first.recordId, again.recordId].sort());
    expect(alert!.evidence['duplicate-payment']).toMatchObject({ later: again.recordId, earlier: [{ recordId: first.recordId, matchedBy: 'voucher', daysApart: 9 }] });
    expect(alert!.reasons.th).toContain('ฎ.12/2568');
    expect(alert!.reasons.en).toContain('voucher ฎ.12/2568');
  });

  it('when the same account gets the same amount twice within 30 days without vouchers, then an alert explains it in Thai and English', () => {
    const a = payment({ batchId: 'b1', row: 1, effectiveDate: '2025-03-03' });
    const b = payment({ batchId: 'b2', row: 2, effectiveDate: '2025-04-02' });
    const alerts = run(createEngine(), [a, b]);
    expect(alerts).toHaveLength(1);
    const { reasons, evidence } = alerts[0]!;
    expect(evidence['duplicate-payment']).toMatchObject({ windowDays: 30, earlier: [{ recordId: a.recordId, matchedBy: 'account-amount', daysApart: 30 }] });
    for (const text of [reasons.th, reasons.en]) {
      expect(text).toContain('หจก. รุ่งเรืองการช่าง');
      expect(text).toContain('40,000.00');
      expect(text).toContain('******3210');
      expect(text).not.toContain('9876543210');
      expect(text).toContain('30');
    }
    expect(reasons.th).toContain('03/03/2568');
    expect(reasons.en).toContain('2025-03-03');
  });

  it('when the two payments are 31 days apart, then there is no alert', () => {
    const a = payment({ batchId: 'b1', effectiveDate: '2025-03-03' });
    const b = payment({ batchId: 'b2', effectiveDate: '2025-04-03' });
    expect(run(createEngine(), [a, b])).toEqual([]);
  });

  it('when a salary (service type 01) of the same amount is paid again, then there is no alert', () => {
    const a = payment({ batchId: 'b1', effectiveDate: '2025-03-01', serviceType: '01', amountSatang: baht(18_500) });
    const b = payment({ batchId: 'b2', effectiveDate: '2025-03-28', serviceType: '01', amountSatang: baht(18_500) });
    expect(run(createEngine(), [a, b])).toEqual([]);
  });

  it('when the same amount is paid under two distinct vouchers, then there is no alert', () => {
    const a = payment({ batchId: 'b1', effectiveDate: '2025-03-03', voucherNo: '15/2568' });
    const b = payment({ batchId: 'b2', effectiveDate: '2025-03-10', voucherNo: '16/2568' });
    expect(run(createEngine(), [a, b])).toEqual([]);
  });

  it('when only one of the two payments has a voucher, then it is still a duplicate', () => {
    const a = payment({ batchId: 'b1', effectiveDate: '2025-03-03', voucherNo: '15/2568' });
    const b = payment({ batchId: 'b2', effectiveDate: '2025-03-10' });
    expect(run(createEngine(), [a, b]).map((x) => x.ruleIds)).toEqual([['duplicate-payment']]);
  });

  it('when the first transfer failed and was paid again, then there is no alert', () => {
    const failed = payment({ batchId: 'b1', effectiveDate: '2025-03-03', status: 'failed' });
    const paid = payment({ batchId: 'b2', effectiveDate: '2025-03-04' });
    expect(run(createEngine(), [failed, paid])).toEqual([]);
  });

  it('when a paid transfer is followed by a failed attempt of the same amount, then there is no alert', () => {
    const paid = payment({ batchId: 'b1', effectiveDate: '2025-03-03' });
    const failed = payment({ batchId: 'b2', effectiveDate: '2025-03-04', status: 'rejected' });
    expect(run(createEngine(), [paid, failed])).toEqual([]);
  });

  it('when the exact same record is replayed, then it gives no alert and the state does not change', () => {
    const engine = createEngine();
    const a = payment({ batchId: 'b1', effectiveDate: '2025-03-03' });
    const b = payment({ batchId: 'b2', effectiveDate: '2025-03-10' });
    expect(run(engine, [a, b])).toHaveLength(1);
    const before = JSON.stringify(engine.snapshot());
    expect(engine.hasSeen(b)).toBe(true);
    expect(engine.process(b)).toEqual([]);
    expect(engine.process(a)).toEqual([]);
    expect(JSON.stringify(engine.snapshot())).toBe(before);
  });

  it('when the later-dated payment arrives first, then the alert still names the later-dated payment', () => {
    const early = payment({ batchId: 'b_jan', effectiveDate: '2025-03-03' });
    const late = payment({ batchId: 'b_feb', effectiveDate: '2025-03-20' });
    const forward = run(createEngine(), [early, late]);
    const backward = run(createEngine(), [late, early]);
    expect(backward).toHaveLength(1);
    expect(backward[0]!.subject.key).toBe(late.recordId);
    expect(backward[0]!.alertId).toBe(forward[0]!.alertId);
  });

  it('when a third copy is dated between two known ones, then the later alert is re-issued with both earlier payments', () => {
    const a = payment({ batchId: 'b1', effectiveDate: '2025-03-01' });
    const c = payment({ batchId: 'b3', effectiveDate: '2025-03-20' });
    const b = payment({ batchId: 'b2', effectiveDate: '2025-03-10' });
    const engine = createEngine({ rules: { 'split-payment': { enabled: false } } });
    run(engine, [a, c]);
    const alerts = engine.process(b);
    const aboutC = alerts.find((x) => x.subject.key === c.recordId);
    const aboutB = alerts.find((x) => x.subject.key === b.recordId);
    expect(aboutC!.payments.map((p) => p.recordId).sort()).toEqual([a, b, c].map((r) => r.recordId).sort());
    expect(aboutB!.payments.map((p) => p.recordId).sort()).toEqual([a, b].map((r) => r.recordId).sort());
  });

  it('when a bulk-file line and the report line of the same transfer both arrive, then there is no alert', () => {
    const instructed = payment({ batchId: 'b_bulk', sourceFormat: 'ktb-bulk', status: 'instructed', effectiveDate: '2025-03-03' });
    const reported = payment({ batchId: 'b_report', effectiveDate: '2025-03-03' });
    expect(run(createEngine(), [instructed, reported])).toEqual([]);
  });

  it('when two overlapping reports list the same bank reference, then there is no alert', () => {
    const a = payment({ batchId: 'b_daily', bankReference: 'KTB250303000123', effectiveDate: '2025-03-03' });
    const b = payment({ batchId: 'b_monthly', row: 40, bankReference: 'KTB250303000123', effectiveDate: '2025-03-03' });
    expect(run(createEngine(), [a, b])).toEqual([]);
  });

  it('when one payroll voucher pays many different accounts, then there is no alert', () => {
    const lines = ['1111111111', '2222222222', '3333333333'].map((acct, i) =>
      payment({ batchId: 'b_payroll', row: i + 1, payeeAccount: acct, serviceType: '01', voucherNo: '30/2568', amountSatang: baht(18_500) }));
    expect(run(createEngine(), lines)).toEqual([]);
  });

  it('when two beneficiaries with different citizen IDs share one account, then it is not a duplicate', () => {
    const cfg = DuplicatePaymentConfig.parse({});
    const a = toWindowPayment(payment({ batchId: 'b1', payeeId: '1101700203451', serviceType: '04' }), 0);
    const b = toWindowPayment(payment({ batchId: 'b2', payeeId: '3100600123456', serviceType: '04' }), 1);
    expect(matchDuplicate(a, b, cfg)).toBeNull();
    expect(matchDuplicate(a, { ...b, payeeId: a.payeeId }, cfg)).toBe('account-amount');
  });

  it('when a voucher is typed with spaces or Thai digits, then it compares equal', () => {
    expect(normaliseVoucher(' ฎ. ๑๒/๒๕๖๘ ')).toBe(normaliseVoucher('ฎ.12/2568'));
    expect(normaliseVoucher('  ')).toBeNull();
  });
});

describe('duplicate-payment: retries, standing amounts, recurring pay', () => {
  /** The thresholds these tests are written against (the defaults, spelled out so that tuning a default does not move them). */
  const CFG = { windowDays: 30, standingMonths: 1, retryToleranceDays: 3 };
  const engine = (over: Record<string, unknown> = {}) => only('duplicate-payment', { ...CFG, ...over });
  const bulk = (batchId: string, effectiveDate: string, over: Parameters<typeof payment>[0] = {}) => payment({ batchId, sourceFormat: 'ktb-bulk', status: 'instructed', effectiveDate, ...over });
  const failedInReport = (effectiveDate: string, over: Parameters<typeof payment>[0] = {}) => payment({ batchId: `b_report_${effectiveDate}`, status: 'failed', effectiveDate, ...over });

  it('when the bank report shows a bulk line failed, then the next bulk line of that amount is its retry, not a duplicate', () => {
    expect(run(engine(), [bulk('b_bulk1', '2025-03-03'), failedInReport('2025-03-03'), bulk('b_bulk2', '2025-03-05')])).toEqual([]);
    // Without the report's failure the same two lines are a double payment.
    expect(run(engine(), [bulk('b_bulk1', '2025-03-03'), bulk('b_bulk2', '2025-03-05')]).map((a) => a.ruleIds)).toEqual([['duplicate-payment']]);
  });

  it('when the failure is of another amount, or more than retryToleranceDays from the line, then it explains nothing', () => {
    expect(run(engine(), [bulk('b_bulk1', '2025-03-03'), failedInReport('2025-03-03', { amountSatang: baht(39_000) }), bulk('b_bulk2', '2025-03-10')])).toHaveLength(1);
    expect(run(engine(), [bulk('b_bulk1', '2025-03-03'), failedInReport('2025-03-17'), bulk('b_bulk2', '2025-03-10')])).toHaveLength(1);
    expect(run(engine({ retryToleranceDays: 7 }), [bulk('b_bulk1', '2025-03-03'), failedInReport('2025-03-10'), bulk('b_bulk2', '2025-03-10')])).toEqual([]);
  });

  // BUG (reported): one failed transfer excuses every bulk line of its amount within retryToleranceDays — the failed line
  // and its successful retry alike — so a real second payment after the retry is compared with two "failed" lines.
  it('when a retried line is then paid a third time, then the third payment is a duplicate of the retry', () => {
    const retried = [bulk('b_bulk1', '2025-03-03'), failedInReport('2025-03-03'), bulk('b_bulk2', '2025-03-05')];
    const alerts = run(engine(), [...retried, bulk('b_bulk3', '2025-03-12')]);
    expect(alerts.map((a) => a.subject.key)).toEqual(['b_bulk3:1']);
  });

  it('when the account got the same amount in another calendar month too, then the pair is a standing arrangement and quiet', () => {
    const pair = [payment({ batchId: 'b_a', effectiveDate: '2025-03-20' }), payment({ batchId: 'b_b', effectiveDate: '2025-04-10' })];
    const january = payment({ batchId: 'b_jan', effectiveDate: '2025-01-15' });
    expect(run(engine(), [january, ...pair])).toEqual([]);
    // A standing arrangement is paid once a month: twice in one month is a double, whatever January says.
    const sameMonth = [payment({ batchId: 'b_c', effectiveDate: '2025-03-03' }), payment({ batchId: 'b_d', effectiveDate: '2025-03-20' })];
    expect(run(engine(), [january, ...sameMonth])).toHaveLength(1);
    // With no other month (a short history), the pair is a duplicate.
    expect(run(engine(), pair)).toHaveLength(1);
    // standingMonths other months are needed: one is not two, two are.
    expect(run(engine({ standingMonths: 2 }), [january, ...pair])).toHaveLength(1);
    expect(run(engine({ standingMonths: 2 }), [payment({ batchId: 'b_dec', effectiveDate: '2024-12-05' }), january, ...pair])).toEqual([]);
    // Another amount that month is no standing arrangement for this one.
    expect(run(engine(), [payment({ batchId: 'b_jan', effectiveDate: '2025-01-15', amountSatang: baht(39_000) }), ...pair])).toHaveLength(1);
  });

  it('when allowances or utility bills repeat an amount, then they are recurring pay and quiet; the same under 59 to a firm is not', () => {
    const twice = (over: Parameters<typeof payment>[0]) => [payment({ batchId: 'b1', effectiveDate: '2025-03-03', ...over }), payment({ batchId: 'b2', effectiveDate: '2025-03-20', ...over })];
    expect(run(engine(), twice({ serviceType: '59', payeeName: 'นายแก่ ใจดี', remark: 'เบี้ยยังชีพผู้สูงอายุ', amountSatang: baht(700) }))).toEqual([]);
    expect(run(engine(), twice({ serviceType: '11', payeeName: 'การไฟฟ้าส่วนภูมิภาค' }))).toEqual([]);
    expect(run(engine(), twice({ serviceType: '59' }))).toHaveLength(1);
  });

  it('when the LAO has no history, then its first payment is no duplicate; its second, paying the first again, already is', () => {
    const e = engine();
    expect(e.process(payment({ batchId: 'b1', effectiveDate: '2025-03-03' }))).toEqual([]);
    expect(e.process(payment({ batchId: 'b2', effectiveDate: '2025-03-04' })).map((a) => a.ruleIds)).toEqual([['duplicate-payment']]);
  });
});
