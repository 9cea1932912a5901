/** Loads an LAO registry for the CLI: the department's CSV or a JSON array of entries, or the seed registry when none is given. */
import { readFile } from 'node:fs/promises';
import type { LaoRegistryEntry } from '@paywatch/domain';
import { parseLaoRegistryFile } from '@paywatch/ktb-formats';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';

/** The registry in `file` (CSV or JSON), else the embedded seed registry. Refused rows go to `warn`; a file with no usable LAO is an error. */
export async function loadRegistry(file: string | undefined, warn: (line: string) => void = (l) => process.stderr.write(l + '\n')): Promise<readonly LaoRegistryEntry[]> {
  if (!file) return SEED_LAO_REGISTRY;
  const parsed = parseLaoRegistryFile(await readFile(file));
  for (const r of parsed.rejects) warn(JSON.stringify({ kind: 'registry-reject', file, ...r }));
  if (parsed.entries.length === 0) throw new Error(`${file}: no usable LAO in the registry (${parsed.rejects[0]?.message.en ?? 'empty file'})`);
  return parsed.entries;
}
