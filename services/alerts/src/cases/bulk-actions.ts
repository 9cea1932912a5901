/**
 * Acting on many at once from the inbox: acknowledge or assign selected alerts and cases (a case stands for its
 * alerts). One transaction; items out of scope count as not found, exactly like missing ids, and change nothing.
 */
import type { Db, Queryable } from '@paywatch/db';
import { appendAudit } from '../audit-log.ts';
import { scopeWhere, type AlertScope } from '../alert-store.ts';
import type { Actor } from '../case-store.ts';
import { ALERTS_ERRORS } from '../errors.ts';
import { CASE_ERRORS } from './case-errors.ts';

/** Most items one bulk action takes (an inbox page is at most 200 rows). */
export const MAX_BULK_ITEMS = 500;

interface Target { alert_id: string; status: string; assignee: string | null; province_code: string; district: string | null; case_id: string | null }

/** The selected alerts (and the alerts of the selected cases) in scope, locked; plus the ids nothing in scope answers to. */
async function lockTargets(tx: Queryable, scope: AlertScope, alertIds: readonly string[], caseIds: readonly string[]): Promise<{ targets: Target[]; cases: Array<{ case_id: string; assignee: string | null; province_code: string; district: string | null }>; notFound: string[] }> {
  if (alertIds.length + caseIds.length === 0) throw CASE_ERRORS.bulkEmpty();
  const params: unknown[] = [alertIds, caseIds];
  const scoped = scopeWhere(scope, params);
  const inScope = scoped.length ? ` AND ${scoped.join(' AND ')}` : '';
  const targets = (await tx.query<Target>(
    `SELECT a.alert_id, a.status, a.assignee, a.province_code, a.district, ca.case_id FROM alerts a LEFT JOIN case_alerts ca ON ca.alert_id = a.alert_id
     WHERE (a.alert_id = ANY($1::text[]) OR ca.case_id = ANY($2::text[]))${inScope}
     ORDER BY a.alert_id FOR UPDATE OF a`, params)).rows;
  const caseParams: unknown[] = [caseIds];
  const caseScoped = scopeWhere(scope, caseParams);
  const cases = (await tx.query<{ case_id: string; assignee: string | null; province_code: string; district: string | null }>(
    `SELECT case_id, assignee, province_code, district FROM cases WHERE case_id = ANY($1::text[])${caseScoped.length ? ` AND ${caseScoped.join(' AND ')}` : ''} ORDER BY case_id FOR UPDATE`, caseParams)).rows;
  const found = new Set([...targets.map((t) => t.alert_id), ...cases.map((c) => c.case_id)]);
  return { targets, cases, notFound: [...alertIds, ...caseIds].filter((id) => !found.has(id)) };
}

/** Acknowledges every selected alert that is still new; the others are left as they are and counted. */
export async function bulkAcknowledge(db: Db, input: { scope: AlertScope; actor: Actor; alertIds: string[]; caseIds: string[]; now: Date }): Promise<{ acknowledged: string[]; unchanged: string[]; notFound: string[] }> {
  return db.transaction(async (tx) => {
    const { targets, notFound } = await lockTargets(tx, input.scope, input.alertIds, input.caseIds);
    const fresh = targets.filter((t) => t.status === 'new');
    if (fresh.length) await tx.query(`UPDATE alerts SET status = 'acknowledged' WHERE alert_id = ANY($1::text[])`, [fresh.map((t) => t.alert_id)]);
    for (const t of fresh) {
      await appendAudit(tx, { at: input.now, actor: input.actor.sub, action: 'transition', alertId: t.alert_id, payload: { role: input.actor.role, from: 'new', to: 'acknowledged', bulk: true, ...(t.case_id ? { caseId: t.case_id } : {}) } });
    }
    return { acknowledged: fresh.map((t) => t.alert_id), unchanged: targets.filter((t) => t.status !== 'new').map((t) => t.alert_id), notFound };
  });
}

/** Gives every selected case and alert (not yet resolved) to one auditor; refused whole when they may not hold one of them. */
export async function bulkAssign(
  db: Db,
  input: { scope: AlertScope; actor: Actor; alertIds: string[]; caseIds: string[]; assignee: string | null; eligible: (sub: string, where: { provinceCode: string; district: string | null }) => boolean; now: Date },
): Promise<{ assigned: string[]; notFound: string[] }> {
  return db.transaction(async (tx) => {
    const { targets, cases, notFound } = await lockTargets(tx, input.scope, input.alertIds, input.caseIds);
    const who = input.assignee;
    if (who !== null && [...targets, ...cases].some((t) => !input.eligible(who, { provinceCode: t.province_code, district: t.district }))) throw ALERTS_ERRORS.assigneeInvalid();
    const moved = targets.filter((t) => t.status !== 'resolved' && t.assignee !== who);
    if (moved.length) await tx.query('UPDATE alerts SET assignee = $2 WHERE alert_id = ANY($1::text[])', [moved.map((t) => t.alert_id), who]);
    const movedCases = cases.filter((c) => c.assignee !== who);
    if (movedCases.length) await tx.query('UPDATE cases SET assignee = $2 WHERE case_id = ANY($1::text[])', [movedCases.map((c) => c.case_id), who]);
    for (const t of moved) {
      await appendAudit(tx, { at: input.now, actor: input.actor.sub, action: 'assign', alertId: t.alert_id, payload: { role: input.actor.role, from: t.assignee, to: who, bulk: true, ...(t.case_id && input.caseIds.includes(t.case_id) ? { caseId: t.case_id } : {}) } });
    }
    for (const c of movedCases) {
      await appendAudit(tx, { at: input.now, actor: input.actor.sub, action: 'case-assign', alertId: null, payload: { role: input.actor.role, caseId: c.case_id, from: c.assignee, to: who, bulk: true } });
    }
    return { assigned: moved.map((t) => t.alert_id), notFound };
  });
}
