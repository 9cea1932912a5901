/**
 * Labels a correct reading of typologies.md implies beyond the injected events, derived from the data as written:
 *
 * - events: a payment to an account the register does not hold (its row missing or unreadable counts as absent)
 *   or holds under another name; a non-salary payment into a staff member's account (or to a staff member's ID);
 *   a paid line no readable approved voucher covers (amount, payee, date ± 3 days, reference when the line has one);
 *   one account paid under two names (from the payment where the second name appears); one account collecting
 *   several people's allowances. These are not noise: an auditor must look at them, whatever caused them.
 * - tolerated: what the typologies' letter flags but the world knows to be ordinary — a first payment the pipeline
 *   sees that is large for the LAO (a contractor paid before the history began), a supplier paid several times in
 *   30 days whose sum passes a procurement limit, the same amount twice where nothing tells the vouchers apart,
 *   a batch holding a line without a voucher. An alert on them is not false; missing them is not a miss.
 */
import { accountKey, type ReferenceBook } from './reference-book.ts';
import type { Lao, Run, Transfer, WorldEvent } from './world-types.ts';

/** One labelled event (or tolerated case) with the rows it consists of. */
export interface DerivedLabel {
  typology: string; case: string; lao: number; month: number; transfers: Transfer[]; note: string;
  tolerated?: true; batchRun?: Run;
}

/** Appends to a list in a map (no copying: the world has hundreds of thousands of transfers). */
function push<K, V>(map: Map<K, V[]>, key: K, value: V): void { const l = map.get(key); if (l) l.push(value); else map.set(key, [value]); }

const DAYS = new Map<string, number>();
/** Days since the epoch of a `YYYY-MM-DD` date (cached: comparisons run over every pair in 30-day windows). */
function dayNumber(date: string): number { let d = DAYS.get(date); if (d === undefined) DAYS.set(date, (d = Date.parse(`${date}T00:00:00Z`) / 86_400_000)); return d; }

const keyOf = (t: Transfer): string => accountKey(t.accountOf.bank, t.accountOf.account);
const SALARY = new Set(['01', '02']);
const has = (t: Transfer, events: ReadonlyMap<string, WorldEvent>, typology: string): boolean => t.events.some((id) => events.get(id)?.typology === typology);

/** The LAO's 95th percentile of one-off payments, or its peers' (same type and province) when it has under 50. */
function p95Of(laos: readonly Lao[], transfers: readonly Transfer[]): (lao: Lao) => number {
  const byLao = new Map<number, number[]>();
  for (const t of transfers) if (!t.recurring && t.status === 'success') push(byLao, t.lao, t.amountSatang);
  const cache = new Map<number, number>();
  return (lao) => {
    let v = cache.get(lao.idx);
    if (v !== undefined) return v;
    let xs = byLao.get(lao.idx) ?? [];
    if (xs.length < 50) xs = laos.filter((l) => l.type === lao.type && l.province.code === lao.province.code).flatMap((l) => byLao.get(l.idx) ?? []);
    if (xs.length < 50) xs = laos.filter((l) => l.province.code === lao.province.code).flatMap((l) => byLao.get(l.idx) ?? []);
    xs = [...xs].sort((a, b) => a - b);
    v = xs[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))] ?? Infinity;
    cache.set(lao.idx, v);
    return v;
  };
}

/** Derives the labels; `transfers` are every transfer of the world that reached a file. */
export function deriveLabels(laos: readonly Lao[], transfers: readonly Transfer[], book: ReferenceBook, events: readonly WorldEvent[]): DerivedLabel[] {
  const byId = new Map(events.map((e) => [e.id, e] as const));
  const out: DerivedLabel[] = [];
  const paid = transfers.filter((t) => t.status === 'success').sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.seq - b.seq));
  const byLao = new Map<number, Transfer[]>();
  for (const t of paid) push(byLao, t.lao, t);
  const grouped = (typology: string, tolerated: boolean) => {
    const groups = new Map<string, DerivedLabel>();
    return {
      add(key: string, t: Transfer, kase: string, note: string) {
        let g = groups.get(key);
        if (!g) { g = { typology, case: kase, lao: t.lao, month: t.month, transfers: [], note, ...(tolerated ? { tolerated: true as const } : {}) }; groups.set(key, g); out.push(g); }
        if (!g.transfers.includes(t)) g.transfers.push(t);
      },
    };
  };

  // payee-not-registered
  const pnr = grouped('payee-not-registered', false);
  for (const lao of laos) {
    const reg = book.registeredAccounts(lao.idx);
    if (!reg) continue;
    const missing = (t: Transfer) => book.missingPayees.has(`${lao.idx}|${t.accountOf.key}`) ? 'register-row-missing' : (book.payees.get(lao.idx) ?? []).some((x) => x.party.key === t.accountOf.key && x.defect === 'bad-bank') ? 'register-row-unreadable' : 'not-registered';
    for (const t of byLao.get(lao.idx) ?? []) {
      if (has(t, byId, 'payee-not-registered')) continue;
      const rows = reg.get(keyOf(t));
      if (!rows) pnr.add(`${t.month}|${lao.idx}|${keyOf(t)}`, t, missing(t), 'paid to an account the readable payee register does not hold');
      else if (!rows.some((x) => x.party.key === t.nameOf.key)) pnr.add(`${t.month}|${lao.idx}|${keyOf(t)}|${t.nameOf.key}`, t, 'registered-under-another-name', 'the register holds this account under another payee');
    }
  }

  // staff-account
  const staffAcc = grouped('staff-account', false);
  for (const lao of laos) {
    const staff = book.readableStaff(lao.idx);
    if (!staff) continue;
    const byAccount = new Map(staff.map((s) => [accountKey(s.bank, s.account), s.party.key] as const));
    const byCitizen = new Map(staff.filter((s) => s.id).map((s) => [s.id!, s.party.key] as const));
    const byParty = new Set(staff.map((s) => s.party.key));
    for (const t of byLao.get(lao.idx) ?? []) {
      if (SALARY.has(t.serviceType) || has(t, byId, 'staff-account')) continue;
      const who = byAccount.get(keyOf(t)) ?? (t.payeeId ? byCitizen.get(t.payeeId) : undefined) ?? (byParty.has(t.nameOf.key) ? t.nameOf.key : undefined);
      if (who) staffAcc.add(`${t.month}|${lao.idx}|${who}`, t, 'non-salary-to-staff', 'a payment other than salary to a staff member');
    }
  }

  // no-voucher (and, tolerated, a line only its reference ties to a voucher dated more than 3 days away)
  const noVoucher = grouped('no-voucher', false), refOnly = grouped('no-voucher', true);
  const unvouchered = new Set<Transfer>();
  for (const lao of laos) {
    const vouchers = book.readableVouchers(lao.idx);
    if (!vouchers) continue;
    // Vouchers by amount and payee: a voucher names its payee by account when it has one, else by name.
    const byPayee = new Map<string, typeof vouchers>();
    for (const v of vouchers) push(byPayee, `${v.amountSatang}|${v.account ? accountKey(v.bank ?? '', v.account) : `name:${v.payeeKey}`}`, v);
    for (const t of byLao.get(lao.idx) ?? []) {
      const candidates = [...(byPayee.get(`${t.amountSatang}|${keyOf(t)}`) ?? []), ...(byPayee.get(`${t.amountSatang}|name:${t.nameOf.key}`) ?? [])];
      const payee = (v: (typeof vouchers)[number]) => (v.account ? accountKey(v.bank ?? '', v.account) === keyOf(t) : v.payeeKey === t.nameOf.key);
      const strict = candidates.some((v) => Math.abs(dayNumber(v.date) - dayNumber(t.date)) <= 3 && (!t.voucherNo || v.no === t.voucherNo));
      if (strict) continue;
      unvouchered.add(t);
      if (has(t, byId, 'no-voucher')) continue;
      // Its own voucher is approved and readable, only dated more than 3 days away (a failed transfer paid again later).
      if ((t.voucher && !t.voucher.defect && payee(t.voucher) && t.voucher.amountSatang === t.amountSatang) || (t.voucherNo && candidates.some((v) => v.no === t.voucherNo))) refOnly.add(`${t.month}|${lao.idx}|${keyOf(t)}`, t, 'reference-matches-voucher-dated-away', 'its voucher is approved, dated more than 3 days from the payment');
      else noVoucher.add(`${t.month}|${lao.idx}|${keyOf(t)}`, t, t.voucher?.defect ? 'voucher-row-unreadable' : 'no-matching-voucher', 'no readable approved voucher covers this line');
    }
  }

  // account-many-names: from the payment where an account's second name appears.
  const names = grouped('account-many-names', false);
  const byAccount = new Map<string, Transfer[]>();
  for (const t of paid) push(byAccount, keyOf(t), t);
  for (const [account, list] of byAccount) {
    const seen = new Map<string, Transfer>();
    for (const t of list) {
      seen.set(t.nameOf.key, t);
      if (seen.size < 2 || has(t, byId, 'account-many-names')) continue;
      const laosOf = new Set(list.map((x) => x.lao));
      const key = `${t.month}|${account}`;
      names.add(key, t, laosOf.size > 1 ? 'across-laos' : 'within-lao', 'one account paid under several names');
      for (const other of seen.values()) if (other !== t && !has(other, byId, 'account-many-names')) names.add(key, other, laosOf.size > 1 ? 'across-laos' : 'within-lao', '');
    }
  }

  // welfare-anomaly: one account collecting several people's allowances in a month.
  const shared = grouped('welfare-anomaly', false);
  const allowanceByAccountMonth = new Map<string, Transfer[]>();
  for (const t of paid) if (t.beneficiary) push(allowanceByAccountMonth, `${t.month}|${keyOf(t)}`, t);
  for (const [key, list] of allowanceByAccountMonth) {
    if (new Set(list.map((t) => t.beneficiary!.key)).size < 2) continue;
    for (const t of list) if (!has(t, byId, 'welfare-anomaly')) shared.add(key, t, 'one-account-several-beneficiaries', 'one account paid several people\'s allowances');
  }

  // Tolerated: first payments the pipeline sees that are large for the LAO.
  const p95 = p95Of(laos, transfers);
  const firstLarge = grouped('new-payee-large', true);
  for (const lao of laos) {
    const seen = new Set<string>();
    for (const t of byLao.get(lao.idx) ?? []) {
      const k = keyOf(t), fresh = !seen.has(k);
      seen.add(k);
      if (fresh && !t.recurring && t.amountSatang > 0.5 * p95(lao) && !has(t, byId, 'new-payee-large')) firstLarge.add(`${t.seq}`, t, 'first-seen-large', 'first payment the pipeline sees to this account, large for the LAO');
    }
  }
  // Tolerated: repetition among one-off payments that the typologies' letter flags.
  const split = grouped('split-payment', true), dup = grouped('duplicate-payment', true), siphon = grouped('repeat-siphon', true), outlier = grouped('amount-outlier', true);
  for (const lao of laos) {
    // A payee the pipeline has never paid is compared with the LAO's spread (typologies.md, amount-outlier): a
    // contractor's first payment in the history can stand far above the LAO's small purchases.
    const logs = (byLao.get(lao.idx) ?? []).filter((t) => !t.recurring).map((t) => Math.log10(t.amountSatang)).sort((a, b) => a - b);
    const median = logs[Math.floor(logs.length / 2)] ?? 0;
    const mad = [...logs.map((x) => Math.abs(x - median))].sort((a, b) => a - b)[Math.floor(logs.length / 2)] ?? 0;
    const farAboveLao = (t: Transfer) => logs.length >= 20 && (Math.log10(t.amountSatang) - median) / Math.max(1e-9, 1.4826 * mad) > 4;
    const seenAccounts = new Set<string>();
    for (const t of byLao.get(lao.idx) ?? []) {
      const k = keyOf(t), fresh = !seenAccounts.has(k);
      seenAccounts.add(k);
      if (fresh && !t.recurring && farAboveLao(t) && !has(t, byId, 'amount-outlier')) outlier.add(`${t.seq}`, t, 'first-payment-above-lao-spread', 'a first payment far above the LAO\'s spread (no payee history to compare with)');
    }
    const perAccount = new Map<string, Transfer[]>();
    for (const t of byLao.get(lao.idx) ?? []) if (!t.recurring) push(perAccount, keyOf(t), t);
    for (const [k, list] of perAccount) {
      for (let i = 0; i < list.length; i++) {
        const a = list[i]!;
        const window: Transfer[] = [];
        for (let j = i; j < list.length && dayNumber(list[j]!.date) - dayNumber(a.date) <= 30; j++) window.push(list[j]!);
        for (const threshold of [10_000_000, 50_000_000]) {
          const under = window.filter((b) => b.amountSatang < threshold);
          if (under.length >= 2 && under.reduce((s, b) => s + b.amountSatang, 0) > threshold) for (const b of under) if (!has(b, byId, 'split-payment')) split.add(`${lao.idx}|${k}|${threshold}`, b, 'supplier-paid-often', 'several purchases from one supplier in 30 days passing a limit');
        }
        if (window.length > 5) for (const b of window) if (!has(b, byId, 'repeat-siphon')) siphon.add(`${lao.idx}|${k}`, b, 'frequent-supplier', 'more than 5 payments in 30 days to one account');
        for (const b of window.slice(1)) {
          if (b.amountSatang !== a.amountSatang || has(b, byId, 'duplicate-payment') || has(a, byId, 'duplicate-payment')) continue;
          const told = (a.voucherNo && b.voucherNo && a.voucherNo !== b.voucherNo) || (lao.style.lists.vouchers && a.voucher && b.voucher && a.voucher !== b.voucher && !a.voucher.defect && !b.voucher.defect);
          if (!told) { dup.add(`${lao.idx}|${k}|${a.seq}`, a, 'same-amount-vouchers-indistinct', 'same account and amount within 30 days, nothing tells the vouchers apart'); dup.add(`${lao.idx}|${k}|${a.seq}`, b, '', ''); }
        }
        const earlier = list.slice(0, i).map((b) => b.amountSatang).sort((x, y) => x - y);
        if (earlier.length >= 3 && a.amountSatang >= 8 * earlier[Math.floor(earlier.length / 2)]! && !has(a, byId, 'amount-outlier')) outlier.add(`${a.seq}`, a, 'large-against-own-history', 'large against the supplier\'s own payments');
      }
    }
  }
  // Tolerated: a bulk batch with a line no voucher covers disagrees with its approved vouchers (batch-padded, first part).
  const padded = grouped('batch-padded', true);
  const batchEvents = new Set(events.filter((e) => e.batchRun).map((e) => e.batchRun!));
  for (const t of unvouchered) if (t.run.file && !batchEvents.has(t.run)) padded.add(t.run.file, t, 'batch-line-without-voucher', 'a batch holding a line without an approved voucher');
  for (const l of out) if (l.typology === 'batch-padded' && l.tolerated) l.batchRun = l.transfers[0]!.run;
  return out;
}
