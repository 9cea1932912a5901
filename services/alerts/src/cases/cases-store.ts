/**
 * Cases as the API reads and changes them (ADR 0016). Every change and its audit entries commit in one transaction.
 * Lock order, as the consumer's: the case's alert rows, then the case row, then the audit head — no deadlock.
 */
import type { Db, Queryable } from '@paywatch/db';
import { COMMON_ERRORS } from '@paywatch/http-kit';
import type { Severity } from '@paywatch/domain';
import { appendAudit } from '../audit-log.ts';
import { getAlert, scopeWhere, type AlertDetail, type AlertScope } from '../alert-store.ts';
import type { Actor, Disposition } from '../case-store.ts';
import { enqueueFeedback } from '../feedback.ts';
import { ALERTS_ERRORS } from '../errors.ts';
import { CASE_ERRORS } from './case-errors.ts';

/** One case as the API shows it (amounts in integer satang, instants UTC). */
export interface CaseSummary {
  caseId: string;
  groupKind: 'payee' | 'batch' | 'alert';
  /** What the alerts have in common, accounts masked. */
  groupLabel: string;
  laoCode: string;
  provinceCode: string;
  district: string | null;
  status: 'open' | 'closed';
  severity: Severity;
  totalSatang: number;
  alertCount: number;
  assignee: string | null;
  openedAt: string;
  dueAt: string;
  lastAlertAt: string;
  disposition: Disposition | null;
  resolutionReason: string | null;
  closedAt: string | null;
  closedBy: string | null;
}

interface CaseRow {
  case_id: string; group_kind: CaseSummary['groupKind']; group_label: string; lao_code: string; province_code: string; district: string | null;
  status: CaseSummary['status']; severity: Severity; total_satang: string | number; alert_count: number; assignee: string | null;
  opened_at: Date | string; due_at: Date | string; last_alert_at: Date | string; disposition: Disposition | null; resolution_reason: string | null;
  closed_at: Date | string | null; closed_by: string | null;
}

/** The columns toCase reads (plus the keyset texts the inbox pages by). */
export const CASE_COLUMNS = `case_id, group_kind, group_label, lao_code, province_code, district, status, severity, severity_rank, total_satang, alert_count,
  assignee, opened_at, due_at, last_alert_at, disposition, resolution_reason, closed_at, closed_by`;

const iso = (v: Date | string): string => new Date(v).toISOString();

/** A row of `cases` as the API shows it. */
export function toCase(r: CaseRow): CaseSummary {
  return {
    caseId: r.case_id, groupKind: r.group_kind, groupLabel: r.group_label, laoCode: r.lao_code, provinceCode: r.province_code, district: r.district,
    status: r.status, severity: r.severity, totalSatang: Number(r.total_satang), alertCount: r.alert_count, assignee: r.assignee,
    openedAt: iso(r.opened_at), dueAt: iso(r.due_at), lastAlertAt: iso(r.last_alert_at), disposition: r.disposition, resolutionReason: r.resolution_reason,
    closedAt: r.closed_at ? iso(r.closed_at) : null, closedBy: r.closed_by,
  };
}

/** One case, or null when missing OR out of scope (the same answer: whether another province has a case is information). */
export async function getCase(db: Queryable, caseId: string, scope: AlertScope, options: { forUpdate?: boolean } = {}): Promise<CaseSummary | null> {
  const params: unknown[] = [caseId];
  const where = ['case_id = $1', ...scopeWhere(scope, params)];
  const r = await db.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases WHERE ${where.join(' AND ')}${options.forUpdate ? ' FOR UPDATE' : ''}`, params);
  return r.rows[0] ? toCase(r.rows[0]) : null;
}

/** Alert ids of a case, in the order they joined. */
export async function caseAlertIds(db: Queryable, caseId: string): Promise<string[]> {
  return (await db.query<{ alert_id: string }>('SELECT alert_id FROM case_alerts WHERE case_id = $1 ORDER BY added_at, alert_id', [caseId])).rows.map((r) => r.alert_id);
}

/** The alerts of a case with their payloads (the case's scope was checked by the caller). */
export async function caseAlerts(db: Queryable, caseId: string): Promise<AlertDetail[]> {
  const out: AlertDetail[] = [];
  for (const id of await caseAlertIds(db, caseId)) {
    const a = await getAlert(db, id, { provinces: null });
    if (a) out.push(a);
  }
  return out;
}

/** Locks the case's alerts, then the case (in scope, else the 404 of a missing id). */
async function lockCase(tx: Queryable, caseId: string, scope: AlertScope): Promise<{ c: CaseSummary; alerts: Array<{ alert_id: string; status: string; assignee: string | null; lao_code: string; rule_ids: string[]; province_code: string }> }> {
  const alerts = (await tx.query<{ alert_id: string; status: string; assignee: string | null; lao_code: string; rule_ids: string[]; province_code: string }>(
    `SELECT alert_id, status, assignee, lao_code, rule_ids, province_code FROM alerts WHERE alert_id IN (SELECT alert_id FROM case_alerts WHERE case_id = $1) ORDER BY alert_id FOR UPDATE`, [caseId])).rows;
  const c = await getCase(tx, caseId, scope, { forUpdate: true });
  if (!c) throw COMMON_ERRORS.notFound('case');
  return { c, alerts };
}

/** Gives the case (and every alert of it not yet resolved) to an auditor, or takes it back with null. */
export async function assignCase(
  db: Db,
  input: { caseId: string; scope: AlertScope; actor: Actor; assignee: string | null; eligible: (sub: string, c: CaseSummary) => boolean; now: Date },
): Promise<CaseSummary> {
  return db.transaction(async (tx) => {
    const { c, alerts } = await lockCase(tx, input.caseId, input.scope);
    if (input.assignee !== null && !input.eligible(input.assignee, c)) throw ALERTS_ERRORS.assigneeInvalid();
    await tx.query('UPDATE cases SET assignee = $2 WHERE case_id = $1', [c.caseId, input.assignee]);
    const moved = alerts.filter((a) => a.status !== 'resolved' && a.assignee !== input.assignee);
    if (moved.length) await tx.query('UPDATE alerts SET assignee = $2 WHERE alert_id = ANY($1::text[])', [moved.map((a) => a.alert_id), input.assignee]);
    for (const a of moved) {
      await appendAudit(tx, { at: input.now, actor: input.actor.sub, action: 'assign', alertId: a.alert_id, payload: { role: input.actor.role, from: a.assignee, to: input.assignee, caseId: c.caseId } });
    }
    await appendAudit(tx, { at: input.now, actor: input.actor.sub, action: 'case-assign', alertId: null, payload: { role: input.actor.role, caseId: c.caseId, from: c.assignee, to: input.assignee, alerts: moved.length } });
    return (await getCase(tx, c.caseId, { provinces: null }))!;
  });
}

/** One comment on a case. */
export interface CaseComment { id: number; caseId: string; author: string; text: string; createdAt: string }

/** Adds a comment to the case and its audit entry. */
export async function commentOnCase(db: Db, input: { caseId: string; scope: AlertScope; actor: Actor; text: string; now: Date }): Promise<CaseComment> {
  return db.transaction(async (tx) => {
    const c = await getCase(tx, input.caseId, input.scope, { forUpdate: true });
    if (!c) throw COMMON_ERRORS.notFound('case');
    const r = (await tx.query<{ id: string | number }>('INSERT INTO case_comments (case_id, author, text, created_at) VALUES ($1, $2, $3, $4) RETURNING id',
      [c.caseId, input.actor.sub, input.text, input.now])).rows[0]!;
    await appendAudit(tx, { at: input.now, actor: input.actor.sub, action: 'case-comment', alertId: null, payload: { role: input.actor.role, caseId: c.caseId, commentId: Number(r.id), text: input.text } });
    return { id: Number(r.id), caseId: c.caseId, author: input.actor.sub, text: input.text, createdAt: input.now.toISOString() };
  });
}

/** The comments of a case, oldest first. */
export async function caseComments(db: Queryable, caseId: string): Promise<CaseComment[]> {
  const r = await db.query<{ id: string | number; case_id: string; author: string; text: string; created_at: Date | string }>(
    'SELECT id, case_id, author, text, created_at FROM case_comments WHERE case_id = $1 ORDER BY id', [caseId]);
  return r.rows.map((x) => ({ id: Number(x.id), caseId: x.case_id, author: x.author, text: x.text, createdAt: iso(x.created_at) }));
}

/**
 * Closes the case with a disposition: every open alert of it is resolved with that disposition and reason (each with
 * its feedback event and audit entry), the case is closed — all or nothing, one transaction.
 */
export async function closeCase(
  db: Db,
  input: { caseId: string; scope: AlertScope; actor: Actor; disposition: Disposition; reason: string; now: Date },
): Promise<{ case: CaseSummary; resolvedAlertIds: string[] }> {
  return db.transaction(async (tx) => {
    const { c, alerts } = await lockCase(tx, input.caseId, input.scope);
    if (c.status === 'closed') throw CASE_ERRORS.caseClosed();
    const reason = input.reason.trim();
    const open = alerts.filter((a) => a.status !== 'resolved');
    for (const a of open) {
      await tx.query(`UPDATE alerts SET status = 'resolved', disposition = $2, resolution_reason = $3, resolved_at = $4 WHERE alert_id = $1`, [a.alert_id, input.disposition, reason, input.now]);
      await enqueueFeedback(tx, { alertId: a.alert_id, laoCode: a.lao_code, ruleIds: a.rule_ids, disposition: input.disposition, resolvedAt: input.now.toISOString(), provinceCode: a.province_code }, input.now);
    }
    await tx.query(`UPDATE cases SET status = 'closed', disposition = $2, resolution_reason = $3, closed_at = $4, closed_by = $5 WHERE case_id = $1`,
      [c.caseId, input.disposition, reason, input.now, input.actor.sub]);
    for (const a of open) {
      await appendAudit(tx, { at: input.now, actor: input.actor.sub, action: 'transition', alertId: a.alert_id, payload: { role: input.actor.role, from: a.status, to: 'resolved', disposition: input.disposition, reason, caseId: c.caseId } });
    }
    await appendAudit(tx, { at: input.now, actor: input.actor.sub, action: 'case-close', alertId: null, payload: { role: input.actor.role, caseId: c.caseId, disposition: input.disposition, reason, resolvedAlertIds: open.map((a) => a.alert_id) } });
    return { case: (await getCase(tx, c.caseId, { provinces: null }))!, resolvedAlertIds: open.map((a) => a.alert_id) };
  });
}
