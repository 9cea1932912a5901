// Shared by the ktb-formats tests: collecting events and editing fixed-width lines.
import { isOutflow, PaymentRecord, RowReject, type LaoRegistryEntry } from '@paywatch/domain';
import { expect } from 'vitest';
import type { ManifestEvent, ParseEvent, RecordEvent, RejectEvent } from '../src/index.ts';

export const LAO = { laoCode: '6600101', companyId: 'GMIS660101', debitAccount: '9800012345' } as const;

export const REGISTRY: LaoRegistryEntry[] = [
  { laoCode: '6600101', nameTh: 'องค์การบริหารส่วนตำบลตัวอย่าง', type: 'sao', provinceCode: '66', provinceNameTh: 'พิจิตร', districtTh: 'เมืองพิจิตร', companyIds: ['GMIS660101'], accounts: ['9800012345'] },
  { laoCode: '6600202', nameTh: 'เทศบาลตำบลตัวอย่าง', type: 'subdistrict-municipality', provinceCode: '66', provinceNameTh: 'พิจิตร', districtTh: 'ตะพานหิน', companyIds: ['GMIS660202'], accounts: ['9800099999'] },
];

/** Events split by kind, after checking the invariants every parse must keep. */
export interface Collected { events: ParseEvent[]; records: RecordEvent[]; rejects: RejectEvent[]; manifest: ManifestEvent }

export function collect(events: Iterable<ParseEvent>): Collected {
  const all = Array.from(events);
  const manifests = all.filter((e): e is ManifestEvent => e.kind === 'manifest');
  expect(manifests).toHaveLength(1);
  expect(all.at(-1)?.kind).toBe('manifest');
  const manifest = manifests[0]!;
  const records = all.filter((e): e is RecordEvent => e.kind === 'record');
  const rejects = all.filter((e): e is RejectEvent => e.kind === 'reject');
  expect(manifest.rowsRead).toBe(manifest.rowsAccepted + manifest.rowsRejected);
  expect(manifest.rowsAccepted).toBe(records.length);
  expect(manifest.rowsRejected).toBe(rejects.length);
  // failed and rejected transfers are records (evidence) but not money that left
  expect(manifest.totalSatang).toBe(records.reduce((s, r) => s + (isOutflow(r.record.status) ? r.record.amountSatang : 0), 0));
  if (manifest.refusal) expect(records.length + rejects.length).toBe(0);
  for (const r of records) expect(PaymentRecord.safeParse(r.record).success).toBe(true);
  for (const r of rejects) expect(RowReject.safeParse(r).success).toBe(true);
  // file order: row numbers strictly increase from event to event
  const rows = all.flatMap((e) => (e.kind === 'manifest' ? [] : [e.row]));
  for (let i = 1; i < rows.length; i++) expect(rows[i]).toBeGreaterThan(rows[i - 1]!);
  return { events: all, records, rejects, manifest };
}

/** The line with `[from, to)` replaced by `value` (same width). */
export function withField(line: string, [from, to]: readonly [number, number], value: string): string {
  if (value.length !== to - from) throw new Error(`value "${value}" is not ${to - from} wide`);
  return line.slice(0, from) + value + line.slice(to);
}
