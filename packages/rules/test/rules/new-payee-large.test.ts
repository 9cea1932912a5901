import { addDays, type Alert, type Disbursement } from '@paywatch/domain';
import fc from 'fast-check';
import { quantile } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { baht, evidenceOf, only, OTHER_LAO, OTHER_TYPE_GROUP, payment, PEER_GROUP, run, THIRD_LAO } from '../helpers/factory.ts';
import { payees } from '../helpers/reference.ts';

/** The thresholds these tests are written against (typologies.md's defaults, spelled out so that tuning a default does not move them). */
const CFG = { quantile: 0.95, minObservations: 50, recentDays: 90, minHistoryDays: 180, minHistoryDaysForAny: 45, noHistoryFactor: 2, shortHistoryFactor: 2, pooledMinObservations: 30 };
const engine = (over: Record<string, unknown> = {}) => only('new-payee-large', { ...CFG, ...over });

const PAID_ON = '2025-03-05';
type Over = Parameters<typeof payment>[0];
/**
 * n one-off payments of 10,000–(10,000 + 100·(n−1)) baht to 20 known vendors, spread evenly over the `days` days that end
 * 4 days before PAID_ON: the history is `days + 4` days long when the newcomer is paid.
 */
function history(days: number, n = 60, over: Over = {}, batchId = 'b_hist'): Disbursement[] {
  const first = addDays(PAID_ON, -(days + 4));
  return Array.from({ length: n }, (_, i) =>
    payment({ batchId, row: i + 1, payeeAccount: String(1_000_000_000 + (i % 20)), amountSatang: baht(10_000 + i * 100), effectiveDate: addDays(first, Math.round((i * days) / Math.max(1, n - 1))), ...over }));
}
const p95Of = (records: readonly Disbursement[]) => quantile(records.map((r) => r.amountSatang), 0.95);
const newcomer = (amountSatang: number, over: Over = {}) =>
  payment({ batchId: 'b_new', payeeAccount: '5555555555', payeeName: 'นายใหม่ มาก่อน', amountSatang, effectiveDate: PAID_ON, ...over });

/** The alerts about `target` once `records` have been folded in. */
function after(records: readonly Disbursement[], target: Disbursement, over: Record<string, unknown> = {}, setUp: (e: ReturnType<typeof engine>) => void = () => undefined): Alert[] {
  const e = engine(over);
  setUp(e);
  run(e, records);
  return e.process(target);
}
const registeredOn = (registeredOn: string | null) => (e: ReturnType<typeof engine>) => { e.applyReference(payees([{ account: '5555555555', name: 'นายใหม่ มาก่อน', registeredOn }])); };
const otherPayeeRegistered = (e: ReturnType<typeof engine>) => { e.applyReference(payees([{ account: '1000000000' }])); };

describe('new-payee-large', () => {
  it('when an account never paid before receives more than the LAO\'s p95 after half a year of history, then a medium alert gives the amount, the p95 and the sample', () => {
    const h = history(181);
    const [alert] = after(h, newcomer(baht(80_000)));
    expect(alert).toMatchObject({ ruleIds: ['new-payee-large'], severity: 'medium', subject: { kind: 'payment', key: 'b_new:1' } });
    expect(evidenceOf(alert, 'new-payee-large')).toMatchObject({
      amountSatang: baht(80_000), baseline: 'lao', observations: 60, quantile: 0.95, quantileSatang: Math.round(p95Of(h)), limitSatang: Math.round(p95Of(h)),
      historyDays: 185, registration: 'no-register', registeredOn: null, daysSinceRegistration: null, recentDays: 90,
    });
    expect(alert!.reasons.en).toContain('95th percentile');
    expect(alert!.reasons.en).toContain("of the LAO's");
  });

  it('when a known vendor receives the same large sum, then it is quiet', () => {
    expect(after(history(181), newcomer(baht(80_000), { payeeAccount: '1000000003' }))).toEqual([]);
  });

  it('when an account was paid before only as a salary, then it is not new', () => {
    const salaryBefore = payment({ batchId: 'b_sal', serviceType: '01', payeeAccount: '5555555555', payeeName: 'นายใหม่ มาก่อน', amountSatang: baht(15_000), effectiveDate: '2025-02-25' });
    expect(after([...history(181), salaryBefore], newcomer(baht(80_000)))).toEqual([]);
  });

  it('when a new payee receives an ordinary amount (below p95), then it is quiet', () => {
    expect(after(history(181), newcomer(baht(12_000)))).toEqual([]);
  });

  it('when the large payment to a new account is a salary or an allowance, then it is not a one-off payment and it is quiet', () => {
    expect(after(history(181), newcomer(baht(80_000), { serviceType: '01' }))).toEqual([]);
    expect(after(history(181), newcomer(baht(2_400), { serviceType: '59', remark: 'เบี้ยยังชีพผู้สูงอายุ' }), { minObservations: 2 })).toEqual([]);
  });

  it('when a large transfer to a new account failed and is paid again, then only the successful one fires', () => {
    const e = engine();
    run(e, history(181));
    expect(e.process(newcomer(baht(80_000), { status: 'failed' }))).toEqual([]);
    expect(e.process(newcomer(baht(80_000), { batchId: 'b_retry' }))).toHaveLength(1);
    expect(e.process(newcomer(baht(80_000), { batchId: 'b_again' }))).toEqual([]);
  });
});

describe('new-payee-large: registration raises, it does not hide', () => {
  it('when the payee was registered days before its first large payment, then it fires high from just above the p95, even with no history', () => {
    const h = history(10);
    const [alert] = after(h, newcomer(Math.floor(p95Of(h)) + 1), {}, registeredOn(addDays(PAID_ON, -30)));
    expect(alert).toMatchObject({ severity: 'high' });
    expect(evidenceOf(alert, 'new-payee-large')).toMatchObject({ registration: 'recent', registeredOn: addDays(PAID_ON, -30), daysSinceRegistration: 30, historyDays: 14, limitSatang: Math.round(p95Of(h)) });
    expect(alert!.reasons.en).toContain('only 30 days before this payment');
  });

  it('when the registration is exactly recentDays old it is recent; a day older it is not', () => {
    const h = history(10);
    const at = (days: number) => after(h, newcomer(Math.floor(p95Of(h)) + 1), {}, registeredOn(addDays(PAID_ON, -days)));
    expect(evidenceOf(at(90)[0], 'new-payee-large')).toMatchObject({ registration: 'recent' });
    // 91 days: registered long ago, and with 14 days of history "never paid" says nothing.
    expect(at(91)).toEqual([]);
  });

  it('when the payee was registered long ago but never paid in half a year of history, then it is still new and fires medium', () => {
    const h = history(181);
    const [alert] = after(h, newcomer(baht(80_000)), {}, registeredOn('2020-01-15'));
    expect(alert).toMatchObject({ severity: 'medium' });
    expect(evidenceOf(alert, 'new-payee-large')).toMatchObject({ registration: 'long-ago', registeredOn: '2020-01-15', limitSatang: Math.round(p95Of(h)) });
    // A registration without a date is a long-ago one.
    expect(evidenceOf(after(h, newcomer(baht(80_000)), {}, registeredOn(null))[0], 'new-payee-large')).toMatchObject({ registration: 'long-ago', daysSinceRegistration: null });
  });

  it('when the LAO keeps a register and the account is not in it, then it fires high from just above the p95, even with no history', () => {
    const h = history(10);
    const [alert] = after(h, newcomer(Math.floor(p95Of(h)) + 1), {}, otherPayeeRegistered);
    expect(alert).toMatchObject({ severity: 'high' });
    expect(evidenceOf(alert, 'new-payee-large')).toMatchObject({ registration: 'not-registered', historyDays: 14 });
    expect(alert!.reasons.en).toContain('not in the payee register');
  });
});

describe('new-payee-large: short and no history', () => {
  it('when the history held is shorter than minHistoryDaysForAny, then a payee registered long ago is silent however large the payment', () => {
    expect(after(history(40), newcomer(baht(10_000_000)), {}, registeredOn('2020-01-15'))).toEqual([]);
  });

  it('when there is no register and the history is shorter than minHistoryDaysForAny, then only noHistoryFactor × the p95 fires', () => {
    const h = history(40);
    const p95 = p95Of(h);
    const over = { noHistoryFactor: 3, shortHistoryFactor: 2 };
    expect(after(h, newcomer(Math.round(2.5 * p95)), over)).toEqual([]);
    const [alert] = after(h, newcomer(Math.round(3.5 * p95)), over);
    expect(evidenceOf(alert, 'new-payee-large')).toMatchObject({ historyDays: 44, limitSatang: Math.round(3 * p95), quantileSatang: Math.round(p95) });
    expect(alert!.reasons.en).toContain('times 3 because the history is short');
  });

  it('when the history is between minHistoryDaysForAny and minHistoryDays, then shortHistoryFactor × the p95 fires, registered long ago or not', () => {
    const h = history(96);
    const p95 = p95Of(h);
    const over = { noHistoryFactor: 3, shortHistoryFactor: 2 };
    expect(after(h, newcomer(Math.round(1.5 * p95)), over)).toEqual([]);
    expect(evidenceOf(after(h, newcomer(Math.round(2.5 * p95)), over)[0], 'new-payee-large')).toMatchObject({ historyDays: 100, limitSatang: Math.round(2 * p95) });
    expect(after(h, newcomer(Math.round(1.5 * p95)), over, registeredOn('2020-01-15'))).toEqual([]);
    expect(evidenceOf(after(h, newcomer(Math.round(2.5 * p95)), over, registeredOn('2020-01-15'))[0], 'new-payee-large')).toMatchObject({ registration: 'long-ago', limitSatang: Math.round(2 * p95) });
  });

  it('when the LAO has fewer than minObservations one-off payments and no peer group, then it is silent', () => {
    expect(after(history(181, 49), newcomer(baht(10_000_000)), {}, otherPayeeRegistered)).toEqual([]);
    expect(after([], newcomer(baht(10_000_000)), {}, otherPayeeRegistered)).toEqual([]);
    expect(after(history(181, 49), newcomer(baht(80_000)), { minObservations: 49 })).toHaveLength(1);
  });

  it('when the LAO\'s own sample is short, then the p95 of its peer group (same type, same province) stands in', () => {
    const own = history(181, 10, { peerGroup: PEER_GROUP }, 'b_own');
    const peers = [...history(60, 30, { laoCode: OTHER_LAO, peerGroup: PEER_GROUP, amountSatang: baht(20_000) }, 'b_peer_a'), ...history(60, 30, { laoCode: THIRD_LAO, peerGroup: PEER_GROUP, amountSatang: baht(30_000) }, 'b_peer_b')];
    const sample = [...own, ...peers];
    const [alert] = after([...peers, ...own], newcomer(Math.floor(p95Of(sample)) + 1, { peerGroup: PEER_GROUP }));
    expect(evidenceOf(alert, 'new-payee-large')).toMatchObject({ baseline: 'peer-group', observations: 70, quantileSatang: Math.round(p95Of(sample)), historyDays: 185 });
    expect(alert!.reasons.en).toContain('of LAOs of the same type in the province');
    // Without the group on the record, the LAO's 10 payments say nothing.
    expect(after([...peers, ...own], newcomer(baht(10_000_000)))).toEqual([]);
  });

  it('when the peer group has pooledMinObservations amounts (fewer than minObservations), then it stands in for a first month; one fewer, it does not', () => {
    const own = history(181, 10, { peerGroup: PEER_GROUP }, 'b_own');
    const peers = history(60, 20, { laoCode: OTHER_LAO, peerGroup: PEER_GROUP, amountSatang: baht(20_000) }, 'b_peer');
    const sample = [...own, ...peers];
    expect(sample).toHaveLength(30);
    const [alert] = after([...peers, ...own], newcomer(Math.floor(p95Of(sample)) + 1, { peerGroup: PEER_GROUP }));
    expect(evidenceOf(alert, 'new-payee-large')).toMatchObject({ baseline: 'peer-group', observations: 30 });
    expect(after([...peers.slice(1), ...own], newcomer(Math.floor(p95Of(sample)) + 1, { peerGroup: PEER_GROUP }))).toEqual([]);
  });

  it('when the peer group is short too, then the p95 of every LAO of the province stands in', () => {
    const own = history(181, 10, { peerGroup: PEER_GROUP }, 'b_own');
    const province = history(60, 60, { laoCode: OTHER_LAO, peerGroup: OTHER_TYPE_GROUP, amountSatang: baht(25_000) }, 'b_town');
    const sample = [...own, ...province];
    const [alert] = after([...province, ...own], newcomer(Math.floor(p95Of(sample)) + 1, { peerGroup: PEER_GROUP }));
    expect(evidenceOf(alert, 'new-payee-large')).toMatchObject({ baseline: 'province', observations: 70, quantileSatang: Math.round(p95Of(sample)) });
    expect(alert!.reasons.en).toContain('of every LAO in the province');
    // Another province's LAOs are no stand-in.
    const elsewhere = history(60, 60, { laoCode: OTHER_LAO, peerGroup: '66:sao' }, 'b_far');
    expect(after([...elsewhere, ...own], newcomer(baht(10_000_000), { peerGroup: PEER_GROUP }))).toEqual([]);
  });

  it('when the LAO has minObservations of its own, then its own p95 decides before its peers\'', () => {
    const peers = history(60, 60, { laoCode: OTHER_LAO, peerGroup: PEER_GROUP, amountSatang: baht(900_000) }, 'b_peer');
    const own = history(181, 60, { peerGroup: PEER_GROUP });
    expect(evidenceOf(after([...peers, ...own], newcomer(baht(80_000), { peerGroup: PEER_GROUP }))[0], 'new-payee-large')).toMatchObject({ baseline: 'lao', observations: 60 });
  });
});

describe('new-payee-large pre-check', () => {
  // With the history factors at 1 (every history counts as long), the rule is the bare percentile test.
  const bare = () => engine({ minHistoryDays: 0, minHistoryDaysForAny: 0 });

  it('when histories and amounts are random, then it fires exactly when the amount is above the interpolated p95', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 50, maxLength: 130 }), fc.integer({ min: 1, max: 62 }), fc.boolean(), (units, unit, plusOne) => {
        const e = bare();
        run(e, units.map((u, i) => payment({ batchId: 'b_h', row: i + 1, payeeAccount: String(1_000_000_000 + i), amountSatang: u * 1_000 })));
        const amount = unit * 1_000 + (plusOne ? 1 : 0);
        const fired = e.process(newcomer(amount, { effectiveDate: '2025-03-03' })).length === 1;
        expect(fired).toBe(amount > quantile(units.map((u) => u * 1_000), 0.95));
      }),
      { numRuns: 300 },
    );
  });

  it('when the amount is just above or just below the p95 of the sample, then it agrees with the exact quantile', () => {
    const h = history(181);
    const p95 = p95Of(h);
    const e = (amount: number) => { const x = bare(); run(x, h); return x.process(newcomer(amount)); };
    expect(e(Math.floor(p95) + 1)).toHaveLength(1);
    expect(e(Math.floor(p95))).toEqual([]);
  });
});
