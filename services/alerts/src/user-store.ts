/**
 * The built-in user store: profiles and channel settings seeded from the configured users, argon2id password
 * hashes for the embedded demo, and login throttled per account and per address (login-throttle.ts). Bearer tokens from an identity
 * provider keep working unchanged; this store only adds a way to obtain one.
 */
import argon2 from 'argon2';
import type { Db, Queryable } from '@paywatch/db';
import type { Principal } from '@paywatch/http-kit';
import type { Logger } from '@paywatch/observability';
import { ALERTS_ERRORS } from './errors.ts';
import { ACCOUNT_POLICY, ADDRESS_POLICY, isKnownAddress, releaseAttempt, rememberAddress, reserveAttempt, resetBucket } from './login-throttle.ts';
import type { AlertUser } from './routing.ts';
import { revokeSessionsOf } from './session-store.ts';

const HASH_OPTIONS = { type: argon2.argon2id } as const;

/**
 * Makes the table match the configured users: upserts each (profile and channel settings), sets a password where
 * `passwordHashes` gives an argon2id hash (USERS_FILE) or `demoPasswords` a demo password, and removes users no
 * longer configured (so a removed person cannot log in).
 */
export async function seedUsers(db: Db, users: readonly AlertUser[], demoPasswords: Readonly<Record<string, string>>, now: Date, passwordHashes: Readonly<Record<string, string>> = {}): Promise<void> {
  const removed = await db.query<{ sub: string }>('DELETE FROM users WHERE sub <> ALL($1::text[]) RETURNING sub', [users.map((u) => u.sub)]);
  for (const r of removed.rows) await revokeSessionsOf(db, r.sub, now, 'user-removed');
  const existing = new Map((await db.query<{ sub: string; password_hash: string | null }>('SELECT sub, password_hash FROM users')).rows.map((r) => [r.sub, r.password_hash]));
  for (const u of users) {
    const password = demoPasswords[u.sub];
    const current = existing.get(u.sub) ?? null;
    // Hashing is deliberately slow: keep a hash that still matches instead of re-hashing at every start.
    let hash = passwordHashes[u.sub] ?? current;
    if (passwordHashes[u.sub] === undefined && password !== undefined && !(current && (await argon2.verify(current, password).catch(() => false)))) hash = await argon2.hash(password, HASH_OPTIONS);
    // A new password (a new hash in USERS_FILE or a changed demo password) ends the sessions opened with the old one.
    if (current && hash !== current) await revokeSessionsOf(db, u.sub, now, 'password-change');
    await db.query(
      `INSERT INTO users (sub, name, email, role, provinces, district, lao_code, password_hash, webhook_url, line_user_id, updated_at, second_approver)
       VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (sub) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, role = EXCLUDED.role, provinces = EXCLUDED.provinces,
         district = EXCLUDED.district, lao_code = EXCLUDED.lao_code, password_hash = EXCLUDED.password_hash,
         webhook_url = EXCLUDED.webhook_url, line_user_id = EXCLUDED.line_user_id, updated_at = EXCLUDED.updated_at, second_approver = EXCLUDED.second_approver`,
      [u.sub, u.name ?? null, u.email, u.role, [...(u.provinces ?? [])], u.district ?? null, u.laoCode ?? null, hash, u.webhookUrl ?? null, u.lineUserId ?? null, now, u.secondApprover === true],
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

interface UserRow { sub: string; name: string | null; role: Principal['role']; provinces: string[]; district: string | null; lao_code: string | null; password_hash: string | null; second_approver: boolean | null }

let dummyHash: Promise<string> | null = null;

/** What a login attempt brings: the typed name and password, and the client address it came from. */
export interface LoginAttempt { username: string; password: string; address: string; now: Date; logger: Logger; onPasswordCheck?: () => void }

/**
 * Checks a username (sub or e-mail) and password; returns the principal to sign, or throws 401 (one answer for
 * every cause) or 429 while the address or the account is in backoff (login-throttle.ts). The attempt is counted
 * before the password is checked, so parallel guesses cannot slip past the count. An unknown user still costs
 * one argon2 verification and has a bucket of its own, so neither timing nor throttling tells which part was wrong.
 */
export async function authenticate(db: Db, input: LoginAttempt): Promise<Principal> {
  const username = input.username.trim().toLowerCase();
  const user = (await db.query<UserRow>(
    'SELECT sub, name, role, provinces, district, lao_code, password_hash, second_approver FROM users WHERE lower(sub) = $1 OR lower(email) = $1 ORDER BY sub LIMIT 1', [username])).rows[0];
  const addressKey = `address:${input.address}`;
  const known = user ? await isKnownAddress(db, user.sub, input.address, input.now) : false;
  // The account's bucket: by sub whatever name was typed; its own per known address; by the typed name for nobody.
  const accountKey = user ? (known ? `account:${user.sub}@${input.address}` : `account:${user.sub}`) : `name:${username}`;
  const throttled = (bucket: string, lockedUntil: Date) => {
    input.logger.warn({ username, address: input.address, bucket, lockedUntil: lockedUntil.toISOString() }, 'login throttled');
    return ALERTS_ERRORS.loginThrottled(Math.max(1, Math.ceil((lockedUntil.getTime() - input.now.getTime()) / 1000)));
  };
  const byAddress = await reserveAttempt(db, addressKey, ADDRESS_POLICY, input.now);
  if (!byAddress.allowed) throw throttled('address', byAddress.lockedUntil);
  const byAccount = await reserveAttempt(db, accountKey, ACCOUNT_POLICY, input.now);
  if (!byAccount.allowed) throw throttled('account', byAccount.lockedUntil);

  input.onPasswordCheck?.();
  const hash = user?.password_hash ?? (await (dummyHash ??= argon2.hash('not-a-password', HASH_OPTIONS)));
  const ok = (await argon2.verify(hash, input.password).catch(() => false)) && !!user?.password_hash;
  if (!ok || !user) {
    input.logger.warn({ username, address: input.address, addressFailures: byAddress.failures, accountFailures: byAccount.failures }, 'login failed');
    throw ALERTS_ERRORS.loginFailed();
  }
  // The right password: this attempt was not a failure after all.
  await releaseAttempt(db, addressKey, ADDRESS_POLICY);
  await resetBucket(db, accountKey);
  await rememberAddress(db, user.sub, input.address, input.now);
  return principalOfRow(user);
}

/** Shortest password a user may set. */
export const MIN_PASSWORD_LENGTH = 12;

/**
 * Sets a user's new password (argon2id) and ends every session of theirs in the same transaction: whoever held a
 * session opened with the old password is logged out. The caller has checked the current password.
 */
export async function changePassword(db: Db, sub: string, newPassword: string, now: Date): Promise<number> {
  const hash = await argon2.hash(newPassword, HASH_OPTIONS);
  return db.transaction(async (tx) => {
    await tx.query('UPDATE users SET password_hash = $2, updated_at = $3 WHERE sub = $1', [sub, hash, now]);
    return revokeSessionsOf(tx, sub, now, 'password-change');
  });
}

/** The principal of a user as stored now (role and scope re-read at every session use), or null when removed. */
export async function principalOfUser(db: Queryable, sub: string): Promise<Principal | null> {
  const user = (await db.query<UserRow>('SELECT sub, name, role, provinces, district, lao_code, password_hash, second_approver FROM users WHERE sub = $1', [sub])).rows[0];
  return user ? principalOfRow(user) : null;
}

function principalOfRow(user: UserRow): Principal {
  return {
    sub: user.sub, role: user.role, ...(user.name ? { name: user.name } : {}), ...(user.provinces.length ? { provinces: user.provinces } : {}),
    ...(user.district ? { district: user.district } : {}), ...(user.lao_code ? { laoCode: user.lao_code } : {}),
    // Only on a finance user of an LAO (the LAO's second approver, ADR 0018); an admin needs no flag.
    ...(user.second_approver && user.role === 'finance' && user.lao_code ? { secondApprover: true } : {}),
  };
}
