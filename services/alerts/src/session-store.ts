/**
 * Server-side sessions of the web console. The console's cookie holds a random session id; this table holds only
 * its sha256 (a copy of the table logs nobody in) with the user, an absolute end and an idle timeout. The console
 * trades the id for a bearer token of a few minutes at each request, so logout (or a password change) ends the
 * session at once for every console replica, and no long-lived token ever sits in a browser.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '@paywatch/db';

/** How long sessions and the tokens traded for them last. */
export interface SessionPolicy {
  /** Absolute lifetime of a session. Default 12 h (the longest any token may live). */
  maxAgeMs: number;
  /** A session unused this long ends. Default 1 h. */
  idleMs: number;
  /** Lifetime of the bearer token handed to the console per request. Default 5 min. */
  tokenTtlSeconds: number;
}

/** The defaults of SessionPolicy. */
export const DEFAULT_SESSION_POLICY: SessionPolicy = { maxAgeMs: 12 * 3600_000, idleMs: 3600_000, tokenTtlSeconds: 300 };

/** Why a session was ended (stored, and logged). */
export type RevokeReason = 'logout' | 'password-change' | 'user-removed';

const hashOf = (sessionId: string) => createHash('sha256').update(sessionId).digest('hex');

/** A short, harmless handle of a session for tokens and logs (a prefix of the hash, never the id). */
export const sessionHandle = (sessionId: string) => hashOf(sessionId).slice(0, 16);

/** Opens a session for `sub`; returns the id (256 random bits, base64url) to put in the cookie. */
export async function openSession(db: Queryable, sub: string, now: Date, policy: SessionPolicy): Promise<{ sessionId: string; expiresAt: Date }> {
  const sessionId = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + policy.maxAgeMs);
  await db.query('INSERT INTO sessions (id_hash, sub, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $3)', [hashOf(sessionId), sub, now, expiresAt]);
  return { sessionId, expiresAt };
}

/**
 * The live session of an id, touched (its idle clock restarted), or null when it is unknown, revoked, past its
 * absolute end or idle too long. One UPDATE decides and touches, so a session revoked meanwhile is never used.
 */
export async function useSession(db: Queryable, sessionId: string, now: Date, policy: SessionPolicy): Promise<{ sub: string; expiresAt: Date } | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(sessionId)) return null;
  const r = await db.query<{ sub: string; expires_at: Date | string }>(
    `UPDATE sessions SET last_seen_at = $2
     WHERE id_hash = $1 AND revoked_at IS NULL AND expires_at > $2 AND last_seen_at > $3
     RETURNING sub, expires_at`, [hashOf(sessionId), now, new Date(now.getTime() - policy.idleMs)]);
  const row = r.rows[0];
  return row ? { sub: row.sub, expiresAt: new Date(row.expires_at) } : null;
}

/** Ends one session (logout); true when it was live. */
export async function revokeSession(db: Queryable, sessionId: string, now: Date, reason: RevokeReason): Promise<boolean> {
  const r = await db.query('UPDATE sessions SET revoked_at = $2, revoked_reason = $3 WHERE id_hash = $1 AND revoked_at IS NULL RETURNING sub', [hashOf(sessionId), now, reason]);
  return r.rows.length > 0;
}

/** Ends every session of a user (password change, user removed); returns how many were live. */
export async function revokeSessionsOf(db: Queryable, sub: string, now: Date, reason: RevokeReason): Promise<number> {
  const r = await db.query('UPDATE sessions SET revoked_at = $2, revoked_reason = $3 WHERE sub = $1 AND revoked_at IS NULL RETURNING id_hash', [sub, now, reason]);
  return r.rows.length;
}

/** Drops sessions that ended more than a day ago (housekeeping; a live session is never touched). */
export async function pruneSessions(db: Queryable, now: Date): Promise<number> {
  const r = await db.query('DELETE FROM sessions WHERE expires_at < $1 OR revoked_at < $1 RETURNING id_hash', [new Date(now.getTime() - 86400_000)]);
  return r.rows.length;
}
