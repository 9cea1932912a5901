/**
 * The transactional outbox: notification rows written in the same transaction as the alert, then
 * delivered by the dispatcher. The unique idempotency key (alert|recipient|channel) is what makes
 * "one e-mail per alert and recipient" hold across redeliveries, replays and racing consumers.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from '@paywatch/db';
import type { Recipient } from './routing.ts';

/** Delivery channels: e-mail always; signed webhook and LINE push for users who set them up. */
export const CHANNELS = ['email', 'webhook', 'line'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Lifecycle of a notification: pending until sent, or dead after the last failed attempt. */
export const NOTIFICATION_STATUSES = ['pending', 'sent', 'dead'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/**
 * `alertId|recipient|channel`: at most one notification per alert, recipient and channel, ever. A `purpose`
 * (e.g. `escalation`) makes a second, distinct message about the same alert possible — once per purpose.
 */
export const idempotencyKeyFor = (alertId: string, recipient: string, channel: Channel, purpose?: string): string =>
  `${alertId}|${recipient}|${channel}${purpose ? `|${purpose}` : ''}`;

/** Deterministic notification id from the idempotency key, so the Message-ID is the same on every resend. */
export const notificationIdFor = (idempotencyKey: string): string => 'nt_' + createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 24);

/** Inserts one pending e-mail per recipient; rows that already exist are left alone. Returns how many were new. */
export async function enqueueNotifications(
  tx: Queryable,
  input: { alertId: string; recipients: readonly Recipient[]; subject: string; body: string; now: Date; notBefore?: (r: Recipient) => Date },
): Promise<number> {
  let inserted = 0;
  for (const recipient of input.recipients) {
    inserted += await enqueueNotification(tx, { alertId: input.alertId, channel: 'email', address: recipient.email, subject: input.subject, body: input.body, now: input.now, ...(input.notBefore ? { notBefore: input.notBefore(recipient) } : {}) });
  }
  return inserted;
}

/**
 * Inserts one pending notification on any channel (`address`: e-mail address, webhook URL or LINE user id);
 * a row with the same (alert, address, channel) key is left alone. Returns 1 when inserted, 0 otherwise.
 */
export async function enqueueNotification(
  tx: Queryable,
  input: { alertId: string; channel: Channel; address: string; subject: string; body: string; now: Date; purpose?: string; notBefore?: Date },
): Promise<number> {
  const key = idempotencyKeyFor(input.alertId, input.address, input.channel, input.purpose);
  const r = await tx.query(
    `INSERT INTO notifications (id, alert_id, recipient, channel, idempotency_key, status, attempts, next_attempt_at, created_at, subject, body)
     VALUES ($1, $2, $3, $4, $5, 'pending', 0, $9, $6, $7, $8)
     ON CONFLICT (idempotency_key) DO NOTHING`,
    [notificationIdFor(key), input.alertId, input.address, input.channel, key, input.now, input.subject, input.body, input.notBefore ?? input.now],
  );
  return r.rowCount;
}

/** A notification the dispatcher has claimed and must now send. */
export interface ClaimedNotification {
  id: string;
  alertId: string;
  recipient: string;
  channel: Channel;
  subject: string;
  body: string;
  /** Including this attempt. */
  attempts: number;
}

/**
 * Claims up to `limit` due notifications: one statement that pushes their `next_attempt_at` forward by
 * `leaseMs` and counts the attempt, so no other dispatcher takes them while this one sends, and a
 * dispatcher that dies mid-send leaves them to be retried once the lease runs out. SKIP LOCKED lets
 * replicas on PostgreSQL claim disjoint rows; on PGlite (one connection) it is simply never contended.
 * The attempt is counted at claim time so a crash loop still reaches `maxAttempts`.
 */
export async function claimDueNotifications(db: Queryable, options: { now: Date; limit: number; leaseMs: number }): Promise<ClaimedNotification[]> {
  const r = await db.query<{ id: string; alert_id: string; recipient: string; channel: Channel; subject: string; body: string; attempts: number }>(
    `UPDATE notifications SET next_attempt_at = $2, attempts = attempts + 1
     WHERE id IN (
       SELECT id FROM notifications
       WHERE status = 'pending' AND next_attempt_at <= $1
       ORDER BY next_attempt_at, id
       LIMIT $3
       FOR UPDATE SKIP LOCKED)
     RETURNING id, alert_id, recipient, channel, subject, body, attempts`,
    [options.now, new Date(options.now.getTime() + options.leaseMs), options.limit],
  );
  return r.rows
    .map((row) => ({ id: row.id, alertId: row.alert_id, recipient: row.recipient, channel: row.channel, subject: row.subject, body: row.body, attempts: row.attempts }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Records a delivery the provider accepted. Only a pending row moves: a late duplicate cannot rewrite history. */
export async function markSent(db: Queryable, id: string, providerMessageId: string, now: Date): Promise<void> {
  await db.query(
    `UPDATE notifications SET status = 'sent', sent_at = $2, provider_message_id = $3, last_error = NULL WHERE id = $1 AND status = 'pending'`,
    [id, now, providerMessageId],
  );
}

/** Records a failed attempt: retry at `retryAt`, or `dead` when the attempts are used up. */
export async function markFailed(db: Queryable, id: string, options: { error: string; retryAt: Date | null }): Promise<void> {
  await db.query(
    `UPDATE notifications SET last_error = $2,
       status = CASE WHEN $3::timestamptz IS NULL THEN 'dead' ELSE 'pending' END,
       next_attempt_at = COALESCE($3::timestamptz, next_attempt_at)
     WHERE id = $1 AND status = 'pending'`,
    [id, options.error.slice(0, 1000), options.retryAt],
  );
}

/** Pending notifications (due or waiting for a retry), for the outbox gauge. */
export async function countPending(db: Queryable): Promise<number> {
  const r = await db.query<{ n: number | string }>(`SELECT count(*)::int AS n FROM notifications WHERE status = 'pending'`);
  return Number(r.rows[0]?.n ?? 0);
}

/** Pending notifications per channel (every channel present, 0 when none). */
export async function countPendingByChannel(db: Queryable): Promise<Record<Channel, number>> {
  const r = await db.query<{ channel: Channel; n: number | string }>(`SELECT channel, count(*)::int AS n FROM notifications WHERE status = 'pending' GROUP BY channel`);
  const counts = Object.fromEntries(CHANNELS.map((c) => [c, 0])) as Record<Channel, number>;
  for (const row of r.rows) counts[row.channel] = Number(row.n);
  return counts;
}

/** One notification as the API shows it. Payment-free: ids, channel, delivery state. */
export interface NotificationView {
  id: string;
  alertId: string;
  recipient: string;
  channel: Channel;
  status: NotificationStatus;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  sentAt: string | null;
  createdAt: string;
  providerMessageId: string | null;
  subject: string;
}

interface NotificationRow {
  id: string; alert_id: string; recipient: string; channel: Channel; status: NotificationStatus; attempts: number; last_error: string | null;
  next_attempt_at: Date | string; sent_at: Date | string | null; created_at: Date | string; provider_message_id: string | null; subject: string;
}

const NOTIFICATION_COLUMNS = 'n.id, n.alert_id, n.recipient, n.channel, n.status, n.attempts, n.last_error, n.next_attempt_at, n.sent_at, n.created_at, n.provider_message_id, n.subject';

function toView(r: NotificationRow): NotificationView {
  return {
    id: r.id, alertId: r.alert_id, recipient: r.recipient, channel: r.channel, status: r.status, attempts: r.attempts, lastError: r.last_error,
    nextAttemptAt: r.status === 'pending' ? new Date(r.next_attempt_at).toISOString() : null,
    sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null, createdAt: new Date(r.created_at).toISOString(),
    providerMessageId: r.provider_message_id, subject: r.subject,
  };
}

/** The notifications of one alert, oldest first. */
export async function notificationsOfAlert(db: Queryable, alertId: string): Promise<NotificationView[]> {
  const r = await db.query<NotificationRow>(`SELECT ${NOTIFICATION_COLUMNS} FROM notifications n WHERE n.alert_id = $1 ORDER BY n.created_at, n.id`, [alertId]);
  return r.rows.map(toView);
}

/** Recent notifications, newest first, optionally by status and within the scope of their alerts (provinces null = all). */
export async function listNotifications(
  db: Queryable,
  options: { status?: NotificationStatus | undefined; provinces: string[] | null; district?: string | undefined; limit: number },
): Promise<NotificationView[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (options.status) { params.push(options.status); where.push(`n.status = $${params.length}`); }
  if (options.provinces !== null) { params.push(options.provinces); where.push(`a.province_code = ANY($${params.length}::text[])`); }
  if (options.district !== undefined) { params.push(options.district); where.push(`a.district = $${params.length}`); }
  params.push(options.limit);
  const r = await db.query<NotificationRow>(
    `SELECT ${NOTIFICATION_COLUMNS} FROM notifications n JOIN alerts a ON a.alert_id = n.alert_id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY n.created_at DESC, n.id DESC LIMIT $${params.length}`,
    params,
  );
  return r.rows.map(toView);
}

/** Notifications per status, for ops. */
export async function countNotificationsByStatus(db: Queryable): Promise<Record<NotificationStatus, number>> {
  const r = await db.query<{ status: NotificationStatus; n: number | string }>('SELECT status, count(*)::int AS n FROM notifications GROUP BY status');
  const counts: Record<NotificationStatus, number> = { pending: 0, sent: 0, dead: 0 };
  for (const row of r.rows) counts[row.status] = Number(row.n);
  return counts;
}
