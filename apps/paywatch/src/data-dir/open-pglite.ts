/**
 * Opens the data folder's PGlite. The first time, PGlite is created in a staging folder and renamed into place
 * once whole: a process killed during PGlite's own initdb would otherwise leave a half-made database that no
 * later start could open.
 */
import { access, rename, rm } from 'node:fs/promises';
import { createPgliteDb, type Db } from '@paywatch/db';
import type { DataDirPaths } from './data-dir-layout.ts';

/** The PGlite of the folder, created (staged) when missing. Call under the folder's lock. */
export async function openPglite(paths: DataDirPaths): Promise<Db> {
  const exists = await access(paths.pglite).then(() => true, () => false);
  if (!exists) {
    const staging = `${paths.pglite}.staging`;
    await rm(staging, { recursive: true, force: true });
    const fresh = await createPgliteDb({ dataDir: staging });
    await fresh.close();
    await rename(staging, paths.pglite);
  }
  return createPgliteDb({ dataDir: paths.pglite });
}
