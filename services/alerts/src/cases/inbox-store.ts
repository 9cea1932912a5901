/**
 * The inbox's lists of alerts and of cases, sorted by severity, amount, age or due date, paged by keyset (ADR 0016):
 * each sort is one index-backed ORDER BY whose columns all run the same direction, so "after this row" is one row
 * comparison and a page deep in 100,000 alerts costs what the first page costs. Scope comes first, as everywhere.
 */
import type { Queryable } from '@paywatch/db';
import { COMMON_ERRORS } from '@paywatch/http-kit';
import type { Severity } from '@paywatch/domain';
import { filterWhere, scopeWhere, SUMMARY_COLUMNS, toSummary, type AlertFilter, type AlertRow, type AlertScope, type AlertSummary } from '../alert-store.ts';
import { CASE_COLUMNS, toCase, type CaseSummary } from './cases-store.ts';

/** How the inbox can sort. */
export const INBOX_SORTS = ['newest', 'severity', 'amount', 'age', 'due'] as const;
export type InboxSort = (typeof INBOX_SORTS)[number];

type Cast = 'timestamptz' | 'smallint' | 'bigint' | 'text';
interface SortSpec { dir: 'ASC' | 'DESC'; cols: ReadonlyArray<{ col: string; cast: Cast }> }

const ts = (col: string) => ({ col, cast: 'timestamptz' as const });
const ALERT_SORTS: Record<InboxSort, SortSpec> = {
  newest: { dir: 'DESC', cols: [ts('first_seen_at'), { col: 'alert_id', cast: 'text' }] },
  age: { dir: 'ASC', cols: [ts('first_seen_at'), { col: 'alert_id', cast: 'text' }] },
  severity: { dir: 'DESC', cols: [{ col: 'severity_rank', cast: 'smallint' }, ts('first_seen_at'), { col: 'alert_id', cast: 'text' }] },
  amount: { dir: 'DESC', cols: [{ col: 'amount_satang', cast: 'bigint' }, { col: 'alert_id', cast: 'text' }] },
  due: { dir: 'ASC', cols: [ts('due_at'), { col: 'alert_id', cast: 'text' }] },
};
const CASE_SORTS: Record<InboxSort, SortSpec> = {
  newest: { dir: 'DESC', cols: [ts('opened_at'), { col: 'case_id', cast: 'text' }] },
  age: { dir: 'ASC', cols: [ts('opened_at'), { col: 'case_id', cast: 'text' }] },
  severity: { dir: 'DESC', cols: [{ col: 'severity_rank', cast: 'smallint' }, ts('opened_at'), { col: 'case_id', cast: 'text' }] },
  amount: { dir: 'DESC', cols: [{ col: 'total_satang', cast: 'bigint' }, { col: 'case_id', cast: 'text' }] },
  due: { dir: 'ASC', cols: [ts('due_at'), { col: 'case_id', cast: 'text' }] },
};

/** An opaque cursor: the sort and the last row's key values, as PostgreSQL's own text (full timestamp precision). */
export function encodeInboxCursor(sort: InboxSort, values: readonly string[]): string {
  return Buffer.from(JSON.stringify([sort, ...values])).toString('base64url');
}

const TS_TEXT = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/;
const VALID: Record<Cast, RegExp> = { timestamptz: TS_TEXT, smallint: /^\d{1,4}$/, bigint: /^-?\d{1,19}$/, text: /^[A-Za-z0-9_]{1,100}$/ };

function decodeCursor(cursor: string, sort: InboxSort, spec: SortSpec): string[] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(parsed) || parsed[0] !== sort || parsed.length !== spec.cols.length + 1) throw new Error('shape');
    const values = parsed.slice(1).map(String);
    // Checked here so SQL never sees junk.
    values.forEach((v, i) => { if (!VALID[spec.cols[i]!.cast].test(v)) throw new Error('value'); });
    return values;
  } catch {
    throw COMMON_ERRORS.validation([{ path: ['cursor'], message: 'not a cursor of this list and sort' }]);
  }
}

/** `(a, b) < ($1, $2)` for a DESC sort, `>` for ASC, plus the ORDER BY and the key columns as text. */
function keyset(spec: SortSpec, values: string[] | null, params: unknown[]): { where: string | null; order: string; keys: string } {
  let where: string | null = null;
  if (values) {
    const ph = values.map((v, i) => { params.push(v); return `$${params.length}::${spec.cols[i]!.cast}`; });
    where = `(${spec.cols.map((c) => c.col).join(', ')}) ${spec.dir === 'DESC' ? '<' : '>'} (${ph.join(', ')})`;
  }
  return {
    where,
    order: spec.cols.map((c) => `${c.col} ${spec.dir}`).join(', '),
    keys: spec.cols.map((c, i) => `${c.col}::text AS k${i}`).join(', '),
  };
}

/** Who holds it: a sub, `none` (nobody), or absent (anyone). */
export type AssigneeFilter = string | undefined;

const assigneeWhere = (assignee: AssigneeFilter, params: unknown[], where: string[]) => {
  if (assignee === undefined) return;
  if (assignee === 'none') { where.push('assignee IS NULL'); return; }
  params.push(assignee);
  where.push(`assignee = $${params.length}`);
};

/** One page of alerts in the inbox's order. */
export async function listInboxAlerts(
  db: Queryable,
  filter: Omit<AlertFilter, 'after'> & { sort: InboxSort; cursor?: string | undefined; assignee?: AssigneeFilter },
): Promise<{ items: Array<AlertSummary & { caseId: string | null; dueAt: string | null }>; nextCursor: string | null; total: number }> {
  const spec = ALERT_SORTS[filter.sort];
  const params: unknown[] = [];
  const where = filterWhere(filter, params);
  if (filter.status) { params.push(filter.status); where.push(`status = $${params.length}`); }
  assigneeWhere(filter.assignee, params, where);
  const countParams = [...params];
  const countWhere = [...where];
  const k = keyset(spec, filter.cursor ? decodeCursor(filter.cursor, filter.sort, spec) : null, params);
  if (k.where) where.push(k.where);
  params.push(filter.limit + 1);
  const [rows, count] = await Promise.all([
    db.query<Record<string, unknown>>(
      `SELECT ${SUMMARY_COLUMNS}, due_at, (SELECT ca.case_id FROM case_alerts ca WHERE ca.alert_id = alerts.alert_id) AS case_id, ${k.keys} FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${k.order} LIMIT $${params.length}`, params),
    db.query<{ n: string | number }>(`SELECT count(*) AS n FROM alerts ${countWhere.length ? `WHERE ${countWhere.join(' AND ')}` : ''}`, countParams),
  ]);
  const page = rows.rows.slice(0, filter.limit);
  const last = rows.rows.length > filter.limit ? page.at(-1) : undefined;
  return {
    items: page.map((r) => ({ ...toSummary(r as unknown as AlertRow), caseId: (r['case_id'] as string | null) ?? null, dueAt: r['due_at'] ? new Date(r['due_at'] as string).toISOString() : null })),
    nextCursor: last ? encodeInboxCursor(filter.sort, spec.cols.map((_c, i) => String(last[`k${i}`]))) : null,
    total: Number(count.rows[0]?.n ?? 0),
  };
}

/** Filters of the case list (within scope, never widening it). */
export interface CaseFilter extends AlertScope {
  province?: string | undefined;
  districtName?: string | undefined;
  laoCode?: string | undefined;
  severity?: Severity | undefined;
  status?: 'open' | 'closed' | undefined;
  rule?: string | undefined;
  minAmountSatang?: number | undefined;
  maxAmountSatang?: number | undefined;
  assignee?: AssigneeFilter;
  sort: InboxSort;
  cursor?: string | undefined;
  limit: number;
}

/** One page of cases in the inbox's order, and how many match. */
export async function listCases(db: Queryable, f: CaseFilter): Promise<{ items: CaseSummary[]; nextCursor: string | null; total: number }> {
  const spec = CASE_SORTS[f.sort];
  const params: unknown[] = [];
  const where = scopeWhere(f, params);
  const add = (value: unknown, sql: (n: number) => string) => { if (value !== undefined && value !== '') { params.push(value); where.push(sql(params.length)); } };
  add(f.province, (n) => `province_code = $${n}`);
  add(f.districtName, (n) => `district = $${n}`);
  add(f.laoCode, (n) => `lao_code = $${n}`);
  add(f.severity, (n) => `severity = $${n}`);
  add(f.status, (n) => `status = $${n}`);
  add(f.rule, (n) => `EXISTS (SELECT 1 FROM case_alerts ca JOIN alerts a ON a.alert_id = ca.alert_id WHERE ca.case_id = cases.case_id AND $${n} = ANY(a.rule_ids))`);
  add(f.minAmountSatang, (n) => `total_satang >= $${n}`);
  add(f.maxAmountSatang, (n) => `total_satang <= $${n}`);
  assigneeWhere(f.assignee, params, where);
  const countParams = [...params];
  const countWhere = [...where];
  const k = keyset(spec, f.cursor ? decodeCursor(f.cursor, f.sort, spec) : null, params);
  if (k.where) where.push(k.where);
  params.push(f.limit + 1);
  const [rows, count] = await Promise.all([
    db.query<Record<string, unknown>>(`SELECT ${CASE_COLUMNS}, ${k.keys} FROM cases ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${k.order} LIMIT $${params.length}`, params),
    db.query<{ n: string | number }>(`SELECT count(*) AS n FROM cases ${countWhere.length ? `WHERE ${countWhere.join(' AND ')}` : ''}`, countParams),
  ]);
  const page = rows.rows.slice(0, f.limit);
  const last = rows.rows.length > f.limit ? page.at(-1) : undefined;
  return {
    items: page.map((r) => toCase(r as never)),
    nextCursor: last ? encodeInboxCursor(f.sort, spec.cols.map((_c, i) => String(last[`k${i}`]))) : null,
    total: Number(count.rows[0]?.n ?? 0),
  };
}
