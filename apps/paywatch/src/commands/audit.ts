/**
 * `paywatch audit verify --database-url URL` (or `--pglite DIR` for the embedded data folder): walks the alerts
 * service's hash-chained audit log and exits 0 when it holds, 1 with the first bad seq when it does not.
 * Read-only: it runs no migrations and writes nothing.
 */
import { verifyAuditChain } from '@paywatch/alerts';
import { createPgDb, createPgliteDb, type Db } from '@paywatch/db';
import { opt, parseArgs } from '../args.ts';

const USAGE = 'usage: paywatch audit verify (--database-url URL | --pglite DIR)';

/** Runs the command, writing one JSON line to `write`; returns the exit code (0 chain holds, 1 broken). */
export async function runAudit(argv: readonly string[], write: (line: string) => void): Promise<number> {
  const args = parseArgs(argv);
  if (args.positional[0] !== 'verify') throw new Error(USAGE);
  const databaseUrl = opt(args, 'database-url');
  const pglite = opt(args, 'pglite');
  if (!databaseUrl === !pglite) throw new Error(USAGE);
  const db: Db = databaseUrl ? createPgDb({ connectionString: databaseUrl, max: 1 }) : await createPgliteDb({ dataDir: pglite! });
  try {
    const result = await verifyAuditChain(db);
    write(JSON.stringify(result.ok
      ? { ok: true, entries: result.entries }
      : { ok: false, entries: result.entries, firstBadSeq: result.firstBadSeq, message: `audit chain broken at seq ${result.firstBadSeq}` }));
    return result.ok ? 0 : 1;
  } finally {
    await db.close();
  }
}
