// The centre report's seed, shared with the console's tests: alerts across three provinces (66, 60, 19), some
// resolved through the audited workflow at known times, so every figure of the report can be worked out by hand.
import { expect } from 'vitest';
import { alertIdFor, type Alert, type Finding, type Severity } from '@paywatch/domain';
import { batchOf, makeAlert, manualClock, recordingContext, serviceOnPg, type PgService } from './helpers.ts';

const DAY = 86_400_000;
/** An alert like the detector's: one finding per rule, each naming its payments in `paymentDetails` with amounts. */
function alertOf(laoCode: string, key: string, severity: Severity, ruleIds: string[], payments: Array<[string, number]>): Alert {
  const subject = { kind: 'payee' as const, key };
  const refs = payments.map(([recordId], i) => ({ recordId, batchId: `b_${key}`, file: `${key}.txt`, row: i + 1 }));
  const findings: Finding[] = ruleIds.map((ruleId) => ({
    ruleId, ruleVersion: '1.0.0', severity, laoCode, subject, reasons: { th: 'ทดสอบ', en: 'test' },
    evidence: { paymentDetails: payments.map(([recordId, amountSatang], i) => ({ recordId, batchId: `b_${key}`, file: `${key}.txt`, row: i + 1, effectiveDate: '2026-10-01', amountSatang, payeeAccountMasked: '******4321' })) },
    payments: refs,
  }));
  const base = makeAlert({ laoCode, key });
  return { ...base, alertId: alertIdFor(laoCode, subject), severity, ruleIds, subject, findings, payments: refs, amountSatang: payments.reduce((s, [, a]) => s + a, 0) };
}

// Open alerts (province 66: 6600101, 6600102; 60: 6000101, 6000102; 19: 1900101).
export const A1 = alertOf('6600101', 'a1', 'critical', ['duplicate-payment'], [['p1', 100_000_000], ['p2', 50_000]]);
export const A2 = alertOf('6600101', 'a2', 'high', ['split-payment'], [['p2', 50_000], ['p3', 20_000]]); // p2 again: counted once
const A3 = alertOf('6600102', 'a3', 'medium', ['off-hours'], [['p4', 70_000]]);
export const A4 = alertOf('6000101', 'a4', 'critical', ['duplicate-payment'], [['p5', 5_000_000]]);
const A12 = alertOf('6000102', 'a12', 'high', ['new-payee-large'], [['p7', 5_000_000]]);
const A5 = alertOf('1900101', 'a5', 'low', ['near-threshold'], [['p6', 4_700_000]]);
// 3,000 baht in September against 2.5 million in November: the monthly baht spans orders of magnitude.
const A10 = alertOf('1900101', 'a10', 'high', ['split-payment'], [['p10', 300_000]]);
const A11 = alertOf('1900101', 'a11', 'medium', ['amount-outlier'], [['p11', 5_000_000]]);
// Resolved through the workflow (A6 names two rules: it counts for both).
const A6 = alertOf('6600101', 'a6', 'critical', ['duplicate-payment', 'no-voucher'], [['p8', 99_999_900]]);
const A7 = alertOf('1900101', 'a7', 'high', ['duplicate-payment'], [['p9', 1_000_000]]);
const A8 = alertOf('6000101', 'a8', 'high', ['duplicate-payment'], [['p12', 1_000_000]]);
const A9 = alertOf('6600102', 'a9', 'medium', ['off-hours'], [['p13', 1_000_000]]);

/** When the open alerts of November were raised; the report is asked for ten days later. */
export const T0 = Date.parse('2026-11-01T03:00:00.000Z');

/**
 * The alerts service on a fresh PostgreSQL schema with a hand-moved clock, holding the seed: A10 raised 22 Sep, A11 on
 * 1 Oct (Bangkok), the rest at T0, then acknowledged and resolved through the API; the clock ends at T0 + 10 days.
 */
export async function seededCentre(options: Parameters<typeof serviceOnPg>[0] = {}): Promise<{ s: PgService; clock: ReturnType<typeof manualClock> }> {
  const clock = manualClock('2026-09-22T03:00:00.000Z');
  const s = await serviceOnPg({ clock: clock.now, ...options });
  let offset = 0;
  const at = (ms: number) => { clock.advance(ms - clock.now().getTime()); };
  const raise = async (...alerts: Alert[]) => { await s.service.consumer.handleBatch(batchOf(alerts, offset), recordingContext()); offset += alerts.length; };
  const auditorOf = (a: Alert) => ({ sub: `auditor-${a.laoCode.slice(0, 2)}`, role: 'provincial-auditor' as const, provinces: [a.laoCode.slice(0, 2)] });
  const move = async (a: Alert, to: string, extra: Record<string, unknown> = {}) => {
    const r = await s.service.app.inject({ method: 'POST', url: `/v1/alerts/${a.alertId}/transitions`, headers: { authorization: `Bearer ${s.token(auditorOf(a))}` }, payload: { to, ...extra } });
    expect(r.statusCode, r.body).toBe(200);
  };
  const resolve = async (a: Alert, disposition: string) => { await move(a, 'investigating'); await move(a, 'resolved', { disposition, reason: 'ตรวจแล้ว' }); };
  await raise(A10); // 22 Sep: high, due 29 Sep
  at(Date.parse('2026-09-30T18:00:00.000Z')); // 1 Oct 01:00 in Bangkok: an October alert
  await raise(A11);
  at(T0);
  await raise(A1, A2, A3, A4, A12, A5, A6, A7, A8, A9);
  at(T0 + 0.5 * DAY); await move(A8, 'acknowledged'); await move(A4, 'acknowledged'); // A4 stays open
  at(T0 + 1 * DAY); await move(A6, 'acknowledged');
  at(T0 + 2 * DAY); await resolve(A6, 'confirmed'); await move(A9, 'acknowledged');
  at(T0 + 3 * DAY); await move(A7, 'acknowledged');
  at(T0 + 4 * DAY); await resolve(A9, 'referred');
  at(T0 + 5 * DAY); await resolve(A7, 'false-positive');
  at(T0 + 10 * DAY); await resolve(A8, 'explained');
  return { s, clock };
}
