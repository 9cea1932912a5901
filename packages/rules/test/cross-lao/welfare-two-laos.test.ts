import { describe, expect, it } from 'vitest';
import { thaiIdCheckDigit } from '@paywatch/domain';
import { createPayeeEngine, payeeKeyOf, payeeKeysOf } from '../../src/index.ts';
import { baht, payment } from '../helpers/factory.ts';

const id12 = '310170020345';
const CID = id12 + thaiIdCheckDigit(id12);
const A = '6600101', B = '6000101';
/** An elderly allowance of 700 baht to one person, paid by `laoCode` on `date`. */
const allowance = (laoCode: string, row: number, date = '2026-01-09', over: Parameters<typeof payment>[0] = {}) =>
  payment({ laoCode, batchId: `b_${laoCode}_${date}`, row, serviceType: '59', payeeId: CID, payeeName: 'นายแก่ ใจดี', payeeAccount: `98${row}7654321`.slice(0, 10), amountSatang: baht(700), effectiveDate: date, remark: 'เบี้ยยังชีพผู้สูงอายุ', ...over });

describe('stage 2: welfare-two-laos', () => {
  it('when two LAOs pay one citizen ID the elderly allowance for the same month, then each LAO gets a high alert on its own payment naming the other', () => {
    const e = createPayeeEngine();
    expect(e.process(allowance(A, 2))).toEqual([]);
    const alerts = e.process(allowance(B, 7, '2026-01-12'));
    const byLao = (x: { laoCode: string }, y: { laoCode: string }) => (x.laoCode < y.laoCode ? -1 : 1);
    expect([...alerts].sort(byLao).map((a) => [a.laoCode, a.ruleIds, a.severity, a.subject.key, a.payments.map((p) => p.row)])).toEqual([
      [B, ['welfare-two-laos'], 'high', `xlao:cid:${CID}:2026-01`, [7]],
      [A, ['welfare-two-laos'], 'high', `xlao:cid:${CID}:2026-01`, [2]],
    ]);
    const forA = alerts.find((a) => a.laoCode === A)!;
    expect(forA.evidence['welfare-two-laos']).toMatchObject({ scope: 'cross-lao', month: '2026-01', laoCodes: [B, A].sort(), otherLaoPayments: [{ laoCode: B, row: 7 }] });
    expect(forA.amountSatang).toBe(baht(700));
    expect(forA.reasons.en).toContain(`LAO ${B}`);
    // PII: the citizen ID and the accounts are masked in what travels by e-mail.
    expect(JSON.stringify([forA.reasons, forA.evidence])).not.toContain(CID);
    expect(JSON.stringify([forA.reasons, forA.evidence])).not.toContain('9827654321');
  });

  it('when one LAO pays twice, or two LAOs pay in different months (the person moved), then it is quiet', () => {
    const same = createPayeeEngine();
    expect([...same.process(allowance(A, 2)), ...same.process(allowance(A, 3, '2026-01-20'))]).toEqual([]);
    const moved = createPayeeEngine();
    expect([...moved.process(allowance(A, 2, '2026-01-09')), ...moved.process(allowance(B, 2, '2026-02-10'))]).toEqual([]);
  });

  it('when the two payments are different allowances (remarks differ) or not allowances at all, then it is quiet', () => {
    const e = createPayeeEngine();
    e.process(allowance(A, 2));
    expect(e.process(allowance(B, 2, '2026-01-12', { remark: 'เบี้ยยังชีพคนพิการ', amountSatang: baht(1_000) }))).toEqual([]);
    const vendor = createPayeeEngine();
    vendor.process(allowance(A, 2, '2026-01-09', { serviceType: '04' }));
    expect(vendor.process(allowance(B, 2, '2026-01-12', { serviceType: '04', payeeAccount: '9827654321' }))).toEqual([]);
  });

  it('when the rule is switched off, then it is quiet', () => {
    const e = createPayeeEngine({ rules: { 'welfare-two-laos': { enabled: false } } });
    e.process(allowance(A, 2));
    expect(e.process(allowance(B, 7))).toEqual([]);
  });

  it('when the stream is replayed or restored from a snapshot (also one of format 1), then nothing new comes out and state is kept', () => {
    const records = [allowance(A, 2), allowance(B, 7, '2026-01-12')];
    const e = createPayeeEngine();
    expect(records.flatMap((r) => e.process(r))).toHaveLength(2);
    expect(records.flatMap((r) => e.process(r))).toEqual([]);
    const restored = createPayeeEngine();
    restored.restore(JSON.parse(JSON.stringify(e.snapshot())));
    expect(restored.snapshot()).toEqual(e.snapshot());
    expect(records.flatMap((r) => restored.process(r))).toEqual([]);
    // A third LAO the same month still meets the remembered payments.
    expect(restored.process(allowance('1900101', 4, '2026-01-15')).map((a) => a.laoCode).sort()).toEqual(['1900101', A, B].sort());
    const old = createPayeeEngine();
    old.restore({ format: 'paywatch.rules.payee-engine/1', accounts: [] });
    expect(old.snapshot()).toMatchObject({ format: 'paywatch.rules.payee-engine/2', citizens: [] });
  });

  it('when months go by, then a citizen ID keeps only its last three months, by its own latest month', () => {
    const e = createPayeeEngine();
    for (const [row, date] of [[2, '2025-11-10'], [3, '2025-12-09'], [4, '2026-01-09'], [5, '2026-02-09']] as const) e.process(allowance(A, row, date));
    expect(e.snapshot().citizens[0]![1].map((c) => c.month)).toEqual(['2025-12', '2026-01', '2026-02']);
    // An upload of another LAO that is a month late still meets the remembered payment.
    expect(e.process(allowance(B, 9, '2026-01-20'))).toHaveLength(2);
    // One older than what is kept is neither compared nor kept.
    expect(e.process(allowance(B, 8, '2025-11-20'))).toEqual([]);
    expect(e.snapshot().citizens[0]![1].map((c) => c.month)).toEqual(['2025-12', '2026-01', '2026-02', '2026-01']);
  });
});

describe('payeeKeyOf', () => {
  it('when an allowance is paid to a person\'s citizen ID, then the key is the citizen ID; otherwise the account', () => {
    expect(payeeKeyOf(allowance(A, 2))).toBe(`cid:${CID}`);
    expect(payeeKeyOf(allowance(A, 2, '2026-01-09', { payeeId: `${CID.slice(0, 1)}-${CID.slice(1, 5)}-${CID.slice(5, 10)}-${CID.slice(10, 12)}-${CID.slice(12)}` }))).toBe(`cid:${CID}`);
    expect(payeeKeyOf(allowance(A, 2, '2026-01-09', { serviceType: '04' }))).toBe('006:9827654321');
    expect(payeeKeyOf(allowance(A, 2, '2026-01-09', { payeeId: null }))).toBe('006:9827654321');
    expect(payeeKeyOf(allowance(A, 2, '2026-01-09', { payeeId: '0105551234567' }))).toBe('006:9827654321'); // a company's tax ID
    expect(payeeKeyOf(allowance(A, 2, '2026-01-09', { serviceType: '60' }), ['59', '60'])).toBe(`cid:${CID}`);
  });

  it('when two LAOs pay different people\'s allowances into one account, then delivered under each of its keys the account rule still sees it', () => {
    const ghost = { payeeBankCode: '006', payeeAccount: '5550001111' };
    const id2 = '110170020345';
    const first = allowance(A, 2, '2026-01-09', { ...ghost, payeeName: 'นายแก่ ใจดี' });
    const second = allowance(B, 3, '2026-01-10', { ...ghost, payeeId: id2 + thaiIdCheckDigit(id2), payeeName: 'นางเฒ่า สุขใจ' });
    expect(payeeKeysOf(first)).toEqual([`cid:${CID}`, '006:5550001111']);
    expect(payeeKeysOf(payment({ serviceType: '04' }))).toHaveLength(1);
    const e = createPayeeEngine();
    const out = [first, second].flatMap((r) => payeeKeysOf(r).flatMap((k) => e.process(r, k)));
    expect(out.map((a) => [a.laoCode, a.ruleIds, a.subject.key])).toEqual([[B, ['account-many-names'], 'xlao:006:5550001111']]);
  });
});
