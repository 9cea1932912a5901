import type { Alert, Disbursement } from '@paywatch/domain';
import { describe, expect, it } from 'vitest';
import { createEngine, createPayeeEngine, payeeKeysOf, type Engine, type PayeeEngine } from '../../src/index.ts';
import { validId } from '../helpers/citizen-id.ts';
import { baht, evidenceOf, payment } from '../helpers/factory.ts';
import { beneficiaries } from '../helpers/reference.ts';

const CID = validId('310170020345');
const A = '6600101', B = '6000101';
/** An elderly allowance of 700 baht to one person, paid by `laoCode` on `date`, the person's citizen ID written in the payment. */
const allowance = (laoCode: string, row: number, date = '2026-01-09', over: Parameters<typeof payment>[0] = {}) =>
  payment({ laoCode, batchId: `b_${laoCode}_${date}`, row, serviceType: '59', payeeId: CID, payeeName: 'นายแก่ ใจดี', payeeAccount: `98${row}7654321`.slice(0, 10), amountSatang: baht(700), effectiveDate: date, remark: 'เบี้ยยังชีพผู้สูงอายุ', ...over });

/** Stage 1 then stage 2, as the detector and `scan` wire them: stage 2 gets each record under every key `forwardKeys` gives. */
function pipeline(stage1: Engine = createEngine(), stage2: PayeeEngine = createPayeeEngine()) {
  return {
    stage1, stage2,
    /** The stage-2 alerts of one record. */
    feed(record: Disbursement): Alert[] {
      stage1.process(record);
      return stage1.forwardKeys(record).flatMap((key) => stage2.process(record, key));
    },
  };
}
const feedAll = (p: ReturnType<typeof pipeline>, records: readonly Disbursement[]) => records.flatMap((r) => p.feed(r));
const byLao = (x: { laoCode: string }, y: { laoCode: string }) => (x.laoCode < y.laoCode ? -1 : 1);

describe('stage 2: welfare-anomaly, same citizen paid by two LAOs', () => {
  it('when two LAOs pay one citizen ID an allowance for the same month, then each LAO gets a high welfare-anomaly alert on its own payment naming the other', () => {
    const p = pipeline();
    expect(p.feed(allowance(A, 2))).toEqual([]);
    const alerts = p.feed(allowance(B, 7, '2026-01-12'));
    expect([...alerts].sort(byLao).map((a) => [a.laoCode, a.ruleIds, a.severity, a.subject.key, a.payments.map((x) => x.row)])).toEqual([
      [B, ['welfare-anomaly'], 'high', `xlao:cid:${CID}:2026-01`, [7]],
      [A, ['welfare-anomaly'], 'high', `xlao:cid:${CID}:2026-01`, [2]],
    ]);
    const forA = alerts.find((a) => a.laoCode === A)!;
    expect(evidenceOf(forA, 'welfare-anomaly')).toMatchObject({
      scope: 'cross-lao', problems: ['same-citizen-two-laos'], baseline: 'every-lao-paying-this-citizen-id', month: '2026-01', laoCodes: [B, A].sort(), otherLaoPayments: [{ laoCode: B, row: 7 }],
    });
    expect(forA.findings[0]).toMatchObject({ ruleId: 'welfare-anomaly', ruleVersion: '2.0.0' });
    expect(forA.amountSatang).toBe(baht(700));
    expect(forA.reasons.en).toContain(`LAO ${B}`);
    // PII: the citizen ID and the accounts are masked in what travels by e-mail.
    expect(JSON.stringify([forA.reasons, forA.evidence])).not.toContain(CID);
    expect(JSON.stringify([forA.reasons, forA.evidence])).not.toContain('9827654321');
  });

  it('when the second LAO\'s payment carries no ID but its beneficiary list names the person, then forwardKeys gives the list\'s citizen ID and stage 2 sees both', () => {
    const listed = allowance(B, 7, '2026-01-12', { payeeId: null, payeeAccount: '8888888888', remark: null });
    const stage1 = createEngine();
    expect(stage1.forwardKeys(listed)).toEqual(['006:8888888888']);
    stage1.applyReference(beneficiaries([{ citizenId: CID, name: 'นายแก่ ใจดี', account: '8888888888' }], 1, B));
    expect(stage1.forwardKeys(allowance(B, 8, '2026-01-12', { payeeId: null, payeeAccount: '8888888888', remark: null }))).toEqual([`cid:${CID}`, '006:8888888888']);
    const p = pipeline(stage1);
    p.feed(allowance(A, 2));
    const alerts = p.feed(allowance(B, 9, '2026-01-12', { payeeId: null, payeeAccount: '8888888888', remark: null }));
    expect(alerts.map((a) => a.laoCode).sort()).toEqual([A, B].sort());
    // Without the list, the same payment reaches stage 2 under its account only: nothing to meet.
    const unlisted = pipeline();
    unlisted.feed(allowance(A, 2));
    expect(unlisted.feed(allowance(B, 9, '2026-01-12', { payeeId: null, payeeAccount: '8888888888', remark: null }))).toEqual([]);
  });

  it('when the two LAOs word their remarks differently or pay under another service type, then it is still one person paid twice', () => {
    const p = pipeline();
    p.feed(allowance(A, 2, '2026-01-09', { remark: 'ผส.01/69' }));
    expect(p.feed(allowance(B, 2, '2026-01-12', { serviceType: '01', remark: 'เบี้ยยังชีพ เดือนมกราคม 2569', amountSatang: baht(1_000) }))).toHaveLength(2);
  });

  it('when one LAO pays twice, or two LAOs pay in different months (the person moved), then it is quiet', () => {
    const same = pipeline();
    expect(feedAll(same, [allowance(A, 2), allowance(A, 3, '2026-01-20')])).toEqual([]);
    const moved = pipeline();
    expect(feedAll(moved, [allowance(A, 2, '2026-01-09'), allowance(B, 2, '2026-02-10')])).toEqual([]);
  });

  it('when the payments to the person are not allowances (goods bought from them), then no citizen key is forwarded and it is quiet', () => {
    const goods = (lao: string, row: number) => allowance(lao, row, '2026-01-09', { serviceType: '04', remark: null, amountSatang: baht(12_000) });
    const p = pipeline();
    expect(p.stage1.forwardKeys(goods(A, 2))).toEqual(['006:9827654321']);
    expect(feedAll(p, [goods(A, 2), goods(B, 3)])).toEqual([]);
  });

  it('when the rule is switched off, then it is quiet', () => {
    const p = pipeline(createEngine(), createPayeeEngine({ rules: { 'welfare-two-laos': { enabled: false } } }));
    expect(feedAll(p, [allowance(A, 2), allowance(B, 7)])).toEqual([]);
  });

  it('when the stream is replayed or restored from a snapshot (also one of format 1), then nothing new comes out and state is kept', () => {
    const records = [allowance(A, 2), allowance(B, 7, '2026-01-12')];
    const p = pipeline();
    expect(feedAll(p, records)).toHaveLength(2);
    expect(feedAll(p, records)).toEqual([]);
    const restored = createPayeeEngine();
    restored.restore(JSON.parse(JSON.stringify(p.stage2.snapshot())));
    expect(restored.snapshot()).toEqual(p.stage2.snapshot());
    const again = pipeline(createEngine(), restored);
    expect(feedAll(again, records)).toEqual([]);
    // A third LAO the same month still meets the remembered payments.
    expect(again.feed(allowance('1900101', 4, '2026-01-15')).map((a) => a.laoCode).sort()).toEqual(['1900101', A, B].sort());
    const old = createPayeeEngine();
    old.restore({ format: 'paywatch.rules.payee-engine/1', accounts: [] });
    expect(old.snapshot()).toMatchObject({ format: 'paywatch.rules.payee-engine/3', citizens: [] });
  });

  it('when months go by, then a citizen ID keeps only its last three months, by its own latest month', () => {
    const p = pipeline();
    for (const [row, date] of [[2, '2025-11-10'], [3, '2025-12-09'], [4, '2026-01-09'], [5, '2026-02-09']] as const) p.feed(allowance(A, row, date));
    const months = () => { const s = p.stage2.snapshot(); return s.citizens.find(([key]) => key === `cid:${CID}`)![1].map((c) => s.strings[c[1]]); };
    expect(months()).toEqual(['2025-12', '2026-01', '2026-02']);
    // An upload of another LAO that is a month late still meets the remembered payment.
    expect(p.feed(allowance(B, 9, '2026-01-20'))).toHaveLength(2);
    // One older than what is kept is neither compared nor kept.
    expect(p.feed(allowance(B, 8, '2025-11-20'))).toEqual([]);
    expect(months()).toEqual(['2025-12', '2026-01', '2026-02', '2026-01']);
  });
});

describe('payeeKeysOf and engine.forwardKeys', () => {
  it('when a citizen ID is given, then the keys are the citizen ID and the account (its comparison key); otherwise the account alone', () => {
    expect(payeeKeysOf(allowance(A, 2), CID)).toEqual([`cid:${CID}`, '006:9827654321']);
    expect(payeeKeysOf(allowance(A, 2), null)).toEqual(['006:9827654321']);
    // A report's whole account and a bulk line's shortened one meet under one key.
    expect(payeeKeysOf({ payeeBankCode: '006', payeeAccount: '0009827654321' }, null)).toEqual(payeeKeysOf({ payeeBankCode: '006', payeeAccount: '9827654321' }, null));
  });

  it('when an allowance names its person by payee ID or by receiver ID (however written), then forwardKeys keys it by that ID; a company\'s tax ID is no person', () => {
    const engine = createEngine();
    expect(engine.forwardKeys(allowance(A, 2))).toEqual([`cid:${CID}`, '006:9827654321']);
    const dashed = `${CID.slice(0, 1)}-${CID.slice(1, 5)}-${CID.slice(5, 10)}-${CID.slice(10, 12)}-${CID.slice(12)}`;
    expect(engine.forwardKeys(allowance(A, 3, '2026-01-09', { payeeId: null, receiverId: dashed }))).toEqual([`cid:${CID}`, '006:9837654321']);
    expect(engine.forwardKeys(allowance(A, 4, '2026-01-09', { payeeId: '0105551234567' }))).toEqual(['006:9847654321']);
    expect(engine.forwardKeys(allowance(A, 5, '2026-01-09', { serviceType: '04' }))).toEqual(['006:9857654321']);
  });

  it('when two LAOs pay different people\'s allowances into one account, then delivered under each of its keys the account rule still sees it', () => {
    const ghost = { payeeBankCode: '006', payeeAccount: '5550001111' };
    const first = allowance(A, 2, '2026-01-09', { ...ghost, payeeName: 'นายแก่ ใจดี' });
    const second = allowance(B, 3, '2026-01-10', { ...ghost, payeeId: validId('110170020345'), payeeName: 'นางเฒ่า สุขใจ' });
    const p = pipeline();
    expect(p.stage1.forwardKeys(first)).toEqual([`cid:${CID}`, '006:5550001111']);
    const out = feedAll(p, [first, second]);
    expect(out.map((a) => [a.laoCode, a.ruleIds, a.subject.key])).toEqual([[B, ['account-many-names'], 'xlao:006:5550001111']]);
  });
});

describe('stage 2 restore at national size', () => {
  it('when a partition holds 300,000 citizens, then its snapshot restores and the next payment to one of them still finds the other LAO', () => {
    const p = pipeline();
    p.feed(allowance(A, 2));
    const snap = JSON.parse(JSON.stringify(p.stage2.snapshot())) as { citizens: [string, unknown[]][] };
    const [key, seen] = snap.citizens[0]!;
    // Three hundred thousand other people with one payment each (a province's welfare day), the planted one last.
    const others = Array.from({ length: 300_000 }, (_, i) => [`cid:${validId(String(110_000_000_000 + i))}`, seen] as [string, unknown[]]);
    snap.citizens = [...others, [key, seen]];
    const restored = createPayeeEngine();
    expect(() => restored.restore(snap)).not.toThrow();
    const again = pipeline(createEngine(), restored);
    again.stage1.process(allowance(A, 2));
    expect(again.feed(allowance(B, 7, '2026-01-12')).map((a) => a.laoCode).sort()).toEqual([B, A].sort());
  }, 60_000);
});

describe('stage 2 state size', () => {
  it('when a welfare day pays thousands of people, then a snapshot costs under 200 bytes per citizen ID, and the format-2 snapshot of the same state restores to the same engine', () => {
    const p = pipeline();
    const people = 2_000;
    for (let i = 0; i < people; i++) {
      const id = validId(String(310_170_000_000 + i));
      p.feed(allowance(i % 2 ? A : B, i + 2, '2026-01-09', { payeeId: id, payeeName: `นายทดสอบ ลำดับ${i}`, payeeAccount: String(9_800_000_000 + i) }));
    }
    const snap = p.stage2.snapshot();
    const citizenBytes = JSON.stringify({ strings: snap.strings, citizens: snap.citizens }).length;
    expect(snap.citizens).toHaveLength(people);
    expect(citizenBytes / people).toBeLessThan(200);
    // The same state written as release 2026.12.1 wrote it (objects per payment) restores to this snapshot.
    const restoredV3 = createPayeeEngine();
    restoredV3.restore(JSON.parse(JSON.stringify(snap)));
    const asV2 = { format: 'paywatch.rules.payee-engine/2', accounts: snap.accounts, citizens: [...restoredV3Citizens(restoredV3)] };
    const fromV2 = createPayeeEngine();
    fromV2.restore(JSON.parse(JSON.stringify(asV2)));
    expect(fromV2.snapshot()).toEqual(snap);
  });
});

/** A restored engine's citizens as format 2 wrote them, decoded from its format-3 snapshot. */
function restoredV3Citizens(engine: PayeeEngine): [string, unknown[]][] {
  const s = engine.snapshot();
  return s.citizens.map(([key, list]) => [key, list.map((t) => ({
    laoCode: s.strings[t[0]], month: s.strings[t[1]], remark: t[2] === -1 ? null : s.strings[t[2]],
    payment: {
      seq: t[3], recordId: t[6] ?? `${s.strings[t[4]]}:${t[5]}`, batchId: s.strings[t[4]], row: t[5], sourceFile: s.strings[t[7]], sourceFormat: ['ktb-bulk', 'ktb-report'][t[8]],
      payeeBankCode: s.strings[t[9]], payeeAccount: t[10], payeeName: t[11], payeeId: t[12] === 1 ? key.slice(4) : t[12], amountSatang: t[13], effectiveDate: s.strings[t[14]],
      serviceType: s.strings[t[15]], voucherNo: t[16], bankReference: t[17], recurring: t[18] === 1,
    },
  }))]);
}
