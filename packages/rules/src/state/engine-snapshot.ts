/** The plain-JSON snapshot of the engine's state, and the schema that checks one before it is restored. */
import { SourceFormat, z } from '@paywatch/domain';
import { CalendarDate } from '../config-fields.ts';
import type { LaoSnapshot, WindowPayment } from './lao-state.ts';

/** Snapshot format tag; a change of layout gets a new tag. */
export const ENGINE_SNAPSHOT_FORMAT = 'paywatch.rules.engine/1';

const amounts = z.array(z.number().int());

const WindowPaymentSnapshot = z.strictObject({
  seq: z.number().int().min(0),
  recordId: z.string(),
  batchId: z.string(),
  row: z.number().int().min(1),
  sourceFile: z.string(),
  sourceFormat: SourceFormat,
  payeeBankCode: z.string(),
  payeeAccount: z.string(),
  payeeName: z.string(),
  payeeId: z.string().nullable(),
  amountSatang: z.number().int().min(1),
  effectiveDate: CalendarDate,
  serviceType: z.string(),
  voucherNo: z.string().nullable(),
  bankReference: z.string().nullable(),
});

const LaoSnapshotSchema = z.strictObject({
  laoCode: z.string(),
  newestDate: CalendarDate.nullable(),
  nextSeq: z.number().int().min(0),
  seenBatches: z.array(z.tuple([z.string(), z.array(z.number().int().min(1))])),
  window: z.array(WindowPaymentSnapshot),
  laoAmounts: z.array(z.tuple([z.string(), amounts])),
  payeeAmounts: z.array(z.tuple([z.string(), amounts])),
});

/** Schema of a whole engine snapshot: LAOs in code order, each with its own state. */
export const EngineSnapshot = z
  .strictObject({
    format: z.literal(ENGINE_SNAPSHOT_FORMAT),
    /** The rule-set version that wrote it (informational: state is valid across threshold changes). */
    ruleSetVersion: z.string(),
    laos: z.array(LaoSnapshotSchema),
  })
  .refine((snap) => new Set(snap.laos.map((l) => l.laoCode)).size === snap.laos.length, 'an LAO appears twice');
/** A parsed engine snapshot. */
export type EngineSnapshot = z.infer<typeof EngineSnapshot>;

// The schema and the state's own types must describe the same thing.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameWindow: Same<z.infer<typeof WindowPaymentSnapshot>, WindowPayment> = true;
const sameLao: Same<z.infer<typeof LaoSnapshotSchema>, LaoSnapshot> = true;
void sameWindow;
void sameLao;
