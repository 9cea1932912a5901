/**
 * `paywatch audit verify (--database-url URL | --pglite DIR) [--key-file FILE] ANCHORS`: walks the alerts service's
 * HMAC-chained audit log with the key (AUDIT_HMAC_KEY from the environment, or a key file: the embedded mode's
 * `.data/…/audit-hmac.key`) and checks it against the anchors kept outside the database:
 * `--anchors-dir DIR` (a folder blob store), `--anchors-s3 BUCKET` (S3_ENDPOINT / S3_REGION and the AWS SDK's
 * credentials from the environment), `--anchors-log FILE` (log lines with `auditAnchor`), any of them together, or
 * `--no-anchors` to say knowingly that a cut-off tail cannot be seen. Exits 0 when the chain holds, 1 with the
 * first bad seq and the reason when it does not. Read-only: it runs no migrations and writes nothing.
 */
import { readFile } from 'node:fs/promises';
import { anchorsFromLog, auditKeyOf, readAnchors, verifyAuditChain, type AuditAnchor } from '@paywatch/alerts';
import { createFolderBlobStore, createS3BlobStore } from '@paywatch/blob-store';
import { createPgDb, createPgliteDb, type Db } from '@paywatch/db';
import { opt, parseArgs } from '../args.ts';

const USAGE = 'usage: paywatch audit verify (--database-url URL | --pglite DIR) [--key-file FILE] (--anchors-dir DIR | --anchors-s3 BUCKET | --anchors-log FILE | --no-anchors)';

const MESSAGES: Record<string, string> = {
  'seq-gap': 'an entry is missing', 'broken-link': 'an entry does not point at the one before it (removed, inserted or reordered)',
  'bad-hash': 'a legacy entry was changed', 'bad-mac': 'an entry was changed (its HMAC does not match)', 'wrong-key': 'an entry was chained with another key',
  'legacy-after-keyed': 'an unkeyed entry follows keyed ones (rewritten without the key)', 'legacy-unsealed': 'legacy entries were never sealed with the key',
  'head-mismatch': 'audit_head does not match the last entry', 'truncated-before-anchor': 'entries an anchor saw are gone (the tail was cut)',
  'anchor-mismatch': 'an entry differs from what its anchor saw', 'anchor-forged': 'an anchor is not signed with this key',
};

/** Runs the command, writing one JSON line to `write`; returns the exit code (0 chain holds, 1 broken). */
export async function runAudit(argv: readonly string[], write: (line: string) => void, env: Record<string, string | undefined> = process.env): Promise<number> {
  const args = parseArgs(argv, ['no-anchors']);
  if (args.positional[0] !== 'verify') throw new Error(USAGE);
  const databaseUrl = opt(args, 'database-url');
  const pglite = opt(args, 'pglite');
  if (!databaseUrl === !pglite) throw new Error(USAGE);
  const keyFile = opt(args, 'key-file');
  const keyText = keyFile ? (await readFile(keyFile, 'utf8')).trim() : env.AUDIT_HMAC_KEY;
  if (!keyText) throw new Error('the audit key is needed: set AUDIT_HMAC_KEY or pass --key-file FILE');
  const key = auditKeyOf(keyText);
  const dir = opt(args, 'anchors-dir');
  const bucket = opt(args, 'anchors-s3');
  const logFile = opt(args, 'anchors-log');
  if (!dir && !bucket && !logFile && !args.options.has('no-anchors')) throw new Error(`anchors are needed to see a cut-off tail (or say --no-anchors)\n${USAGE}`);
  const anchors: AuditAnchor[] = [];
  if (dir) anchors.push(...(await readAnchors(createFolderBlobStore(dir))));
  if (bucket) anchors.push(...(await readAnchors(createS3BlobStore({ bucket, ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT } : {}), ...(env.S3_REGION ? { region: env.S3_REGION } : {}) }))));
  if (logFile) anchors.push(...anchorsFromLog(await readFile(logFile, 'utf8')));

  const db: Db = databaseUrl ? createPgDb({ connectionString: databaseUrl, max: 1 }) : await createPgliteDb({ dataDir: pglite! });
  try {
    const result = await verifyAuditChain(db, { key, anchors });
    write(JSON.stringify(result.ok
      ? { ...result, ...(anchors.length ? {} : { warning: 'no anchors given: a cut-off tail cannot be seen' }) }
      : { ...result, message: `audit chain broken at seq ${result.firstBadSeq}: ${MESSAGES[result.reason ?? ''] ?? result.reason}` }));
    return result.ok ? 0 : 1;
  } finally {
    await db.close();
  }
}
