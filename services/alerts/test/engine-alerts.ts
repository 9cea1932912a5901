// One alert of every kind the real detection engine builds (payment, payee, batch, LAO-period, cross-LAO from stage 2),
// each with the unmasked values its evidence hides: shared by the reveal, case-action and console browser tests.
import { Disbursement, addDays, recordIdOf, thaiIdCheckDigit, type Alert, type BatchManifest } from '@paywatch/domain';
import { createEngine, createPayeeEngine, RuleSetConfig, type RuleSetConfigInput } from '@paywatch/rules';

const LAO_66 = '6600101';
const LAO_60 = '6000101';

/** A report line of LAO 6600101 paying 40,000 baht for goods, every field ordinary; a case names what it is about. */
function payment(over: Partial<Omit<Disbursement, 'recordId'>> = {}): Disbursement {
  const batchId = over.batchId ?? 'b_reveal1';
  const row = over.row ?? 1;
  return Disbursement.parse({
    sourceFormat: 'ktb-report', laoCode: LAO_66, companyId: null, debitAccount: null, payeeBankCode: '006', payeeAccount: '9876543210',
    payeeName: 'หจก. รุ่งเรืองการช่าง', payeeId: null, amountSatang: 4_000_000, feeSatang: null, effectiveDate: '2026-03-03', executedAt: null,
    approvedAt: null, serviceType: '04', voucherNo: null, bankReference: null, batchNo: null, makerId: null, authorizerId: null, status: 'success',
    remark: null, extra: {}, sourceFile: 'ktb-report-2026-03.csv', ...over, batchId, row, recordId: recordIdOf(batchId, row),
  });
}

/** An engine where only this rule runs, so each alert kind comes from the rule meant to give it. */
const only = (ruleId: string, over: Record<string, unknown> = {}) =>
  createEngine({ rules: Object.fromEntries(Object.keys(RuleSetConfig.parse({}).rules).map((id) => [id, id === ruleId ? over : { enabled: false }])) } as RuleSetConfigInput);

const id12 = '310170020345';
const CID = id12 + thaiIdCheckDigit(id12);

/** One alert of each kind, from the engine; with the unmasked values each must reveal. All of LAO 6600101 (province 66). */
export function engineAlerts(): Record<'payment' | 'payee' | 'batch' | 'lao-period' | 'cross-lao', { alert: Alert; secrets: string[] }> {
  // payment: the same 40,000 baht paid twice to one account.
  const dup = only('duplicate-payment');
  const payment1 = [payment({ row: 2 }), payment({ row: 3, effectiveDate: '2026-03-04' })].flatMap((r) => dup.process(r)).at(-1)!;

  // payee: one account under two names.
  const names = only('account-many-names');
  const payee = [payment({ row: 4, payeeAccount: '1122334455' }), payment({ row: 5, payeeAccount: '1122334455', payeeName: 'นายสมชาย ใจกล้า' })].flatMap((r) => names.process(r)).at(-1)!;

  // batch: the header declares fewer lines than the file holds; the file is named after the sending account.
  const manifest: BatchManifest = {
    batchId: 'b_reveal_batch', laoCode: LAO_66, sha256: 'a'.repeat(64), fileName: 'KTB_9800012345_2569-03.txt', sizeBytes: 1000, rawKey: 'raw/x', format: 'ktb-bulk',
    encoding: 'windows-874', rowsRead: 5, rowsAccepted: 5, rowsRejected: 0, totalSatang: 500_000,
    header: { effectiveDate: '2026-03-05', declaredCount: 4, declaredTotalSatang: 400_000, detailCount: 5, detailTotalSatang: 500_000, matches: false },
    status: 'published', refusal: null, uploadedBy: 'f66', receivedAt: '2026-03-05T01:00:00Z', publishedAt: '2026-03-05T01:00:05Z',
  };
  const batch = createEngine().processManifest(manifest).at(-1)!;

  // lao-period: ten weeks of 2–4 purchases a weekday, then a Monday of 30 transfers.
  const spike = only('velocity-spike');
  let row = 10;
  const day = (date: string, amountBaht: number) => payment({ batchId: `b_${date}`, row: ++row, payeeAccount: String(2_000_000_000 + (row % 30)), amountSatang: (amountBaht + (row % 7) * 100) * 100, effectiveDate: date });
  const start = '2026-01-05';
  const routine = Array.from({ length: 70 }, (_, d) => addDays(start, d)).flatMap((date, d) => (d % 7 >= 5 ? [] : Array.from({ length: 2 + (d % 3) }, () => day(date, 20_000))));
  const surge = Array.from({ length: 30 }, () => day(addDays(start, 70), 50_000));
  const period = [...routine, ...surge].flatMap((r) => spike.process(r)).at(-1)!;
  const periodAccount = surge.at(-1)!.payeeAccount;

  // cross-LAO: two LAOs pay one citizen ID the elderly allowance for the same month.
  const stage2 = createPayeeEngine();
  const allowance = (laoCode: string, r: number, date: string, account: string) => payment({
    laoCode, batchId: `b_${laoCode}_${date}`, row: r, serviceType: '59', payeeId: CID, payeeName: 'นายแก่ ใจดี', payeeAccount: account, amountSatang: 70_000, effectiveDate: date, remark: 'เบี้ยยังชีพผู้สูงอายุ',
  });
  // Delivered under the citizen ID, as stage 1 forwards an allowance whose person it knows (engine.forwardKeys).
  stage2.process(allowance(LAO_60, 7, '2026-01-12', '5550001111'), `cid:${CID}`);
  const cross = stage2.process(allowance(LAO_66, 2, '2026-01-09', '5550002222'), `cid:${CID}`).find((a) => a.laoCode === LAO_66)!;

  return {
    payment: { alert: payment1, secrets: ['9876543210'] },
    payee: { alert: payee, secrets: ['1122334455'] },
    batch: { alert: batch, secrets: ['9800012345'] },
    'lao-period': { alert: period, secrets: [periodAccount] },
    'cross-lao': { alert: cross, secrets: [CID, '5550002222', '5550001111'] },
  };
}
