/**
 * The embedded mode's audit key: generated once per data folder and kept in it (`audit-hmac.key`, mode 0600), so
 * `serve` and `dev` need no setup, the chain keeps verifying across restarts, a backup of the folder holds the key
 * its audit log needs, and `paywatch audit verify --key-file` can check that folder later. The file name is the one
 * the previous release's dev used, so its folders keep their key through the format 1 → 2 migration.
 * Production reads AUDIT_HMAC_KEY from the environment instead (services/alerts/src/main.ts); the key must never
 * sit next to the database it protects there.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { link, open, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

async function fsyncPath(path: string): Promise<void> {
  const h = await open(path, 'r');
  try { await h.sync(); } finally { await h.close(); }
}

/** The key kept at `file` (the folder's `paths.auditKey`), created on first use. */
export async function dataDirAuditKey(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const key = randomBytes(32).toString('hex');
  // Written whole and fsync'd before it appears under its name (a kill or a power cut never leaves an empty or a
  // lost key behind entries chained with it); link() keeps the first key when two starts race.
  const tmp = `${file}.${randomUUID()}.tmp`;
  await writeFile(tmp, `${key}\n`, { mode: 0o600 });
  try {
    await fsyncPath(tmp);
    await link(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return (await readFile(file, 'utf8')).trim();
    throw e;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  await fsyncPath(dirname(file));
  return key;
}
