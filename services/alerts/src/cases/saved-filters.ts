/** Named inbox filters, per user, kept on the server (so they follow the auditor to another machine). Audited. */
import type { Db, Queryable } from '@paywatch/db';
import { COMMON_ERRORS } from '@paywatch/http-kit';
import { appendAudit } from '../audit-log.ts';
import type { Actor } from '../case-store.ts';
import { CASE_ERRORS } from './case-errors.ts';

/** The inbox parameters a saved filter may hold (the inbox's GET form, without paging). */
export const SAVED_FILTER_KEYS = ['view', 'sort', 'severity', 'status', 'province', 'district', 'lao', 'rule', 'from', 'to', 'minBaht', 'maxBaht', 'minAmountSatang', 'maxAmountSatang', 'assignee'] as const;

/** One saved filter. */
export interface SavedFilter { id: number; name: string; query: string; createdAt: string }

/** The query string with only known, non-empty parameters, in a fixed order; null when nothing is left or it is too long. */
export function normaliseFilterQuery(query: string): string | null {
  const q = new URLSearchParams(query.replace(/^\?/, ''));
  const out = new URLSearchParams();
  for (const k of SAVED_FILTER_KEYS) {
    const v = q.get(k)?.trim();
    if (v && v.length <= 200) out.set(k, v);
  }
  const text = out.toString();
  return text && text.length <= 2_000 ? text : null;
}

/** Saves (or replaces, by name) one of the user's filters. */
export async function saveFilter(db: Db, input: { actor: Actor; name: string; query: string; now: Date }): Promise<SavedFilter> {
  const name = input.name.trim();
  const query = normaliseFilterQuery(input.query);
  if (!name || name.length > 80 || !query) throw CASE_ERRORS.savedFilterInvalid();
  return db.transaction(async (tx) => {
    const r = (await tx.query<{ id: string | number; created_at: Date | string }>(
      `INSERT INTO saved_filters (owner_sub, name, query, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (owner_sub, name) DO UPDATE SET query = EXCLUDED.query RETURNING id, created_at`, [input.actor.sub, name, query, input.now])).rows[0]!;
    await appendAudit(tx, { at: input.now, actor: input.actor.sub, action: 'saved-filter', alertId: null, payload: { role: input.actor.role, op: 'save', filterId: Number(r.id), name, query } });
    return { id: Number(r.id), name, query, createdAt: new Date(r.created_at).toISOString() };
  });
}

/** The user's saved filters, by name. */
export async function savedFiltersOf(db: Queryable, sub: string): Promise<SavedFilter[]> {
  const r = await db.query<{ id: string | number; name: string; query: string; created_at: Date | string }>(
    'SELECT id, name, query, created_at FROM saved_filters WHERE owner_sub = $1 ORDER BY name', [sub]);
  return r.rows.map((x) => ({ id: Number(x.id), name: x.name, query: x.query, createdAt: new Date(x.created_at).toISOString() }));
}

/** Deletes one of the user's own filters (another user's is "not found"). */
export async function deleteFilter(db: Db, input: { actor: Actor; id: number; now: Date }): Promise<void> {
  await db.transaction(async (tx) => {
    const r = await tx.query<{ name: string }>('DELETE FROM saved_filters WHERE id = $1 AND owner_sub = $2 RETURNING name', [input.id, input.actor.sub]);
    if (r.rowCount === 0) throw COMMON_ERRORS.notFound('saved filter');
    await appendAudit(tx, { at: input.now, actor: input.actor.sub, action: 'saved-filter', alertId: null, payload: { role: input.actor.role, op: 'delete', filterId: input.id, name: r.rows[0]!.name } });
  });
}
