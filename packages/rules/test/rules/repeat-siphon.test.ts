import type { Alert, Disbursement } from '@paywatch/domain';
import { describe, expect, it } from 'vitest';
import { baht, evidenceOf, only, payment, run } from '../helpers/factory.ts';
import { payees, staff } from '../helpers/reference.ts';

/** The thresholds these tests are written against (typologies.md's defaults, spelled out so that tuning a default does not move them). */
const CFG = { windowDays: 30, minCount: 5, zThreshold: 4, historyMonths: 12, skipVendors: true };
const engine = (over: Record<string, unknown> = {}) => only('repeat-siphon', { ...CFG, ...over });

type Over = Parameters<typeof payment>[0];
/** 20 vendors paid once or twice in a month (days 1–20): the LAO's ordinary rhythm, and its history. */
const vendors = (month = '2025-03') => Array.from({ length: 20 }, (_, i) =>
  payment({ batchId: `b_vendors_${month}`, row: i + 1, payeeAccount: String(1_000_000_000 + (i % 14)), effectiveDate: `${month}-${String(1 + i).padStart(2, '0')}`, amountSatang: baht(20_000 + i) }));
let seq = 0;
/** A one-off transfer to the account under test (a person's), on a date. */
const toSiphon = (date: string, over: Over = {}) =>
  payment({ batchId: `b_s${++seq}`, payeeAccount: '7777777777', payeeName: 'นายเอ', effectiveDate: date, amountSatang: baht(49_000 + (seq % 100)), ...over });
/** Transfers to the account on consecutive days of a month, from `firstDay`. */
const siphonDays = (month: string, firstDay: number, n: number, over: Over = {}) =>
  Array.from({ length: n }, (_, i) => toSiphon(`${month}-${String(firstDay + i).padStart(2, '0')}`, over));

/** The alerts about the last record once the others have been folded in. */
function last(records: readonly Disbursement[], e = engine()): Alert[] {
  run(e, records.slice(0, -1));
  return e.process(records.at(-1)!);
}

describe('repeat-siphon: no history (the LAO\'s first month)', () => {
  it('when one account receives a 6th one-off transfer within 30 days and the LAO has no earlier month, then the count alone fires a high payee alert', () => {
    const e = engine();
    const series = siphonDays('2025-03', 21, 6);
    expect(run(e, [...vendors(), ...series.slice(0, 5)])).toEqual([]);
    const [alert] = e.process(series[5]!);
    expect(alert).toMatchObject({ ruleIds: ['repeat-siphon'], severity: 'high', subject: { kind: 'payee', key: '006:7777777777' } });
    expect(alert!.payments).toHaveLength(6);
    expect(evidenceOf(alert, 'repeat-siphon')).toMatchObject({
      count: 6, minCount: 5, zThreshold: 4, windowDays: 30, from: '2025-02-25', to: '2025-03-26',
      baseline: 'no-history', observations: 0, earlierMonthlyCounts: [], earlierMedianCount: 0, robustZ: null, zeroDispersion: false,
    });
    expect(alert!.reasons.th).toContain('6 ครั้ง');
    expect(alert!.reasons.en).toContain('no earlier one-off transfer');
  });

  it('when the count is not above minCount, then it is quiet whatever the history', () => {
    expect(run(engine(), [...vendors(), ...siphonDays('2025-03', 21, 5)])).toEqual([]);
    expect(run(engine({ minCount: 6 }), [...vendors(), ...siphonDays('2025-03', 21, 6)])).toEqual([]);
  });

  it('when the transfers spread over more than 30 days, then at most 5 fall in any window and it is quiet', () => {
    const spread = ['2025-01-01', '2025-01-10', '2025-01-20', '2025-02-05', '2025-02-15', '2025-03-02'].map((d) => toSiphon(d));
    expect(run(engine(), [...vendors('2025-01'), ...spread])).toEqual([]);
  });
});

describe('repeat-siphon: the account\'s own history', () => {
  const history = [...vendors('2025-01'), ...vendors('2025-02'), ...vendors('2025-03')];

  it('when the LAO has earlier months in which this account was never paid, then those count as zero and the burst fires against them', () => {
    const [alert] = last([...history, ...siphonDays('2025-04', 21, 6)]);
    expect(evidenceOf(alert, 'repeat-siphon')).toMatchObject({
      baseline: 'account-history', from: '2025-03-28', observations: 2, earlierMonthlyCounts: [0, 0], earlierMedianCount: 0, robustZ: null, zeroDispersion: true,
    });
    expect(alert!.reasons.en).toContain('over the 2 months held');
  });

  it('when the account is paid as often every month, then the count is not unusual and it is quiet', () => {
    const rhythm = ['2025-01', '2025-02', '2025-03', '2025-04'].flatMap((m) => siphonDays(m, 3, 6));
    const e = engine();
    run(e, [...history, ...rhythm.slice(0, 18)]);
    expect(run(e, rhythm.slice(18))).toEqual([]);
  });

  it('when the burst is far above the account\'s own varying months, then the robust z fires; a count within its rhythm is quiet', () => {
    const rhythm = [...siphonDays('2025-01', 3, 4), ...siphonDays('2025-02', 3, 6), ...siphonDays('2025-03', 3, 5)];
    const e = engine();
    run(e, [...history, ...rhythm]);
    // Median 5, MAD 1: 8 in May is z ≈ 2, 14 is z ≈ 6.
    const may = siphonDays('2025-05', 10, 14);
    expect(run(e, may.slice(0, 8))).toEqual([]);
    const alerts = run(e, may.slice(8));
    expect(alerts.length).toBeGreaterThan(0);
    const evidence = evidenceOf(alerts.at(-1), 'repeat-siphon');
    // The window (24 April – 23 May) is compared with the months before its first month, back to the LAO's first month.
    expect(evidence).toMatchObject({ baseline: 'account-history', count: 14, from: '2025-04-24', observations: 3, earlierMonthlyCounts: [4, 6, 5], earlierMedianCount: 5, zeroDispersion: false });
    expect(evidence['robustZ'] as number).toBeGreaterThan(4);
  });

  it('when the account has only a short history of its own (one earlier month), then that month decides', () => {
    const short = [...vendors('2025-02'), ...vendors('2025-03')];
    // One transfer in February: eight in April is far above it.
    const [alert] = last([...short, toSiphon('2025-02-10'), ...siphonDays('2025-04', 20, 8)]);
    expect(evidenceOf(alert, 'repeat-siphon')).toMatchObject({ baseline: 'account-history', observations: 1, earlierMonthlyCounts: [1] });
    // Eight in February: eight in April is its rhythm.
    const e = engine();
    run(e, [...short, ...siphonDays('2025-02', 10, 8)]);
    expect(run(e, siphonDays('2025-04', 20, 8))).toEqual([]);
  });

  it('when the account had only salaries before, then they are not counted and its first burst of one-off transfers fires', () => {
    const salaries = ['2025-01-25', '2025-02-25', '2025-03-25'].map((d) => toSiphon(d, { serviceType: '01', amountSatang: baht(18_000) }));
    const [alert] = last([...history, ...salaries, ...siphonDays('2025-04', 21, 6)]);
    expect(evidenceOf(alert, 'repeat-siphon')).toMatchObject({ baseline: 'account-history', earlierMonthlyCounts: [0, 0], count: 6 });
  });
});

describe('repeat-siphon: what is counted', () => {
  it('when the repeated transfers are salaries or allowances, then it is quiet', () => {
    expect(run(engine(), [...vendors(), ...siphonDays('2025-03', 21, 7, { serviceType: '01' })])).toEqual([]);
    expect(run(engine(), [...vendors(), ...siphonDays('2025-03', 21, 7, { serviceType: '59', remark: 'เบี้ยยังชีพผู้สูงอายุ', amountSatang: baht(700) })])).toEqual([]);
    // An "other" payment (59) of allowance size to a person, with no remark, is taken for an allowance.
    expect(run(engine(), [...vendors(), ...siphonDays('2025-03', 21, 7, { serviceType: '59', amountSatang: baht(1_000) })])).toEqual([]);
  });

  it('when "other" payments (59) to a person are far above any allowance, then they are one-off transfers and count', () => {
    expect(run(engine(), [...vendors(), ...siphonDays('2025-03', 21, 6, { serviceType: '59' })])).toHaveLength(1);
  });

  it('when a report lists the same transfer twice, or a bulk line and its report line both arrive, then each transfer counts once', () => {
    const twice = [21, 22, 23].flatMap((d) => [toSiphon(`2025-03-${d}`, { bankReference: `R${d}` }), toSiphon(`2025-03-${d}`, { bankReference: `R${d}` })]);
    const bulk = [24, 25, 26].map((d) => toSiphon(`2025-03-${d}`, { sourceFormat: 'ktb-bulk', status: 'instructed' }));
    expect(run(engine(), [...vendors(), ...twice, ...bulk])).toEqual([]);
  });

  it('when the transfers failed, then no money moved and they do not count', () => {
    expect(run(engine(), [...vendors(), ...siphonDays('2025-03', 21, 7, { status: 'failed' })])).toEqual([]);
  });
});

describe('repeat-siphon: vendors', () => {
  const burst = (over: Over = {}) => [...vendors(), ...siphonDays('2025-03', 21, 7, over)];

  it('when the account is a vendor (a firm by its name, or an active registered payee), then many transfers are ordinary and it is quiet', () => {
    expect(run(engine(), burst({ payeeName: 'หจก. ชัยมงคล ปิโตรเลียม' }))).toEqual([]);
    const registered = engine();
    registered.applyReference(payees([{ account: '7777777777', name: 'นายเอ' }]));
    expect(run(registered, burst())).toEqual([]);
    expect(run(engine({ skipVendors: false }), burst({ payeeName: 'หจก. ชัยมงคล ปิโตรเลียม' })).length).toBeGreaterThan(0);
  });

  it('when the registered payee is inactive, then it is no vendor', () => {
    const inactive = engine();
    inactive.applyReference(payees([{ account: '7777777777', name: 'นายเอ', status: 'inactive' }]));
    expect(run(inactive, burst()).length).toBeGreaterThan(0);
  });

  it('when one person\'s name is among the firm names the account was paid under, then it is a person\'s account', () => {
    const firm = siphonDays('2025-03', 20, 6, { payeeName: 'หจก. ชัยมงคล ปิโตรเลียม' });
    expect(last([...vendors(), toSiphon('2025-03-19'), ...firm])).toHaveLength(1);
  });

  it('when the account is a staff member\'s, then it is never a vendor, registered and named as a firm or not', () => {
    const insider = engine();
    insider.applyReference(staff([{ account: '7777777777', name: 'นายเอ' }]));
    insider.applyReference(payees([{ account: '7777777777', name: 'ร้าน เอ การค้า' }]));
    expect(run(insider, burst({ payeeName: 'ร้าน เอ การค้า' })).length).toBeGreaterThan(0);
  });

  it('when the account is a registered salary account (not on the staff list) and the month\'s transfers come under shop names and the person\'s own, then the wages unmask it and it fires, with a short history and with none', () => {
    const registered = () => { const e = engine(); e.applyReference(payees([{ account: '7777777777', name: 'นายเอ' }])); return e; };
    const shops = ['ร้าน เอ การค้า', 'บริษัท บี วัสดุ จำกัด', 'หจก. ซี ค้าไม้'];
    const month = (m: string) => Array.from({ length: 8 }, (_, i) => toSiphon(`${m}-${String(2 + i * 3).padStart(2, '0')}`, i % 4 === 3 ? {} : { payeeName: shops[i % 3]!, serviceType: i % 2 === 0 ? '04' : '59' }));
    // Short history: last month's salary into the account, then the month of transfers.
    const short = registered();
    run(short, [...vendors('2025-02'), toSiphon('2025-02-26', { serviceType: '01', amountSatang: baht(18_000) })]);
    const alerts = run(short, month('2025-03'));
    expect(alerts.length).toBeGreaterThan(0);
    expect(evidenceOf(alerts.at(-1), 'repeat-siphon')).toMatchObject({ count: 8, earlierMedianCount: 0 });
    // No history: the first month's salary comes early in the month, the transfers after it.
    const none = registered();
    expect(run(none, [...vendors(), toSiphon('2025-03-01', { serviceType: '01', amountSatang: baht(18_000) }), ...month('2025-03')]).length).toBeGreaterThan(0);
    // Without wages, a payee registered under the person's own name paid under that name stays a vendor.
    expect(run(registered(), [...vendors(), ...siphonDays('2025-03', 2, 8)])).toEqual([]);
  });
});
