/**
 * Opens a data folder for `serve`, `dev` and `backup`: refuses folders that are not paywatch's (issue 14 item 8),
 * takes the folder's lock (the SQLite event log's exclusive lock: a second process on the same folder is refused,
 * and a killed process leaves no stale lock), claims a new folder with the marker, and migrates older formats.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { createSqliteEventLog, EventLogError, type LoggerLike, type SqliteEventLog } from '@paywatch/event-log';
import { DATA_DIR_ERRORS } from './data-dir-errors.ts';
import { DATA_DIR_FORMAT, EVENT_LOG_FILES, FORMAT_1_ENTRIES, IGNORED_ENTRIES, MARKER_FILE, dataDirPaths, type DataDirMarker, type DataDirPaths } from './data-dir-layout.ts';
import { readMarker, writeMarker } from './data-dir-marker.ts';
import { DATA_DIR_MIGRATIONS, runDataDirMigrations, type DataDirMigration } from './data-dir-migrations.ts';

/** What a folder is, before anything is written to it. */
export type DataDirState =
  | { kind: 'new' }
  | { kind: 'paywatch'; format: number; marker: DataDirMarker | null };

/** Looks at a folder without changing it; throws the refusals (foreign, too new, unreadable marker). */
export async function inspectDataDir(root: string, supported = DATA_DIR_FORMAT): Promise<DataDirState> {
  let entries: string[];
  try {
    entries = (await readdir(root)).filter((e) => !(IGNORED_ENTRIES as readonly string[]).includes(e));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'new' };
    throw e;
  }
  const marker = await readMarker(root);
  if (marker) {
    if (marker.format > supported) throw DATA_DIR_ERRORS.tooNew(root, marker.format, supported);
    return { kind: 'paywatch', format: marker.format, marker };
  }
  // A marker being replaced (killed between write and rename) is not someone else's file.
  const rest = entries.filter((e) => e !== `${MARKER_FILE}.tmp` && !(EVENT_LOG_FILES as readonly string[]).includes(e));
  if (rest.length === 0) return { kind: 'new' };
  if (rest.every((e) => (FORMAT_1_ENTRIES as readonly string[]).includes(e))) return { kind: 'paywatch', format: 1, marker: null };
  throw DATA_DIR_ERRORS.foreign(root, rest.slice(0, 3));
}

/** An open data folder: its paths and its event log (whose lock is the folder's). */
export interface OpenDataDir {
  paths: DataDirPaths;
  eventLog: SqliteEventLog;
  /** True when this open created the folder's marker (an empty or new folder). */
  created: boolean;
  /** The format the folder had before this open migrated it, or null when nothing was migrated. */
  migratedFrom: number | null;
  marker: DataDirMarker;
  /** Replaces the marker (e.g. `demoData`), keeping the rest. */
  updateMarker(patch: Partial<Pick<DataDirMarker, 'demoData'>>): Promise<void>;
  /** Closes the event log, releasing the folder. */
  close(): Promise<void>;
}

/** Options of {@link openDataDir}; tests give other migrations and formats. */
export interface OpenDataDirOptions {
  logger?: LoggerLike;
  now?: () => Date;
  migrations?: readonly DataDirMigration[];
  format?: number;
}

/** Opens (creating, or migrating) the data folder at `root`. */
export async function openDataDir(root: string, options: OpenDataDirOptions = {}): Promise<OpenDataDir> {
  const format = options.format ?? DATA_DIR_FORMAT;
  const now = options.now ?? (() => new Date());
  const state = await inspectDataDir(root, format);
  const paths = dataDirPaths(root);
  await mkdir(root, { recursive: true });
  let eventLog: SqliteEventLog;
  try {
    eventLog = createSqliteEventLog({ file: paths.eventLog, defaultPartitions: 6, ...(options.logger ? { logger: options.logger } : {}) });
  } catch (e) {
    if (e instanceof EventLogError && e.code === 'PW_ERR_EVENT_LOG_LOCKED') throw DATA_DIR_ERRORS.inUse(root);
    throw e;
  }
  try {
    // Under the lock: whoever got here first and stopped half-way left nothing another process is using.
    await rm(`${paths.marker}.tmp`, { force: true });
    let marker: DataDirMarker;
    let migratedFrom: number | null = null;
    if (state.kind === 'new') {
      marker = { app: 'paywatch', format, createdAt: now().toISOString(), migrations: [] };
      await writeMarker(root, marker);
    } else {
      marker = state.marker ?? { app: 'paywatch', format: state.format, createdAt: now().toISOString(), migrations: [] };
      if (state.format < format) {
        migratedFrom = state.format;
        marker = await runDataDirMigrations({ paths, eventLog, logger: options.logger, now }, marker, options.migrations ?? DATA_DIR_MIGRATIONS, format);
      }
    }
    const open: OpenDataDir = {
      paths, eventLog, created: state.kind === 'new', migratedFrom, marker,
      async updateMarker(patch) {
        open.marker = { ...open.marker, ...patch };
        await writeMarker(root, open.marker);
      },
      close: () => eventLog.close(),
    };
    return open;
  } catch (e) {
    await eventLog.close();
    throw e;
  }
}
