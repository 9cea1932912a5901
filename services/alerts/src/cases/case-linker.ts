/**
 * Puts each stored alert in its case, inside the consumer's transaction (ADR 0016). Idempotent: an alert belongs to
 * one case for good (case_alerts is keyed by alert), the case id is a hash of the grouping, and payments are keyed by
 * record id, so a replayed alert finds everything in place and the case's totals do not move.
 */
import type { Db, Queryable } from '@paywatch/db';
import { followUpDueAt, SEVERITY_RANK, type Alert, type Severity } from '@paywatch/domain';
import type { AlertRoute } from '../routing.ts';
import { appendAudit } from '../audit-log.ts';
import { caseGroupOf, caseIdFor, paymentsOf } from './case-key.ts';

const BY_RANK = Object.fromEntries(Object.entries(SEVERITY_RANK).map(([s, r]) => [r, s])) as Record<number, Severity>;

/** What linking did, for the audit entries the caller appends last (after every alert row: one lock order). */
export interface CaseLink {
  caseId: string;
  alertId: string;
  /** opened: a new case; joined: a new alert of an existing case; reopened: joined a closed case, which opens again; kept: already linked. */
  event: 'opened' | 'joined' | 'reopened' | 'kept';
  groupKind: string;
  groupLabel: string;
}

/** Severity → rank and back, and the due date from the case's highest severity, counted from its first alert. */
export const severityOfRank = (rank: number): Severity => BY_RANK[rank] ?? 'low';

/** Links one stored alert (new or changed) to its case and refreshes the case's total, severity and due date. */
export async function linkAlertToCase(tx: Queryable, alert: Alert, route: Pick<AlertRoute, 'provinceCode' | 'district'>, now: Date): Promise<CaseLink> {
  const a = (await tx.query<{ first_seen_at: Date | string; severity: Severity }>('SELECT first_seen_at, severity FROM alerts WHERE alert_id = $1', [alert.alertId])).rows[0];
  if (!a) throw new Error(`alert ${alert.alertId} is not stored`);
  const firstSeenAt = new Date(a.first_seen_at);

  const group = caseGroupOf(alert);
  let event: CaseLink['event'] = 'kept';
  let caseId: string;
  const linked = (await tx.query<{ case_id: string; group_kind: string; group_label: string }>(
    'SELECT c.case_id, c.group_kind, c.group_label FROM case_alerts ca JOIN cases c ON c.case_id = ca.case_id WHERE ca.alert_id = $1 FOR UPDATE OF c', [alert.alertId])).rows[0];
  if (linked) {
    caseId = linked.case_id;
    group.kind = linked.group_kind as typeof group.kind;
    group.label = linked.group_label;
  } else {
    caseId = caseIdFor(alert.laoCode, group);
    const created = await tx.query(
      `INSERT INTO cases (case_id, group_kind, group_label, lao_code, province_code, district, severity, severity_rank, opened_at, due_at, last_alert_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9) ON CONFLICT (case_id) DO NOTHING RETURNING case_id`,
      [caseId, group.kind, group.label, alert.laoCode, route.provinceCode, route.district, a.severity, SEVERITY_RANK[a.severity], firstSeenAt, followUpDueAt(firstSeenAt, a.severity)],
    );
    const c = (await tx.query<{ status: string; assignee: string | null }>('SELECT status, assignee FROM cases WHERE case_id = $1 FOR UPDATE', [caseId])).rows[0]!;
    event = created.rowCount > 0 ? 'opened' : c.status === 'closed' ? 'reopened' : 'joined';
    await tx.query('INSERT INTO case_alerts (alert_id, case_id, added_at) VALUES ($1, $2, $3)', [alert.alertId, caseId, now]);
    // A new alert of a held case goes to the same auditor; of a closed case, opens it again (it is new evidence).
    if (c.assignee) await tx.query('UPDATE alerts SET assignee = $2 WHERE alert_id = $1 AND assignee IS NULL', [alert.alertId, c.assignee]);
    if (event === 'reopened') {
      await tx.query(`UPDATE cases SET status = 'open', disposition = NULL, resolution_reason = NULL, closed_at = NULL, closed_by = NULL WHERE case_id = $1`, [caseId]);
    }
  }

  const payments = paymentsOf(alert);
  if (payments.length) {
    await tx.query(
      `INSERT INTO case_payments (case_id, record_id, amount_satang) SELECT $1, r, s FROM unnest($2::text[], $3::bigint[]) AS t(r, s) ON CONFLICT DO NOTHING`,
      [caseId, payments.map((p) => p.recordId), payments.map((p) => p.amountSatang)],
    );
  }
  await refreshCase(tx, caseId);
  return { caseId, alertId: alert.alertId, event, groupKind: group.kind, groupLabel: group.label };
}

/** Recomputes a case's alert count, total (each payment once), highest severity and due date from its rows. */
export async function refreshCase(tx: Queryable, caseId: string): Promise<void> {
  const r = (await tx.query<{ rank: number; n: string | number; last: Date | string; total: string | number; opened_at: Date | string }>(
    `SELECT max(a.severity_rank) AS rank, count(*) AS n, max(a.last_seen_at) AS last, c.opened_at,
            (SELECT coalesce(sum(amount_satang), 0) FROM case_payments WHERE case_id = $1) AS total
     FROM case_alerts ca JOIN alerts a ON a.alert_id = ca.alert_id JOIN cases c ON c.case_id = ca.case_id
     WHERE ca.case_id = $1 GROUP BY c.opened_at`, [caseId])).rows[0];
  if (!r) return;
  const severity = severityOfRank(Number(r.rank));
  await tx.query(
    `UPDATE cases SET severity = $2, severity_rank = $3, alert_count = $4, total_satang = $5, due_at = $6, last_alert_at = GREATEST(last_alert_at, $7) WHERE case_id = $1`,
    [caseId, severity, SEVERITY_RANK[severity], Number(r.n), Number(r.total), followUpDueAt(new Date(r.opened_at), severity), new Date(r.last)],
  );
}

/**
 * Links alerts stored before cases existed (an upgraded database), oldest first so each case opens at its first
 * alert. Runs at start-up; a database already linked answers with one empty query.
 */
export async function backfillCases(db: Db, now: Date, batchSize = 500): Promise<number> {
  let linked = 0;
  for (;;) {
    const rows = (await db.query<{ payload: Alert; province_code: string; district: string | null }>(
      `SELECT a.payload, a.province_code, a.district FROM alerts a WHERE NOT EXISTS (SELECT 1 FROM case_alerts ca WHERE ca.alert_id = a.alert_id)
       ORDER BY a.first_seen_at, a.alert_id LIMIT $1`, [batchSize])).rows;
    if (rows.length === 0) return linked;
    await db.transaction(async (tx) => {
      const links: CaseLink[] = [];
      for (const row of rows) links.push(await linkAlertToCase(tx, row.payload, { provinceCode: row.province_code, district: row.district }, now));
      await auditCaseLinks(tx, links, now);
    });
    linked += rows.length;
  }
}

/**
 * Opening a case or adding an alert to it is derived data, reproducible from the stored alerts (storing an alert is not
 * an audit entry either), so it is not audited; the timeline tells it from case_alerts. Reopening a closed case undoes
 * a person's decision, so that is audited (call after every alert row of the transaction is written: one lock order).
 * The entry is about the case: alertId null (the alert's own trail stays its own), payload names both.
 */
export async function auditCaseLinks(tx: Queryable, links: readonly CaseLink[], now: Date): Promise<void> {
  for (const l of links) {
    if (l.event !== 'reopened') continue;
    await appendAudit(tx, { at: now, actor: 'system', action: 'case-reopen', alertId: null, payload: { caseId: l.caseId, alertId: l.alertId, groupKind: l.groupKind, groupLabel: l.groupLabel } });
  }
}
