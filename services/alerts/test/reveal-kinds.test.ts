// The audited reveal on alerts the real detection engine builds, one per kind of subject: whatever the evidence
// shows masked — accounts in paymentDetails and otherLaoPayments, citizen IDs, digit runs in file names — the
// reveal gives back unmasked, once, with one audit entry naming the fields; the masked view never carries them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Disbursement, addDays, recordIdOf, thaiIdCheckDigit, type Alert, type BatchManifest } from '@paywatch/domain';
import { createEngine, createPayeeEngine, RuleSetConfig, type RuleSetConfigInput } from '@paywatch/rules';
import { verifyAuditChain } from '../src/audit-log.ts';
import { AUDIT_KEY, batchOf, recordingContext, serviceOnPg, type PgService } from './helpers.ts';

const LAO_66 = '6600101';
const LAO_60 = '6000101';
const auditor66 = { sub: 'auditor-66', role: 'provincial-auditor' as const, provinces: ['66'] };
const auditor60 = { sub: 'auditor-60', role: 'provincial-auditor' as const, provinces: ['60'] };

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

/** One alert of each kind, from the engine; with the unmasked values each must reveal. */
function engineAlerts(): Record<'payment' | 'payee' | 'batch' | 'lao-period' | 'cross-lao', { alert: Alert; secrets: string[] }> {
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

let s: PgService;
const cases = engineAlerts();

beforeAll(async () => {
  s = await serviceOnPg();
  await s.service.consumer.handleBatch(batchOf(Object.values(cases).map((c) => c.alert)), recordingContext());
});
afterAll(async () => { await s.close(); });

const call = (method: 'GET' | 'POST', url: string, who: Parameters<PgService['token']>[0]) =>
  s.service.app.inject({ method, url, headers: { authorization: `Bearer ${s.token(who)}` }, ...(method === 'POST' ? { payload: {} } : {}) });
const trailOf = async (alertId: string) => (await s.db.query<{ actor: string; payload: { fields: string[] } }>(
  "SELECT actor, payload FROM audit_log WHERE action = 'reveal' AND alert_id = $1 ORDER BY seq", [alertId])).rows;

describe('reveal on every kind of alert the engine builds', () => {
  it('the engine gave one alert of each kind', () => {
    expect(Object.fromEntries(Object.entries(cases).map(([k, c]) => [k, [c.alert.subject.kind, c.alert.ruleIds]]))).toEqual({
      payment: ['payment', ['duplicate-payment']], payee: ['payee', ['account-many-names']], batch: ['batch', ['batch-padded']],
      'lao-period': ['lao-period', ['velocity-spike']], 'cross-lao': ['payee', ['welfare-anomaly']],
    });
  });

  for (const [kind, { alert, secrets }] of Object.entries(cases)) {
    it(`when an auditor in scope reveals a ${kind} alert, then every value its evidence shows masked comes back, with one audit entry naming the fields`, async () => {
      // Masked by default: none of the digits, and nothing of the stored unmasked values, in the answer.
      const view = await call('GET', `/v1/alerts/${alert.alertId}`, auditor66);
      expect(view.statusCode).toBe(200);
      // File names are shown as they are where they point at a row (`file`: not people); the evidence's `fileName`
      // and every reason mask their digit runs like any text.
      const shown = kind === 'batch' ? JSON.stringify([view.json().alert.payload.evidence['batch-padded'].fileName, view.json().alert.payload.reasons]) : view.body;
      for (const secret of secrets) expect(shown, kind).not.toContain(secret);
      expect(view.body).not.toContain('"unmasked"');

      const r = await call('POST', `/v1/alerts/${alert.alertId}/reveal`, auditor66);
      expect(r.statusCode, r.body).toBe(200);
      const values = r.json().values as Array<{ field: string; masked: string; value: string }>;
      for (const secret of secrets) {
        const v = values.find((x) => x.value === secret);
        expect(v, `${kind}: ${secret} in ${JSON.stringify(values.map((x) => x.field))}`).toBeDefined();
        // What the auditor saw masked is what sits at that field in the masked view.
        expect(v!.masked).toMatch(new RegExp(`^\\*+${secret.slice(-4)}$`));
        expect(view.body).toContain(v!.masked);
      }
      expect(new Set(values.map((v) => v.value)).size).toBe(values.length);
      const trail = await trailOf(alert.alertId);
      expect(trail).toHaveLength(1);
      expect(trail[0]!.actor).toBe('auditor-66');
      expect(trail[0]!.payload.fields).toEqual(values.map((v) => v.field));
      for (const secret of secrets) expect(JSON.stringify(trail), kind).not.toContain(secret);
    });
  }

  it('the fields the detector masked at the source are named where they sit: paymentDetails, otherLaoPayments, citizenIdMasked', async () => {
    const fields = (await trailOf(cases['cross-lao'].alert.alertId))[0]!.payload.fields;
    expect(fields).toEqual(expect.arrayContaining([
      'findings[0].evidence.citizenIdMasked', 'findings[0].evidence.paymentDetails[0].payeeAccountMasked', 'findings[0].evidence.otherLaoPayments[0].payeeAccountMasked',
    ]));
    expect((await trailOf(cases.batch.alert.alertId))[0]!.payload.fields).toEqual(['evidence.batch-padded.fileName']);
    expect((await verifyAuditChain(s.db, { key: AUDIT_KEY })).ok).toBe(true);
  });

  it('when an auditor of another province asks for any of them, then 404 and nothing is audited', async () => {
    for (const { alert } of Object.values(cases)) {
      const before = (await trailOf(alert.alertId)).length;
      expect((await call('POST', `/v1/alerts/${alert.alertId}/reveal`, auditor60)).statusCode).toBe(404);
      expect(await trailOf(alert.alertId)).toHaveLength(before);
    }
  });
});
