/**
 * The built-in user store: profiles and channel settings seeded from the configured users, argon2id password
 * hashes for the embedded demo, and login with a per-username throttle. Bearer tokens from an identity
 * provider keep working unchanged; this store only adds a way to obtain one.
 */
import argon2 from 'argon2';
import type { Db, Queryable } from '@paywatch/db';
import type { Principal } from '@paywatch/http-kit';
import type { Logger } from '@paywatch/observability';
import { ALERTS_ERRORS } from './errors.ts';
import type { AlertUser } from './routing.ts';

/** Failed logins tolerated per username within `LOGIN_WINDOW_MS` before further attempts are refused. */
export const MAX_LOGIN_FAILURES = 5;
/** The throttle's window: 10 minutes. */
export const LOGIN_WINDOW_MS = 10 * 60_000;

const HASH_OPTIONS = { type: argon2.argon2id } as const;

/**
 * Makes the table match the configured users: upserts each (profile and channel settings), sets a password where
 * `passwordHashes` gives an argon2id hash (USERS_FILE) or `demoPasswords` a demo password, and removes users no
 * longer configured (so a removed person cannot log in).
 */
export async function seedUsers(db: Db, users: readonly AlertUser[], demoPasswords: Readonly<Record<string, string>>, now: Date, passwordHashes: Readonly<Record<string, string>> = {}): Promise<void> {
  await db.query('DELETE FROM users WHERE sub <> ALL($1::text[])', [users.map((u) => u.sub)]);
  const existing = new Map((await db.query<{ sub: string; password_hash: string | null }>('SELECT sub, password_hash FROM users')).rows.map((r) => [r.sub, r.password_hash]));
  for (const u of users) {
    const password = demoPasswords[u.sub];
    const current = existing.get(u.sub) ?? null;
    // Hashing is deliberately slow: keep a hash that still matches instead of re-hashing at every start.
    let hash = passwordHashes[u.sub] ?? current;
    if (passwordHashes[u.sub] === undefined && password !== undefined && !(current && (await argon2.verify(current, password).catch(() => false)))) hash = await argon2.hash(password, HASH_OPTIONS);
    await db.query(
      `INSERT INTO users (sub, name, email, role, provinces, district, lao_code, password_hash, webhook_url, line_user_id, updated_at)
       VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8, $9, $10, $11)
       ON CONFLICT (sub) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, role = EXCLUDED.role, provinces = EXCLUDED.provinces,
         district = EXCLUDED.district, lao_code = EXCLUDED.lao_code, password_hash = EXCLUDED.password_hash,
         webhook_url = EXCLUDED.webhook_url, line_user_id = EXCLUDED.line_user_id, updated_at = EXCLUDED.updated_at`,
      [u.sub, u.name ?? null, u.email, u.role, [...(u.provinces ?? [])], u.district ?? null, u.laoCode ?? null, hash, u.webhookUrl ?? null, u.lineUserId ?? null, now],
    );
  }
}

/** The channel settings of some users (e-mail always; webhook and LINE when set). */
export interface ChannelSettings { sub: string; email: string; webhookUrl: string | null; lineUserId: string | null }

/** Channel settings of the given subs, read in the caller's transaction. */
export async function channelSettingsOf(tx: Queryable, subs: readonly string[]): Promise<Map<string, ChannelSettings>> {
  if (subs.length === 0) return new Map();
  const r = await tx.query<{ sub: string; email: string; webhook_url: string | null; line_user_id: string | null }>(
    'SELECT sub, email, webhook_url, line_user_id FROM users WHERE sub = ANY($1::text[])', [[...subs]]);
  return new Map(r.rows.map((x) => [x.sub, { sub: x.sub, email: x.email, webhookUrl: x.webhook_url, lineUserId: x.line_user_id }]));
}

interface UserRow { sub: string; name: string | null; role: Principal['role']; provinces: string[]; district: string | null; lao_code: string | null; password_hash: string | null }

let dummyHash: Promise<string> | null = null;

/**
 * Checks a username (sub or e-mail) and password; returns the principal to sign, or throws 401 (one answer for
 * every cause) or 429 after too many recent failures. An unknown user still costs one argon2 verification,
 * so timing does not tell which part was wrong.
 */
export async function authenticate(db: Db, input: { username: string; password: string; now: Date; logger: Logger }): Promise<Principal> {
  const username = input.username.trim().toLowerCase();
  const since = new Date(input.now.getTime() - LOGIN_WINDOW_MS);
  const failures = Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM login_failures WHERE username = $1 AND at > $2', [username, since])).rows[0]?.n ?? 0);
  if (failures >= MAX_LOGIN_FAILURES) {
    input.logger.warn({ username, failures }, 'login throttled');
    throw ALERTS_ERRORS.loginThrottled();
  }
  const user = (await db.query<UserRow>(
    'SELECT sub, name, role, provinces, district, lao_code, password_hash FROM users WHERE lower(sub) = $1 OR lower(email) = $1 ORDER BY sub LIMIT 1', [username])).rows[0];
  const hash = user?.password_hash ?? (await (dummyHash ??= argon2.hash('not-a-password', HASH_OPTIONS)));
  const ok = (await argon2.verify(hash, input.password).catch(() => false)) && !!user?.password_hash;
  if (!ok || !user) {
    await db.transaction(async (tx) => {
      await tx.query('DELETE FROM login_failures WHERE username = $1 AND at <= $2', [username, since]);
      await tx.query('INSERT INTO login_failures (username, at) VALUES ($1, $2)', [username, input.now]);
    });
    input.logger.warn({ username, failures: failures + 1 }, 'login failed');
    throw ALERTS_ERRORS.loginFailed();
  }
  await db.query('DELETE FROM login_failures WHERE username = $1', [username]);
  return {
    sub: user.sub, role: user.role, ...(user.name ? { name: user.name } : {}), ...(user.provinces.length ? { provinces: user.provinces } : {}),
    ...(user.district ? { district: user.district } : {}), ...(user.lao_code ? { laoCode: user.lao_code } : {}),
  };
}
