/** Which LAO a bulk file belongs to, and whether its sending accounts are that LAO's own. */
import { maskAccount, normaliseAccount, type LaoRegistryEntry } from '@paywatch/domain';
import { KTB_BULK_DETAIL, KTB_BULK_RECORD_TYPE } from './ktb-bulk-layout.ts';
import { isDigitsField } from './fixed-width.ts';
import { linesFrom, type TextSource } from './text-source.ts';
import { refusal, type Refusal } from './refusal-codes.ts';

/** KTB is the sending bank of every bulk file: sending accounts normalise as KTB accounts. */
export const SENDING_BANK_CODE = '006';

const [SEND_FROM, SEND_TO] = KTB_BULK_DETAIL.senderAccount;

/** The detail lines' sending accounts, normalised, with their line numbers; lines that will be rejected anyway are skipped. */
function* sendingAccounts(source: TextSource, bodyOffset: number, headerRow: number): Generator<{ account: string; row: number }> {
  let lastRaw = '';
  let lastNorm = '';
  const out = { account: '', row: 0 };
  for (const cursor of linesFrom(source, bodyOffset, headerRow)) {
    const text = cursor.text;
    const at = cursor.start;
    if (cursor.end - at < SEND_TO || !text.startsWith(KTB_BULK_RECORD_TYPE.detail, at) || !isDigitsField(text, at + SEND_FROM, at + SEND_TO)) continue;
    const raw = text.slice(at + SEND_FROM, at + SEND_TO);
    // One file almost always debits one account: normalise once per distinct value.
    if (raw !== lastRaw) {
      lastRaw = raw;
      lastNorm = normaliseAccount(SENDING_BANK_CODE, raw);
    }
    out.account = lastNorm;
    out.row = cursor.row;
    yield out; // reused object: callers read it before asking for the next
  }
}

/** What the LAO resolution needs: the file's company ID, and its sending accounts (normalised, with rows), read lazily and maybe twice. */
export interface LaoLookup { companyId: string | null; accounts: () => Iterable<{ account: string; row: number }> }

/** The sending accounts of a bulk file's detail lines. */
export const bulkSendingAccounts = (source: TextSource, bodyOffset: number, headerRow: number) => (): Iterable<{ account: string; row: number }> => sendingAccounts(source, bodyOffset, headerRow);

const LAO_CODE = /^\d{7}$/;

/**
 * The LAO of a file: the context's `laoCode`, else the registry entry whose company IDs hold the
 * header's company ID, else the entry owning the first sending account. When an entry is known the
 * file must be its own: the header company ID is one of its company IDs (the bank then only lets the
 * company debit its own accounts, so a missing account means an incomplete registry), or else every
 * sending account is one of its accounts. An entry that lists neither cannot be checked. With `allowUnknown` (a
 * parse for reading, not for publishing), a file no entry claims is read with no LAO instead of refused.
 */
export function resolveLao(lookup: LaoLookup, laoCode: string | undefined, registry: readonly LaoRegistryEntry[], allowUnknown = false): { laoCode: string | null } | Refusal {
  const companyId = lookup.companyId;
  let entry: LaoRegistryEntry | undefined;
  if (laoCode !== undefined) {
    if (!LAO_CODE.test(laoCode)) return refusal('PW_ERR_INVALID_LAO_CODE', { laoCode });
    entry = registry.find((e) => e.laoCode === laoCode);
    if (!entry) return { laoCode };
  } else {
    if (companyId !== null) entry = registry.find((e) => e.companyIds.some((c) => c.trim() === companyId));
    if (!entry && registry.length > 0) entry = entryOwningFirstAccount(lookup, registry);
    if (!entry) return allowUnknown ? { laoCode: null } : refusal('PW_ERR_UNKNOWN_LAO', { companyId: companyId ?? '' });
  }
  if (companyId !== null && entry.companyIds.some((c) => c.trim() === companyId)) return { laoCode: entry.laoCode };
  if (entry.companyIds.length === 0 && entry.accounts.length === 0) return { laoCode: entry.laoCode };
  const own = new Set(entry.accounts.map((a) => normaliseAccount(SENDING_BANK_CODE, a)));
  for (const { account, row } of lookup.accounts()) {
    if (!own.has(account)) {
      return refusal('PW_ERR_FOREIGN_ACCOUNT', { account: maskAccount(account), row: String(row), laoCode: entry.laoCode, companyId: companyId ?? '' });
    }
  }
  return { laoCode: entry.laoCode };
}

function entryOwningFirstAccount(lookup: LaoLookup, registry: readonly LaoRegistryEntry[]): LaoRegistryEntry | undefined {
  const byAccount = new Map<string, LaoRegistryEntry>();
  for (const e of registry) for (const a of e.accounts) {
    const k = normaliseAccount(SENDING_BANK_CODE, a);
    if (!byAccount.has(k)) byAccount.set(k, e); // registry order decides if two entries list one account
  }
  for (const { account } of lookup.accounts()) {
    const e = byAccount.get(account);
    if (e) return e;
  }
  return undefined;
}
