/**
 * Per-recipient notification preferences: alerts at or above `immediateFrom` are sent at once (default: high and
 * critical); the rest wait for the recipient's daily digest. Quiet hours (Bangkok wall clock) hold non-critical
 * immediate notifications until they end; critical ones are never held.
 */
import { SEVERITY_RANK, bangkokWallClockToUtc, toBangkok, type Severity } from '@paywatch/domain';

export interface NotificationPreferences {
  /** Lowest severity sent immediately. Default `high`. */
  immediateFrom?: Severity;
  /** Hours [start, end) in Asia/Bangkok during which non-critical notifications wait; may wrap midnight (22 → 7). */
  quietHours?: { startHour: number; endHour: number };
}

/** True when an alert of this severity goes out at once rather than in the digest. */
export function isImmediate(severity: Severity, prefs: NotificationPreferences | undefined): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[prefs?.immediateFrom ?? 'high'];
}

/** When a notification may first be attempted: `now`, or the end of the recipient's quiet hours (never for critical). */
export function notBefore(now: Date, severity: Severity, prefs: NotificationPreferences | undefined): Date {
  const q = prefs?.quietHours;
  if (!q || severity === 'critical' || q.startHour === q.endHour) return now;
  const { date, hour } = toBangkok(now);
  const inQuiet = q.startHour < q.endHour ? hour >= q.startHour && hour < q.endHour : hour >= q.startHour || hour < q.endHour;
  if (!inQuiet) return now;
  const end = new Date(bangkokWallClockToUtc(date, q.endHour, 0));
  // Quiet hours that wrap midnight end tomorrow when we are before midnight.
  return end.getTime() > now.getTime() ? end : new Date(end.getTime() + 24 * 3600_000);
}

/** The Bangkok calendar date of an instant (digests are per Bangkok day). */
export const bangkokDay = (at: Date): string => toBangkok(at).date;
