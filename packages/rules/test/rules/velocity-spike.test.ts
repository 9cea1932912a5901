import { addDays } from '@paywatch/domain';
import { describe, expect, it } from 'vitest';
import { baht, evidenceOf, only, payment, run } from '../helpers/factory.ts';

/** The thresholds these tests are written against (the defaults, spelled out so that tuning a default does not move them). */
const CFG = { zThreshold: 5, baselineWeeks: 12, minBaselineDays: 8, shortBaselineMinDays: 1, shortBaselineRatio: 4, minDayCount: 5, lookBackAfterDays: 2 };
const engine = (over: Record<string, unknown> = {}) => only('velocity-spike', { ...CFG, ...over });

const START = '2025-01-06'; // a Monday
let row = 0;
const pay = (date: string, amountBaht = 20_000, over: Parameters<typeof payment>[0] = {}) =>
  payment({ batchId: `b_${date}`, row: ++row, payeeAccount: String(1_000_000_000 + (row % 30)), amountSatang: baht(amountBaht + (row % 7) * 100), effectiveDate: date, ...over });
/** Ten weeks in which the LAO pays 2–4 purchases every weekday. */
const routine = (weeks = 10) => Array.from({ length: weeks * 7 }, (_, d) => addDays(START, d)).flatMap((date, d) =>
  d % 7 >= 5 ? [] : Array.from({ length: 2 + (d % 3) }, () => pay(date)));
const surgeDay = addDays(START, 70); // the Monday after ten weeks

describe('velocity-spike', () => {
  it('when a Monday has 30 transfers worth 1.5 M baht against 2–4 on earlier Mondays, then a high lao-period alert gives both z and the baseline', () => {
    const alerts = run(engine(), [...routine(), ...Array.from({ length: 30 }, () => pay(surgeDay, 50_000))]);
    expect(alerts.length).toBeGreaterThan(0);
    const last = alerts.at(-1)!;
    expect(last).toMatchObject({ ruleIds: ['velocity-spike'], severity: 'high', subject: { kind: 'lao-period', key: `day-${surgeDay}` } });
    expect(last.evidence['velocity-spike']).toMatchObject({ date: surgeDay, dayCount: 30, baseline: 'same-weekday', baselineDays: 10, minBaselineDays: 8, zThreshold: 5 });
    expect(new Set(alerts.map((a) => a.alertId)).size).toBe(1);
    expect(last.reasons.en).toContain('same weekday');
  });

  it('when the day is busy in count but not in amount (many small payments), then it is quiet: both must be unusual', () => {
    expect(run(engine(), [...routine(), ...Array.from({ length: 30 }, () => pay(surgeDay, 700))])).toEqual([]);
  });

  it('when the busy day is payroll or allowances, then it is not counted and it is quiet', () => {
    expect(run(engine(), [...routine(), ...Array.from({ length: 40 }, () => pay(surgeDay, 50_000, { serviceType: '01' }))])).toEqual([]);
  });

  it('when the LAO has 2–7 earlier paying days (a short history), then a day of shortBaselineRatio × their median count and amount fires on the short history', () => {
    const early = addDays(START, 7);
    const week = routine(1);
    const alerts = run(engine(), [...week, ...Array.from({ length: 30 }, () => pay(early, 50_000))]);
    expect(alerts.length).toBeGreaterThan(0);
    const e = evidenceOf(alerts.at(-1), 'velocity-spike');
    // Five paying days of 2–4 purchases: median 3 payments a day.
    expect(e).toMatchObject({ baseline: 'short-history', baselineDays: 5, dayCount: 30, count: { median: 3 } });
    expect(alerts.at(-1)!.reasons.en).toContain('short history: threshold 4 × the median of both');
    // The first alert comes at 4 × the median count (12 payments), not before.
    expect(evidenceOf(alerts[0], 'velocity-spike')).toMatchObject({ dayCount: 12 });
  });

  it('when a short history\'s day is busy but under shortBaselineRatio × the median, or has fewer than twice minDayCount payments, then it is quiet', () => {
    const early = addDays(START, 7);
    // 11 payments of 50,000 baht: above 3 × the median count (9), under 4 ×.
    expect(run(engine({ shortBaselineRatio: 4 }), [...routine(1), ...Array.from({ length: 11 }, () => pay(early, 50_000))])).toEqual([]);
    expect(run(engine({ shortBaselineRatio: 3 }), [...routine(1), ...Array.from({ length: 11 }, () => pay(early, 50_000))]).length).toBeGreaterThan(0);
    // 9 payments are more than 4 × a median of 2, but fewer than 2 × minDayCount.
    const two = Array.from({ length: 3 }, (_, d) => [pay(addDays(START, d)), pay(addDays(START, d))]).flat();
    expect(run(engine(), [...two, ...Array.from({ length: 9 }, () => pay(early, 50_000))])).toEqual([]);
  });

  it('when the LAO has no earlier paying day, or fewer than shortBaselineMinDays, then there is no baseline and the day is not judged as it happens', () => {
    expect(run(engine(), Array.from({ length: 40 }, () => pay(START, 50_000)))).toEqual([]);
    const oneDay = Array.from({ length: 3 }, () => pay(START));
    const surge = Array.from({ length: 40 }, () => pay(addDays(START, 7), 50_000));
    expect(run(engine({ shortBaselineMinDays: 2 }), [...oneDay, ...surge])).toEqual([]);
    // One earlier paying day is a baseline by default (a first month has few), judged by the ratio.
    const alerts = run(engine(), [...oneDay, ...surge]);
    expect(evidenceOf(alerts.at(-1), 'velocity-spike')).toMatchObject({ baseline: 'short-history', baselineDays: 1, count: { median: 3 } });
  });

  it('when the first day of data is a surge (no history yet), then it is judged once against the paying days after it, as soon as lookBackAfterDays exist', () => {
    const first = Array.from({ length: 30 }, () => pay(START, 50_000));
    const later = [1, 2, 3].flatMap((d) => Array.from({ length: 3 }, () => pay(addDays(START, d))));
    const alerts = run(engine(), [...first, ...later]);
    const looked = alerts.filter((a) => a.subject.key === `day-${START}`);
    expect(looked).toHaveLength(1);
    const e = evidenceOf(looked[0], 'velocity-spike');
    // Judged on the first record of the third day: against the two paying days that followed (3 payments each).
    expect(e).toMatchObject({ date: START, baseline: 'later-days', baselineDays: 2, dayCount: 30, count: { median: 3 } });
    expect(looked[0]!.payments).toHaveLength(30);
    expect(looked[0]!.reasons.en).toContain('paying days that followed');
    expect(looked[0]!.reasons.th).toContain('วันที่มีการจ่ายเงินถัดมา');
    // Only two later days: not yet judged; look-back off: never.
    expect(run(engine(), [...first, ...later.slice(0, 6)]).filter((a) => a.subject.key === `day-${START}`)).toEqual([]);
    expect(run(engine({ lookBackAfterDays: 0 }), [...first, ...later]).filter((a) => a.subject.key === `day-${START}`)).toEqual([]);
  });

  it('when the first day of data is busy but ordinary for the days that follow, then the look-back is quiet', () => {
    const first = Array.from({ length: 12 }, () => pay(START, 20_000));
    const later = [1, 2, 3].flatMap((d) => Array.from({ length: 8 }, () => pay(addDays(START, d), 20_000)));
    expect(run(engine(), [...first, ...later]).filter((a) => a.subject.key === `day-${START}`)).toEqual([]);
  });

  it('when fewer than 8 same weekdays had payments, then every paying day of the weeks before is the baseline', () => {
    const early = addDays(START, 49);
    const last = run(engine(), [...routine(7), ...Array.from({ length: 30 }, () => pay(early, 50_000))]).at(-1)!;
    expect(last.evidence['velocity-spike']).toMatchObject({ baseline: 'paying-days', baselineDays: 35 });
  });

  it('when the LAO pays in batches a few days a month, then an ordinary batch day is not a surge although most days are empty', () => {
    // Every other Wednesday a batch of 10–14 purchases, nothing in between: 12 weeks of rhythm, then one more batch.
    const batches = Array.from({ length: 7 }, (_, k) => addDays(START, 2 + 14 * k)).flatMap((date, k) => Array.from({ length: 10 + (k % 5) }, () => pay(date, 30_000)));
    const next = addDays(START, 2 + 14 * 7);
    expect(run(engine({ minBaselineDays: 5 }), [...batches, ...Array.from({ length: 13 }, () => pay(next, 30_000))])).toEqual([]);
  });

  it('when a normal day arrives, then it is quiet', () => {
    expect(run(engine(), [...routine(), ...Array.from({ length: 4 }, () => pay(surgeDay))])).toEqual([]);
  });

  it('when minBaselineDays is more than baselineWeeks, then the configuration is refused', () => {
    expect(() => engine({ baselineWeeks: 4, minBaselineDays: 8 })).toThrow();
  });
});
