/**
 * Detection state of one LAO: recent outflow payments (a date window), bounded amount
 * histories, and the rows already folded in. Time comes from the records' effective dates,
 * never from a clock, so the same records in the same order always give the same state.
 */
import { accountKey, addDays, daysBetween, fiscalYear, isOutflow, recordIdOf, SourceFormat, type ApprovedVoucher, type Disbursement } from '@paywatch/domain';
import { normaliseThaiName } from '../text/normalise-thai-name.ts';
import { NO_REFERENCE, type LaoReferenceView } from './lao-reference.ts';
import { RowSet } from './row-set.ts';
import { SortedSample } from './sorted-sample.ts';
import { SortedMultiset } from './sorted-multiset.ts';
import type { PeerGroupView } from './peer-groups.ts';
import { allowanceOf, type Allowance, type AllowanceLimits } from '../rules/welfare-allowance.ts';
import { coveringVouchers, type VoucherMatchable } from '../rules/voucher-cover.ts';

/** What the window keeps of one outflow payment: enough to compare, explain and point back to the row. */
export interface WindowPayment {
  /** Arrival order within the LAO (0, 1, 2, …): breaks ties between payments on the same date. */
  seq: number;
  recordId: string;
  batchId: string;
  row: number;
  sourceFile: string;
  sourceFormat: SourceFormat;
  payeeBankCode: string;
  payeeAccount: string;
  payeeName: string;
  payeeId: string | null;
  amountSatang: number;
  effectiveDate: string;
  serviceType: string;
  voucherNo: string | null;
  bankReference: string | null;
  /** Recurring pay (salary, utilities, an allowance): the LAO's rhythm, left out of rules about one-off payments. */
  recurring: boolean;
}

/** The record as the window would keep it, with the sequence number it gets (or got) on arrival. */
export function toWindowPayment(record: Disbursement, seq: number, recurring = false): WindowPayment {
  return {
    seq,
    recordId: record.recordId,
    batchId: record.batchId,
    row: record.row,
    sourceFile: record.sourceFile,
    sourceFormat: record.sourceFormat,
    payeeBankCode: record.payeeBankCode,
    payeeAccount: record.payeeAccount,
    payeeName: record.payeeName,
    payeeId: record.payeeId,
    amountSatang: record.amountSatang,
    effectiveDate: record.effectiveDate,
    serviceType: record.serviceType,
    voucherNo: record.voucherNo,
    bankReference: record.bankReference,
    recurring,
  };
}

/** One name an account was paid under: its normalised form, as first written, and the row that first used it. */
export type NameSeen = [normalised: string, asWritten: string, firstRecordId: string];

/** Outflow of one day in one source format (bulk instructions and bank reports are counted apart: one transfer appears in both). */
export interface DayTotal { count: number; amountSatang: number }

/**
 * Per (fiscal year, source format, service type): how many outflow payments, the first-two-digit
 * counts (index d − 10 for d in 10..99, amounts of at least 10 baht) and, per procurement
 * threshold, how many amounts fell just below it (`near`) and in the band of the same width under that (`below`).
 */
export interface FiscalTally {
  count: number;
  /** 90 counters. */
  digits: number[];
  /** The sum of `digits` (amounts of at least 10 baht), kept so a rule can tell whether the year is due before adding them up. */
  digitTotal: number;
  /** Flat [thresholdSatang, below, near, …], in the order of `StateLimits.nearThresholdsSatang`. */
  bands: number[];
}

/** What rules may read of an LAO's state. Rules never change it: the engine folds each record in after the rules ran. */
export interface LaoStateView {
  readonly laoCode: string;
  /** Latest effective date folded in so far, or null before the first record. */
  readonly newestDate: string | null;
  /** The sequence number the record being evaluated will get. */
  readonly nextSeq: number;
  /** Outflow payments to one account still in the window, in arrival order. */
  paymentsToPayee(bankCode: string, account: string): readonly WindowPayment[];
  /** The LAO's most recent outflow amounts (satang) of one service type, allowances left out, sorted (empty when none). */
  laoAmounts(serviceType: string): AmountSample;
  /** The LAO's most recent one-off outflow amounts (every service type that is not recurring pay), sorted. */
  readonly oneOffAmounts: AmountSample;
  /**
   * What the LAO's approved vouchers say of the lines of one bulk batch so far: how many were covered by a voucher,
   * and the lines none covered (one-off lines only, and only once the LAO's voucher list is loaded).
   */
  batchVouchers(batchId: string): BatchVouchers;
  /**
   * True once a line of recurring pay (a wage, an allowance) was covered by a voucher of its own amount and payee: the
   * LAO's accounting then keeps a voucher per line even for payroll, so such a line without one is a ghost payment.
   */
  readonly perLineRecurringVouchers: boolean;
  /** True when an approved voucher covers this payment (the LAO's list, `voucherToleranceDays`). Undefined without a list. */
  voucherCovered(record: Disbursement): boolean | undefined;
  /** The approved vouchers of the LAO's list that cover a payment (`voucherToleranceDays`); undefined without a list. */
  coveringVouchers(payment: VoucherMatchable): readonly ApprovedVoucher[] | undefined;
  /** Calendar months (YYYY-MM) in which the account got exactly this one-off amount in this source format (its last ones, bounded). */
  monthsPaidAmount(format: SourceFormat, bankCode: string, account: string, amountSatang: number): readonly string[];
  /** Transfers to an account the bank reported failed or rejected, still in the window: [amountSatang, effectiveDate]. */
  failedTransfers(bankCode: string, account: string): readonly (readonly [number, string])[];
  /**
   * One-off transfers to an account per calendar month, in one source format (a bulk line and its report line are
   * one transfer): [month as YYYY-MM, count] oldest first, the last `accountMonthsKept` months the account was paid.
   * Empty when the account never had a one-off transfer (as far as the bounded memory reaches).
   */
  oneOffMonths(format: SourceFormat, bankCode: string, account: string): readonly (readonly [string, number])[];
  /** The most recent outflow amounts (satang) of one service type paid to one account by this LAO, oldest first. */
  payeeAmounts(serviceType: string, bankCode: string, account: string): readonly number[];
  /** Every service type the LAO has an amount history for, in code order. */
  serviceTypes(): readonly string[];
  /** Names this LAO paid the account under (outflow only), or undefined when it never paid it (as far as the bounded memory reaches). */
  payeeNames(bankCode: string, account: string): readonly NameSeen[] | undefined;
  /** Earliest effective date of an outflow folded in, or null. */
  readonly firstDate: string | null;
  /** Earliest day whose totals are still kept (older days are unknown, not zero), or null before the first record. */
  readonly oldestDayKept: string | null;
  /** Outflow of one day in one source format, zero when nothing was paid. */
  dayTotal(date: string, format: SourceFormat): DayTotal;
  /** The tally of a fiscal year, source format and service type, or undefined when nothing was paid. */
  fiscalTally(fiscalYear: number, format: SourceFormat, serviceType: string): FiscalTally | undefined;
  /** Every account's payments still in the window (each list in arrival order). */
  windowByPayee(): Iterable<readonly WindowPayment[]>;
  /** Amounts of the one-off (not recurring) payments still in the window in one source format, sorted. */
  oneOffWindowAmounts(format: SourceFormat): { readonly size: number; countBelow(x: number): number };
  /** The LAO's reference data (each kind undefined until supplied). */
  readonly reference: LaoReferenceView;
  /** The allowance a payment is (by the LAO's beneficiary list, its remark or its service type), or null. */
  allowance(record: Disbursement): Allowance | null;
  /** True for recurring pay: a salary or utility service type, or an allowance. */
  isRecurring(record: Disbursement): boolean;
  /** The peer group of the record being evaluated (same LAO type, same province), or null when it names none. */
  readonly peers: PeerGroupView | null;
  /** Every LAO of the record's province, whatever its type, or null. */
  readonly province: PeerGroupView | null;
}

/** A sorted sample of amounts: quantiles and ranks without sorting. */
export interface AmountSample {
  readonly size: number;
  quantile(q: number): number;
  countBelow(x: number): number;
  sorted(): ArrayLike<number>;
}

/** The voucher tally of one bulk batch. */
export interface BatchVouchers { covered: number; uncovered: readonly WindowPayment[] }

/** How much state to keep. */
export interface StateLimits extends AllowanceLimits {
  /** A voucher this many days from a payment still covers it (no-voucher's tolerance). */
  voucherToleranceDays: number;
  /** Service types of recurring pay (salary, utilities); allowances are recurring too (`allowanceOf`). Everything else is one-off. */
  recurringServiceTypes: readonly string[];
  /** One-off amounts kept per LAO (its last ones, all service types together). */
  oneOffHistorySize: number;
  /** Months of one-off transfer counts kept per account. */
  accountMonthsKept: number;
  /** Payments older than this many days before the newest effective date leave the window. */
  windowDays: number;
  /** Amounts kept per (LAO, service type). */
  laoHistorySize: number;
  /** Amounts kept per (LAO, service type, payee account). */
  payeeHistorySize: number;
  /** Payee histories kept per LAO; the least recently paid payee's history goes first. */
  maxPayeeHistories: number;
  /** Batches whose folded rows are remembered per LAO, least recently seen dropped first. */
  seenBatches: number;
  /** Distinct names remembered per account (the first ones: the established names). */
  maxNamesPerAccount: number;
  /** Days of daily totals kept before the newest date. */
  dailyDays: number;
  /** Service types left out of the daily totals (recurring payments). */
  dailyExcludedServiceTypes: readonly string[];
  /** Procurement thresholds whose neighbourhood is tallied per fiscal year. */
  nearThresholdsSatang: readonly number[];
  /** The "near" band is [fraction·T, T); the "below" band is the same width under it. */
  nearBandFraction: number;
}

/**
 * One window payment in a snapshot: [seq, batchIx, row, recordId (null when it is `${batchId}:${row}`),
 * fileIx, formatIx (index in SourceFormat.options), nameIx, payeeId, amountSatang, days before the
 * LAO's newest date, serviceType, voucherNo, bankReference]. Tuples and dictionaries instead of
 * records: a snapshot holds tens of thousands of them, and field names were most of the bytes.
 */
export type CompactPayment = [number, number, number, string | null, number, number, number, string | null, number, number, string, string | null, string | null, 0 | 1];

/** A per-account, per-format list of month pairs in a snapshot: [formatIx, accountIx, flat [monthNumber, value, …]]. */
export type CompactMonths = [number, number, number[]];

/** `${format}|${key}` with flat [YYYY-MM, n, …] → its compact snapshot form (the key into the accounts dictionary). */
function compactMonths(key: string, flat: readonly (string | number)[], accounts: { of(value: string): number }): CompactMonths {
  const bar = key.indexOf('|');
  const out: number[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const m = flat[i] as string;
    out.push(Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1, flat[i + 1] as number);
  }
  return [SourceFormat.options.indexOf(key.slice(0, bar) as SourceFormat), accounts.of(key.slice(bar + 1)), out];
}

/** The inverse of `compactMonths`. */
function expandMonths([formatIx, accountIx, flat]: CompactMonths, accounts: readonly string[]): [string, (string | number)[]] {
  const format = SourceFormat.options[formatIx];
  if (format === undefined) throw new RangeError(`snapshot format index ${formatIx} out of range`);
  const out: (string | number)[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const n = flat[i]!;
    out.push(`${String(Math.floor(n / 12)).padStart(4, '0')}-${String((n % 12) + 1).padStart(2, '0')}`, flat[i + 1]!);
  }
  return [`${format}|${at(accounts, accountIx, 'account')}`, out];
}

/** Plain-JSON form of one LAO's state. Arrays keep the orders that matter (arrival, recency); strings that repeat are dictionary entries. */
export interface LaoSnapshot {
  laoCode: string;
  newestDate: string | null;
  nextSeq: number;
  firstDate: string | null;
  /** Whether the LAO keeps a voucher per line of recurring pay (see `LaoStateView.perLineRecurringVouchers`). */
  perLineRecurringVouchers: boolean;
  /** [batchId, flat row ranges], least recently seen first. */
  seenBatches: [string, number[]][];
  /** Dictionary of `${bank}:${account}`. */
  accounts: string[];
  /** Dictionary of batch ids. */
  batches: string[];
  /** Dictionary of source file names. */
  files: string[];
  /** Dictionary of payee names as written. */
  names: string[];
  /** [accountIx, that account's payments in arrival order], groups ordered by their first payment's seq. */
  window: [number, CompactPayment[]][];
  /** [serviceType, amounts oldest first], by service type. */
  laoAmounts: [string, number[]][];
  /** One-off amounts oldest first. */
  oneOff: number[];
  /** [formatIx, accountIx (comparison key), flat [month as y·12 + m − 1, count, …]], least recently paid first. */
  accountMonths: CompactMonths[];
  /** [batchId, lines covered by a voucher, lines none covered], oldest batch first. */
  batchVouchers: [string, number, WindowPayment[]][];
  /** [formatIx, accountIx (comparison key), flat [month as y·12 + m − 1, amountSatang, …]], least recently paid first. */
  amountMonths: CompactMonths[];
  /** [account key, [amountSatang, effectiveDate][]]: failed or rejected transfers still in the window. */
  failed: [string, [number, string][]][];
  /** [serviceType, accountIx, amounts oldest first], least recently paid first. */
  payeeAmounts: [string, number, number[]][];
  /**
   * [accountIx, [nameIx, batchIx, row, firstRecordId (null when it is `${batchId}:${row}`)][]], least
   * recently paid first. Normalised names are not stored: they are recomputed on restore.
   */
  payees: [number, [number, number, number, string | null][]][];
  /** [date, format, count, amountSatang], by date then format. */
  daily: [string, SourceFormat, number, number][];
  /** [fiscalYear, format, serviceType, count, digits, bands], sorted by the first three. */
  tallies: [number, SourceFormat, string, number, number[], number[]][];
}

/** The window payments of a snapshot, decoded, in arrival order. */
export const snapshotWindow = (snap: LaoSnapshot): WindowPayment[] => LaoState.windowOf(snap);

/** Assigns each distinct string a stable index in order of first use. */
class Dictionary {
  readonly values: string[] = [];
  readonly #index = new Map<string, number>();
  of(value: string): number {
    let i = this.#index.get(value);
    if (i === undefined) { i = this.values.length; this.values.push(value); this.#index.set(value, i); }
    return i;
  }
}

/** Reads an index of a dictionary written by `snapshot`; the schema checked types, not bounds. */
function at(values: readonly string[], i: number, what: string): string {
  const v = values[i];
  if (v === undefined) throw new RangeError(`snapshot ${what} index ${i} out of range`);
  return v;
}

/** Payments, histories and names are kept per account by its comparison key (a report's whole account meets its bulk line's). */
const payeeKey = accountKey;
/**
 * `${prefix}|${account key}`, remembered for the last (prefix, bank, account) asked: the rules and the fold ask for the
 * keys of the record being evaluated in turn, and a key built afresh is a new string to hash on every lookup.
 */
class PrefixedKeys {
  #prefix = '';
  #bankCode = '';
  #account = '';
  #key = '';
  of(prefix: string, bankCode: string, account: string): string {
    if (prefix !== this.#prefix || bankCode !== this.#bankCode || account !== this.#account) {
      this.#key = `${prefix}|${accountKey(bankCode, account)}`;
      this.#prefix = prefix; this.#bankCode = bankCode; this.#account = account;
    }
    return this.#key;
  }
}
const historyKeys = new PrefixedKeys(), formatKeys = new PrefixedKeys();
/** Per (service type, account): the payee's amount history. */
const payeeHistoryKey = (serviceType: string, bankCode: string, account: string): string => historyKeys.of(serviceType, bankCode, account);
/** Per (source format, account): one-off months and amounts. */
const formatAccountKey = (format: SourceFormat, bankCode: string, account: string): string => formatKeys.of(format, bankCode, account);
const NONE: readonly never[] = Object.freeze([]);
const EMPTY_SAMPLE: AmountSample = new SortedSample(1);
/** One-off amounts remembered per account with their month: a year of a monthly arrangement, twice over. */
const AMOUNTS_PER_ACCOUNT = 24;
/** Bulk batches whose voucher tally is kept: a file's lines arrive together, so the latest few are enough. */
const TALLIED_BATCHES = 64;
const NO_TALLY: BatchVouchers = Object.freeze({ covered: 0, uncovered: NONE });
const ZERO_DAY: DayTotal = Object.freeze({ count: 0, amountSatang: 0 });
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** YYYY-MM of a date; one string for a run of records of one date (each month string is kept in two histories). */
function monthOf(date: string): string {
  if (date !== lastMonth.date) { lastMonth.date = date; lastMonth.month = date.slice(0, 7); }
  return lastMonth.month;
}
const lastMonth = { date: '', month: '' };

/** First two significant digits of a positive integer (10..99), or null below 10. */
export function firstTwoDigits(n: number): number | null {
  if (!(n >= 10)) return null;
  let v = n;
  while (v >= 100) v = Math.floor(v / 10);
  return v;
}

const EMPTY_AMOUNTS = { size: 0, countBelow: () => 0 } as const;

/** Mutable state of one LAO, owned by the engine. */
export class LaoState implements LaoStateView {
  readonly laoCode: string;
  newestDate: string | null = null;
  nextSeq = 0;
  readonly #limits: StateLimits;
  readonly #byPayee = new Map<string, WindowPayment[]>();
  /** The window's one-off amounts per source format, kept beside `#byPayee` (added and expired with it). */
  readonly #oneOffWindow = new Map<SourceFormat, SortedMultiset>();
  /** Earliest effective date in the window, so that most date advances skip the expiry scan. */
  #oldestDate: string | null = null;
  readonly #laoAmounts = new Map<string, SortedSample>();
  #oneOff: SortedSample;
  /** Voucher tallies of the latest bulk batches; insertion order is arrival order. */
  readonly #batchVouchers = new Map<string, { covered: number; uncovered: WindowPayment[] }>();
  /** Per `${format}|${account key}`: flat [month, amountSatang, …] of its last one-off payments. Insertion order is recency order. */
  readonly #amountMonths = new Map<string, (string | number)[]>();
  /** Failed or rejected transfers still in the window, per account key: [amountSatang, effectiveDate]. */
  readonly #failed = new Map<string, [number, string][]>();
  /** Insertion order is recency order. Values: flat [month, count, …]. */
  readonly #accountMonths = new Map<string, (string | number)[]>();
  /** Insertion order is recency order: a payee paid again moves to the end. */
  readonly #payeeAmounts = new Map<string, number[]>();
  /** Insertion order is recency order. */
  readonly #seen = new Map<string, RowSet>();
  /** The batch at the end of `#seen`: rows of one file arrive together, so most rows need no reordering. */
  #lastSeenBatch: string | undefined;
  #cutoffFor: string | null = null;
  #cutoffDate = '';
  firstDate: string | null = null;
  perLineRecurringVouchers = false;
  /** Set by the engine: reference data live beside the state, not in its snapshot. */
  reference: LaoReferenceView = NO_REFERENCE;
  /** Set by the engine before each record: its peer group's baselines (kept by the engine, across LAOs). */
  peers: PeerGroupView | null = null;
  /** Set by the engine with `peers`. */
  province: PeerGroupView | null = null;
  #oldestDayFor: string | null = null;
  #oldestDay = '';
  /** Insertion order is recency order. */
  readonly #payees = new Map<string, NameSeen[]>();
  /** Per source format, per date (nested maps: a day's key is not a new string per lookup). */
  readonly #daily = new Map<SourceFormat, Map<string, DayTotal>>();
  /** Per fiscal year, source format and service type. */
  readonly #tallies = new Map<number, Map<SourceFormat, Map<string, FiscalTally>>>();

  constructor(laoCode: string, limits: StateLimits) {
    this.laoCode = laoCode;
    this.#limits = limits;
    this.#oneOff = new SortedSample(limits.oneOffHistorySize);
  }

  paymentsToPayee(bankCode: string, account: string): readonly WindowPayment[] {
    return this.#byPayee.get(payeeKey(bankCode, account)) ?? NONE;
  }

  laoAmounts(serviceType: string): AmountSample {
    return this.#laoAmounts.get(serviceType) ?? EMPTY_SAMPLE;
  }

  allowance(record: Disbursement): Allowance | null {
    return allowanceOf(record, this.reference, this.#limits);
  }

  isRecurring(record: Disbursement): boolean {
    return this.#limits.recurringServiceTypes.includes(record.serviceType) || this.allowance(record) !== null;
  }

  get oneOffAmounts(): AmountSample {
    return this.#oneOff;
  }

  monthsPaidAmount(format: SourceFormat, bankCode: string, account: string, amountSatang: number): readonly string[] {
    const flat = this.#amountMonths.get(formatAccountKey(format, bankCode, account));
    if (!flat) return NONE;
    const out = new Set<string>();
    for (let i = 0; i < flat.length; i += 2) if (flat[i + 1] === amountSatang) out.add(flat[i] as string);
    return [...out];
  }

  batchVouchers(batchId: string): BatchVouchers {
    return this.#batchVouchers.get(batchId) ?? NO_TALLY;
  }

  coveringVouchers(payment: VoucherMatchable): readonly ApprovedVoucher[] | undefined {
    const vouchers = this.reference.vouchers;
    return vouchers ? coveringVouchers(payment, vouchers, this.#limits.voucherToleranceDays) : undefined;
  }

  voucherCovered(record: Disbursement): boolean | undefined {
    const covering = this.coveringVouchers(record);
    return covering === undefined ? undefined : covering.length > 0;
  }

  failedTransfers(bankCode: string, account: string): readonly (readonly [number, string])[] {
    return this.#failed.get(payeeKey(bankCode, account)) ?? NONE;
  }

  oneOffMonths(format: SourceFormat, bankCode: string, account: string): readonly (readonly [string, number])[] {
    const flat = this.#accountMonths.get(formatAccountKey(format, bankCode, account));
    if (!flat) return NONE;
    const out: [string, number][] = [];
    for (let i = 0; i < flat.length; i += 2) out.push([flat[i] as string, flat[i + 1] as number]);
    return out;
  }

  payeeAmounts(serviceType: string, bankCode: string, account: string): readonly number[] {
    return this.#payeeAmounts.get(payeeHistoryKey(serviceType, bankCode, account)) ?? NONE;
  }

  serviceTypes(): readonly string[] {
    return [...this.#laoAmounts.keys()].sort(byText);
  }

  payeeNames(bankCode: string, account: string): readonly NameSeen[] | undefined {
    return this.#payees.get(payeeKey(bankCode, account));
  }

  get oldestDayKept(): string | null {
    if (this.newestDate === null) return null;
    if (this.#oldestDayFor !== this.newestDate) {
      this.#oldestDayFor = this.newestDate;
      this.#oldestDay = addDays(this.newestDate, -this.#limits.dailyDays);
    }
    return this.#oldestDay;
  }

  dayTotal(date: string, format: SourceFormat): DayTotal {
    return this.#daily.get(format)?.get(date) ?? ZERO_DAY;
  }

  fiscalTally(fy: number, format: SourceFormat, serviceType: string): FiscalTally | undefined {
    return this.#tallies.get(fy)?.get(format)?.get(serviceType);
  }

  windowByPayee(): Iterable<readonly WindowPayment[]> {
    return this.#byPayee.values();
  }

  oneOffWindowAmounts(format: SourceFormat): { readonly size: number; countBelow(x: number): number } {
    return this.#oneOffWindow.get(format) ?? EMPTY_AMOUNTS;
  }

  /**
   * True when this row of this batch was folded in already. Keyed by (batchId, row), which is
   * what a recordId is (`recordIdOf`); remembered per batch as row ranges, so thousands of
   * rows cost a few numbers and recently seen batches can be kept well beyond the date window.
   */
  hasSeen(record: Pick<Disbursement, 'batchId' | 'row'>): boolean {
    return this.#seen.get(record.batchId)?.has(record.row) ?? false;
  }

  /** Folds a record in: remembers its row, moves the LAO's clock, and keeps outflow in the window and histories. */
  fold(record: Disbursement): void {
    const seq = this.nextSeq++;
    this.#markSeen(record.batchId, record.row);
    if (this.newestDate === null || record.effectiveDate > this.newestDate) {
      this.newestDate = record.effectiveDate;
      this.#expire();
      this.#expireAggregates();
    }
    // Failed and rejected transfers moved no money: they are not history to compare against.
    if (!isOutflow(record.status)) { this.#rememberFailure(record); return; }
    // A record already older than the window would leave it at once.
    const recurring = this.isRecurring(record);
    if (record.effectiveDate >= this.#cutoff()) this.#addToWindow(toWindowPayment(record, seq, recurring));
    // Allowances paid under a wage or "other" service type would drown what the LAO pays its staff or suppliers.
    if (this.allowance(record) === null) {
      let sample = this.#laoAmounts.get(record.serviceType);
      if (!sample) this.#laoAmounts.set(record.serviceType, (sample = new SortedSample(this.#limits.laoHistorySize)));
      sample.push(record.amountSatang);
    }
    if (!recurring && record.sourceFormat === 'ktb-bulk') this.#tallyVoucher(record, seq);
    if (recurring && !this.perLineRecurringVouchers && this.voucherCovered(record) === true) this.perLineRecurringVouchers = true;
    if (!recurring) {
      this.#oneOff.push(record.amountSatang);
      this.#countOneOffMonth(record);
    }
    this.#pushPayeeAmount(payeeHistoryKey(record.serviceType, record.payeeBankCode, record.payeeAccount), record.amountSatang);
    if (this.firstDate === null || record.effectiveDate < this.firstDate) this.firstDate = record.effectiveDate;
    this.#rememberName(record);
    this.#addToDay(record, recurring);
    this.#addToTally(record);
  }

  /** Plain-JSON copy of the state, in a canonical order: the same state always gives the same bytes. */
  snapshot(): LaoSnapshot {
    const accounts = new Dictionary(), batches = new Dictionary(), files = new Dictionary(), names = new Dictionary();
    const newest = this.newestDate;
    // Grouped by the account as written (a key's payments may carry its bulk and its report spelling), first payment first.
    const written = new Map<string, WindowPayment[]>();
    for (const list of this.#byPayee.values()) for (const p of list) {
      const k = `${p.payeeBankCode}:${p.payeeAccount}`;
      const g = written.get(k);
      if (g) g.push(p); else written.set(k, [p]);
    }
    const groups = [...written].sort(([, a], [, b]) => a[0]!.seq - b[0]!.seq);
    const window = groups.map(([key, list]): [number, CompactPayment[]] => [accounts.of(key), list.sort((a, b) => a.seq - b.seq).map((p): CompactPayment => [
      p.seq, batches.of(p.batchId), p.row, p.recordId === recordIdOf(p.batchId, p.row) ? null : p.recordId, files.of(p.sourceFile),
      SourceFormat.options.indexOf(p.sourceFormat), names.of(p.payeeName), p.payeeId, p.amountSatang,
      newest === null ? 0 : daysBetween(p.effectiveDate, newest), p.serviceType, p.voucherNo, p.bankReference, p.recurring ? 1 : 0,
    ])]);
    const payeeAmounts = [...this.#payeeAmounts].map(([k, v]): [string, number, number[]] => {
      const bar = k.indexOf('|');
      return [k.slice(0, bar), accounts.of(k.slice(bar + 1)), [...v]];
    });
    const payees = [...this.#payees].map(([k, seen]): [number, [number, number, number, string | null][]] => [accounts.of(k), seen.map((n): [number, number, number, string | null] => {
      const colon = n[2].lastIndexOf(':'), batchId = n[2].slice(0, colon), row = Number(n[2].slice(colon + 1));
      return colon > 0 && Number.isSafeInteger(row) && row > 0 && recordIdOf(batchId, row) === n[2] ? [names.of(n[1]), batches.of(batchId), row, null] : [names.of(n[1]), 0, 0, n[2]];
    })]);
    return {
      laoCode: this.laoCode,
      newestDate: this.newestDate,
      nextSeq: this.nextSeq,
      firstDate: this.firstDate,
      perLineRecurringVouchers: this.perLineRecurringVouchers,
      seenBatches: [...this.#seen].map(([batchId, rows]) => [batchId, rows.toJSON()]),
      accounts: accounts.values,
      batches: batches.values,
      files: files.values,
      names: names.values,
      window,
      laoAmounts: [...this.#laoAmounts].sort(([a], [b]) => byText(a, b)).map(([k, v]) => [k, v.values()]),
      oneOff: this.#oneOff.values(),
      accountMonths: [...this.#accountMonths].map(([k, v]) => compactMonths(k, v, accounts)),
      amountMonths: [...this.#amountMonths].map(([k, v]) => compactMonths(k, v, accounts)),
      batchVouchers: [...this.#batchVouchers].map(([k, t]) => [k, t.covered, t.uncovered.map((p) => ({ ...p }))]),
      failed: [...this.#failed].map(([k, v]) => [k, v.map(([a, d]) => [a, d] as [number, string])]),
      payeeAmounts,
      payees,
      daily: [...this.#daily].flatMap(([format, days]) => [...days].map(([date, d]): [string, SourceFormat, number, number] => [date, format, d.count, d.amountSatang]))
        .sort((a, b) => byText(a[0], b[0]) || byText(a[1], b[1])),
      tallies: [...this.#tallies].flatMap(([fy, formats]) => [...formats].flatMap(([format, types]) => [...types].map(([st, v]): [number, SourceFormat, string, number, number[], number[]] => [fy, format, st, v.count, [...v.digits], [...v.bands]])))
        .sort((a, b) => a[0] - b[0] || byText(a[1], b[1]) || byText(a[2], b[2])),
    };
  }

  /** The window payments of a snapshot as `WindowPayment`s, in arrival order (for restore, tests and tools). */
  static windowOf(snap: LaoSnapshot): WindowPayment[] {
    const out: WindowPayment[] = [];
    for (const [accountIx, list] of snap.window) {
      const account = at(snap.accounts, accountIx, 'account');
      const colon = account.indexOf(':');
      for (const [seq, batchIx, row, recordId, fileIx, formatIx, nameIx, payeeId, amountSatang, daysBefore, serviceType, voucherNo, bankReference, recurring] of list) {
        const batchId = at(snap.batches, batchIx, 'batch');
        const format = SourceFormat.options[formatIx];
        if (format === undefined) throw new RangeError(`snapshot format index ${formatIx} out of range`);
        out.push({
          seq, recordId: recordId ?? recordIdOf(batchId, row), batchId, row, sourceFile: at(snap.files, fileIx, 'file'), sourceFormat: format,
          payeeBankCode: account.slice(0, colon), payeeAccount: account.slice(colon + 1), payeeName: at(snap.names, nameIx, 'name'), payeeId, amountSatang,
          effectiveDate: snap.newestDate === null ? '' : addDays(snap.newestDate, -daysBefore), serviceType, voucherNo, bankReference, recurring: recurring === 1,
        });
      }
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  /** Rebuilds the state from a snapshot (already validated), applying the current limits. */
  static restore(snap: LaoSnapshot, limits: StateLimits): LaoState {
    const state = new LaoState(snap.laoCode, limits);
    state.newestDate = snap.newestDate;
    state.nextSeq = snap.nextSeq;
    for (const [batchId, ranges] of snap.seenBatches) state.#seen.set(batchId, new RowSet(ranges));
    state.#lastSeenBatch = snap.seenBatches.at(-1)?.[0];
    for (const p of LaoState.windowOf(snap)) state.#addToWindow(p);
    for (const [k, v] of snap.laoAmounts) state.#laoAmounts.set(k, new SortedSample(limits.laoHistorySize, v));
    state.#oneOff = new SortedSample(limits.oneOffHistorySize, snap.oneOff);
    for (const c of snap.accountMonths) { const [k, v] = expandMonths(c, snap.accounts); state.#accountMonths.set(k, v.slice(-2 * limits.accountMonthsKept)); }
    for (const [k, v] of snap.failed) state.#failed.set(k, v.map(([a, d]) => [a, d]));
    for (const c of snap.amountMonths) { const [k, v] = expandMonths(c, snap.accounts); state.#amountMonths.set(k, v.slice(-2 * AMOUNTS_PER_ACCOUNT)); }
    for (const [k, covered, uncovered] of snap.batchVouchers.slice(-TALLIED_BATCHES)) state.#batchVouchers.set(k, { covered, uncovered: uncovered.map((p) => ({ ...p })) });
    evictOldest(state.#amountMonths, limits.maxPayeeHistories);
    evictOldest(state.#accountMonths, limits.maxPayeeHistories);
    for (const [st, accountIx, v] of snap.payeeAmounts) state.#payeeAmounts.set(`${st}|${at(snap.accounts, accountIx, 'account')}`, v.slice(-limits.payeeHistorySize));
    state.firstDate = snap.firstDate;
    state.perLineRecurringVouchers = snap.perLineRecurringVouchers;
    for (const [accountIx, seen] of snap.payees) {
      const names = seen.slice(0, limits.maxNamesPerAccount).map(([nameIx, batchIx, row, recordId]): NameSeen => {
        const name = at(snap.names, nameIx, 'name');
        return [normaliseThaiName(name), name, recordId ?? recordIdOf(at(snap.batches, batchIx, 'batch'), row)];
      });
      state.#payees.set(at(snap.accounts, accountIx, 'account'), names);
    }
    for (const [date, format, count, amountSatang] of snap.daily) state.#dayTotals(format).set(date, { count, amountSatang });
    for (const [fy, format, st, count, digits, bands] of snap.tallies) state.#talliesOf(fy, format).set(st, { count, digits: [...digits], digitTotal: digits.reduce((a, b) => a + b, 0), bands: [...bands] });
    evictOldest(state.#seen, limits.seenBatches);
    evictOldest(state.#payeeAmounts, limits.maxPayeeHistories);
    evictOldest(state.#payees, limits.maxPayeeHistories);
    state.#expire();
    state.#expireAggregates();
    return state;
  }

  /** Names are kept per account in first-seen order; a payee paid again moves to the recent end. */
  #rememberName(record: Disbursement): void {
    const key = payeeKey(record.payeeBankCode, record.payeeAccount);
    const normalised = normaliseThaiName(record.payeeName);
    // Moved to the recent end (a key not held yet needs no delete: set appends it there). A new list is written with
    // its first entry rather than pushed into: an empty array's first push reserves room for 17.
    let names = this.#payees.get(key);
    if (names === undefined) names = this.#limits.maxNamesPerAccount > 0 ? [[normalised, record.payeeName, record.recordId]] : [];
    else {
      this.#payees.delete(key);
      if (names.length < this.#limits.maxNamesPerAccount && !hasName(names, normalised)) names.push([normalised, record.payeeName, record.recordId]);
    }
    this.#payees.set(key, names);
    evictOldest(this.#payees, this.#limits.maxPayeeHistories);
  }

  /** Counts a one-off transfer in its account's month (each bank reference once: overlapping reports list one transfer twice). */
  #countOneOffMonth(record: Disbursement): void {
    if (record.bankReference !== null && this.#byPayee.get(payeeKey(record.payeeBankCode, record.payeeAccount))?.some((p) => p.recordId !== record.recordId && p.sourceFormat === record.sourceFormat && p.bankReference === record.bankReference)) return;
    const key = formatAccountKey(record.sourceFormat, record.payeeBankCode, record.payeeAccount);
    const month = monthOf(record.effectiveDate);
    let amounts = this.#amountMonths.get(key);
    if (amounts === undefined) amounts = [month, record.amountSatang];
    else { this.#amountMonths.delete(key); amounts.push(month, record.amountSatang); }
    this.#amountMonths.set(key, amounts);
    if (amounts.length > 2 * AMOUNTS_PER_ACCOUNT) amounts.splice(0, amounts.length - 2 * AMOUNTS_PER_ACCOUNT);
    evictOldest(this.#amountMonths, this.#limits.maxPayeeHistories);
    let flat = this.#accountMonths.get(key);
    if (flat === undefined) flat = [month, 1];
    else {
      this.#accountMonths.delete(key);
      // Rows come in file order, not date order: find the month's slot, keeping months in order.
      let i = flat.length - 2;
      while (i >= 0 && (flat[i] as string) > month) i -= 2;
      if (i >= 0 && flat[i] === month) flat[i + 1] = (flat[i + 1] as number) + 1;
      else flat.splice(i + 2, 0, month, 1);
    }
    this.#accountMonths.set(key, flat);
    if (flat.length > 2 * this.#limits.accountMonthsKept) flat.splice(0, flat.length - 2 * this.#limits.accountMonthsKept);
    evictOldest(this.#accountMonths, this.#limits.maxPayeeHistories);
  }

  #addToDay(record: Disbursement, recurring: boolean): void {
    // Days before the kept range are unknown to the baseline anyway; keeping one would make it look like a full day.
    const oldest = this.oldestDayKept;
    if ((oldest !== null && record.effectiveDate < oldest) || recurring || this.#limits.dailyExcludedServiceTypes.includes(record.serviceType)) return;
    const days = this.#dayTotals(record.sourceFormat);
    const day = days.get(record.effectiveDate);
    if (day) { day.count++; day.amountSatang += record.amountSatang; }
    else days.set(record.effectiveDate, { count: 1, amountSatang: record.amountSatang });
  }

  #addToTally(record: Disbursement): void {
    const fy = fiscalYear(record.effectiveDate);
    // This fiscal year and the one before: rows of last September still arrive in October.
    if (this.newestDate !== null && fy < fiscalYear(this.newestDate) - 1) return;
    const types = this.#talliesOf(fy, record.sourceFormat);
    let tally = types.get(record.serviceType);
    if (!tally) {
      tally = { count: 0, digits: new Array<number>(90).fill(0), digitTotal: 0, bands: this.#limits.nearThresholdsSatang.flatMap((t) => [t, 0, 0]) };
      types.set(record.serviceType, tally);
    }
    tally.count++;
    // Amounts under 10 baht carry no first-two-digit information worth testing (Nigrini's usual floor).
    const d = record.amountSatang >= 1_000 ? firstTwoDigits(record.amountSatang) : null;
    if (d !== null) { tally.digits[d - 10]!++; tally.digitTotal++; }
    for (let i = 0; i < tally.bands.length; i += 3) {
      const t = tally.bands[i]!, near = t * this.#limits.nearBandFraction, width = t - near;
      if (record.amountSatang >= near && record.amountSatang < t) tally.bands[i + 2]!++;
      else if (record.amountSatang >= near - width && record.amountSatang < near) tally.bands[i + 1]!++;
    }
  }

  /** Drops daily totals and fiscal tallies that have aged out; runs when the newest date moves. */
  #expireAggregates(): void {
    if (this.newestDate === null) return;
    const oldestDay = this.oldestDayKept!;
    for (const days of this.#daily.values()) for (const date of days.keys()) if (date < oldestDay) days.delete(date);
    const oldestFy = fiscalYear(this.newestDate) - 1;
    for (const fy of this.#tallies.keys()) if (fy < oldestFy) this.#tallies.delete(fy);
  }

  /** The daily totals of one source format (created empty). */
  #dayTotals(format: SourceFormat): Map<string, DayTotal> {
    let days = this.#daily.get(format);
    if (!days) this.#daily.set(format, (days = new Map()));
    return days;
  }

  /** The tallies of one fiscal year and source format, per service type (created empty). */
  #talliesOf(fy: number, format: SourceFormat): Map<string, FiscalTally> {
    let formats = this.#tallies.get(fy);
    if (!formats) this.#tallies.set(fy, (formats = new Map()));
    let types = formats.get(format);
    if (!types) formats.set(format, (types = new Map()));
    return types;
  }

  /** The earliest effective date the window keeps; recomputed only when the newest date moves. */
  #cutoff(): string {
    if (this.#cutoffFor !== this.newestDate) {
      this.#cutoffFor = this.newestDate;
      this.#cutoffDate = this.newestDate === null ? '' : addDays(this.newestDate, -this.#limits.windowDays);
    }
    return this.#cutoffDate;
  }

  #addToWindow(p: WindowPayment): void {
    const key = payeeKey(p.payeeBankCode, p.payeeAccount);
    const list = this.#byPayee.get(key);
    if (list) list.push(p);
    else this.#byPayee.set(key, [p]);
    if (!p.recurring) {
      let amounts = this.#oneOffWindow.get(p.sourceFormat);
      if (!amounts) this.#oneOffWindow.set(p.sourceFormat, (amounts = new SortedMultiset()));
      amounts.add(p.amountSatang);
    }
    if (this.#oldestDate === null || p.effectiveDate < this.#oldestDate) this.#oldestDate = p.effectiveDate;
  }

  /** Drops payments dated before the window; runs only when the newest date moves past the oldest kept. */
  #expire(): void {
    const cutoff = this.#cutoff();
    if (this.#oldestDate === null || this.#oldestDate >= cutoff) return;
    let oldest: string | null = null;
    for (const [key, list] of this.#byPayee) {
      const kept = list.filter((p) => p.effectiveDate >= cutoff);
      if (kept.length !== list.length) for (const p of list) if (p.effectiveDate < cutoff && !p.recurring) this.#oneOffWindow.get(p.sourceFormat)!.remove(p.amountSatang);
      if (kept.length === 0) { this.#byPayee.delete(key); continue; }
      if (kept.length !== list.length) this.#byPayee.set(key, kept);
      for (const p of kept) if (oldest === null || p.effectiveDate < oldest) oldest = p.effectiveDate;
    }
    this.#oldestDate = oldest;
    for (const [key, list] of this.#failed) {
      const kept = list.filter(([, date]) => date >= cutoff);
      if (kept.length === 0) this.#failed.delete(key); else if (kept.length !== list.length) this.#failed.set(key, kept);
    }
  }

  /** Counts a bulk line as covered or not by the LAO's approved vouchers, per batch (the last `TALLIED_BATCHES`). */
  #tallyVoucher(record: Disbursement, seq: number): void {
    const covered = this.voucherCovered(record);
    if (covered === undefined) return;
    let tally = this.#batchVouchers.get(record.batchId);
    if (!tally) {
      this.#batchVouchers.set(record.batchId, (tally = { covered: 0, uncovered: [] }));
      evictOldest(this.#batchVouchers, TALLIED_BATCHES);
    }
    if (covered) tally.covered++;
    else tally.uncovered.push(toWindowPayment(record, seq, false));
  }

  /** A transfer the bank reports failed or rejected, kept as long as the window: its retry is no second payment. */
  #rememberFailure(record: Disbursement): void {
    if (record.effectiveDate < this.#cutoff()) return;
    const key = payeeKey(record.payeeBankCode, record.payeeAccount);
    const list = this.#failed.get(key) ?? [];
    list.push([record.amountSatang, record.effectiveDate]);
    this.#failed.set(key, list);
  }

  #markSeen(batchId: string, row: number): void {
    let rows = this.#seen.get(batchId);
    if (rows) {
      if (this.#lastSeenBatch !== batchId) { this.#seen.delete(batchId); this.#seen.set(batchId, rows); }
    } else {
      rows = new RowSet();
      this.#seen.set(batchId, rows);
      evictOldest(this.#seen, this.#limits.seenBatches);
    }
    this.#lastSeenBatch = batchId;
    rows.add(row);
  }

  #pushPayeeAmount(key: string, amount: number): void {
    let list = this.#payeeAmounts.get(key);
    if (list === undefined) list = [amount];
    else { this.#payeeAmounts.delete(key); list.push(amount); }
    this.#payeeAmounts.set(key, list);
    if (list.length > this.#limits.payeeHistorySize) list.splice(0, list.length - this.#limits.payeeHistorySize);
    evictOldest(this.#payeeAmounts, this.#limits.maxPayeeHistories);
  }
}


/** True when one of the names is this normalised one. */
function hasName(names: readonly NameSeen[], normalised: string): boolean {
  for (let i = 0; i < names.length; i++) if (names[i]![0] === normalised) return true;
  return false;
}

function evictOldest(map: Map<string, unknown>, max: number): void {
  while (map.size > max) map.delete(map.keys().next().value!);
}
