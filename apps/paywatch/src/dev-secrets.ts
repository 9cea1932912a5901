/**
 * The embedded mode's audit key: generated once per data folder and kept in it (`audit-hmac.key`, mode 0600),
 * so `paywatch dev` needs no setup and `paywatch audit verify --key-file` can check that folder's chain later.
 * Production reads AUDIT_HMAC_KEY from the environment instead (services/alerts/src/main.ts); the key must never
 * sit next to the database it protects there.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where the folder's key lives. */
export const devAuditKeyFile = (dataDir: string): string => join(dataDir, 'audit-hmac.key');

/** The folder's audit key, created on first use. */
export async function devAuditKey(dataDir: string): Promise<string> {
  const file = devAuditKeyFile(dataDir);
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const key = randomBytes(32).toString('hex');
  // 'wx': two starts racing on one folder keep the first key.
  try { await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' }); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return (await readFile(file, 'utf8')).trim();
    throw e;
  }
  return key;
}
