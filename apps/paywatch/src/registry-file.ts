/** Loads an LAO registry for the CLI: the department's CSV or a JSON array of entries, or the seed registry when none is given. */
import type { LaoRegistryEntry } from '@paywatch/domain';
import { readLaoRegistryFile } from '@paywatch/ktb-formats';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';

/** The registry in `file` (CSV or JSON), else the embedded seed registry. Refused rows go to `warn`; a file with no usable LAO is an error. */
export async function loadRegistry(file: string | undefined, warn: (line: string) => void = (l) => process.stderr.write(l + '\n')): Promise<readonly LaoRegistryEntry[]> {
  if (!file) return SEED_LAO_REGISTRY;
  return readLaoRegistryFile(file, (r) => warn(JSON.stringify({ kind: 'registry-reject', file, ...r })));
}
