/** Loads an LAO registry for the CLI: a JSON array of entries, or the seed registry when none is given. */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { LaoRegistryEntry } from '@paywatch/domain';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';

/** The registry in `file` (JSON), else the embedded seed registry. */
export async function loadRegistry(file: string | undefined): Promise<readonly LaoRegistryEntry[]> {
  if (!file) return SEED_LAO_REGISTRY;
  return z.array(LaoRegistryEntry).parse(JSON.parse(await readFile(file, 'utf8')));
}
