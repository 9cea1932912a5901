/**
 * A reference folder for `scan --reference DIR` (ktb-formats.md §3): flat CSV files named after their kind
 * (`payees`, `staff`, `vouchers`, `beneficiaries`; `.csv` or `.xlsx`) with an LAO code column, or one sub-folder per LAO code holding
 * such files. Each (kind, LAO) becomes one snapshot for the engine.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ReferenceKind, ReferenceSnapshot, sha256Hex } from '@paywatch/domain';
import { parseReferenceFile } from '@paywatch/ktb-formats';

const KINDS = ReferenceKind.options;

/** Reads every reference file under `dir`; rejected rows go to `warn`. */
export async function loadReferenceFolder(dir: string, warn: (line: string) => void): Promise<ReferenceSnapshot[]> {
  const files: { path: string; kind: ReferenceKind; laoCode?: string }[] = [];
  const kindOf = (name: string) => KINDS.find((k) => name.toLowerCase().includes(k) && /\.(csv|xlsx)$/i.test(name));
  for (const entry of (await readdir(dir)).sort()) {
    const path = join(dir, entry);
    if ((await stat(path)).isDirectory() && /^\d{7}$/.test(entry)) {
      for (const inner of (await readdir(path)).sort()) { const kind = kindOf(inner); if (kind) files.push({ path: join(path, inner), kind, laoCode: entry }); }
    } else {
      const kind = kindOf(entry);
      if (kind) files.push({ path, kind });
    }
  }
  const snapshots: ReferenceSnapshot[] = [];
  for (const f of files) {
    const bytes = await readFile(f.path);
    const parsed = await parseReferenceFile(bytes, f.kind, f.laoCode ? { laoCode: f.laoCode } : {});
    if (parsed.refusal) { warn(JSON.stringify({ kind: 'reference-refused', file: f.path, code: parsed.refusal.code, message: parsed.refusal.message })); continue; }
    for (const r of parsed.rejects) warn(JSON.stringify({ kind: 'reference-reject', file: f.path, ...r }));
    for (const r of parsed.flagged) warn(JSON.stringify({ kind: 'reference-flagged', file: f.path, ...r }));
    for (const [laoCode, items] of parsed.byLao) {
      // A scan treats the folder as in force for everything it reads: one version, effective from the start.
      snapshots.push(ReferenceSnapshot.parse({ kind: f.kind, laoCode, version: 1, sha256: sha256Hex(bytes), effectiveFrom: '2000-01-01', items }));
    }
  }
  return snapshots;
}
