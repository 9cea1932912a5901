/**
 * Case work on an alert: lifecycle transitions, assignment and comments. Each change locks the alert row
 * (within the caller's scope), writes the change and its audit entry in one transaction.
 */
import type { Db, Queryable } from '@paywatch/db';
import { COMMON_ERRORS } from '@paywatch/http-kit';
import { appendAudit } from './audit-log.ts';
import { getAlert, type AlertDetail, type AlertScope } from './alert-store.ts';
import { ALERTS_ERRORS } from './errors.ts';
import { enqueueFeedback } from './feedback.ts';

/** Where an alert is in the workflow. An alert is a reason to look: `resolved` records what the look found. */
export const ALERT_STATUSES = ['new', 'acknowledged', 'investigating', 'resolved'] as const;
export type AlertStatusValue = (typeof ALERT_STATUSES)[number];

/** How a resolved alert ended: the payment was irregular, the rule misfired, it has an explanation, or it went to another body. */
export const DISPOSITIONS = ['confirmed', 'false-positive', 'explained', 'referred'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

/** The only moves allowed: one step forward at a time; `resolved` is final. */
export const TRANSITIONS: Readonly<Record<AlertStatusValue, readonly AlertStatusValue[]>> = {
  new: ['acknowledged'],
  acknowledged: ['investigating'],
  investigating: ['resolved'],
  resolved: [],
};

/** Who did it: the token's subject and role (the role is kept in the audit payload). */
export interface Actor { sub: string; role: string }

/** The alert, locked for this transaction, or the 404 of a missing id when it is out of scope. */
export async function lockInScope(tx: Queryable, alertId: string, scope: AlertScope): Promise<AlertDetail> {
  const alert = await getAlert(tx, alertId, scope, { forUpdate: true });
  // Same answer as a missing id: the caller may not learn that another province has this alert.
  if (!alert) throw COMMON_ERRORS.notFound('alert');
  return alert;
}

/** Moves an alert one step; resolving records the disposition and reason and queues the feedback event. */
export async function transitionAlert(
  db: Db,
  input: { alertId: string; scope: AlertScope; actor: Actor; to: AlertStatusValue; disposition?: Disposition | undefined; reason?: string | undefined; now: Date },
): Promise<AlertDetail> {
  return db.transaction(async (tx) => {
    const alert = await lockInScope(tx, input.alertId, input.scope);
    const from = alert.status as AlertStatusValue;
    if (!(TRANSITIONS[from] ?? []).includes(input.to)) throw ALERTS_ERRORS.illegalTransition(from, input.to);
    const reason = input.reason?.trim();
    if (input.to === 'resolved') {
      if (!input.disposition || !reason) throw ALERTS_ERRORS.resolutionIncomplete();
      await tx.query(
        `UPDATE alerts SET status = 'resolved', disposition = $2, resolution_reason = $3, resolved_at = $4 WHERE alert_id = $1`,
        [alert.alertId, input.disposition, reason, input.now],
      );
      await enqueueFeedback(tx, {
        alertId: alert.alertId, laoCode: alert.laoCode, ruleIds: alert.ruleIds, disposition: input.disposition,
        resolvedAt: input.now.toISOString(), provinceCode: alert.provinceCode,
      }, input.now);
    } else {
      await tx.query('UPDATE alerts SET status = $2 WHERE alert_id = $1', [alert.alertId, input.to]);
    }
    await appendAudit(tx, {
      at: input.now, actor: input.actor.sub, action: 'transition', alertId: alert.alertId,
      payload: { role: input.actor.role, from, to: input.to, ...(input.to === 'resolved' ? { disposition: input.disposition, reason } : reason ? { reason } : {}) },
    });
    return (await getAlert(tx, alert.alertId, { provinces: null }))!;
  });
}

/** Sets (or clears, with null) the person holding the case. `eligible` says whether a sub may hold this alert. */
export async function assignAlert(
  db: Db,
  input: { alertId: string; scope: AlertScope; actor: Actor; assignee: string | null; eligible: (sub: string, alert: AlertDetail) => boolean; now: Date },
): Promise<AlertDetail> {
  return db.transaction(async (tx) => {
    const alert = await lockInScope(tx, input.alertId, input.scope);
    if (input.assignee !== null && !input.eligible(input.assignee, alert)) throw ALERTS_ERRORS.assigneeInvalid();
    await tx.query('UPDATE alerts SET assignee = $2 WHERE alert_id = $1', [alert.alertId, input.assignee]);
    await appendAudit(tx, {
      at: input.now, actor: input.actor.sub, action: 'assign', alertId: alert.alertId,
      payload: { role: input.actor.role, from: alert.assignee, to: input.assignee },
    });
    return (await getAlert(tx, alert.alertId, { provinces: null }))!;
  });
}

/** One comment on a case; `references` are document numbers (vouchers, letters), not uploads. */
export interface AlertComment { id: number; alertId: string; author: string; text: string; references: string[]; createdAt: string }

interface CommentRow { id: string | number; alert_id: string; author: string; text: string; doc_refs: string[]; created_at: Date | string }
const toComment = (r: CommentRow): AlertComment => ({
  id: Number(r.id), alertId: r.alert_id, author: r.author, text: r.text, references: r.doc_refs, createdAt: new Date(r.created_at).toISOString(),
});

/** Adds a comment and its audit entry. */
export async function addComment(
  db: Db,
  input: { alertId: string; scope: AlertScope; actor: Actor; text: string; references: string[]; now: Date },
): Promise<AlertComment> {
  return db.transaction(async (tx) => {
    const alert = await lockInScope(tx, input.alertId, input.scope);
    const r = await tx.query<CommentRow>(
      `INSERT INTO alert_comments (alert_id, author, text, doc_refs, created_at) VALUES ($1, $2, $3, $4::text[], $5)
       RETURNING id, alert_id, author, text, doc_refs, created_at`,
      [alert.alertId, input.actor.sub, input.text, input.references, input.now],
    );
    const comment = toComment(r.rows[0]!);
    await appendAudit(tx, {
      at: input.now, actor: input.actor.sub, action: 'comment', alertId: alert.alertId,
      payload: { role: input.actor.role, commentId: comment.id, text: comment.text, references: comment.references },
    });
    return comment;
  });
}

/** The comments of one alert, oldest first. */
export async function commentsOf(db: Queryable, alertId: string): Promise<AlertComment[]> {
  const r = await db.query<CommentRow>('SELECT id, alert_id, author, text, doc_refs, created_at FROM alert_comments WHERE alert_id = $1 ORDER BY id', [alertId]);
  return r.rows.map(toComment);
}
