/** The alert store: idempotent upserts from the consumer, scoped reads for the API. */
import type { Queryable } from '@paywatch/db';
import type { Alert, Severity, Subject } from '@paywatch/domain';
import type { AlertRoute } from './routing.ts';
import type { Disposition } from './case-store.ts';

/** What an upsert did: a first sighting, a grown alert (payload differs), or an identical replay. */
export const UPSERT_OUTCOMES = ['new', 'changed', 'unchanged'] as const;
export type UpsertOutcome = (typeof UPSERT_OUTCOMES)[number];

/**
 * Inserts the alert, or updates it only when its payload differs from the stored one (jsonb equality,
 * so key order does not matter). An identical replay matches no row of the DO UPDATE … WHERE and leaves
 * the row untouched, so `times_seen` counts distinct versions, not deliveries.
 */
export async function upsertAlert(tx: Queryable, alert: Alert, route: AlertRoute, now: Date): Promise<UpsertOutcome> {
  const r = await tx.query<{ inserted: boolean }>(
    `INSERT INTO alerts (alert_id, lao_code, province_code, district, severity, rule_ids, subject, payload,
                         amount_satang, occurred_on, rule_set_version, first_seen_at, last_seen_at, times_seen)
     VALUES ($1, $2, $3, $4, $5, $6::text[], $7::jsonb, $8::jsonb, $9, $10::date, $11, $12, $12, 1)
     ON CONFLICT (alert_id) DO UPDATE SET
       severity = EXCLUDED.severity, rule_ids = EXCLUDED.rule_ids, subject = EXCLUDED.subject, payload = EXCLUDED.payload,
       amount_satang = EXCLUDED.amount_satang, occurred_on = EXCLUDED.occurred_on, rule_set_version = EXCLUDED.rule_set_version,
       province_code = EXCLUDED.province_code, district = EXCLUDED.district,
       last_seen_at = EXCLUDED.last_seen_at, times_seen = alerts.times_seen + 1
     WHERE alerts.payload IS DISTINCT FROM EXCLUDED.payload
       -- A group alert only grows (ADR 0019): an older version replayed after a newer one changes nothing.
       AND COALESCE((EXCLUDED.payload->'group'->>'count')::int, 0) >= COALESCE((alerts.payload->'group'->>'count')::int, 0)
     RETURNING (xmax = 0) AS inserted`,
    [alert.alertId, alert.laoCode, route.provinceCode, route.district, alert.severity, alert.ruleIds, JSON.stringify(alert.subject),
      JSON.stringify({ ...alert, groupMembers: undefined }), alert.amountSatang, alert.occurredOn, alert.ruleSetVersion, now],
  );
  const row = r.rows[0];
  if (!row) return 'unchanged';
  return row.inserted ? 'new' : 'changed';
}

/** One alert as the API lists it. */
export interface AlertSummary {
  alertId: string;
  laoCode: string;
  provinceCode: string;
  district: string | null;
  severity: Severity;
  ruleIds: string[];
  subject: Subject;
  amountSatang: number;
  occurredOn: string;
  ruleSetVersion: string;
  status: string;
  firstSeenAt: string;
  lastSeenAt: string;
  timesSeen: number;
  /** `sub` of the person holding the case, if any. */
  assignee: string | null;
  disposition: Disposition | null;
  resolutionReason: string | null;
  resolvedAt: string | null;
  /** Snooze ids that kept the first sighting from being notified. */
  suppressedBy: string[] | null;
}

/** An alert with the payload as received. */
export interface AlertDetail extends AlertSummary { payload: Alert }

/** Filters of the inbox list. `provinces` null = every province (central); [] = none. */
export interface AlertFilter {
  provinces: string[] | null;
  /** A district auditor also sees only their district. */
  district?: string | undefined;
  severity?: Severity | undefined;
  laoCode?: string | undefined;
  status?: string | undefined;
  /** Inbox filters (inbox-filter.ts): within the scope above, never widening it. */
  province?: string | undefined;
  districtName?: string | undefined;
  rule?: string | undefined;
  /** Calendar dates (CE) on occurred_on, inclusive. */
  from?: string | undefined;
  to?: string | undefined;
  minAmountSatang?: number | undefined;
  maxAmountSatang?: number | undefined;
  limit: number;
  /** Keyset position: list rows strictly older than this one. */
  after?: { firstSeenAt: string; alertId: string } | undefined;
}

export interface AlertRow {
  alert_id: string; lao_code: string; province_code: string; district: string | null; severity: Severity; rule_ids: string[];
  subject: Subject; amount_satang: number | string; occurred_on: string; rule_set_version: string; status: string;
  first_seen_at: Date | string; last_seen_at: Date | string; times_seen: number; first_seen_text: string; payload?: Alert;
  assignee: string | null; disposition: Disposition | null; resolution_reason: string | null; resolved_at: Date | string | null; suppressed_by: string[] | null;
}

export const SUMMARY_COLUMNS = `alert_id, lao_code, province_code, district, severity, rule_ids, subject, amount_satang,
  occurred_on::text AS occurred_on, rule_set_version, status, first_seen_at, last_seen_at, times_seen, first_seen_at::text AS first_seen_text,
  assignee, disposition, resolution_reason, resolved_at, suppressed_by`;

const iso = (v: Date | string): string => new Date(v).toISOString();

export function toSummary(r: AlertRow): AlertSummary {
  return {
    alertId: r.alert_id, laoCode: r.lao_code, provinceCode: r.province_code, district: r.district, severity: r.severity,
    ruleIds: r.rule_ids, subject: r.subject, amountSatang: Number(r.amount_satang), occurredOn: r.occurred_on,
    ruleSetVersion: r.rule_set_version, status: r.status, firstSeenAt: iso(r.first_seen_at), lastSeenAt: iso(r.last_seen_at), timesSeen: r.times_seen,
    assignee: r.assignee, disposition: r.disposition, resolutionReason: r.resolution_reason, resolvedAt: r.resolved_at ? iso(r.resolved_at) : null,
    suppressedBy: r.suppressed_by,
  };
}

/** Scope predicates shared by list and get (and cases, inbox): the same SQL decides what a caller may see in all. */
export function scopeWhere(filter: Pick<AlertFilter, 'provinces' | 'district'>, params: unknown[]): string[] {
  const where: string[] = [];
  if (filter.provinces !== null) { params.push(filter.provinces); where.push(`province_code = ANY($${params.length}::text[])`); }
  if (filter.district !== undefined) { params.push(filter.district); where.push(`district = $${params.length}`); }
  return where;
}

/**
 * Lists alerts newest first (by first sighting), within scope. Returns one page and the keyset of its
 * last row; the key is the timestamp's own text so it round-trips at full precision.
 */
/** Scope and every filter but status and the cursor: what the list shows before choosing a status, and what it counts. */
export function filterWhere(filter: Omit<AlertFilter, 'limit'>, params: unknown[]): string[] {
  const where = scopeWhere(filter, params);
  const add = (value: unknown, sql: (n: number) => string) => { if (value !== undefined && value !== '') { params.push(value); where.push(sql(params.length)); } };
  add(filter.severity, (n) => `severity = $${n}`);
  add(filter.laoCode, (n) => `lao_code = $${n}`);
  add(filter.province, (n) => `province_code = $${n}`);
  add(filter.districtName, (n) => `district = $${n}`);
  add(filter.rule, (n) => `$${n} = ANY(rule_ids)`);
  add(filter.from, (n) => `occurred_on >= $${n}::date`);
  add(filter.to, (n) => `occurred_on <= $${n}::date`);
  add(filter.minAmountSatang, (n) => `amount_satang >= $${n}`);
  add(filter.maxAmountSatang, (n) => `amount_satang <= $${n}`);
  return where;
}

/** How many alerts of each status match the filter (status itself left out, so the counts can pick one). */
export async function countAlertsByStatus(db: Queryable, filter: Omit<AlertFilter, 'limit' | 'after' | 'status'>): Promise<Record<string, number>> {
  const params: unknown[] = [];
  const where = filterWhere(filter, params);
  const r = await db.query<{ status: string; n: string | number }>(
    `SELECT status, count(*) AS n FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY status`, params);
  return Object.fromEntries(r.rows.map((x) => [x.status, Number(x.n)]));
}

export async function listAlerts(db: Queryable, filter: AlertFilter): Promise<{ items: AlertSummary[]; last: { firstSeenAt: string; alertId: string } | null }> {
  const params: unknown[] = [];
  const where = filterWhere(filter, params);
  if (filter.status) { params.push(filter.status); where.push(`status = $${params.length}`); }
  if (filter.after) {
    params.push(filter.after.firstSeenAt, filter.after.alertId);
    where.push(`(first_seen_at, alert_id) < ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  params.push(filter.limit + 1);
  const r = await db.query<AlertRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY first_seen_at DESC, alert_id DESC LIMIT $${params.length}`,
    params,
  );
  const page = r.rows.slice(0, filter.limit);
  const lastRow = r.rows.length > filter.limit ? page.at(-1) : undefined;
  return { items: page.map(toSummary), last: lastRow ? { firstSeenAt: lastRow.first_seen_text, alertId: lastRow.alert_id } : null };
}

/** The scope of a caller as SQL needs it: provinces (null = all) and, for a district auditor, the district. */
export type AlertScope = Pick<AlertFilter, 'provinces' | 'district'>;

/**
 * One alert with its payload, or null when it does not exist OR is out of scope (callers cannot tell which).
 * `forUpdate` locks the row for the rest of the caller's transaction (case changes read, check, then write).
 */
export async function getAlert(db: Queryable, alertId: string, scope: AlertScope, options: { forUpdate?: boolean } = {}): Promise<AlertDetail | null> {
  const params: unknown[] = [alertId];
  const where = ['alert_id = $1', ...scopeWhere(scope, params)];
  const r = await db.query<AlertRow>(`SELECT ${SUMMARY_COLUMNS}, payload FROM alerts WHERE ${where.join(' AND ')}${options.forUpdate ? ' FOR UPDATE' : ''}`, params);
  const row = r.rows[0];
  return row ? { ...toSummary(row), payload: row.payload! } : null;
}
