import type { Severity } from './alert.ts';

/** Days an auditor has to act on an alert or case of each severity, counted from when it was raised (department policy default). */
export const FOLLOW_UP_DAYS: Readonly<Record<Severity, number>> = { critical: 3, high: 7, medium: 14, low: 30 };

/** When an alert or case raised at `raisedAt` of this severity is due (UTC instant). */
export function followUpDueAt(raisedAt: Date, severity: Severity): Date {
  return new Date(raisedAt.getTime() + FOLLOW_UP_DAYS[severity] * 86_400_000);
}
