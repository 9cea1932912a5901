/**
 * Detection state of one LAO: recent outflow payments (a date window), bounded amount
 * histories, and the rows already folded in. Time comes from the records' effective dates,
 * never from a clock, so the same records in the same order always give the same state.
 */
import { addDays, isOutflow, type Disbursement, type SourceFormat } from '@paywatch/domain';
import { RowSet } from './row-set.ts';

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
}

/** The record as the window would keep it, with the sequence number it gets (or got) on arrival. */
export function toWindowPayment(record: Disbursement, seq: number): WindowPayment {
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
  };
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
  /** The LAO's most recent outflow amounts (satang) of one service type, oldest first. */
  laoAmounts(serviceType: string): readonly number[];
  /** The most recent outflow amounts (satang) of one service type paid to one account by this LAO, oldest first. */
  payeeAmounts(serviceType: string, bankCode: string, account: string): readonly number[];
}

/** How much state to keep. */
export interface StateLimits {
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
}

/** Plain-JSON form of one LAO's state. Arrays keep the orders that matter (arrival, recency). */
export interface LaoSnapshot {
  laoCode: string;
  newestDate: string | null;
  nextSeq: number;
  /** [batchId, flat row ranges], least recently seen first. */
  seenBatches: [string, number[]][];
  /** In arrival order. */
  window: WindowPayment[];
  /** [serviceType, amounts oldest first], by service type. */
  laoAmounts: [string, number[]][];
  /** [`${serviceType}|${bank}:${account}`, amounts oldest first], least recently paid first. */
  payeeAmounts: [string, number[]][];
}

const payeeKey = (bankCode: string, account: string): string => `${bankCode}:${account}`;
const payeeHistoryKey = (serviceType: string, bankCode: string, account: string): string => `${serviceType}|${bankCode}:${account}`;
const NONE: readonly never[] = Object.freeze([]);

/** Mutable state of one LAO, owned by the engine. */
export class LaoState implements LaoStateView {
  readonly laoCode: string;
  newestDate: string | null = null;
  nextSeq = 0;
  readonly #limits: StateLimits;
  readonly #byPayee = new Map<string, WindowPayment[]>();
  /** Earliest effective date in the window, so that most date advances skip the expiry scan. */
  #oldestDate: string | null = null;
  readonly #laoAmounts = new Map<string, number[]>();
  /** Insertion order is recency order: a payee paid again moves to the end. */
  readonly #payeeAmounts = new Map<string, number[]>();
  /** Insertion order is recency order. */
  readonly #seen = new Map<string, RowSet>();
  /** The batch at the end of `#seen`: rows of one file arrive together, so most rows need no reordering. */
  #lastSeenBatch: string | undefined;
  #cutoffFor: string | null = null;
  #cutoffDate = '';

  constructor(laoCode: string, limits: StateLimits) {
    this.laoCode = laoCode;
    this.#limits = limits;
  }

  paymentsToPayee(bankCode: string, account: string): readonly WindowPayment[] {
    return this.#byPayee.get(payeeKey(bankCode, account)) ?? NONE;
  }

  laoAmounts(serviceType: string): readonly number[] {
    return this.#laoAmounts.get(serviceType) ?? NONE;
  }

  payeeAmounts(serviceType: string, bankCode: string, account: string): readonly number[] {
    return this.#payeeAmounts.get(payeeHistoryKey(serviceType, bankCode, account)) ?? NONE;
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
    }
    // Failed and rejected transfers moved no money: they are not history to compare against.
    if (!isOutflow(record.status)) return;
    // A record already older than the window would leave it at once.
    if (record.effectiveDate >= this.#cutoff()) this.#addToWindow(toWindowPayment(record, seq));
    pushBounded(this.#laoAmounts, record.serviceType, record.amountSatang, this.#limits.laoHistorySize);
    this.#pushPayeeAmount(payeeHistoryKey(record.serviceType, record.payeeBankCode, record.payeeAccount), record.amountSatang);
  }

  /** Plain-JSON copy of the state. */
  snapshot(): LaoSnapshot {
    const window = [...this.#byPayee.values()].flat().sort((a, b) => a.seq - b.seq).map((p) => ({ ...p }));
    return {
      laoCode: this.laoCode,
      newestDate: this.newestDate,
      nextSeq: this.nextSeq,
      seenBatches: [...this.#seen].map(([batchId, rows]) => [batchId, rows.toJSON()]),
      window,
      laoAmounts: [...this.#laoAmounts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, [...v]]),
      payeeAmounts: [...this.#payeeAmounts].map(([k, v]) => [k, [...v]]),
    };
  }

  /** Rebuilds the state from a snapshot (already validated), applying the current limits. */
  static restore(snap: LaoSnapshot, limits: StateLimits): LaoState {
    const state = new LaoState(snap.laoCode, limits);
    state.newestDate = snap.newestDate;
    state.nextSeq = snap.nextSeq;
    for (const [batchId, ranges] of snap.seenBatches) state.#seen.set(batchId, new RowSet(ranges));
    state.#lastSeenBatch = snap.seenBatches.at(-1)?.[0];
    for (const p of snap.window) state.#addToWindow({ ...p });
    for (const [k, v] of snap.laoAmounts) state.#laoAmounts.set(k, v.slice(-limits.laoHistorySize));
    for (const [k, v] of snap.payeeAmounts) state.#payeeAmounts.set(k, v.slice(-limits.payeeHistorySize));
    evictOldest(state.#seen, limits.seenBatches);
    evictOldest(state.#payeeAmounts, limits.maxPayeeHistories);
    state.#expire();
    return state;
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
    if (this.#oldestDate === null || p.effectiveDate < this.#oldestDate) this.#oldestDate = p.effectiveDate;
  }

  /** Drops payments dated before the window; runs only when the newest date moves past the oldest kept. */
  #expire(): void {
    const cutoff = this.#cutoff();
    if (this.#oldestDate === null || this.#oldestDate >= cutoff) return;
    let oldest: string | null = null;
    for (const [key, list] of this.#byPayee) {
      const kept = list.filter((p) => p.effectiveDate >= cutoff);
      if (kept.length === 0) { this.#byPayee.delete(key); continue; }
      if (kept.length !== list.length) this.#byPayee.set(key, kept);
      for (const p of kept) if (oldest === null || p.effectiveDate < oldest) oldest = p.effectiveDate;
    }
    this.#oldestDate = oldest;
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
    const list = this.#payeeAmounts.get(key) ?? [];
    this.#payeeAmounts.delete(key);
    this.#payeeAmounts.set(key, list);
    list.push(amount);
    if (list.length > this.#limits.payeeHistorySize) list.splice(0, list.length - this.#limits.payeeHistorySize);
    evictOldest(this.#payeeAmounts, this.#limits.maxPayeeHistories);
  }
}

function pushBounded(map: Map<string, number[]>, key: string, value: number, size: number): void {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  list.push(value);
  if (list.length > size) list.splice(0, list.length - size);
}

function evictOldest(map: Map<string, unknown>, max: number): void {
  while (map.size > max) map.delete(map.keys().next().value!);
}
