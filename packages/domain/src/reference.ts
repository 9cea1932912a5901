/**
 * Reference data per LAO (ktb-formats.md §3): registered payees, staff and officials, approved vouchers and
 * welfare beneficiaries. Each upload is a versioned snapshot that replaces the LAO's previous list of that kind,
 * published on a compacted topic keyed by LAO, so the detector can join it to the payment stream as a table.
 */
import { z } from 'zod';
import { LaoCode } from './lao.ts';
import { RowReject } from './batch.ts';
import { Bilingual } from './messages.ts';
import { RegisterChange } from './reference-diff.ts';

const CalendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const Account = z.object({ bankCode: z.string().regex(/^\d{3}$/), account: z.string().regex(/^\d{6,14}$/) });

export const ReferenceKind = z.enum(['payees', 'staff', 'vouchers', 'beneficiaries']);
export type ReferenceKind = z.infer<typeof ReferenceKind>;

/** A payee registered with the LAO for KTB transfers (แบบแจ้งข้อมูลการรับเงินโอน). */
export const RegisteredPayee = Account.extend({
  name: z.string().min(1),
  payeeId: z.string().regex(/^\d{13}$/).nullable(),
  registeredOn: CalendarDate.nullable(),
  status: z.enum(['active', 'inactive']).default('active'),
});
export type RegisteredPayee = z.infer<typeof RegisteredPayee>;

/** A staff member or official of the LAO, with the account salaries go to. */
export const StaffMember = Account.extend({
  name: z.string().min(1),
  citizenId: z.string().regex(/^\d{13}$/).nullable(),
  position: z.string().nullable(),
});
export type StaffMember = z.infer<typeof StaffMember>;

/** An approved payment voucher (ฎีกา) from the LAO's accounting system (e-LAAS). */
export const ApprovedVoucher = z.object({
  voucherNo: z.string().min(1),
  voucherDate: CalendarDate,
  payeeName: z.string().nullable(),
  payeeBankCode: z.string().regex(/^\d{3}$/).nullable(),
  payeeAccount: z.string().regex(/^\d{6,14}$/).nullable(),
  amountSatang: z.number().int().positive(),
  budgetItem: z.string().nullable(),
});
export type ApprovedVoucher = z.infer<typeof ApprovedVoucher>;

/** A welfare allowance beneficiary (elderly, disability, AIDS patients). */
export const WelfareBeneficiary = z.object({
  citizenId: z.string().regex(/^\d{13}$/),
  name: z.string().min(1),
  allowanceType: z.enum(['elderly', 'disability', 'aids', 'other']),
  monthlyAmountSatang: z.number().int().positive(),
  bankCode: z.string().regex(/^\d{3}$/).nullable(),
  account: z.string().regex(/^\d{6,14}$/).nullable(),
});
export type WelfareBeneficiary = z.infer<typeof WelfareBeneficiary>;

const snapshotOf = <K extends ReferenceKind, T extends z.ZodType>(kind: K, item: T) => z.object({
  kind: z.literal(kind),
  laoCode: LaoCode,
  /** Monotonic per (LAO, kind): the snapshot with the highest version wins. */
  version: z.number().int().positive(),
  /** SHA-256 of the uploaded file: the same file twice is the same snapshot. */
  sha256: z.string(),
  effectiveFrom: CalendarDate,
  items: z.array(item),
});

/** One LAO's complete list of one kind, replacing the previous one (`reference.{kind}.v1`, key = LAO code). */
export const ReferenceSnapshot = z.discriminatedUnion('kind', [
  // The register's account history (added, account changed) as ingest computed it over every version it confirmed:
  // the compacted topic keeps only the latest announcement per LAO, so the history travels with it (ADR 0018).
  snapshotOf('payees', RegisteredPayee).extend({ changes: z.array(RegisterChange).optional() }),
  snapshotOf('staff', StaffMember),
  snapshotOf('vouchers', ApprovedVoucher),
  snapshotOf('beneficiaries', WelfareBeneficiary),
]);
export type ReferenceSnapshot = z.infer<typeof ReferenceSnapshot>;

/** Partitions of each reference topic (compacted, keyed by LAO; read whole by every detector instance). */
export const REFERENCE_TOPIC_PARTITIONS = 3;

/** The compacted topic of a reference kind. */
export const referenceTopic = (kind: ReferenceKind): string => `reference.${kind}.v1`;

/**
 * What `reference.{kind}.v1` carries (key = LAO code): a pointer to a snapshot whose items sit in the
 * blob store under `itemsKey` (claim check, ADR 0007). A beneficiary list of a large municipality runs to
 * megabytes, above a broker's default message limit; the pointer stays a few hundred bytes.
 */
export const ReferenceAnnouncement = z.object({
  kind: ReferenceKind,
  laoCode: LaoCode,
  version: z.number().int().positive(),
  sha256: z.string(),
  effectiveFrom: CalendarDate,
  itemCount: z.number().int().nonnegative(),
  itemsKey: z.string().min(1),
  /** A payee register's account history (`RegisterChange[]`), when it has one: the snapshot's `changes` (ADR 0018). */
  changesKey: z.string().min(1).optional(),
});
export type ReferenceAnnouncement = z.infer<typeof ReferenceAnnouncement>;

/** One reference-data upload as ingest keeps it: what was read, what became the new version, every refused row. */
export const ReferenceUpload = z.object({
  kind: ReferenceKind,
  laoCode: LaoCode,
  /** The snapshot version it became (1 for the LAO's first list of this kind, then 2, 3…), or null when refused. */
  version: z.number().int().positive().nullable(),
  sha256: z.string(),
  fileName: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  rawKey: z.string(),
  rowsRead: z.number().int().nonnegative(),
  rowsAccepted: z.number().int().nonnegative(),
  rowsRejected: z.number().int().nonnegative(),
  rejects: z.array(RowReject),
  /** Rows kept as items but worth a look (a beneficiary whose citizen ID fails its check digit). */
  flagged: z.array(RowReject).default([]),
  /** published: in force (or was); refused: whole file refused; staged: waiting to be confirmed (ADR 0018). */
  status: z.enum(['published', 'refused', 'staged']),
  refusal: z.object({ code: z.string(), message: Bilingual }).nullable(),
  uploadedBy: z.string(),
  receivedAt: z.string(),
  effectiveFrom: CalendarDate,
});
export type ReferenceUpload = z.infer<typeof ReferenceUpload>;

/** Where a staged (not yet confirmed) version of a list stands (ADR 0018). */
export const StagedStatus = z.enum(['pending', 'awaiting-second-approval', 'published', 'discarded']);
export type StagedStatus = z.infer<typeof StagedStatus>;

/**
 * A new version of a list that would replace the one in force, kept aside until confirmed: its diff against the base
 * (the version in force when it was uploaded), and who uploaded, confirmed and (for a large drop) approved it. The list
 * in force stays in force meanwhile; a staged version whose base is no longer in force can only be discarded.
 */
export const StagedReference = z.object({
  id: z.string().regex(/^[0-9a-f]{16,64}$/),
  kind: ReferenceKind,
  laoCode: LaoCode,
  baseVersion: z.number().int().positive(),
  status: StagedStatus,
  /** More than half of the list in force would go: a second confirmation, then a second person (admin or the LAO's second approver). */
  largeDrop: z.boolean(),
  diff: z.object({
    before: z.number().int(), after: z.number().int(), added: z.number().int(), removed: z.number().int(), accountChanged: z.number().int(),
    otherwiseChanged: z.number().int(), unchanged: z.number().int(), droppedShare: z.number(),
    rows: z.object({ added: z.array(z.record(z.string(), z.unknown())), removed: z.array(z.record(z.string(), z.unknown())), accountChanged: z.array(z.record(z.string(), z.unknown())) }),
  }),
  /** The upload as it will be recorded once published (version null until then). */
  upload: ReferenceUpload,
  itemsKey: z.string(),
  confirmedBy: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  /** The version it became, once published. */
  version: z.number().int().positive().nullable(),
});
export type StagedReference = z.infer<typeof StagedReference>;

/** The steps of a list's life that go into the audit log. */
export const ReferenceAuditAction = z.enum(['reference-upload', 'reference-confirm', 'reference-second-approval', 'reference-discard']);
export type ReferenceAuditAction = z.infer<typeof ReferenceAuditAction>;

/**
 * One step of a reference list, as ingest publishes it on `reference-audit.v1` for the alerts service to append to the
 * HMAC-chained audit log: who did it, to which list, and the diff — counts and masked accounts only, no names, no
 * unmasked account or ID. `eventId` makes the append idempotent (the consumer is at-least-once).
 */
export const ReferenceAuditEvent = z.object({
  eventId: z.string().min(1).max(200),
  action: ReferenceAuditAction,
  actor: z.string(),
  at: z.string(),
  payload: z.record(z.string(), z.unknown()),
});
export type ReferenceAuditEvent = z.infer<typeof ReferenceAuditEvent>;
