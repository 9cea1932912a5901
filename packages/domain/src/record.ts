/** Payment records: what a parser accepts from a file, and what travels on `disbursements.v1`. */
import { z } from 'zod';
import { LaoCode } from './lao.ts';
import { Satang } from './money.ts';

const CalendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD');
const Instant = z.string().datetime({ offset: true });

/** Transfer status. Bulk-file lines are instructions not yet executed; reports carry the bank's outcome. */
export const TransferStatus = z.enum(['instructed', 'success', 'failed', 'rejected']);
export type TransferStatus = z.infer<typeof TransferStatus>;

/** True when the money left (or is instructed to leave): failed and rejected transfers are evidence, not outflow. */
export const isOutflow = (status: TransferStatus): boolean => status === 'instructed' || status === 'success';

export const SourceFormat = z.enum(['ktb-bulk', 'ktb-report']);
export type SourceFormat = z.infer<typeof SourceFormat>;

/** One accepted row of a payment file. */
export const PaymentRecord = z.object({
  sourceFormat: SourceFormat,
  /** Null only where the caller allowed an LAO no registry knows (`paywatch parse`); ingest always knows it. */
  laoCode: LaoCode.nullable(),
  companyId: z.string().nullable(),
  /** The LAO's sending (debit) account, normalised digits. */
  debitAccount: z.string().nullable(),
  payeeBankCode: z.string().regex(/^\d{3}$/),
  /**
   * The account as the file wrote it, digits only: a bank report's 12- or 14-digit account stays whole, a bulk
   * line's 11-digit field loses only its zero-padding. Compare accounts with `accountKey`, never as written.
   */
  payeeAccount: z.string().regex(/^\d{6,14}$/),
  payeeName: z.string(),
  /** 13-digit citizen / tax ID with a valid check digit, when the file carries one. */
  payeeId: z.string().nullable(),
  /**
   * The receiver ID as the file wrote it (a bulk detail's receiver info + receiver ID field, trimmed; a report's
   * receiver ID column), whatever it holds: an ID that fails its check digit is evidence, not noise. Absent in
   * records written before it existed.
   */
  receiverId: z.string().nullable().optional(),
  amountSatang: Satang.refine((n) => n > 0, 'amount must be positive'),
  feeSatang: Satang.nullable(),
  /** Calendar date the transfer is effective (CE). */
  effectiveDate: CalendarDate,
  /** Instant the bank executed it (reports only), UTC ISO. */
  executedAt: Instant.nullable(),
  approvedAt: Instant.nullable(),
  /** Two-digit KTB service type (01 salary, 04 goods and services, 59 other, …). */
  serviceType: z.string().regex(/^\d{2}$/),
  voucherNo: z.string().nullable(),
  bankReference: z.string().nullable(),
  batchNo: z.string().nullable(),
  makerId: z.string().nullable(),
  authorizerId: z.string().nullable(),
  status: TransferStatus,
  remark: z.string().nullable(),
  /** Columns the parser did not map, kept as they were. */
  extra: z.record(z.string(), z.string()),
});
export type PaymentRecord = z.infer<typeof PaymentRecord>;

/** A payment record as published: it knows its batch, file and row, and has a stable id. */
export const Disbursement = PaymentRecord.extend({
  laoCode: LaoCode,
  /**
   * The LAO's peer group, `${provinceCode}:${laoType}` (`peerGroupOf`), stamped by whoever knows the registry (ingest,
   * scan): rules fall back on peers where an LAO's own history is short. Null or absent when the LAO is not in the
   * registry, or for records published before it existed.
   */
  peerGroup: z.string().nullable().optional(),
  /** `${batchId}:${row}` — the same row of the same bytes always has the same id. */
  recordId: z.string(),
  batchId: z.string(),
  /** 1-based line (bulk) or data row (report) in the source file. */
  row: z.number().int().positive(),
  sourceFile: z.string(),
});
export type Disbursement = z.infer<typeof Disbursement>;

/** The stable id of a row of a batch. */
export const recordIdOf = (batchId: string, row: number): string => `${batchId}:${row}`;

/**
 * A parsed record as published: its batch, row, file and id. Throws on a record with no LAO — only a parse that
 * allowed unknown LAOs yields one, and nothing such a parse reads may be published.
 */
export function disbursementOf(record: PaymentRecord, batchId: string, row: number, sourceFile: string, peerGroup: string | null = null): Disbursement {
  const { laoCode } = record;
  if (laoCode === null) throw new TypeError(`row ${row} of ${sourceFile} has no LAO: it cannot be published`);
  return { ...record, laoCode, recordId: recordIdOf(batchId, row), batchId, row, sourceFile, peerGroup };
}

/**
 * The key of `disbursements.v1`: the record's province (from its peer group), so that every LAO of a province — and
 * so of each of its peer groups — lands on one partition, and one detector instance can compare an LAO with its
 * peers and its province; the LAO code when the group is unknown. One LAO's records always share a key, so they stay
 * in order; 77 provinces spread over the partitions (the largest holds about 4 % of the LAOs).
 */
export const disbursementKey = (d: Pick<Disbursement, 'laoCode' | 'peerGroup'>): string => (d.peerGroup ? `province:${provinceOfPeerGroup(d.peerGroup)}` : d.laoCode);

/** The province code of a peer group (`66:sao` → `66`). */
export const provinceOfPeerGroup = (peerGroup: string): string => peerGroup.slice(0, peerGroup.indexOf(':') < 0 ? peerGroup.length : peerGroup.indexOf(':'));
