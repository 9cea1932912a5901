import { Alert, alertIdFor, type BatchManifest } from '@paywatch/domain';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/index.ts';
import { baht, evidenceOf, LAO, only, payment, run } from '../helpers/factory.ts';
import { vouchers } from '../helpers/reference.ts';

function manifest(header: BatchManifest['header']): BatchManifest {
  return {
    batchId: 'b_padded', laoCode: LAO, sha256: 'ab'.repeat(32), fileName: 'pay-2568-03.txt', sizeBytes: 1_000, rawKey: 'raw/b_padded',
    format: 'ktb-bulk', encoding: 'cp874', rowsRead: 11, rowsAccepted: 11, rowsRejected: 0, totalSatang: header?.detailTotalSatang ?? 0,
    header, status: 'published', refusal: null, uploadedBy: 'u1', receivedAt: '2025-03-04T03:00:00Z', publishedAt: '2025-03-04T03:00:01Z',
  };
}
const check = (declaredCount: number, declaredTotalSatang: number, detailCount: number, detailTotalSatang: number) =>
  ({ declaredCount, declaredTotalSatang, detailCount, detailTotalSatang, matches: declaredCount === detailCount && declaredTotalSatang === detailTotalSatang });

describe('batch-padded (header vs detail lines)', () => {
  it('when the detail lines hold one line and 29 baht more than the header declares, then a high batch alert gives both counts and totals', () => {
    const alerts = createEngine().processManifest(manifest(check(10, baht(100_000), 11, baht(100_029))));
    expect(alerts).toHaveLength(1);
    const alert = Alert.parse(alerts[0]);
    expect(alert).toMatchObject({ ruleIds: ['batch-padded'], severity: 'high', subject: { kind: 'batch', key: 'b_padded' }, laoCode: LAO });
    expect(alert.evidence['batch-padded']).toMatchObject({ declaredCount: 10, detailCount: 11, countDifference: 1, declaredTotalSatang: baht(100_000), detailTotalSatang: baht(100_029), totalDifferenceSatang: baht(29) });
    expect(alert.reasons.th).toContain('100,029.00');
    expect(alert.reasons.en).toContain('declares 10 lines');
  });

  it('when the lines add up to less than the header, then it is medium', () => {
    expect(createEngine().processManifest(manifest(check(10, baht(100_000), 10, baht(90_000))))[0]).toMatchObject({ severity: 'medium' });
  });

  it('when the header matches, or there is no header (a bank report), or the rule is off, then there is no alert', () => {
    expect(createEngine().processManifest(manifest(check(10, baht(100_000), 10, baht(100_000))))).toEqual([]);
    expect(createEngine().processManifest(manifest(null))).toEqual([]);
    expect(createEngine({ rules: { 'batch-padded': { enabled: false } } }).processManifest(manifest(check(1, 1, 2, 2)))).toEqual([]);
  });

  it('when the same manifest is processed twice, then the alerts are byte-identical (same alert id, updated not duplicated)', () => {
    const m = manifest(check(10, baht(100_000), 11, baht(100_029)));
    expect(JSON.stringify(createEngine().processManifest(m))).toBe(JSON.stringify(createEngine().processManifest(structuredClone(m))));
  });
});

describe('batch-padded (bulk lines vs approved vouchers)', () => {
  const engine = (over: Record<string, unknown> = {}) => {
    const e = only('batch-padded', { minCoveredLines: 1, ...over }, {});
    // Approved vouchers for three payees, 40,000 baht each, on 3 March.
    e.applyReference(vouchers(['1111111111', '2222222222', '3333333333'].map((payeeAccount, i) => ({ voucherNo: `${i + 1}/2568`, payeeAccount }))));
    return e;
  };
  /** A line of the bulk file b_pay; accounts 1111111111–3333333333 have a voucher, any other has none. */
  const line = (row: number, payeeAccount: string, over: Parameters<typeof payment>[0] = {}) =>
    payment({ batchId: 'b_pay', row, sourceFormat: 'ktb-bulk', status: 'instructed', sourceFile: 'pay-2568-03.txt', payeeAccount, payeeName: `ผู้รับ ${payeeAccount.slice(0, 1)}`, ...over });
  const approved = [line(1, '1111111111'), line(2, '2222222222'), line(3, '3333333333')];
  const padded = (row: number, amountBaht = 25_000) => line(row, `900000000${row}`, { amountSatang: baht(amountBaht) });

  it('when a line no approved voucher covers is in a batch whose other lines are covered, then a high batch alert lists the padded line', () => {
    const e = engine();
    expect(run(e, approved)).toEqual([]);
    const [alert] = e.process(padded(4));
    expect(Alert.parse(alert)).toMatchObject({ ruleIds: ['batch-padded'], severity: 'high', subject: { kind: 'batch', key: 'b_pay:vouchers' }, alertId: alertIdFor(LAO, { kind: 'batch', key: 'b_pay:vouchers' }) });
    expect(alert!.payments.map((p) => p.row)).toEqual([4]);
    expect(evidenceOf(alert, 'batch-padded')).toMatchObject({ fileName: 'pay-2568-03.txt', coveredLines: 3, uncoveredLines: 1, uncoveredTotalSatang: baht(25_000), minCoveredLines: 1, voucherListVersion: 1 });
    expect(alert!.findings[0]!.ruleVersion).toBe('2.0.0');
    expect(alert!.reasons.en).toContain('rows 4');
    // A second padded line updates the same alert with both.
    const [again] = e.process(padded(5, 5_000));
    expect(again!.alertId).toBe(alert!.alertId);
    expect(evidenceOf(again, 'batch-padded')).toMatchObject({ uncoveredLines: 2, uncoveredTotalSatang: baht(30_000) });
  });

  it('when the padded lines come first, then the batch turns out approved at its first covered line, which lists them once', () => {
    const e = engine();
    expect(run(e, [padded(1), padded(2)])).toEqual([]);
    const [alert] = e.process(line(3, '1111111111'));
    expect(evidenceOf(alert, 'batch-padded')).toMatchObject({ coveredLines: 1, uncoveredLines: 2 });
    expect(alert!.payments.map((p) => p.row)).toEqual([1, 2]);
    expect(run(e, [line(4, '2222222222'), line(5, '3333333333')])).toEqual([]);
  });

  it('when no line of the batch is covered, when the lines are salaries or allowances, or when the LAO has no voucher list, then it is quiet', () => {
    expect(run(engine(), [padded(1), padded(2), padded(3)])).toEqual([]);
    expect(run(engine(), [...approved, line(4, '4444444444', { serviceType: '01' }), line(5, '5555555555', { serviceType: '59', payeeName: 'นายแก่ ใจดี', remark: 'เบี้ยยังชีพผู้สูงอายุ', amountSatang: baht(700) })])).toEqual([]);
    expect(run(only('batch-padded'), [...approved, padded(4)])).toEqual([]);
  });

  it('when the lines are a bank report\'s, then they are not a batch to pad (the report is the outcome, not the instruction)', () => {
    const report = (row: number, payeeAccount: string) => payment({ batchId: 'b_report', row, payeeAccount });
    expect(run(engine(), [report(1, '1111111111'), report(2, '2222222222'), report(3, '9000000003')])).toEqual([]);
  });

  it('when minCoveredLines is 2, then one covered line does not make the batch approved; two do', () => {
    expect(run(engine({ minCoveredLines: 2 }), [line(1, '1111111111'), padded(2)])).toEqual([]);
    expect(run(engine({ minCoveredLines: 2 }), [padded(1), line(2, '1111111111')])).toEqual([]);
    const [alert] = run(engine({ minCoveredLines: 2 }), [line(1, '1111111111'), line(2, '2222222222'), padded(3)]);
    expect(evidenceOf(alert, 'batch-padded')).toMatchObject({ coveredLines: 2, uncoveredLines: 1, minCoveredLines: 2 });
  });

  // BUG (reported): with minCoveredLines > 1, a batch whose padded lines come first never fires: the covered line that
  // reaches the minimum is not the first covered line, and only the first covered line is taken to change the picture.
  it('when minCoveredLines is 2 and the padded line comes first, then the second covered line reveals it', () => {
    const alerts = run(engine({ minCoveredLines: 2 }), [padded(1), line(2, '1111111111'), line(3, '2222222222')]);
    expect(alerts).toHaveLength(1);
    expect(evidenceOf(alerts[0], 'batch-padded')).toMatchObject({ coveredLines: 2, uncoveredLines: 1 });
  });

  it('when it is the LAO\'s very first batch (no history at all), then a padded line fires just the same: the batch is its own baseline', () => {
    const e = engine();
    expect(run(e, [line(1, '1111111111'), padded(2)]).map((a) => a.subject.key)).toEqual(['b_pay:vouchers']);
  });

  it('when the header half also fires for the batch, then the two halves are two alerts (batch id and batch id:vouchers)', () => {
    const e = engine();
    const lines = run(e, [...approved, padded(4)]);
    const header = e.processManifest({ ...manifest(check(3, baht(120_000), 4, baht(145_000))), batchId: 'b_pay' });
    expect([...header, ...lines].map((a) => [a.subject.key, a.ruleIds])).toEqual([['b_pay', ['batch-padded']], ['b_pay:vouchers', ['batch-padded']]]);
    expect(header[0]!.alertId).not.toBe(lines[0]!.alertId);
  });

  it('when the engine is snapshotted mid-batch and restored, then the batch\'s voucher tally carries on as if it never stopped', () => {
    const whole = engine();
    const expected = run(whole, [...approved, padded(4)]);
    const before = engine();
    run(before, approved.slice(0, 2));
    const wire = JSON.parse(JSON.stringify(before.snapshot())) as unknown;
    expect((wire as { laos: { batchVouchers: unknown[] }[] }).laos[0]!.batchVouchers).toEqual([['b_pay', 2, []]]);
    const after = only('batch-padded', { minCoveredLines: 1 }, {});
    after.restore(wire);
    expect(run(after, [approved[2]!, padded(4)])).toEqual(expected);
    expect(evidenceOf(expected[0], 'batch-padded')).toMatchObject({ coveredLines: 3 });
    expect(JSON.stringify(after.snapshot())).toBe(JSON.stringify(whole.snapshot()));
  });
});
