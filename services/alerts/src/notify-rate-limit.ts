/**
 * Per-recipient rate limit on immediate notifications (storm control, ADR 0019): in each fixed window (aligned to the
 * epoch, so every replica agrees on it) a recipient gets at most `perWindow` immediate alert e-mails; critical alerts
 * still go out at once up to `criticalPerWindow` (a hard cap counting every immediate one). What exceeds it waits in
 * the window digest (digest.ts), sent when the window ends. The counter is one row per (recipient, window), bumped
 * atomically in the transaction that queues the notification, so replicas share it and a rolled-back batch counts
 * nothing.
 */
import type { Queryable } from '@paywatch/db';
import type { Severity } from '@paywatch/domain';

/** The limits. Every field has a production default (`DEFAULT_NOTIFY_RATE_LIMIT`). */
export interface NotifyRateLimit {
  /** Length of a window. */
  windowMs: number;
  /** Immediate notifications per recipient and window (non-critical stop here). */
  perWindow: number;
  /** Hard cap for critical alerts, counting every immediate notification of the window. */
  criticalPerWindow: number;
}

/** 20 immediate e-mails an hour per recipient, critical ones up to 50. */
export const DEFAULT_NOTIFY_RATE_LIMIT: NotifyRateLimit = { windowMs: 3_600_000, perWindow: 20, criticalPerWindow: 50 };

/** The window an instant falls in: [start, end). */
export function rateWindowOf(now: Date, windowMs: number): { start: Date; end: Date } {
  const start = Math.floor(now.getTime() / windowMs) * windowMs;
  return { start: new Date(start), end: new Date(start + windowMs) };
}

/**
 * Takes one immediate slot for the recipient in the current window when the limit allows it (true), or leaves the
 * counter as it is (false: the notification goes to the window digest). Locks the counter row until the caller's
 * transaction ends, so two consumers cannot both take the last slot.
 */
export async function takeImmediateSlot(tx: Queryable, recipient: string, severity: Severity, now: Date, limit: NotifyRateLimit): Promise<boolean> {
  const cap = severity === 'critical' ? Math.max(limit.criticalPerWindow, limit.perWindow) : limit.perWindow;
  if (cap <= 0) return false;
  const { start } = rateWindowOf(now, limit.windowMs);
  const r = await tx.query<{ sent: number }>(
    `INSERT INTO notify_rate (recipient, window_start, sent) VALUES ($1, $2, 1)
     ON CONFLICT (recipient, window_start) DO UPDATE SET sent = notify_rate.sent + 1 WHERE notify_rate.sent < $3
     RETURNING sent`,
    [recipient, start, cap],
  );
  return r.rows.length > 0;
}

/** Drops counters of windows that ended more than a day ago (they decide nothing any more). */
export async function pruneRateCounters(db: Queryable, now: Date): Promise<void> {
  await db.query('DELETE FROM notify_rate WHERE window_start < $1', [new Date(now.getTime() - 86_400_000)]);
}
