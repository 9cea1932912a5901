import { quantile } from 'simple-statistics';
import type { Alert, Disbursement } from '@paywatch/domain';
import { describe, expect, it } from 'vitest';
import { baht, evidenceOf, LAO, only, OTHER_LAO, OTHER_TYPE_GROUP, payment, PEER_GROUP, run, THIRD_LAO } from '../helpers/factory.ts';

/** The thresholds these tests are written against (typologies.md's defaults, spelled out so that tuning a default does not move them). */
const CFG = {
  zThreshold: 6, minObservations: 20, shortHistoryMin: 3, shortHistoryRatio: 10, shortHistoryLaoQuantile: 0.75, minRatio: 3,
  recurringRatio: 5, recurringFallbackRatio: 3, fallbackMinObservations: 20, fallbackP99Ratio: 2, shortLaoMin: 3, shortLaoPooledQuantile: 0.99,
};
const engine = (over: Record<string, unknown> = {}) => only('amount-outlier', { ...CFG, ...over });
/** The alerts about `target` once `history` has been folded in (whatever the history itself raised). */
function after(history: readonly Disbursement[], target: Disbursement, over: Record<string, unknown> = {}): Alert[] {
  const e = engine(over);
  run(e, history);
  return e.process(target);
}

type Over = Parameters<typeof payment>[0];
/** n ordinary purchases of 9,000–10,999 baht, each to a different contractor (no payee history builds up). */
function ordinary(n: number, over: Over = {}, batchId = 'b_hist') {
  return Array.from({ length: n }, (_, i) =>
    payment({ batchId, row: i + 1, payeeAccount: String(1_000_000_000 + i), effectiveDate: '2025-01-15', amountSatang: baht(9_000 + ((i * 137) % 2_000)), ...over }));
}
const amountsOf = (records: readonly { amountSatang: number }[]) => records.map((r) => r.amountSatang);

/** The payee under test: a person the LAO buys from. */
const big = (over: Over = {}) =>
  payment({ batchId: 'b_new', row: 1, payeeAccount: '5555555555', payeeName: 'นายสมชาย ใจดี', effectiveDate: '2025-01-20', amountSatang: baht(500_000), ...over });
/** Earlier payments to the payee under test. */
const earlier = (amountsBaht: readonly number[], over: Over = {}) =>
  amountsBaht.map((a, i) => big({ batchId: 'b_payee', row: i + 1, effectiveDate: '2025-01-10', amountSatang: baht(a), voucherNo: `${i + 1}/2568`, ...over }));

/** One salary (service type 01) to one official. */
const salary = (account: number, amountBaht: number, over: Over = {}) =>
  payment({ batchId: `b_sal_${account}`, row: 1, serviceType: '01', payeeAccount: String(3_000_000_000 + account), payeeName: `นางสาวพนักงาน ที่${account}`, amountSatang: baht(amountBaht), effectiveDate: '2025-01-25', ...over });
/** n officials' salaries of 14,000–16,999 baht. */
const payroll = (n: number, over: Over = {}) => Array.from({ length: n }, (_, i) => salary(i, 14_000 + ((i * 211) % 3_000), { batchId: 'b_payroll', row: i + 1, ...over }));

describe('amount-outlier: a payee with no history, judged by the LAO\'s spread', () => {
  it('when 30 ordinary amounts are followed by one 50 times larger to a new payee, then a high alert names the LAO\'s spread as the baseline', () => {
    const history = ordinary(30);
    const alerts = after([...history], big());
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(alert).toMatchObject({ ruleIds: ['amount-outlier'], severity: 'high', subject: { kind: 'payment', key: big().recordId }, amountSatang: baht(500_000) });
    const e = evidenceOf(alert, 'amount-outlier');
    const amounts = amountsOf(history);
    expect(e).toMatchObject({ baseline: 'lao', observations: 30, serviceType: '04', zThreshold: 6, medianSatang: Math.round(quantile(amounts, 0.5)), limitSatang: Math.round(2 * quantile(amounts, 0.99)) });
    expect(e['robustZ'] as number).toBeGreaterThan(6);
    expect(e['ratio'] as number).toBeCloseTo(baht(500_000) / quantile(amounts, 0.5), 1);
    expect(alert!.reasons.th).toContain('นายสมชาย ใจดี');
    expect(alert!.reasons.en).toContain('500,000.00');
    expect(alert!.reasons.en).toContain("the LAO's spread");
  });

  it('when the amount is about 10 times the median, then the alert is medium (high from 20 times)', () => {
    const [alert] = after([...ordinary(30)], big({ amountSatang: baht(100_000) }));
    expect(alert).toMatchObject({ severity: 'medium' });
    expect(evidenceOf(alert, 'amount-outlier')['ratio'] as number).toBeLessThan(20);
  });

  it('when the amount is not twice the p99 of the spread, then it is quiet however large its z', () => {
    const history = ordinary(30);
    const limit = 2 * quantile(amountsOf(history), 0.99);
    expect(after([...history], big({ amountSatang: Math.floor(limit) - 100 }))).toEqual([]);
    expect(after([...ordinary(30)], big({ amountSatang: Math.ceil(limit) + 100 }))).toHaveLength(1);
  });

  it('when the LAO pays amounts across several orders of magnitude, then a large but ordinary contract stays quiet', () => {
    // 60 purchases spread log-evenly from 500 to 500,000 baht, as a municipality's goods-and-services payments are.
    const spread = Array.from({ length: 60 }, (_, i) =>
      payment({ batchId: 'b_spread', row: i + 1, payeeAccount: String(2_000_000_000 + i), effectiveDate: '2025-01-15', amountSatang: baht(Math.round(500 * 1000 ** (((i * 37) % 60) / 59))) }));
    expect(after([...spread], big({ amountSatang: baht(450_000) }))).toEqual([]);
    // …while an amount orders of magnitude above anything the LAO pays still fires.
    expect(after([...ordinary(30)], big({ amountSatang: baht(90_000_000) }))).toHaveLength(1);
  });

  it('when the amount is ordinary, then it stays quiet', () => {
    expect(after([...ordinary(30)], big({ amountSatang: baht(10_500) }))).toEqual([]);
  });

  it('when the amounts are of another service type, then they are not this type\'s history', () => {
    expect(after([...ordinary(30, { serviceType: '14' })], big())).toEqual([]);
  });

  it('when the large transfer failed, then it is not flagged', () => {
    expect(after([...ordinary(30)], big({ status: 'failed' }))).toEqual([]);
  });
});

describe('amount-outlier: short and no history', () => {
  it('when the LAO has fewer amounts of the type than fallbackMinObservations and no peer group, then there is no baseline and it is silent', () => {
    expect(after([], big())).toEqual([]);
    expect(after([...ordinary(19)], big())).toEqual([]);
    expect(after([...ordinary(20)], big())).toHaveLength(1);
    // The minimum is the configured one, not a constant.
    expect(after([...ordinary(10)], big(), { fallbackMinObservations: 10 })).toHaveLength(1);
  });

  it('when the LAO\'s own history is short but its peer group (same type, same province) has one, then the peer group\'s spread decides', () => {
    const peers = [...ordinary(15, { laoCode: OTHER_LAO, peerGroup: PEER_GROUP }, 'b_peer_a'), ...ordinary(15, { laoCode: THIRD_LAO, peerGroup: PEER_GROUP }, 'b_peer_b')];
    const own = ordinary(2, { peerGroup: PEER_GROUP }, 'b_own');
    const [alert] = after([...peers, ...own], big({ peerGroup: PEER_GROUP }));
    expect(alert).toMatchObject({ laoCode: LAO, ruleIds: ['amount-outlier'] });
    // The group's sample holds every member's amounts, this LAO's own too.
    expect(evidenceOf(alert, 'amount-outlier')).toMatchObject({ baseline: 'peer-group', observations: 32, limitSatang: Math.round(2 * quantile(amountsOf([...peers, ...own]), 0.99)) });
    expect(alert!.reasons.en).toContain('LAOs of the same type in the province');
  });

  it('when the LAO has paid a few amounts of the type (a first month), then fallbackP99Ratio × their largest and above the pooled p99 fires on the LAO\'s own few', () => {
    // Peers pay up to 200,000 baht now and then: their spread is wide, this LAO's five purchases are all about 10,000.
    const peers = [...ordinary(28, { laoCode: OTHER_LAO, peerGroup: PEER_GROUP }, 'b_peer_a'), ...[150_000, 200_000].map((a, i) => payment({ laoCode: THIRD_LAO, peerGroup: PEER_GROUP, batchId: 'b_peer_b', row: i + 1, payeeAccount: String(2_000_000_000 + i), effectiveDate: '2025-01-15', amountSatang: baht(a) }))];
    const own = ordinary(5, { peerGroup: PEER_GROUP }, 'b_own');
    const pooledP99 = quantile(amountsOf([...peers, ...own]), 0.99);
    const [alert] = after([...peers, ...own], big({ peerGroup: PEER_GROUP, amountSatang: baht(250_000) }));
    expect(evidenceOf(alert, 'amount-outlier')).toMatchObject({ baseline: 'lao-short', observations: 5, limitSatang: Math.round(Math.max(2 * Math.max(...amountsOf(own)), pooledP99)) });
    expect(alert!.reasons.en).toContain('the few amounts the LAO has paid of this type so far');
    // 2 × the LAO's largest but under the pooled p99: quiet (the peer group's spread does not fire either).
    expect(after([...peers, ...own], big({ peerGroup: PEER_GROUP, amountSatang: baht(100_000) }))).toEqual([]);
    // Fewer than shortLaoMin amounts of its own: the peer group's spread decides alone (250,000 is under 2 × its p99).
    expect(after([...peers, ...own.slice(0, 2)], big({ peerGroup: PEER_GROUP, amountSatang: baht(250_000) }))).toEqual([]);
    // No pooled sample to say the amount is large anywhere: quiet.
    expect(after(own, big({ amountSatang: baht(250_000) }))).toEqual([]);
  });

  it('when the payment names no peer group, or its peers are LAOs of another province, then they do not stand in', () => {
    const peers = (group: string) => ordinary(30, { laoCode: OTHER_LAO, peerGroup: group }, 'b_peer');
    expect(after([...peers(PEER_GROUP)], big())).toEqual([]);
    expect(after([...peers('66:sao')], big({ peerGroup: PEER_GROUP }))).toEqual([]);
    // LAOs of another type in the province are not its peer group, whatever the province may say.
    const alerts = after([...peers(OTHER_TYPE_GROUP)], big({ peerGroup: PEER_GROUP }));
    expect(alerts.filter((a) => evidenceOf(a, 'amount-outlier')['baseline'] === 'peer-group')).toEqual([]);
  });

  it('when the LAO has a long enough history of its own, then it decides before the peer group', () => {
    // Peers pay large amounts, so their spread would find 500,000 ordinary; the LAO's own small amounts do not.
    const peers = ordinary(30, { laoCode: OTHER_LAO, peerGroup: PEER_GROUP, amountSatang: baht(400_000) }, 'b_peer');
    const [alert] = after([...peers, ...ordinary(20, { peerGroup: PEER_GROUP })], big({ peerGroup: PEER_GROUP }));
    expect(evidenceOf(alert, 'amount-outlier')).toMatchObject({ baseline: 'lao', observations: 20 });
  });

  it('when the payee has only one or two earlier payments (fewer than shortHistoryMin), then it counts as no history and the LAO\'s spread decides', () => {
    const [alert] = after([...ordinary(30), ...earlier([10_000, 10_000])], big());
    expect(evidenceOf(alert, 'amount-outlier')).toMatchObject({ baseline: 'lao' });
  });
});

describe('amount-outlier: the payee\'s own history decides', () => {
  it('when the payee has 20 earlier payments, then its own robust z decides', () => {
    const own = earlier(Array.from({ length: 20 }, (_, i) => 9_500 + i * 50));
    const [alert] = after([...ordinary(30), ...own], big({ amountSatang: baht(100_000) }));
    const e = evidenceOf(alert, 'amount-outlier');
    expect(e).toMatchObject({ baseline: 'payee', observations: 20, medianSatang: Math.round(quantile(amountsOf(own), 0.5)), limitSatang: Math.round(3 * quantile(amountsOf(own), 0.5)) });
    expect(e['robustZ'] as number).toBeGreaterThan(6);
    expect(alert!.reasons.en).toContain("this payee's payment history");
  });

  it('when the payee has its own history of such amounts, then its large payment is not an outlier although the LAO\'s spread would say so', () => {
    const regular = earlier(Array.from({ length: 20 }, (_, i) => 480_000 + i * 1_000));
    expect(after([...ordinary(60), ...regular], big({ voucherNo: '99/2568' }))).toEqual([]);
  });

  it('when a fixed fee rises less than minRatio times, then it is quiet although its z is infinite; at minRatio times it fires', () => {
    const fixed = () => earlier(Array.from({ length: 20 }, () => 10_000));
    expect(after([...fixed()], big({ amountSatang: baht(29_000) }))).toEqual([]);
    const [alert] = after([...fixed()], big({ amountSatang: baht(30_000) }));
    // Zero dispersion: the z is infinite and shown as null, the ratio decided.
    expect(evidenceOf(alert, 'amount-outlier')).toMatchObject({ baseline: 'payee', robustZ: null, ratio: 3 });
  });

  it('when the payee has 3–19 earlier payments, then 10 times its median above the LAO\'s p75 fires on the short history', () => {
    const history = [...ordinary(30), ...earlier([1_000, 1_100, 900, 1_000, 1_050])];
    const [alert] = after(history, big({ amountSatang: baht(15_000) }));
    expect(alert).toMatchObject({ severity: 'medium' });
    // The LAO's p75 is of everything it paid of the type, the payee's own payments too.
    expect(evidenceOf(alert, 'amount-outlier')).toMatchObject({ baseline: 'payee-short', observations: 5, medianSatang: baht(1_000), robustZ: null, limitSatang: Math.round(quantile(amountsOf(history), 0.75)) });
    expect(alert!.reasons.en).toContain("this payee's (short) payment history");
  });

  it('when a short history\'s payee gets less than 10 times its median, then it is quiet even where the LAO\'s spread would fire', () => {
    // 500,000 is 8 × this payee's usual 62,500, and 50 × what the LAO usually pays: the payee's history decides.
    expect(after([...ordinary(30), ...earlier([60_000, 65_000, 62_500])], big())).toEqual([]);
    expect(after([...ordinary(30), ...earlier([60_000, 65_000, 62_500])], big(), { shortHistoryRatio: 8 })).toHaveLength(1);
  });

  it('when a short history of small payments is multiplied but stays below the LAO\'s p75, then it is quiet', () => {
    // 20 × a 100-baht payee is still a small payment for this LAO.
    expect(after([...ordinary(30), ...earlier([100, 100, 100])], big({ amountSatang: baht(2_000) }))).toEqual([]);
  });

  it('when a short payee history has no LAO spread to compare with, then the peer group\'s p75 stands in, else the ratio alone decides', () => {
    const peers = ordinary(30, { laoCode: OTHER_LAO, peerGroup: PEER_GROUP }, 'b_peer');
    const own = earlier([1_000, 1_000, 1_000], { peerGroup: PEER_GROUP });
    const [withPeers] = after([...peers, ...own], big({ amountSatang: baht(15_000), peerGroup: PEER_GROUP }));
    // The peer sample includes the payee's own three payments, which carry the group too.
    expect(evidenceOf(withPeers, 'amount-outlier')).toMatchObject({ baseline: 'payee-short', limitSatang: Math.round(quantile([...amountsOf(peers), ...amountsOf(own)], 0.75)) });
    const [alone] = after([...earlier([1_000, 1_000, 1_000])], big({ amountSatang: baht(15_000) }));
    expect(evidenceOf(alone, 'amount-outlier')).toMatchObject({ baseline: 'payee-short', observations: 3, limitSatang: null });
  });
});

describe('amount-outlier: recurring pay', () => {
  it('when a salary is recurringRatio times the person\'s own, from one earlier salary, then it fires on the person\'s recurring amount', () => {
    const [alert] = after([salary(1, 20_000, { effectiveDate: '2024-12-25' })], salary(1, 100_000, { batchId: 'b_jan' }));
    expect(evidenceOf(alert, 'amount-outlier')).toMatchObject({ baseline: 'payee-recurring', observations: 1, medianSatang: baht(20_000), limitSatang: baht(100_000), serviceType: '01' });
    expect(alert!.reasons.en).toContain("this payee's recurring amount");
    expect(after([salary(1, 20_000, { effectiveDate: '2024-12-25' })], salary(1, 99_000, { batchId: 'b_jan' }))).toEqual([]);
  });

  it('when a salary is far above the LAO\'s other salaries but it is the person\'s usual pay, then it is never judged by the LAO\'s spread', () => {
    expect(after([...payroll(30), salary(99, 60_000, { effectiveDate: '2024-12-25' })], salary(99, 60_000, { batchId: 'b_jan' }))).toEqual([]);
  });

  it('when a person\'s first salary is recurringFallbackRatio times the LAO\'s p99 salary, then the LAO\'s ceiling decides; below it, quiet', () => {
    const history = payroll(30);
    const ceiling = 3 * quantile(amountsOf(history), 0.99);
    const [alert] = after([...history], salary(99, Math.ceil(ceiling / 100) + 1));
    expect(evidenceOf(alert, 'amount-outlier')).toMatchObject({ baseline: 'lao-ceiling', observations: 30, limitSatang: Math.round(ceiling) });
    expect(after([...payroll(30)], salary(99, Math.floor(ceiling / 100) - 1))).toEqual([]);
  });

  it('when a first salary comes from an LAO with a short payroll, then its peer group\'s ceiling decides; with none, it is silent', () => {
    const peers = payroll(30, { laoCode: OTHER_LAO, peerGroup: PEER_GROUP });
    const [alert] = after([...peers, ...payroll(5, { batchId: 'b_own_payroll', peerGroup: PEER_GROUP })], salary(99, 100_000, { peerGroup: PEER_GROUP }));
    expect(evidenceOf(alert, 'amount-outlier')).toMatchObject({ baseline: 'peer-ceiling', observations: 35 });
    expect(alert!.reasons.en).toContain('LAOs of the same type in the province');
    expect(after([...payroll(5)], salary(99, 1_000_000))).toEqual([]);
  });

  it('when a welfare allowance is paid months at once, or a utility bill jumps, then it is not this rule\'s to judge', () => {
    const allowance = (row: number, amountBaht: number) => payment({ batchId: 'b_welfare', row, serviceType: '59', payeeAccount: '6666666666', payeeName: 'นายแก่ ใจดี', remark: 'เบี้ยยังชีพผู้สูงอายุ', amountSatang: baht(amountBaht) });
    expect(after([...[1, 2, 3, 4, 5].map((r) => allowance(r, 700))], allowance(6, 8_400))).toEqual([]);
    const bill = (row: number, amountBaht: number) => payment({ batchId: 'b_pea', row, serviceType: '11', payeeAccount: '4444444444', payeeName: 'การไฟฟ้าส่วนภูมิภาค', amountSatang: baht(amountBaht) });
    expect(after([...Array.from({ length: 25 }, (_, i) => bill(i + 1, 2_000 + i))], bill(30, 400_000))).toEqual([]);
  });
});
