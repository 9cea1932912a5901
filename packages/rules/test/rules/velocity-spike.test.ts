import { addDays } from '@paywatch/domain';
import { describe, expect, it } from 'vitest';
import { baht, only, payment, run } from '../helpers/factory.ts';

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
    const alerts = run(only('velocity-spike'), [...routine(), ...Array.from({ length: 30 }, () => pay(surgeDay, 50_000))]);
    expect(alerts.length).toBeGreaterThan(0);
    const last = alerts.at(-1)!;
    expect(last).toMatchObject({ ruleIds: ['velocity-spike'], severity: 'high', subject: { kind: 'lao-period', key: `day-${surgeDay}` } });
    expect(last.evidence['velocity-spike']).toMatchObject({ date: surgeDay, dayCount: 30, baseline: 'same-weekday', baselineDays: 10, minBaselineDays: 8, zThreshold: 5 });
    expect(new Set(alerts.map((a) => a.alertId)).size).toBe(1);
    expect(last.reasons.en).toContain('same weekday');
  });

  it('when the day is busy in count but not in amount (many small payments), then it is quiet: both must be unusual', () => {
    expect(run(only('velocity-spike'), [...routine(), ...Array.from({ length: 30 }, () => pay(surgeDay, 700))])).toEqual([]);
  });

  it('when the busy day is payroll or allowances, then it is not counted and it is quiet', () => {
    expect(run(only('velocity-spike'), [...routine(), ...Array.from({ length: 40 }, () => pay(surgeDay, 50_000, { serviceType: '01' }))])).toEqual([]);
  });

  it('when the LAO has fewer than 8 earlier paying days, then there is no baseline and it is quiet', () => {
    const early = addDays(START, 7);
    expect(run(only('velocity-spike'), [...routine(1), ...Array.from({ length: 30 }, () => pay(early, 50_000))])).toEqual([]);
  });

  it('when fewer than 8 same weekdays had payments, then every paying day of the weeks before is the baseline', () => {
    const early = addDays(START, 49);
    const last = run(only('velocity-spike'), [...routine(7), ...Array.from({ length: 30 }, () => pay(early, 50_000))]).at(-1)!;
    expect(last.evidence['velocity-spike']).toMatchObject({ baseline: 'paying-days', baselineDays: 35 });
  });

  it('when the LAO pays in batches a few days a month, then an ordinary batch day is not a surge although most days are empty', () => {
    // Every other Wednesday a batch of 10–14 purchases, nothing in between: 12 weeks of rhythm, then one more batch.
    const batches = Array.from({ length: 7 }, (_, k) => addDays(START, 2 + 14 * k)).flatMap((date, k) => Array.from({ length: 10 + (k % 5) }, () => pay(date, 30_000)));
    const next = addDays(START, 2 + 14 * 7);
    expect(run(only('velocity-spike', { minBaselineDays: 5 }), [...batches, ...Array.from({ length: 13 }, () => pay(next, 30_000))])).toEqual([]);
  });

  it('when a normal day arrives, then it is quiet', () => {
    expect(run(only('velocity-spike'), [...routine(), ...Array.from({ length: 4 }, () => pay(surgeDay))])).toEqual([]);
  });

  it('when minBaselineDays is more than baselineWeeks, then the configuration is refused', () => {
    expect(() => only('velocity-spike', { baselineWeeks: 4, minBaselineDays: 8 })).toThrow();
  });
});
