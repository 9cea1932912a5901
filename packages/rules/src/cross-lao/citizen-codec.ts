/**
 * Stage 2's memory of allowances per citizen ID, compact. A province's welfare day is hundreds of thousands of people
 * with one or two payments each, so what one payment costs decides whether a partition fits (ADR 0015's size model):
 * - in memory, the strings every payment of a file shares (LAO, batch, file, remark, date, service type) are interned,
 *   so each is held once, not once per JSON-parsed record;
 * - in a snapshot, a payment is a tuple with those strings as indexes into one table, the record id and the payee ID
 *   left out when they are what they would be anyway (`batchId:row`, the key's own citizen ID).
 */
import { recordIdOf, SourceFormat } from '@paywatch/domain';
import type { WindowPayment } from '../state/lao-state.ts';
import type { CitizenPayment } from './welfare-two-laos.ts';

/**
 * One payment in a snapshot: [lao, month, remark (-1: none), seq, batch, row, record id (null: `batch:row`), file,
 * format, bank, account, name, payee ID (null: none, 1: the key's citizen ID, else the ID), amount, date, service
 * type, voucher (null: none), bank reference (null: none), recurring (0/1)]; text fields by index into `strings`.
 */
export type CompactCitizenPayment = [
  number, number, number, number, number, number, string | null, number, number, number, string, string, string | 1 | null, number, number, number,
  string | null, string | null, 0 | 1,
];

/** The citizens of a snapshot: the string table and, per key, its payments. */
export interface CompactCitizens { strings: string[]; citizens: [string, CompactCitizenPayment[]][] }

/** Hands out one instance per distinct string; forgets everything past `max` entries (interning is only a saving). */
export class StringPool {
  readonly #pool = new Map<string, string>();
  constructor(private readonly max = 200_000) {}
  of<T extends string | null>(value: T): T {
    if (value === null) return value;
    const held = this.#pool.get(value);
    if (held !== undefined) return held as T;
    if (this.#pool.size >= this.max) this.#pool.clear();
    this.#pool.set(value, value);
    return value;
  }
}

/** The payment with its shared strings interned. */
export function internCitizenPayment(c: CitizenPayment, pool: StringPool): CitizenPayment {
  const p = c.payment;
  return {
    laoCode: pool.of(c.laoCode), month: pool.of(c.month), remark: pool.of(c.remark),
    payment: {
      ...p, batchId: pool.of(p.batchId), sourceFile: pool.of(p.sourceFile), payeeBankCode: pool.of(p.payeeBankCode),
      effectiveDate: pool.of(p.effectiveDate), serviceType: pool.of(p.serviceType),
    },
  };
}

/** The citizens as a snapshot, keys in the order given. */
export function encodeCitizens(entries: readonly [string, readonly CitizenPayment[]][]): CompactCitizens {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const ix = (s: string) => {
    let i = index.get(s);
    if (i === undefined) { i = strings.length; strings.push(s); index.set(s, i); }
    return i;
  };
  const citizens = entries.map(([key, list]): [string, CompactCitizenPayment[]] => {
    const own = key.startsWith('cid:') ? key.slice(4) : null;
    return [key, list.map(({ laoCode, month, remark, payment: p }): CompactCitizenPayment => [
      ix(laoCode), ix(month), remark === null ? -1 : ix(remark), p.seq, ix(p.batchId), p.row, p.recordId === recordIdOf(p.batchId, p.row) ? null : p.recordId,
      ix(p.sourceFile), SourceFormat.options.indexOf(p.sourceFormat), ix(p.payeeBankCode), p.payeeAccount, p.payeeName,
      p.payeeId === null ? null : p.payeeId === own ? 1 : p.payeeId, p.amountSatang, ix(p.effectiveDate), ix(p.serviceType), p.voucherNo, p.bankReference, p.recurring ? 1 : 0,
    ])];
  });
  return { strings, citizens };
}

/** The citizens of a snapshot, checked field by field (a hand check: a partition holds too many for a schema per payment). */
export function decodeCitizens(snap: unknown, pool: StringPool): Map<string, CitizenPayment[]> {
  const { strings, citizens } = (snap ?? {}) as Partial<CompactCitizens>;
  if (!Array.isArray(strings) || !strings.every((s) => typeof s === 'string') || !Array.isArray(citizens)) throw new TypeError('stage-2 snapshot: strings and citizens must be arrays');
  const text = (i: unknown, what: string): string => {
    const s = typeof i === 'number' ? strings[i] : undefined;
    if (s === undefined) throw new RangeError(`stage-2 snapshot: ${what} index ${String(i)} is not in the string table`);
    return pool.of(s);
  };
  const str = (v: unknown, what: string): string => { if (typeof v !== 'string') throw new TypeError(`stage-2 snapshot: ${what} must be text`); return v; };
  const int = (v: unknown, what: string): number => { if (!Number.isInteger(v)) throw new TypeError(`stage-2 snapshot: ${what} must be an integer`); return v as number; };
  const optional = (v: unknown, what: string): string | null => (v === null ? null : str(v, what));
  const out = new Map<string, CitizenPayment[]>();
  for (const entry of citizens) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !Array.isArray(entry[1])) throw new TypeError('stage-2 snapshot: a citizen must be [key, payments]');
    const key = entry[0];
    const own = key.startsWith('cid:') ? key.slice(4) : null;
    out.set(key, (entry[1] as unknown[]).map((t): CitizenPayment => {
      if (!Array.isArray(t) || t.length !== 19) throw new TypeError(`stage-2 snapshot: a payment of ${key} must have 19 fields`);
      const format = SourceFormat.options[int(t[8], 'format')];
      if (format === undefined) throw new RangeError(`stage-2 snapshot: format index ${String(t[8])}`);
      const batchId = text(t[4], 'batch'), row = int(t[5], 'row');
      const payment: WindowPayment = {
        seq: int(t[3], 'seq'), recordId: t[6] === null ? recordIdOf(batchId, row) : str(t[6], 'record id'), batchId, row, sourceFile: text(t[7], 'file'), sourceFormat: format,
        payeeBankCode: text(t[9], 'bank'), payeeAccount: str(t[10], 'account'), payeeName: str(t[11], 'name'),
        payeeId: t[12] === null ? null : t[12] === 1 ? own : str(t[12], 'payee id'), amountSatang: int(t[13], 'amount'), effectiveDate: text(t[14], 'date'),
        serviceType: text(t[15], 'service type'), voucherNo: optional(t[16], 'voucher'), bankReference: optional(t[17], 'bank reference'), recurring: t[18] === 1,
      };
      return { laoCode: text(t[0], 'lao'), month: text(t[1], 'month'), remark: t[2] === -1 ? null : text(t[2], 'remark'), payment };
    }));
  }
  return out;
}
