/** The plain-JSON snapshot of the engine's state, and the schema that checks one before it is restored. */
import { SourceFormat } from '@paywatch/domain';
import { s, type Infer } from '../schema.ts';
import type { LaoSnapshot, WindowPayment } from './lao-state.ts';

/** Snapshot format tag; a change of layout gets a new tag. */
export const ENGINE_SNAPSHOT_FORMAT = 'paywatch.rules.engine/1';

const CalendarDate = s.string({ pattern: /^\d{4}-\d{2}-\d{2}$/ });
const amounts = s.array(s.integer());

const WindowPaymentSnapshot = s.object({
  seq: s.integer({ min: 0 }),
  recordId: s.string(),
  batchId: s.string(),
  row: s.integer({ min: 1 }),
  sourceFile: s.string(),
  sourceFormat: s.enumOf(SourceFormat.options),
  payeeBankCode: s.string(),
  payeeAccount: s.string(),
  payeeName: s.string(),
  payeeId: s.nullable(s.string()),
  amountSatang: s.integer({ min: 1 }),
  effectiveDate: CalendarDate,
  serviceType: s.string(),
  voucherNo: s.nullable(s.string()),
  bankReference: s.nullable(s.string()),
});

const LaoSnapshotSchema = s.object({
  laoCode: s.string(),
  newestDate: s.nullable(CalendarDate),
  nextSeq: s.integer({ min: 0 }),
  seenBatches: s.array(s.tuple([s.string(), s.array(s.integer({ min: 1 }))])),
  window: s.array(WindowPaymentSnapshot),
  laoAmounts: s.array(s.tuple([s.string(), amounts])),
  payeeAmounts: s.array(s.tuple([s.string(), amounts])),
});

/** Schema of a whole engine snapshot: LAOs in code order, each with its own state. */
export const EngineSnapshot = s
  .object({
    format: s.literal(ENGINE_SNAPSHOT_FORMAT),
    /** The rule-set version that wrote it (informational: state is valid across threshold changes). */
    ruleSetVersion: s.string(),
    laos: s.array(LaoSnapshotSchema),
  })
  .refine((snap) => (new Set(snap.laos.map((l) => l.laoCode)).size === snap.laos.length ? null : 'an LAO appears twice'));
/** A parsed engine snapshot. */
export type EngineSnapshot = Infer<typeof EngineSnapshot>;

// The schema and the state's own types must describe the same thing.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameWindow: Same<Infer<typeof WindowPaymentSnapshot>, WindowPayment> = true;
const sameLao: Same<Infer<typeof LaoSnapshotSchema>, LaoSnapshot> = true;
void sameWindow;
void sameLao;
