/** Reads and writes the data folder's marker, atomically (temp file, fsync, rename, fsync of the folder). */
import { open, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DATA_DIR_ERRORS } from './data-dir-errors.ts';
import { DataDirMarker, dataDirPaths } from './data-dir-layout.ts';

/** The marker of the folder at `root`, or null when there is none. */
export async function readMarker(root: string): Promise<DataDirMarker | null> {
  let text: string;
  try {
    text = await readFile(dataDirPaths(root).marker, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  let json: unknown;
  try { json = JSON.parse(text); } catch (e) { throw DATA_DIR_ERRORS.markerInvalid(root, (e as Error).message); }
  const parsed = DataDirMarker.safeParse(json);
  if (!parsed.success) throw DATA_DIR_ERRORS.markerInvalid(root, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}

async function fsyncPath(path: string): Promise<void> {
  const h = await open(path, 'r');
  try { await h.sync(); } finally { await h.close(); }
}

/** Replaces the marker as a whole: a reader (or a restart after a crash) sees the old one or the new one. */
export async function writeMarker(root: string, marker: DataDirMarker): Promise<void> {
  const file = dataDirPaths(root).marker;
  const tmp = `${file}.tmp`;
  await writeFile(tmp, JSON.stringify(DataDirMarker.parse(marker), null, 2) + '\n');
  await fsyncPath(tmp);
  await rename(tmp, file);
  await fsyncPath(dirname(file));
}
