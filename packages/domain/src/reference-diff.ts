/**
 * What a new version of a reference list changes against the version in force (ADR 0018): rows added, removed and
 * whose account changed, matched by who the row is about (a payee's tax/citizen ID, else its name), and the payee
 * register's change history the `register-changed-before-payment` rule reads. Pure; shared by ingest (the diff shown
 * before confirming, the audit entry) and the rules engine (history when a snapshot does not carry it).
 */
import { z } from 'zod';
import { accountKey } from './banks.ts';
import { addDays } from './dates.ts';
import { maskAccount } from './masking.ts';
import type { ReferenceKind, RegisteredPayee } from './reference.ts';

/**
 * Days of register history kept with the register: longer than any rule looks back (register-changed-before-payment
 * reads 90 days), since payments may be evaluated weeks after their date.
 */
export const REGISTER_HISTORY_DAYS = 400;

/** One row of a diff as shown: who (name, masked), the account masked, and for an account change the one before. */
export interface DiffRow { label: string; bankCode: string | null; accountMasked: string | null; previousBankCode?: string | null; previousAccountMasked?: string | null }

/** The change a new version makes to the list in force. Accounts masked; counts whole, rows capped at `maxRows`. */
export interface ReferenceDiff {
  before: number;
  after: number;
  added: number;
  removed: number;
  accountChanged: number;
  /** Same person and account, other name or details: corrections, not changes of where money goes. */
  otherwiseChanged: number;
  unchanged: number;
  /** Rows of the list in force the new version drops, as a share of the list in force (0 for a first list). */
  droppedShare: number;
  rows: { added: DiffRow[]; removed: DiffRow[]; accountChanged: DiffRow[] };
}

/** A register row's account history entry: [account key `bank:account`, what happened, calendar date, register version]. */
export const RegisterChange = z.tuple([z.string(), z.enum(['added', 'account-changed']), z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.number().int().positive()]);
/** One register change (compact: it travels with every register snapshot the engine keeps). */
export type RegisterChange = z.infer<typeof RegisterChange>;

type Item = Record<string, unknown>;
interface Keyed { identity: string; account: string | null; bankCode: string | null; rawAccount: string | null; label: string; whole: string }

const squash = (s: unknown): string => (typeof s === 'string' ? s.normalize('NFC').replace(/[\s\u200b]+/g, ' ').trim() : '');

function keyedOf(kind: ReferenceKind, item: Item): Keyed {
  const str = (k: string) => (typeof item[k] === 'string' ? (item[k] as string) : null);
  const bankCode = kind === 'vouchers' ? str('payeeBankCode') : str('bankCode');
  const rawAccount = kind === 'vouchers' ? str('payeeAccount') : str('account');
  const account = bankCode !== null && rawAccount !== null ? accountKey(bankCode, rawAccount) : null;
  const name = squash(kind === 'vouchers' ? item.payeeName : item.name);
  const identity = kind === 'payees' ? (str('payeeId') ?? `name:${name}`)
    : kind === 'staff' ? (str('citizenId') ?? `name:${name}`)
      : kind === 'beneficiaries' ? (str('citizenId') ?? `name:${name}`)
        : `voucher:${squash(item.voucherNo)}:${squash(item.voucherDate)}:${String(item.amountSatang)}`;
  const label = kind === 'vouchers' ? `${squash(item.voucherNo)} ${name}`.trim() : name;
  // Key order differs between a freshly parsed row and one read back from the blob store: compare sorted.
  const whole = JSON.stringify(Object.keys(item).sort().map((k) => [k, item[k] ?? null]));
  return { identity, account, bankCode, rawAccount, label, whole };
}

const rowOf = (k: Keyed): DiffRow => ({ label: k.label, bankCode: k.bankCode, accountMasked: k.rawAccount === null ? null : maskAccount(k.rawAccount) });

/**
 * The diff of `after` against `before` (null: a first list, everything added). A row is matched by who it is about,
 * then by account: a payee whose ID (or name) stays with another account is an account change, not an add and a remove.
 */
export function diffReferenceItems(kind: ReferenceKind, before: readonly unknown[] | null, after: readonly unknown[], maxRows = 200): ReferenceDiff {
  const old = (before ?? []).map((i) => keyedOf(kind, i as Item));
  const neu = after.map((i) => keyedOf(kind, i as Item));
  const oldByIdentity = new Map<string, Keyed[]>();
  for (const k of old) oldByIdentity.set(k.identity, [...(oldByIdentity.get(k.identity) ?? []), k]);
  const oldWhole = new Set(old.map((k) => k.whole));
  const oldAccounts = new Set(old.map((k) => `${k.identity}|${k.account}`));
  const newIdentities = new Set(neu.map((k) => k.identity));
  const newAccounts = new Set(neu.map((k) => `${k.identity}|${k.account}`));
  // A row whose name changed but whose account stayed (and no other row took that account) is a correction, not an
  // add and a remove: keyed by name alone, a renamed payee would otherwise look like one.
  const oldByAccount = new Map(old.filter((k) => k.account !== null && !newIdentities.has(k.identity)).map((k) => [k.account!, k]));
  const renamedFrom = new Set<string>();
  const rows: ReferenceDiff['rows'] = { added: [], removed: [], accountChanged: [] };
  let added = 0, accountChanged = 0, otherwise = 0, unchanged = 0, removed = 0;
  const push = (list: DiffRow[], row: DiffRow) => { if (list.length < maxRows) list.push(row); };
  for (const k of neu) {
    const same = oldByIdentity.get(k.identity);
    const renamed = !same && k.account !== null ? oldByAccount.get(k.account) : undefined;
    if (renamed && !renamedFrom.has(renamed.identity)) { renamedFrom.add(renamed.identity); otherwise++; continue; }
    if (!same) { added++; push(rows.added, rowOf(k)); continue; }
    if (oldWhole.has(k.whole)) { unchanged++; continue; }
    if (oldAccounts.has(`${k.identity}|${k.account}`)) { otherwise++; continue; }
    const prev = same.find((s) => !newAccounts.has(`${s.identity}|${s.account}`)) ?? same[0]!;
    accountChanged++;
    push(rows.accountChanged, { ...rowOf(k), previousBankCode: prev.bankCode, previousAccountMasked: prev.rawAccount === null ? null : maskAccount(prev.rawAccount) });
  }
  for (const k of old) {
    if (!newIdentities.has(k.identity) && !renamedFrom.has(k.identity)) { removed++; push(rows.removed, rowOf(k)); }
  }
  return { before: old.length, after: neu.length, added, removed, accountChanged, otherwiseChanged: otherwise, unchanged, droppedShare: old.length === 0 ? 0 : removed / old.length, rows };
}

/**
 * The payee register's account history after version `next` replaces `previous`: every account that appears in
 * `next` and not in `previous` is `added` on `next.effectiveFrom` — or `account-changed` when the same payee (tax/citizen
 * ID, else name) held another account before — and the earlier history is carried over for the accounts still listed,
 * back to `keepDays` before that date. A first register (no `previous`) has no history: its own `registeredOn` dates
 * are all there is. A name-only change is no entry: the money still goes where it went. Sorted by account key.
 */
export function nextRegisterHistory(
  previous: { items: readonly RegisteredPayee[]; changes?: readonly RegisterChange[] | undefined } | null,
  next: { items: readonly RegisteredPayee[]; version: number; effectiveFrom: string },
  keepDays: number,
): RegisterChange[] {
  if (!previous) return [];
  const identityOf = (p: RegisteredPayee) => p.payeeId ?? `name:${squash(p.name)}`;
  const before = new Set(previous.items.map((p) => accountKey(p.bankCode, p.account)));
  const accountsBefore = new Map<string, Set<string>>();
  for (const p of previous.items) {
    const id = identityOf(p);
    accountsBefore.set(id, (accountsBefore.get(id) ?? new Set()).add(accountKey(p.bankCode, p.account)));
  }
  const oldest = addDays(next.effectiveFrom, -keepDays);
  const out = new Map<string, RegisterChange>();
  const listed = new Set(next.items.map((p) => accountKey(p.bankCode, p.account)));
  for (const c of previous.changes ?? []) if (listed.has(c[0]) && c[2] >= oldest) out.set(c[0], c);
  for (const p of next.items) {
    const key = accountKey(p.bankCode, p.account);
    if (before.has(key) || out.has(key)) continue;
    const had = accountsBefore.get(identityOf(p));
    out.set(key, [key, had && had.size > 0 ? 'account-changed' : 'added', next.effectiveFrom, next.version]);
  }
  return [...out.values()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
