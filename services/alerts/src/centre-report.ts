/**
 * The centre's figures — where to send inspectors — aggregated in PostgreSQL (GROUP BY over the alert store, never
 * by loading alerts into memory), always within the caller's scope: central sees the country, an auditor their
 * province (a district auditor their district). Money is integer satang; a payment named by several open alerts
 * counts once.
 */
import type { Db, Queryable } from '@paywatch/db';
import { FOLLOW_UP_DAYS, type Severity } from '@paywatch/domain';
import type { AlertScope } from './alert-store.ts';
import { DISPOSITIONS, type Disposition } from './case-store.ts';

/** Open alerts per severity, most severe first. */
export const SEVERITIES_DESC = ['critical', 'high', 'medium', 'low'] as const satisfies readonly Severity[];

/** How long past its follow-up deadline an open alert is: not yet due, 1–7 days over, 8–30 days over, more. */
export const AGEING_BANDS = ['within', 'overdue1to7', 'overdue8to30', 'overdueOver30'] as const;
export type AgeingBand = (typeof AGEING_BANDS)[number];

/** One row of the ranking: a province, or an LAO within it. */
export interface RankRow {
  provinceCode: string;
  /** null on a province row. */
  laoCode: string | null;
  district: string | null;
  /** Distinct payments named by the open alerts, each once. */
  openSatang: number;
  openCount: number;
  bySeverity: Record<Severity, number>;
  /** Open alerts past their follow-up deadline. */
  overdueCount: number;
}

/** One calendar month (Bangkok) of the trend. */
export interface TrendMonth { month: string; raised: number; amountSatang: number }

/** Open alerts of one severity by how far past the deadline they are. */
export interface AgeingRow { severity: Severity; followUpDays: number; counts: Record<AgeingBand, number> }

/** Days from raised to a step, over the alerts that reached it. */
export interface Durations { count: number; medianDays: number | null; p90Days: number | null }
/** Follow-up times of the scope (provinceCode null) or of one province. */
export interface FollowUpRow { provinceCode: string | null; acknowledged: Durations; resolved: Durations }

/** How a rule's alerts ended, from the dispositions of resolved alerts (an alert with two rules counts for both). */
export interface RuleOutcomeRow {
  ruleId: string;
  open: number;
  resolved: number;
  counts: Record<Disposition, number>;
  /** count / resolved; null when nothing is resolved yet. */
  rates: Record<Disposition, number | null>;
}

/** Everything the centre page shows, for one scope at one instant. */
export interface CentreReport {
  generatedAt: string;
  total: RankRow;
  provinces: RankRow[];
  laos: RankRow[];
  /** true when more LAOs have open alerts than `laos` lists. */
  laosTruncated: boolean;
  trend: TrendMonth[];
  ageing: AgeingRow[];
  followUp: FollowUpRow[];
  rules: RuleOutcomeRow[];
}

const BANGKOK_OFFSET_MS = 7 * 3_600_000;

/** Scope as SQL predicates on `alerts` (alias `a`), numbering parameters after those already in `params`. */
function scopeSql(scope: AlertScope, params: unknown[]): string {
  const where: string[] = [];
  if (scope.provinces !== null) { params.push(scope.provinces); where.push(`a.province_code = ANY($${params.length}::text[])`); }
  if (scope.district !== undefined) { params.push(scope.district); where.push(`a.district = $${params.length}`); }
  return where.length ? where.join(' AND ') : 'true';
}

/** The follow-up deadline of an alert row as SQL, from the shared per-severity days. */
function dueSql(params: unknown[]): string {
  const n = params.length;
  params.push(FOLLOW_UP_DAYS.critical, FOLLOW_UP_DAYS.high, FOLLOW_UP_DAYS.medium, FOLLOW_UP_DAYS.low);
  return `(a.first_seen_at + make_interval(days => CASE a.severity WHEN 'critical' THEN $${n + 1}::int WHEN 'high' THEN $${n + 2}::int WHEN 'medium' THEN $${n + 3}::int ELSE $${n + 4}::int END))`;
}

/**
 * The payments of a set of alerts as (record id, satang, and the alert's `carry` columns) from the rules'
 * `paymentDetails` (PaymentRef has no amount); an alert whose findings carry none stands for itself with its own
 * total (the LEFT JOIN's null row), so no open money is dropped. One pass over the set: no anti-join.
 */
const PAYMENTS_OF = (set: string, carry: readonly string[]) => `
  money AS (
    SELECT ${carry.map((c) => `o.${c}`).join(', ')},
      coalesce(x.d->>'recordId', 'alert:' || o.alert_id) AS record_id, coalesce((x.d->>'amountSatang')::bigint, o.amount_satang) AS amount_satang
    FROM ${set} o
    LEFT JOIN LATERAL (
      SELECT d FROM jsonb_array_elements(o.payload->'findings') f
      CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(f->'evidence'->'paymentDetails') = 'array' THEN f->'evidence'->'paymentDetails' ELSE '[]'::jsonb END) d
      WHERE jsonb_typeof(d->'recordId') = 'string' AND d->>'amountSatang' ~ '^[0-9]{1,15}$'
    ) x ON true
  )`;

interface RankSqlRow {
  level: 'country' | 'province' | 'lao'; province_code: string | null; lao_code: string | null; district: string | null;
  open_satang: string | number; open_count: string | number; critical: string | number; high: string | number; medium: string | number; low: string | number; overdue: string | number;
}
const toRank = (r: RankSqlRow): RankRow => ({
  provinceCode: r.province_code ?? '*', laoCode: r.lao_code, district: r.district, openSatang: Number(r.open_satang), openCount: Number(r.open_count),
  bySeverity: { critical: Number(r.critical), high: Number(r.high), medium: Number(r.medium), low: Number(r.low) }, overdueCount: Number(r.overdue),
});

/**
 * Open baht at risk and open counts per LAO, per province and for the whole scope, ranked by open baht then by the
 * count of each severity from critical down. Each payment is counted once (DISTINCT ON its record id) and belongs to
 * the LAO of the alert naming it, so LAO rows add up to their province and provinces to the total.
 */
export async function centreRanking(db: Queryable, scope: AlertScope, now: Date, laoLimit: number): Promise<Pick<CentreReport, 'total' | 'provinces' | 'laos' | 'laosTruncated'>> {
  const params: unknown[] = [now];
  const where = scopeSql(scope, params);
  const due = dueSql(params);
  params.push(laoLimit + 1);
  const limit = `$${params.length}`;
  const order = 'open_satang DESC, critical DESC, high DESC, medium DESC, low DESC';
  const r = await db.query<RankSqlRow>(
    `WITH open AS (
       SELECT a.alert_id, a.lao_code, a.province_code, a.district, a.severity, a.amount_satang, a.payload, ${due} < $1::timestamptz AS overdue
       FROM alerts a WHERE a.status <> 'resolved' AND ${where}
     ),
     ${PAYMENTS_OF('open', ['lao_code', 'province_code'])},
     payments AS (SELECT DISTINCT ON (record_id) lao_code, province_code, amount_satang FROM money ORDER BY record_id, lao_code),
     baht AS (SELECT province_code, lao_code, sum(amount_satang) AS open_satang FROM payments GROUP BY province_code, lao_code),
     counts AS (
       SELECT province_code, lao_code, max(district) AS district, count(*) AS open_count,
         count(*) FILTER (WHERE severity = 'critical') AS critical, count(*) FILTER (WHERE severity = 'high') AS high,
         count(*) FILTER (WHERE severity = 'medium') AS medium, count(*) FILTER (WHERE severity = 'low') AS low,
         count(*) FILTER (WHERE overdue) AS overdue
       FROM open GROUP BY province_code, lao_code
     ),
     lao_rows AS (SELECT c.*, coalesce(b.open_satang, 0) AS open_satang FROM counts c LEFT JOIN baht b USING (province_code, lao_code))
     SELECT 'country' AS level, NULL AS province_code, NULL AS lao_code, NULL AS district, coalesce(sum(open_satang), 0) AS open_satang,
       coalesce(sum(open_count), 0) AS open_count, coalesce(sum(critical), 0) AS critical, coalesce(sum(high), 0) AS high,
       coalesce(sum(medium), 0) AS medium, coalesce(sum(low), 0) AS low, coalesce(sum(overdue), 0) AS overdue FROM lao_rows
     UNION ALL
     (SELECT 'province', province_code, NULL, NULL, sum(open_satang) AS open_satang, sum(open_count), sum(critical) AS critical, sum(high) AS high,
       sum(medium) AS medium, sum(low) AS low, sum(overdue) FROM lao_rows GROUP BY province_code ORDER BY ${order}, province_code)
     UNION ALL
     (SELECT 'lao', province_code, lao_code, district, open_satang, open_count, critical, high, medium, low, overdue
       FROM lao_rows ORDER BY ${order}, lao_code LIMIT ${limit})`,
    params,
  );
  // UNION ALL keeps each branch's order in practice but SQL does not promise it: rank again, exactly as SQL did.
  const rank = (a: RankRow, b: RankRow) => b.openSatang - a.openSatang || SEVERITIES_DESC.reduce((d, s) => d || b.bySeverity[s] - a.bySeverity[s], 0)
    || (a.laoCode ?? a.provinceCode).localeCompare(b.laoCode ?? b.provinceCode);
  const total = toRank(r.rows.find((x) => x.level === 'country')!);
  const provinces = r.rows.filter((x) => x.level === 'province').map(toRank).sort(rank);
  const laos = r.rows.filter((x) => x.level === 'lao').map(toRank).sort(rank);
  return { total, provinces, laos: laos.slice(0, laoLimit), laosTruncated: laos.length > laoLimit };
}

/** `YYYY-MM` of the Bangkok month `back` months before the one holding `now`. */
function bangkokMonth(now: Date, back: number): { key: string; startUtc: Date } {
  const b = new Date(now.getTime() + BANGKOK_OFFSET_MS);
  const start = Date.UTC(b.getUTCFullYear(), b.getUTCMonth() - back, 1) - BANGKOK_OFFSET_MS;
  const s = new Date(start + BANGKOK_OFFSET_MS);
  return { key: `${s.getUTCFullYear()}-${String(s.getUTCMonth() + 1).padStart(2, '0')}`, startUtc: new Date(start) };
}

/**
 * Alerts raised and the baht they name, per Bangkok month (UTC+7 all year: Thailand has no DST), for the `months`
 * months up to and including the current one; a payment counts once, in the month of the first alert naming it.
 */
export async function centreTrend(db: Queryable, scope: AlertScope, now: Date, months = 12): Promise<TrendMonth[]> {
  const keys = Array.from({ length: months }, (_, i) => bangkokMonth(now, months - 1 - i));
  const params: unknown[] = [keys[0]!.startUtc, now];
  const where = scopeSql(scope, params);
  const month = (col: string) => `to_char(date_trunc('month', (${col} AT TIME ZONE 'UTC') + interval '7 hours'), 'YYYY-MM')`;
  const r = await db.query<{ month: string; raised: string | number; amount_satang: string | number }>(
    `WITH raised AS (
       SELECT a.alert_id, a.first_seen_at, a.amount_satang, a.payload FROM alerts a
       WHERE a.first_seen_at >= $1::timestamptz AND a.first_seen_at <= $2::timestamptz AND ${where}
     ),
     ${PAYMENTS_OF('raised', ['alert_id', 'first_seen_at'])},
     payments AS (SELECT DISTINCT ON (record_id) first_seen_at, amount_satang FROM money ORDER BY record_id, first_seen_at, alert_id),
     counts AS (SELECT ${month('first_seen_at')} AS month, count(*) AS raised FROM raised GROUP BY 1),
     baht AS (SELECT ${month('first_seen_at')} AS month, sum(amount_satang) AS amount_satang FROM payments GROUP BY 1)
     SELECT month, coalesce(c.raised, 0) AS raised, coalesce(b.amount_satang, 0) AS amount_satang FROM counts c FULL JOIN baht b USING (month)`,
    params,
  );
  const by = new Map(r.rows.map((x) => [x.month, x]));
  return keys.map(({ key }) => ({ month: key, raised: Number(by.get(key)?.raised ?? 0), amountSatang: Number(by.get(key)?.amount_satang ?? 0) }));
}

/** Open alerts per severity by how far past their follow-up deadline (FOLLOW_UP_DAYS) they are at `now`. */
export async function centreAgeing(db: Queryable, scope: AlertScope, now: Date): Promise<AgeingRow[]> {
  const params: unknown[] = [now];
  const where = scopeSql(scope, params);
  const due = dueSql(params);
  const r = await db.query<{ severity: Severity; within: string | number; o7: string | number; o30: string | number; over: string | number }>(
    `SELECT severity,
       count(*) FILTER (WHERE $1::timestamptz <= due) AS within,
       count(*) FILTER (WHERE $1::timestamptz > due AND $1::timestamptz <= due + interval '7 days') AS o7,
       count(*) FILTER (WHERE $1::timestamptz > due + interval '7 days' AND $1::timestamptz <= due + interval '30 days') AS o30,
       count(*) FILTER (WHERE $1::timestamptz > due + interval '30 days') AS over
     FROM (SELECT a.severity, ${due} AS due FROM alerts a WHERE a.status <> 'resolved' AND ${where}) x
     GROUP BY severity`,
    params,
  );
  const by = new Map(r.rows.map((x) => [x.severity, x]));
  return SEVERITIES_DESC.map((severity) => {
    const x = by.get(severity);
    return { severity, followUpDays: FOLLOW_UP_DAYS[severity], counts: { within: Number(x?.within ?? 0), overdue1to7: Number(x?.o7 ?? 0), overdue8to30: Number(x?.o30 ?? 0), overdueOver30: Number(x?.over ?? 0) } };
  });
}

/**
 * Median and 90th percentile of the days from raised (first sighting) to acknowledged — the first audited
 * transition to `acknowledged` — and to resolved, for the scope and per province.
 */
export async function centreFollowUp(db: Queryable, scope: AlertScope): Promise<FollowUpRow[]> {
  const params: unknown[] = [];
  const where = scopeSql(scope, params);
  const r = await db.query<{ whole: number; province_code: string | null; kind: 'acknowledged' | 'resolved'; n: string | number; median: number | null; p90: number | null }>(
    `WITH scoped AS (SELECT a.alert_id, a.province_code, a.first_seen_at, a.resolved_at FROM alerts a WHERE ${where}),
     ack AS (
       SELECT l.alert_id, min(l.at) AS at FROM audit_log l JOIN scoped s ON s.alert_id = l.alert_id
       WHERE l.action = 'transition' AND l.payload->>'to' = 'acknowledged' GROUP BY l.alert_id
     ),
     spans AS (
       SELECT s.province_code, 'acknowledged' AS kind, extract(epoch FROM ack.at - s.first_seen_at)::float8 / 86400 AS days FROM scoped s JOIN ack USING (alert_id)
       UNION ALL
       SELECT province_code, 'resolved', extract(epoch FROM resolved_at - first_seen_at)::float8 / 86400 FROM scoped WHERE resolved_at IS NOT NULL
     )
     SELECT GROUPING(province_code) AS whole, province_code, kind, count(*) AS n,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median, percentile_cont(0.9) WITHIN GROUP (ORDER BY days) AS p90
     FROM spans GROUP BY GROUPING SETS ((kind), (kind, province_code))`,
    params,
  );
  const empty: Durations = { count: 0, medianDays: null, p90Days: null };
  const rows = new Map<string, FollowUpRow>([['*', { provinceCode: null, acknowledged: empty, resolved: empty }]]);
  for (const x of r.rows) {
    const key = Number(x.whole) === 1 ? '*' : x.province_code!;
    const row = rows.get(key) ?? { provinceCode: key, acknowledged: empty, resolved: empty };
    row[x.kind] = { count: Number(x.n), medianDays: x.median === null ? null : Number(x.median), p90Days: x.p90 === null ? null : Number(x.p90) };
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => (a.provinceCode ?? '').localeCompare(b.provinceCode ?? ''));
}

/** Per rule: open alerts, and the confirmed / false-positive / explained / referred counts and rates of resolved ones. */
export async function centreRuleOutcomes(db: Queryable, scope: AlertScope): Promise<RuleOutcomeRow[]> {
  const params: unknown[] = [];
  const where = scopeSql(scope, params);
  const r = await db.query<{ rule_id: string; open: string | number; resolved: string | number } & Record<string, string | number>>(
    `SELECT rule_id, count(*) FILTER (WHERE a.status <> 'resolved') AS open, count(*) FILTER (WHERE a.status = 'resolved') AS resolved,
       ${DISPOSITIONS.map((d, i) => `count(*) FILTER (WHERE a.status = 'resolved' AND a.disposition = '${d}') AS d${i}`).join(', ')}
     FROM alerts a CROSS JOIN LATERAL unnest(a.rule_ids) AS rule_id WHERE ${where}
     GROUP BY rule_id ORDER BY rule_id`,
    params,
  );
  return r.rows.map((x) => {
    const resolved = Number(x.resolved);
    const counts = Object.fromEntries(DISPOSITIONS.map((d, i) => [d, Number(x[`d${i}`])])) as Record<Disposition, number>;
    const rates = Object.fromEntries(DISPOSITIONS.map((d) => [d, resolved ? counts[d] / resolved : null])) as Record<Disposition, number | null>;
    return { ruleId: x.rule_id, open: Number(x.open), resolved, counts, rates };
  });
}

/**
 * The whole centre report of a scope at `now`: five GROUP BY queries in one read-only REPEATABLE READ transaction, so
 * every figure comes from the same snapshot (the ranking's totals match the ageing's counts). JIT is off for it: the
 * planner's default estimate for `jsonb_array_elements` (100 rows per call) makes the payment expansion look costly
 * enough to JIT-compile, which took 2.5 of 3.1 s at 20,000 alerts and is pure overhead for a query this size.
 */
export async function centreReport(db: Db, scope: AlertScope, now: Date, options: { laoLimit?: number } = {}): Promise<CentreReport> {
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    await tx.query('SET LOCAL jit = off');
    const ranking = await centreRanking(tx, scope, now, options.laoLimit ?? 100);
    const trend = await centreTrend(tx, scope, now);
    const ageing = await centreAgeing(tx, scope, now);
    const followUp = await centreFollowUp(tx, scope);
    const rules = await centreRuleOutcomes(tx, scope);
    return { generatedAt: now.toISOString(), ...ranking, trend, ageing, followUp, rules };
  });
}
