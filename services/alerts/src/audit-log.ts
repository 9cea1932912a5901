/**
 * The append-only audit log of case work, chained with an HMAC under a key the database does not hold.
 *
 * Each entry's `hash` is HMAC-SHA256(key, prevHash + canonical JSON of the entry), so changing, removing or
 * reordering a committed entry breaks the chain from there on, and — unlike a plain hash — nobody with only
 * database access can recompute the chain after a change: the key comes from the environment (AUDIT_HMAC_KEY;
 * a KMS later). A trigger refuses UPDATE, DELETE and TRUNCATE; the chain catches what someone with DDL rights
 * does anyway. Cutting the tail off (and moving `audit_head` back) leaves a valid shorter chain: that is what the
 * anchors outside the database are for (audit-anchors.ts).
 *
 * Entries written before the key existed are plain sha256 ("legacy", chain = 'sha256'). When the service first
 * starts with a key it checks the legacy part and seals it with an `audit-chain-keyed` entry whose HMAC covers the
 * legacy head (adoptAuditKey); from then on a sha256 entry is refused by the verifier (ADR 0012).
 *
 * The key travels with the transaction: app.ts binds it to the service's Db once (bindAuditKey), so every
 * appendAudit in any route chains with it and none can forget to; a transaction without a bound key refuses to
 * append.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Db, Queryable } from '@paywatch/db';

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What was done, in the audit log's own words (stable strings: verifiers and reports match on them). */
export const AUDIT_ACTIONS = ['transition', 'assign', 'comment', 'snooze', 'notification-suppressed', 'escalate',
  // Ops sent a dead letter back to its source topic (alertId null: it is about the pipeline, not an alert).
  'dead-letter-replay',
  // An auditor unmasked an alert's accounts or citizen IDs.
  'reveal',
  // An admin imported a new version of the LAO registry (alertId null: it changes routing, not an alert).
  'registry-import',
  // A reference list's steps (ingest, via reference-audit.v1; ADR 0018): an upload and its diff, its confirmation (a
  // drop of more than half marked `largeDrop`), the second person's approval, a staged version discarded.
  'reference-upload', 'reference-confirm', 'reference-second-approval', 'reference-discard',
  // The service started chaining with a key: this entry's HMAC covers the sha256 entries before it.
  'audit-chain-keyed',
  // Cases (ADR 0016): payload.caseId names the case; alertId is the alert concerned, or null for the case as a whole.
  'case-reopen', 'case-assign', 'case-comment', 'case-attach', 'case-attachment-download', 'case-close',
  // A user saved or deleted a named inbox filter (alertId null).
  'saved-filter'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** How an entry is chained: plain sha256 (before the key; legacy) or HMAC-SHA256 under the audit key. */
export type AuditChain = 'sha256' | 'hmac-sha256';

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
  chain?: AuditChain;
  keyId?: string | null;
}

/** The audit key: the secret, and a public id of it (stored with each entry, so a wrong key is named as such). */
export interface AuditKey { secret: Buffer; keyId: string }

/** The shortest AUDIT_HMAC_KEY accepted (characters). */
export const MIN_AUDIT_KEY_LENGTH = 32;

/** The key from its configured text (AUDIT_HMAC_KEY, or the dev folder's key file). */
export function auditKeyOf(secret: string): AuditKey {
  if (secret.length < MIN_AUDIT_KEY_LENGTH) throw new Error(`the audit key must be at least ${MIN_AUDIT_KEY_LENGTH} characters`);
  const bytes = Buffer.from(secret, 'utf8');
  return { secret: bytes, keyId: createHmac('sha256', bytes).update('paywatch audit key id').digest('hex').slice(0, 16) };
}

/** JSON with object keys sorted at every level and undefined members dropped: the same value always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

type EntryBody = Pick<AuditEntry, 'seq' | 'at' | 'actor' | 'action' | 'alertId' | 'payload'>;
const bodyOf = (e: EntryBody) => canonicalJson({ seq: e.seq, at: e.at, actor: e.actor, action: e.action, alertId: e.alertId, payload: e.payload });

/** Legacy link: sha256(prevHash + canonical JSON of the entry without its hashes), hex. */
export function auditHashOf(prevHash: string, e: EntryBody): string {
  return createHash('sha256').update(prevHash + bodyOf(e)).digest('hex');
}

/** Keyed link: HMAC-SHA256(key, keyId + prevHash + canonical JSON of the entry), hex. */
export function auditMacOf(key: AuditKey, prevHash: string, e: EntryBody): string {
  return createHmac('sha256', key.secret).update(`${key.keyId}\n${prevHash}\n${bodyOf(e)}`).digest('hex');
}

const BOUND_KEY = Symbol('paywatch.auditKey');
type Keyed = { [BOUND_KEY]?: AuditKey };

/** The service's Db with the audit key bound: its transactions (and itself) can append to the audit log. */
export function bindAuditKey(db: Db, key: AuditKey): Db {
  const keyed = (q: Queryable): Queryable & Keyed => ({ query: (sql, params) => q.query(sql, params), [BOUND_KEY]: key }) as Queryable & Keyed;
  return Object.assign(keyed(db), {
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => db.transaction((tx) => fn(keyed(tx))),
    ping: () => db.ping(),
    close: () => db.close(),
  }) as Db;
}

/**
 * Appends one entry inside the caller's transaction (so it commits or rolls back with the change it records).
 * Locking the head row serialises appenders: seqs are gap-free and each entry chains to the one before it.
 */
export async function appendAudit(
  tx: Queryable,
  input: { at: Date; actor: string; action: AuditAction; alertId: string | null; payload: Record<string, unknown> },
): Promise<AuditEntry> {
  const key = (tx as Keyed)[BOUND_KEY];
  if (!key) throw new Error('audit key not bound to this database handle (bindAuditKey): refusing an unchained audit entry');
  const head = (await tx.query<{ seq: string | number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id FOR UPDATE')).rows[0];
  if (!head) throw new Error('audit_head is missing: migrations not applied');
  // Round-trip the payload through JSON so what is hashed is exactly what jsonb will give back.
  const payload = JSON.parse(JSON.stringify(input.payload)) as Record<string, unknown>;
  const entry = { seq: Number(head.seq) + 1, at: input.at.toISOString(), actor: input.actor, action: input.action, alertId: input.alertId, payload };
  const hash = auditMacOf(key, head.hash, entry);
  await tx.query(
    `INSERT INTO audit_log (seq, at, actor, action, alert_id, payload, prev_hash, hash, chain, key_id) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, 'hmac-sha256', $9)`,
    [entry.seq, input.at, entry.actor, entry.action, entry.alertId, JSON.stringify(payload), head.hash, hash, key.keyId],
  );
  await tx.query('UPDATE audit_head SET seq = $1, hash = $2 WHERE id', [entry.seq, hash]);
  return { ...entry, prevHash: head.hash, hash, chain: 'hmac-sha256', keyId: key.keyId };
}

interface AuditRow { seq: string | number; at: Date | string; actor: string; action: string; alert_id: string | null; payload: Record<string, unknown>; prev_hash: string; hash: string; chain: AuditChain; key_id: string | null }
const COLUMNS = 'seq, at, actor, action, alert_id, payload, prev_hash, hash, chain, key_id';

const toEntry = (r: AuditRow): AuditEntry => ({
  seq: Number(r.seq), at: new Date(r.at).toISOString(), actor: r.actor, action: r.action, alertId: r.alert_id, payload: r.payload,
  prevHash: r.prev_hash, hash: r.hash, chain: r.chain, keyId: r.key_id,
});

/** The trail of one alert, oldest first. */
export async function auditTrailOf(db: Queryable, alertId: string): Promise<AuditEntry[]> {
  const r = await db.query<AuditRow>(`SELECT ${COLUMNS} FROM audit_log WHERE alert_id = $1 ORDER BY seq`, [alertId]);
  return r.rows.map(toEntry);
}

/** The chain's head as the database holds it (what the anchorer signs). */
export async function auditHead(db: Queryable): Promise<{ seq: number; hash: string }> {
  const head = (await db.query<{ seq: string | number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id')).rows[0];
  if (!head) throw new Error('audit_head is missing: migrations not applied');
  return { seq: Number(head.seq), hash: head.hash };
}

/** Why verification failed (stable strings). */
export const AUDIT_FAILURES = {
  seqGap: 'seq-gap', brokenLink: 'broken-link', badHash: 'bad-hash', badMac: 'bad-mac', wrongKey: 'wrong-key',
  legacyAfterKeyed: 'legacy-after-keyed', legacyUnsealed: 'legacy-unsealed', headMismatch: 'head-mismatch',
  truncated: 'truncated-before-anchor', anchorMismatch: 'anchor-mismatch', anchorForged: 'anchor-forged',
} as const;
export type AuditFailure = (typeof AUDIT_FAILURES)[keyof typeof AUDIT_FAILURES];

/** An anchor of the chain head kept outside the database (audit-anchors.ts). */
export interface AuditAnchor { seq: number; hash: string; at: string; keyId: string; mac: string }

/** The MAC that makes an anchor the key holder's: HMAC(key, "anchor" + seq + hash + at). */
export function anchorMacOf(key: AuditKey, a: Pick<AuditAnchor, 'seq' | 'hash' | 'at'>): string {
  return createHmac('sha256', key.secret).update(`anchor\n${key.keyId}\n${a.seq}\n${a.hash}\n${a.at}`).digest('hex');
}

const sameHex = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Result of a verification: `firstBadSeq` is the first entry (or missing seq) where the chain breaks, `reason` why. */
export interface AuditVerification {
  ok: boolean;
  entries: number;
  legacyEntries?: number;
  keyedEntries?: number;
  anchorsChecked?: number;
  latestAnchorSeq?: number;
  firstBadSeq?: number;
  reason?: AuditFailure;
}

/**
 * Walks the whole chain in seq order (in pages, so a long log does not sit in memory): seqs must run 1, 2, 3…,
 * each entry must point at the previous hash and carry its own — sha256 for the legacy part, the HMAC under `key`
 * after it (no legacy entry after a keyed one; a legacy part with no keyed entry after it is unsealed); the head
 * must match the last entry; and every anchor must be the key holder's and match the entry at its seq (an anchor
 * beyond the end means the tail was cut).
 */
export async function verifyAuditChain(db: Queryable, options: { key: AuditKey; anchors?: readonly AuditAnchor[]; pageSize?: number }): Promise<AuditVerification> {
  const pageSize = options.pageSize ?? 1_000;
  const anchors = [...(options.anchors ?? [])].sort((a, b) => a.seq - b.seq);
  for (const a of anchors) {
    if (a.keyId !== options.key.keyId || !sameHex(anchorMacOf(options.key, a), a.mac)) {
      return { ok: false, entries: 0, firstBadSeq: a.seq, reason: AUDIT_FAILURES.anchorForged };
    }
  }
  const anchorAt = new Map(anchors.map((a) => [a.seq, a]));
  let prevHash = GENESIS_HASH;
  let expected = 1;
  let legacy = 0;
  let keyed = 0;
  const fail = (reason: AuditFailure, seq = expected): AuditVerification => ({ ok: false, entries: legacy + keyed, legacyEntries: legacy, keyedEntries: keyed, firstBadSeq: seq, reason });
  for (;;) {
    const r = await db.query<AuditRow>(`SELECT ${COLUMNS} FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2`, [expected, pageSize]);
    for (const row of r.rows) {
      const e = toEntry(row);
      if (e.seq !== expected) return fail(AUDIT_FAILURES.seqGap);
      if (e.prevHash !== prevHash) return fail(AUDIT_FAILURES.brokenLink);
      if (e.chain === 'hmac-sha256') {
        if (e.keyId !== options.key.keyId) return fail(AUDIT_FAILURES.wrongKey);
        if (!sameHex(auditMacOf(options.key, prevHash, e), e.hash)) return fail(AUDIT_FAILURES.badMac);
        keyed++;
      } else {
        // A sha256 entry after a keyed one would be anyone's: the downgrade the key exists to stop.
        if (keyed > 0) return fail(AUDIT_FAILURES.legacyAfterKeyed);
        if (auditHashOf(prevHash, e) !== e.hash) return fail(AUDIT_FAILURES.badHash);
        legacy++;
      }
      const anchor = anchorAt.get(e.seq);
      if (anchor && anchor.hash !== e.hash) return fail(AUDIT_FAILURES.anchorMismatch);
      prevHash = e.hash;
      expected++;
    }
    if (r.rows.length < pageSize) break;
  }
  const entries = legacy + keyed;
  if (legacy > 0 && keyed === 0) return fail(AUDIT_FAILURES.legacyUnsealed, legacy);
  const latest = anchors.at(-1);
  if (latest && latest.seq > entries) return fail(AUDIT_FAILURES.truncated, entries + 1);
  // A missing seq before the end shows as a gap above; a deleted tail only shows against the head (or an anchor).
  const head = await auditHead(db).catch(() => null);
  if (!head || head.seq !== entries || head.hash !== prevHash) return fail(AUDIT_FAILURES.headMismatch);
  return { ok: true, entries, legacyEntries: legacy, keyedEntries: keyed, anchorsChecked: anchors.length, ...(latest ? { latestAnchorSeq: latest.seq } : {}) };
}

/** Thrown at start-up when the key cannot take over the chain (the legacy part is broken, or another key chained it). */
export class AuditKeyError extends Error {
  readonly code = 'PW_ERR_AUDIT_KEY';
}

/**
 * Makes the chain the key's, once, at start-up (idempotent, safe with several replicas: it locks the head):
 * - keyed entries already there: they must be this key's (a different key would fork the chain unverifiably);
 * - only legacy entries: they must verify as sha256, then an `audit-chain-keyed` entry seals them (its HMAC covers
 *   their head); a broken legacy part is not sealed (that would launder the change): start-up fails instead;
 * - nothing yet: nothing to do, the first entry is keyed.
 */
export async function adoptAuditKey(db: Db, now: Date): Promise<{ sealedLegacyEntries: number }> {
  return db.transaction(async (tx) => {
    const key = (tx as Keyed)[BOUND_KEY];
    if (!key) throw new AuditKeyError('audit key not bound (bindAuditKey)');
    const head = (await tx.query<{ seq: string | number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id FOR UPDATE')).rows[0];
    if (!head) throw new Error('audit_head is missing: migrations not applied');
    if (Number(head.seq) === 0) return { sealedLegacyEntries: 0 };
    const lastKeyed = (await tx.query<{ key_id: string }>(`SELECT key_id FROM audit_log WHERE chain = 'hmac-sha256' ORDER BY seq DESC LIMIT 1`)).rows[0];
    if (lastKeyed) {
      if (lastKeyed.key_id !== key.keyId) throw new AuditKeyError(`the audit log is chained with key ${lastKeyed.key_id}, this service has key ${key.keyId}: set the AUDIT_HMAC_KEY it was started with`);
      return { sealedLegacyEntries: 0 };
    }
    let prevHash = GENESIS_HASH;
    let expected = 1;
    for (;;) {
      const r = await tx.query<AuditRow>(`SELECT ${COLUMNS} FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT 1000`, [expected]);
      for (const row of r.rows) {
        const e = toEntry(row);
        if (e.seq !== expected || e.prevHash !== prevHash || auditHashOf(prevHash, e) !== e.hash) {
          throw new AuditKeyError(`the legacy (sha256) audit chain is broken at seq ${expected}: not sealing it; investigate before starting with a key`);
        }
        prevHash = e.hash;
        expected++;
      }
      if (r.rows.length < 1000) break;
    }
    const legacyEntries = expected - 1;
    if (legacyEntries !== Number(head.seq) || prevHash !== head.hash) throw new AuditKeyError('the legacy audit chain does not end at audit_head: not sealing it');
    await appendAudit(tx, { at: now, actor: 'system', action: 'audit-chain-keyed', alertId: null, payload: { legacyEntries, legacyHead: prevHash, keyId: key.keyId } });
    return { sealedLegacyEntries: legacyEntries };
  });
}
