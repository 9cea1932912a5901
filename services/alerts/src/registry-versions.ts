/**
 * The LAO registry as versions in PostgreSQL: an admin imports the department's file (CSV layout or JSON), it
 * becomes version n+1 whole, and the highest version routes alerts. The file or seed the service starts with is
 * "version 0", used until the first import. Old versions stay, so a routing question about last month can be
 * answered with last month's registry.
 */
import { createHash } from 'node:crypto';
import type { Db, Queryable } from '@paywatch/db';
import { LaoRegistryEntry, type RowReject } from '@paywatch/domain';
import { parseLaoRegistryFile } from '@paywatch/ktb-formats';
import { z } from 'zod';
import { appendAudit } from './audit-log.ts';

/** One imported version, without its entries. */
export interface RegistryVersion { version: number; sha256: string; importedBy: string; importedAt: string; laos: number; rejected: number }

/** What an import did: a new version, nothing (the same file as the version in force), or a refusal (no usable LAO). */
export type RegistryImport =
  | { outcome: 'imported' | 'unchanged'; version: RegistryVersion; rejects: RowReject[] }
  | { outcome: 'refused'; rejects: RowReject[] };

interface Row { version: number; sha256: string; imported_by: string; imported_at: Date | string; laos: number; rejected: number }

const COLUMNS = 'version, sha256, imported_by, imported_at, laos, rejected';
const versionOf = (r: Row): RegistryVersion => ({
  version: Number(r.version), sha256: r.sha256, importedBy: r.imported_by, importedAt: new Date(r.imported_at).toISOString(), laos: Number(r.laos), rejected: Number(r.rejected),
});

/** Every imported version, newest first. */
export async function listRegistryVersions(db: Queryable): Promise<RegistryVersion[]> {
  return (await db.query<Row>(`SELECT ${COLUMNS} FROM lao_registry_versions ORDER BY version DESC`)).rows.map(versionOf);
}

/** The version in force and its entries, or null before the first import. */
export async function latestRegistry(db: Queryable): Promise<{ version: RegistryVersion; entries: LaoRegistryEntry[] } | null> {
  const r = (await db.query<Row & { entries: unknown }>(`SELECT ${COLUMNS}, entries FROM lao_registry_versions ORDER BY version DESC LIMIT 1`)).rows[0];
  if (!r) return null;
  const entries = typeof r.entries === 'string' ? JSON.parse(r.entries) : r.entries;
  return { version: versionOf(r), entries: z.array(LaoRegistryEntry).parse(entries) };
}

/**
 * Imports a registry file. Refused whole when no row gives a usable LAO (routing with an empty registry would send
 * every alert to "unknown"); otherwise the good rows become the next version and the bad rows are returned with
 * their reasons. The same bytes as the version in force change nothing. Recorded in the hash-chained audit log.
 */
export async function importRegistry(db: Db, input: { bytes: Uint8Array; actor: string; now: Date }): Promise<RegistryImport> {
  const parsed = parseLaoRegistryFile(input.bytes);
  if (parsed.entries.length === 0) return { outcome: 'refused', rejects: parsed.rejects };
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  return db.transaction(async (tx) => {
    // One importer at a time, so two admins never take the same number.
    await tx.query('LOCK TABLE lao_registry_versions IN EXCLUSIVE MODE');
    const last = (await tx.query<Row>(`SELECT ${COLUMNS} FROM lao_registry_versions ORDER BY version DESC LIMIT 1`)).rows[0];
    if (last && last.sha256 === sha256) return { outcome: 'unchanged', version: versionOf(last), rejects: parsed.rejects };
    const row: Row = { version: (last ? Number(last.version) : 0) + 1, sha256, imported_by: input.actor, imported_at: input.now, laos: parsed.entries.length, rejected: parsed.rejects.length };
    await tx.query(`INSERT INTO lao_registry_versions (${COLUMNS}, entries) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [row.version, row.sha256, row.imported_by, input.now.toISOString(), row.laos, row.rejected, JSON.stringify(parsed.entries)]);
    await appendAudit(tx, { at: input.now, actor: input.actor, action: 'registry-import', alertId: null, payload: { version: row.version, sha256, laos: row.laos, rejected: row.rejected } });
    return { outcome: 'imported', version: versionOf(row), rejects: parsed.rejects };
  });
}
