/**
 * What a paywatch data folder holds (format 2). Everything `serve` keeps lives under one folder, so one copy
 * of it is a whole installation: the event log, the blob folder, PGlite, the local mail outbox and the audit log's key.
 */
import { join } from 'node:path';
import { z } from 'zod';

/** The folder's format this release writes; older ones are migrated on open (data-dir-migrations.ts). */
export const DATA_DIR_FORMAT = 2;

/** Written at first use: what makes a folder paywatch's own (nothing else is ever touched). */
export const MARKER_FILE = 'paywatch-data.json';

/** The marker's content. `demoData` is written by `paywatch dev` only. */
export const DataDirMarker = z.object({
  app: z.literal('paywatch'),
  format: z.number().int().min(1),
  createdAt: z.string(),
  /** Every format change applied to this folder, oldest first. */
  migrations: z.array(z.object({ from: z.number().int(), to: z.number().int(), at: z.string() })).default([]),
  demoData: z.enum(['loading', 'loaded']).optional(),
});
export type DataDirMarker = z.infer<typeof DataDirMarker>;

/** The audit key's file name: the one the previous release's dev wrote (its folders keep their key). */
export const AUDIT_KEY_FILE = 'audit-hmac.key';

/** Where each store lives under the data folder. */
export interface DataDirPaths {
  root: string;
  marker: string;
  /** The SQLite event log (topics, partitions, consumer groups, committed offsets). */
  eventLog: string;
  blobs: string;
  pglite: string;
  outbox: string;
  /** The audit log's HMAC key, generated at first start (audit-key.ts); unused when AUDIT_HMAC_KEY is given. */
  auditKey: string;
}

/** The paths of a data folder rooted at `root`. */
export function dataDirPaths(root: string): DataDirPaths {
  return {
    root, marker: join(root, MARKER_FILE), eventLog: join(root, 'event-log.sqlite'),
    blobs: join(root, 'blobs'), pglite: join(root, 'pglite'), outbox: join(root, 'outbox.jsonl'),
    auditKey: join(root, AUDIT_KEY_FILE),
  };
}

/** The event log's files: present alone, they are a first start that stopped before writing the marker. */
export const EVENT_LOG_FILES = ['event-log.sqlite', 'event-log.sqlite-wal', 'event-log.sqlite-journal'] as const;

/**
 * What the previous releases' `paywatch dev` wrote (format 1, no marker: the event log lived in memory); the audit
 * key file since the audit log is HMAC-chained.
 */
export const FORMAT_1_ENTRIES = ['blobs', 'pglite', 'outbox.jsonl', AUDIT_KEY_FILE] as const;

/** Entries a folder may hold without being anybody's data (a file system's own). */
export const IGNORED_ENTRIES = ['lost+found'] as const;
