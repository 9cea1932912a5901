/**
 * Login attempts counted in the database, atomically, per account and per client address, with a backoff that
 * grows. Shared by every replica (the table is the state), and race-free: an attempt is counted BEFORE its
 * password is checked, by one `INSERT … ON CONFLICT DO UPDATE … WHERE not locked` that PostgreSQL serialises on
 * the bucket's row, so 100 parallel guesses get 100 distinct counts and only the first few are let through to
 * argon2. A right password then gives its count back.
 *
 * Why an attacker cannot lock a real user out (ADR 0012):
 * - the per-address limit is lower than the per-account one, so from one address nobody ever reaches the
 *   account lock: only many addresses together can;
 * - the account lock is a backoff (1 min, doubling, at most 15 min), never permanent: after each wait one more
 *   try is allowed, and a right password then resets the account;
 * - an address the account has logged in from before (in the last 90 days) counts in a bucket of its own for
 *   that account, so guesses from elsewhere do not lock the user out where they usually work.
 */
import type { Queryable } from '@paywatch/db';

/** How a bucket throttles: free failures, then a lock of `baseLockMs` doubling per further failure up to `maxLockMs`. */
export interface ThrottlePolicy {
  freeFailures: number;
  baseLockMs: number;
  maxLockMs: number;
  /** Failures are forgotten this long after the last one. */
  forgetAfterMs: number;
}

/** Per account (whatever name was typed: the sub or the e-mail resolve to the same bucket). */
export const ACCOUNT_POLICY: ThrottlePolicy = { freeFailures: 10, baseLockMs: 60_000, maxLockMs: 15 * 60_000, forgetAfterMs: 60 * 60_000 };
/** Per client address (IPv4, or IPv6 /64): lower than the account's, so it bites first. */
export const ADDRESS_POLICY: ThrottlePolicy = { freeFailures: 8, baseLockMs: 60_000, maxLockMs: 60 * 60_000, forgetAfterMs: 4 * 60 * 60_000 };
/** How long a successful login makes an address "known" for that account. */
export const KNOWN_ADDRESS_MS = 90 * 86400_000;

/** The outcome of reserving an attempt: allowed, or locked until a time. */
export type Reservation = { allowed: true; failures: number } | { allowed: false; lockedUntil: Date };

/**
 * Counts one attempt in a bucket unless it is locked; the count that crosses `freeFailures` sets the next lock.
 * The WHERE of ON CONFLICT is evaluated on the newest row version under its lock, so concurrent callers never
 * both see "not locked" for the same slot.
 */
export async function reserveAttempt(db: Queryable, key: string, policy: ThrottlePolicy, now: Date): Promise<Reservation> {
  const forgetBefore = new Date(now.getTime() - policy.forgetAfterMs);
  const r = await db.query<{ failures: number }>(
    `INSERT INTO login_throttle AS t (key, failures, last_failure_at, locked_until)
     VALUES ($1, 1, $2, CASE WHEN 1 >= $4::int THEN $2::timestamptz + make_interval(secs => $5::double precision / 1000) ELSE NULL END)
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN t.last_failure_at <= $3 THEN 1 ELSE t.failures + 1 END,
       last_failure_at = $2,
       locked_until = CASE WHEN (CASE WHEN t.last_failure_at <= $3 THEN 1 ELSE t.failures + 1 END) >= $4::int
         THEN $2::timestamptz + make_interval(secs => least($6::double precision,
           $5::double precision * power(2, least(30, (CASE WHEN t.last_failure_at <= $3 THEN 1 ELSE t.failures + 1 END) - $4::int))) / 1000)
         ELSE NULL END
     WHERE t.locked_until IS NULL OR t.locked_until <= $2
     RETURNING failures`,
    [key, now, forgetBefore, policy.freeFailures, policy.baseLockMs, policy.maxLockMs],
  );
  const row = r.rows[0];
  if (row) return { allowed: true, failures: Number(row.failures) };
  const locked = (await db.query<{ locked_until: Date | string | null }>('SELECT locked_until FROM login_throttle WHERE key = $1', [key])).rows[0]?.locked_until;
  // Unlocked between the two statements: refuse this once anyway, the caller may try again at once.
  return { allowed: false, lockedUntil: locked ? new Date(locked) : now };
}

/** Gives back the count a successful attempt took (and the lock it set, if it was the one that crossed the limit). */
export async function releaseAttempt(db: Queryable, key: string, policy: ThrottlePolicy): Promise<void> {
  await db.query(
    `UPDATE login_throttle SET failures = greatest(failures - 1, 0),
       locked_until = CASE WHEN failures - 1 < $2::int THEN NULL ELSE locked_until END
     WHERE key = $1`, [key, policy.freeFailures]);
}

/** Forgets a bucket (the account's, after its right password). */
export async function resetBucket(db: Queryable, key: string): Promise<void> {
  await db.query('DELETE FROM login_throttle WHERE key = $1', [key]);
}

/** Whether the account has logged in from this address within KNOWN_ADDRESS_MS. */
export async function isKnownAddress(db: Queryable, sub: string, address: string, now: Date): Promise<boolean> {
  const r = await db.query('SELECT 1 FROM login_known_addresses WHERE sub = $1 AND address = $2 AND last_success_at > $3', [sub, address, new Date(now.getTime() - KNOWN_ADDRESS_MS)]);
  return r.rows.length > 0;
}

/** Remembers a successful login's address for the account. */
export async function rememberAddress(db: Queryable, sub: string, address: string, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO login_known_addresses (sub, address, last_success_at) VALUES ($1, $2, $3)
     ON CONFLICT (sub, address) DO UPDATE SET last_success_at = EXCLUDED.last_success_at`, [sub, address, now]);
}
