/**
 * `paywatch backup --data-dir DIR --out FILE` and `paywatch restore --from FILE --data-dir DIR` (serve stopped;
 * see data-dir/backup-archive.ts for why). Each prints one JSON line with what it wrote.
 */
import { resolve } from 'node:path';
import { opt, parseArgs } from '../args.ts';
import { backupDataDir, restoreDataDir } from '../data-dir/backup-archive.ts';

/** Writes a backup of the stopped data folder. */
export async function runBackup(argv: readonly string[], write: (line: string) => void): Promise<number> {
  const args = parseArgs(argv);
  const dataDir = opt(args, 'data-dir');
  const out = opt(args, 'out');
  if (!dataDir || !out) throw new Error('usage: paywatch backup --data-dir DIR --out FILE   (with serve stopped)');
  const t0 = performance.now();
  const summary = await backupDataDir(resolve(dataDir), resolve(out));
  write(JSON.stringify({ ok: true, ...summary, ms: Math.round(performance.now() - t0) }));
  return 0;
}

/** Restores a backup into an empty or new folder. */
export async function runRestore(argv: readonly string[], write: (line: string) => void): Promise<number> {
  const args = parseArgs(argv);
  const from = opt(args, 'from');
  const dataDir = opt(args, 'data-dir');
  if (!from || !dataDir) throw new Error('usage: paywatch restore --from FILE --data-dir DIR   (DIR empty or new)');
  const t0 = performance.now();
  const summary = await restoreDataDir(resolve(from), resolve(dataDir));
  write(JSON.stringify({ ok: true, dataDir: resolve(dataDir), ...summary, ms: Math.round(performance.now() - t0) }));
  return 0;
}
