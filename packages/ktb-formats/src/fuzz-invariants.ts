/**
 * What every parse must keep, whatever the bytes (the fuzzer's oracle): one manifest, last; counts that add up and
 * match the events; a refused file has no row events; totals in exact integer satang; rows in file order.
 */
import { ApprovedVoucher, isOutflow, PaymentRecord, RegisteredPayee, RowReject, StaffMember, WelfareBeneficiary, type ReferenceKind } from '@paywatch/domain';
import type { ParseEvent } from './parse-event.ts';
import type { ReferenceParse } from './parse-reference.ts';
import { REFUSAL_CODES } from './refusal-codes.ts';
import { REJECT_CODES } from './reject-codes.ts';

/** The broken invariants of a parse's events, in words; empty when all hold. */
export function parseViolations(events: readonly ParseEvent[]): string[] {
  const out: string[] = [];
  const manifests = events.filter((e) => e.kind === 'manifest');
  if (manifests.length !== 1) out.push(`expected exactly one manifest, got ${manifests.length}`);
  const m = events.at(-1);
  if (m?.kind !== 'manifest') return [...out, 'the last event is not the manifest'];
  let records = 0, rejects = 0, outflow = 0, lastRow = 0;
  for (const e of events) {
    if (e.kind === 'manifest') continue;
    if (!Number.isSafeInteger(e.row) || e.row <= lastRow) out.push(`row ${e.row} does not follow row ${lastRow}`);
    lastRow = e.row;
    if (e.kind === 'record') {
      records++;
      if (isOutflow(e.record.status)) outflow += e.record.amountSatang;
      const ok = PaymentRecord.safeParse(e.record);
      if (!ok.success) out.push(`row ${e.row}: record breaks the PaymentRecord schema (${ok.error.issues[0]?.path.join('.')}: ${ok.error.issues[0]?.message})`);
    } else {
      rejects++;
      if (!Object.hasOwn(REJECT_CODES, e.code)) out.push(`row ${e.row}: unknown reject code ${e.code}`);
      if (!RowReject.safeParse(e).success) out.push(`row ${e.row}: reject breaks the RowReject schema`);
    }
  }
  if (m.rowsRead !== m.rowsAccepted + m.rowsRejected) out.push(`rowsRead ${m.rowsRead} ≠ rowsAccepted ${m.rowsAccepted} + rowsRejected ${m.rowsRejected}`);
  if (m.rowsAccepted !== records) out.push(`rowsAccepted ${m.rowsAccepted} ≠ ${records} record events`);
  if (m.rowsRejected !== rejects) out.push(`rowsRejected ${m.rowsRejected} ≠ ${rejects} reject events`);
  if (!Number.isSafeInteger(m.totalSatang)) out.push(`totalSatang ${m.totalSatang} is not an exact integer`);
  else if (m.totalSatang !== outflow) out.push(`totalSatang ${m.totalSatang} ≠ ${outflow}, the sum of the outflow records`);
  if (m.refusal !== null) {
    if (!Object.hasOwn(REFUSAL_CODES, m.refusal.code)) out.push(`unknown refusal code ${m.refusal.code}`);
    if (records + rejects > 0 || m.rowsRead !== 0) out.push(`a refused file (${m.refusal.code}) came with ${records + rejects} row events and rowsRead ${m.rowsRead}`);
  }
  return out;
}

const ITEM_SCHEMA = { payees: RegisteredPayee, staff: StaffMember, vouchers: ApprovedVoucher, beneficiaries: WelfareBeneficiary } as const;

/** The broken invariants of a reference parse: every row read is an item or a reject, items keep their schema, LAO codes are 7 digits. */
export function referenceViolations(kind: ReferenceKind, r: ReferenceParse): string[] {
  const out: string[] = [];
  let items = 0;
  for (const [laoCode, list] of r.byLao) {
    if (!/^\d{7}$/.test(laoCode)) out.push(`LAO code ${JSON.stringify(laoCode)} is not 7 digits`);
    items += list.length;
    for (const item of list) if (!ITEM_SCHEMA[kind].safeParse(item).success) out.push(`an item of ${laoCode} breaks the ${kind} schema`);
  }
  if (r.kind !== kind) out.push(`kind ${r.kind} ≠ ${kind}`);
  if (r.refusal !== null) {
    if (!Object.hasOwn(REFUSAL_CODES, r.refusal.code)) out.push(`unknown refusal code ${r.refusal.code}`);
    if (r.rowsRead !== 0 || items !== 0 || r.rejects.length !== 0) out.push(`a refused reference file (${r.refusal.code}) came with ${r.rowsRead} rows read`);
  }
  if (r.rowsRead !== items + r.rejects.length) out.push(`rowsRead ${r.rowsRead} ≠ ${items} items + ${r.rejects.length} rejects`);
  for (const x of r.rejects) if (!RowReject.safeParse(x).success) out.push(`row ${x.row}: reject breaks the RowReject schema`);
  return out;
}
