/**
 * The append-only, hash-chained audit log of case work. Each entry's hash covers the previous hash and the
 * entry itself, so changing, removing or reordering any committed entry breaks the chain from there on.
 * A trigger refuses UPDATE, DELETE and TRUNCATE; the chain catches what someone with DDL rights does anyway.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from '@paywatch/db';

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What was done, in the audit log's own words (stable strings: verifiers and reports match on them). */
export const AUDIT_ACTIONS = ['transition', 'assign', 'comment', 'snooze', 'notification-suppressed', 'escalate',
  // Ops sent a dead letter back to its source topic (alertId null: it is about the pipeline, not an alert).
  'dead-letter-replay',
  // An auditor unmasked an alert's accounts or citizen IDs.
  'reveal',
  // An admin imported a new version of the LAO registry (alertId null: it changes routing, not an alert).
  'registry-import'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One entry as stored and as the API shows it. */
export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  alertId: string | null;
  payload: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted at every level and undefined members dropped: the same value always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** sha256(prevHash + canonical JSON of the entry without its hashes), hex. */
export function auditHashOf(prevHash: string, e: Omit<AuditEntry, 'prevHash' | 'hash'>): string {
  const body = canonicalJson({ seq: e.seq, at: e.at, actor: e.actor, action: e.action, alertId: e.alertId, payload: e.payload });
  return createHash('sha256').update(prevHash + body).digest('hex');
}

/**
 * Appends one entry inside the caller's transaction (so it commits or rolls back with the change it records).
 * Locking the head row serialises appenders: seqs are gap-free and each entry chains to the one before it.
 */
export async function appendAudit(
  tx: Queryable,
  input: { at: Date; actor: string; action: AuditAction; alertId: string | null; payload: Record<string, unknown> },
): Promise<AuditEntry> {
  const head = (await tx.query<{ seq: string | number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id FOR UPDATE')).rows[0];
  if (!head) throw new Error('audit_head is missing: migrations not applied');
  // Round-trip the payload through JSON so what is hashed is exactly what jsonb will give back.
  const payload = JSON.parse(JSON.stringify(input.payload)) as Record<string, unknown>;
  const entry = { seq: Number(head.seq) + 1, at: input.at.toISOString(), actor: input.actor, action: input.action, alertId: input.alertId, payload };
  const hash = auditHashOf(head.hash, entry);
  await tx.query(
    `INSERT INTO audit_log (seq, at, actor, action, alert_id, payload, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)`,
    [entry.seq, input.at, entry.actor, entry.action, entry.alertId, JSON.stringify(payload), head.hash, hash],
  );
  await tx.query('UPDATE audit_head SET seq = $1, hash = $2 WHERE id', [entry.seq, hash]);
  return { ...entry, prevHash: head.hash, hash };
}

interface AuditRow { seq: string | number; at: Date | string; actor: string; action: string; alert_id: string | null; payload: Record<string, unknown>; prev_hash: string; hash: string }

const toEntry = (r: AuditRow): AuditEntry => ({
  seq: Number(r.seq), at: new Date(r.at).toISOString(), actor: r.actor, action: r.action, alertId: r.alert_id, payload: r.payload, prevHash: r.prev_hash, hash: r.hash,
});

/** The trail of one alert, oldest first. */
export async function auditTrailOf(db: Queryable, alertId: string): Promise<AuditEntry[]> {
  const r = await db.query<AuditRow>('SELECT seq, at, actor, action, alert_id, payload, prev_hash, hash FROM audit_log WHERE alert_id = $1 ORDER BY seq', [alertId]);
  return r.rows.map(toEntry);
}

/** Result of a verification: `firstBadSeq` is the first entry (or missing seq) where the chain breaks. */
export interface AuditVerification { ok: boolean; entries: number; firstBadSeq?: number }

/**
 * Walks the whole chain in seq order (in pages, so a long log does not sit in memory): seqs must run 1, 2, 3…,
 * each entry must point at the previous hash and hash to its own; the head must match the last entry.
 */
export async function verifyAuditChain(db: Queryable, options: { pageSize?: number } = {}): Promise<AuditVerification> {
  const pageSize = options.pageSize ?? 1_000;
  let prevHash = GENESIS_HASH;
  let expected = 1;
  let entries = 0;
  for (;;) {
    const r = await db.query<AuditRow>(
      'SELECT seq, at, actor, action, alert_id, payload, prev_hash, hash FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2', [expected, pageSize]);
    for (const row of r.rows) {
      const e = toEntry(row);
      if (e.seq !== expected || e.prevHash !== prevHash || auditHashOf(prevHash, e) !== e.hash) return { ok: false, entries, firstBadSeq: expected };
      prevHash = e.hash;
      expected++;
      entries++;
    }
    if (r.rows.length < pageSize) break;
  }
  // A missing seq before the end shows as a gap above; a deleted tail only shows against the head.
  const head = (await db.query<{ seq: string | number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id')).rows[0];
  if (!head || Number(head.seq) !== entries || head.hash !== prevHash) return { ok: false, entries, firstBadSeq: expected };
  return { ok: true, entries };
}
