/** The plain-JSON snapshot of the engine's state, and the schema that checks one before it is restored. */
import { Finding, ReferenceSnapshot, SourceFormat, Subject, z } from '@paywatch/domain';
import { CalendarDate } from '../config-fields.ts';
import type { CompactPayment, LaoSnapshot } from './lao-state.ts';
import { BatchGroupSnapshot } from '../batch-groups.ts';

/** Snapshot format tag; a change of layout gets a new tag. */
export const ENGINE_SNAPSHOT_FORMAT = 'paywatch.rules.engine/3';

const amounts = z.array(z.number().int());
const index = z.number().int().min(0);
const nullableText = z.string().nullable();

const CompactPaymentSchema = z.tuple([
  index, index, z.number().int().min(1), nullableText, index, index, index, nullableText,
  z.number().int().min(1), z.number().int(), z.string(), nullableText, nullableText, z.union([z.literal(0), z.literal(1)]),
]);

/** A window payment kept whole (the few lines of a batch no voucher covers). */
export const WindowPaymentSchema = z.object({
  seq: z.number().int(), recordId: z.string(), batchId: z.string(), row: z.number().int(), sourceFile: z.string(), sourceFormat: SourceFormat,
  payeeBankCode: z.string(), payeeAccount: z.string(), payeeName: z.string(), payeeId: z.string().nullable(), amountSatang: z.number().int(),
  effectiveDate: z.string(), serviceType: z.string(), voucherNo: z.string().nullable(), bankReference: z.string().nullable(), recurring: z.boolean().default(false),
});

const LaoSnapshotSchema = z.strictObject({
  laoCode: z.string(),
  newestDate: CalendarDate.nullable(),
  nextSeq: z.number().int().min(0),
  firstDate: CalendarDate.nullable(),
  perLineRecurringVouchers: z.boolean(),
  seenBatches: z.array(z.tuple([z.string(), z.array(z.number().int().min(1))])),
  accounts: z.array(z.string()),
  batches: z.array(z.string()),
  files: z.array(z.string()),
  names: z.array(z.string()),
  window: z.array(z.tuple([index, z.array(CompactPaymentSchema)])),
  laoAmounts: z.array(z.tuple([z.string(), amounts])),
  oneOff: amounts,
  accountMonths: z.array(z.tuple([index, index, z.array(z.number().int().min(0))])),
  batchVouchers: z.array(z.tuple([z.string(), z.number().int().min(0), z.array(WindowPaymentSchema)])),
  amountMonths: z.array(z.tuple([index, index, z.array(z.number().int().min(0))])),
  failed: z.array(z.tuple([z.string(), z.array(z.tuple([z.number().int(), CalendarDate]))])),
  payeeAmounts: z.array(z.tuple([z.string(), index, amounts])),
  payees: z.array(z.tuple([index, z.array(z.tuple([index, index, z.number().int().min(0), nullableText]))])),
  daily: z.array(z.tuple([CalendarDate, SourceFormat, z.number().int().min(0), z.number().int().min(0)])),
  tallies: z.array(z.tuple([z.number().int(), SourceFormat, z.string(), z.number().int().min(0), z.array(z.number().int().min(0)).length(90), z.array(z.number().int().min(0))])),
});

/** Schema of a whole engine snapshot: LAOs in code order, each with its own state. */
export const EngineSnapshot = z
  .strictObject({
    format: z.literal(ENGINE_SNAPSHOT_FORMAT),
    /** The rule-set version that wrote it (informational: state is valid across threshold changes). */
    ruleSetVersion: z.string(),
    laos: z.array(LaoSnapshotSchema),
    /** Latest reference snapshot per (LAO, kind), by LAO code then kind. */
    reference: z.array(ReferenceSnapshot),
    /**
     * Findings already emitted about shared subjects (a payee, an LAO-period), latest per rule, oldest subject
     * first. Absent in snapshots written before it existed: they restore with none.
     */
    shared: z.array(z.strictObject({ laoCode: z.string(), subject: Subject, findings: z.array(Finding).min(1) })).default([]),
    /** Peer-group baselines: [group, [serviceType, amounts][], one-off amounts, LAO codes], by group. */
    peers: z.array(z.tuple([z.string(), z.array(z.tuple([z.string(), amounts])), amounts, z.array(z.string())])).default([]),
    /** Open batch groups (ADR 0019), least recently touched batch first. Absent in older snapshots: none open. */
    groups: z.array(BatchGroupSnapshot).default([]),
  })
  .refine((snap) => new Set(snap.laos.map((l) => l.laoCode)).size === snap.laos.length, 'an LAO appears twice');
/** A parsed engine snapshot. */
export type EngineSnapshot = z.infer<typeof EngineSnapshot>;

// The schema and the state's own types must describe the same thing.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameWindow: Same<z.infer<typeof CompactPaymentSchema>, CompactPayment> = true;
const sameLao: Same<z.infer<typeof LaoSnapshotSchema>, LaoSnapshot> = true;
void sameWindow;
void sameLao;
