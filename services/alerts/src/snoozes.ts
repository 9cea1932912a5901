/**
 * Snoozes: after reviewing an alert, an auditor may stop one rule from notifying about one payee account
 * in one LAO for up to 180 days, with a reason. Findings keep being stored; only the notification is skipped
 * (no outbox row is created, and the alert records which snoozes suppressed it). Expiry is by the clock alone.
 */
import { randomUUID } from 'node:crypto';
import { accountKey, type Alert } from '@paywatch/domain';
import type { Db, Queryable } from '@paywatch/db';
import { appendAudit } from './audit-log.ts';
import type { AlertScope } from './alert-store.ts';
import { lockInScope, type Actor } from './case-store.ts';
import { ALERTS_ERRORS } from './errors.ts';

/** Longest snooze, in days. */
export const MAX_SNOOZE_DAYS = 180;

/** A snooze as the API shows it. */
export interface SnoozeView {
  id: string; laoCode: string; provinceCode: string; district: string | null; ruleId: string; payeeAccount: string;
  reason: string; alertId: string; createdBy: string; createdAt: string; expiresAt: string;
}

/**
 * The payee an alert is about, as a snooze names it: `bank:account` (the bulk form rules match on, `accountKey`), or
 * `cid:<citizen ID>` for a cross-LAO allowance alert about a person. Taken from the evidence's `payeeAccount`, else
 * from the payments the findings name (`paymentDetails`, whose account the detector masked at the source and kept in
 * the finding's `unmasked`), else from a payee subject's key (`bank:account`, `xlao:bank:account`,
 * `bank:account:recordId` of a split series). Null for subjects that are not one payee (a batch, an LAO's period).
 */
export function payeeAccountOf(alert: Pick<Alert, 'evidence' | 'findings' | 'subject'>): string | null {
  if (alert.subject.kind === 'batch' || alert.subject.kind === 'lao-period') return null;
  const fromEvidence = (e: Record<string, unknown> | undefined) => (typeof e?.payeeAccount === 'string' && e.payeeAccount ? e.payeeAccount : null);
  const direct = fromEvidence(alert.evidence);
  if (direct) return direct;
  for (const f of alert.findings) { const a = fromEvidence(f.evidence); if (a) return a; }
  if (alert.subject.kind === 'payee') {
    const parts = alert.subject.key.split(':');
    if (parts[0] === 'xlao') parts.shift();
    if (parts[0] === 'cid' && parts[1]) return `cid:${parts[1]}`;
    if (parts.length >= 2 && /^\d{3}$/.test(parts[0]!) && /^\d{6,}$/.test(parts[1]!)) return accountKey(parts[0]!, parts[1]!);
  }
  // A payment subject: every payment of the alert goes to one payee; the first one with a known account names it.
  for (const f of alert.findings) {
    const details = Array.isArray(f.evidence.paymentDetails) ? (f.evidence.paymentDetails as Array<Record<string, unknown>>) : [];
    for (const [i, d] of details.entries()) {
      const account = f.unmasked?.[`paymentDetails[${i}].payeeAccountMasked`] ?? (typeof d.payeeAccount === 'string' ? d.payeeAccount : null);
      if (account && typeof d.payeeBankCode === 'string' && /^\d{3}$/.test(d.payeeBankCode)) return accountKey(d.payeeBankCode, account);
    }
  }
  return null;
}

interface SnoozeRow {
  id: string; lao_code: string; province_code: string; district: string | null; rule_id: string; payee_account: string; reason: string;
  alert_id: string; created_by: string; created_at: Date | string; expires_at: Date | string;
}
const toView = (r: SnoozeRow): SnoozeView => ({
  id: r.id, laoCode: r.lao_code, provinceCode: r.province_code, district: r.district, ruleId: r.rule_id, payeeAccount: r.payee_account,
  reason: r.reason, alertId: r.alert_id, createdBy: r.created_by, createdAt: new Date(r.created_at).toISOString(), expiresAt: new Date(r.expires_at).toISOString(),
});
const COLUMNS = 'id, lao_code, province_code, district, rule_id, payee_account, reason, alert_id, created_by, created_at, expires_at';

/** Creates a snooze from a reviewed alert in the caller's scope, with its audit entry. */
export async function createSnooze(
  db: Db,
  input: { alertId: string; scope: AlertScope; actor: Actor; ruleId: string; days: number; reason: string; now: Date },
): Promise<SnoozeView> {
  return db.transaction(async (tx) => {
    const alert = await lockInScope(tx, input.alertId, input.scope);
    if (alert.status === 'new') throw ALERTS_ERRORS.snoozeNotReviewed();
    if (!alert.ruleIds.includes(input.ruleId)) throw ALERTS_ERRORS.snoozeRuleNotInAlert();
    const payeeAccount = payeeAccountOf(alert.payload);
    if (!payeeAccount) throw ALERTS_ERRORS.snoozeNoPayee();
    const days = Math.min(MAX_SNOOZE_DAYS, input.days);
    const expiresAt = new Date(input.now.getTime() + days * 86_400_000);
    const r = await tx.query<SnoozeRow>(
      `INSERT INTO snoozes (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`,
      ['sz_' + randomUUID().replace(/-/g, '').slice(0, 24), alert.laoCode, alert.provinceCode, alert.district, input.ruleId, payeeAccount,
        input.reason.trim(), alert.alertId, input.actor.sub, input.now, expiresAt],
    );
    const snooze = toView(r.rows[0]!);
    await appendAudit(tx, {
      at: input.now, actor: input.actor.sub, action: 'snooze', alertId: alert.alertId,
      payload: { role: input.actor.role, snoozeId: snooze.id, ruleId: snooze.ruleId, payeeAccount, laoCode: snooze.laoCode, days, reason: snooze.reason, expiresAt: snooze.expiresAt },
    });
    return snooze;
  });
}

/** Snoozes in force at `now`, within scope, soonest to expire first. */
export async function listActiveSnoozes(db: Queryable, scope: AlertScope, now: Date): Promise<SnoozeView[]> {
  const params: unknown[] = [now];
  const where = ['expires_at > $1'];
  if (scope.provinces !== null) { params.push(scope.provinces); where.push(`province_code = ANY($${params.length}::text[])`); }
  if (scope.district !== undefined) { params.push(scope.district); where.push(`district = $${params.length}`); }
  const r = await db.query<SnoozeRow>(`SELECT ${COLUMNS} FROM snoozes WHERE ${where.join(' AND ')} ORDER BY expires_at, id`, params);
  return r.rows.map(toView);
}

/**
 * The snoozes that silence this alert, or null when it must be notified. Silenced only when every rule of
 * the alert is snoozed for its payee in its LAO: a rule nobody snoozed still deserves a look.
 */
export async function suppressingSnoozes(tx: Queryable, alert: Alert, now: Date): Promise<string[] | null> {
  const payeeAccount = payeeAccountOf(alert);
  if (!payeeAccount) return null;
  const r = await tx.query<{ id: string; rule_id: string }>(
    'SELECT id, rule_id FROM snoozes WHERE lao_code = $1 AND payee_account = $2 AND expires_at > $3 AND rule_id = ANY($4::text[]) ORDER BY id',
    [alert.laoCode, payeeAccount, now, alert.ruleIds],
  );
  const covered = new Set(r.rows.map((x) => x.rule_id));
  return alert.ruleIds.every((id) => covered.has(id)) ? r.rows.map((x) => x.id) : null;
}
