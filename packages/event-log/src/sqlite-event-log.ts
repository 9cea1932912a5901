// The embedded log on disk: the in-process log's semantics (same code: embedded-event-log.ts) over a SQLite
// file, so `paywatch serve` keeps partitions, keys, consumer groups and committed offsets across restarts,
// clean or kill -9 (ADR 0010).
import { createEmbeddedEventLog, type EmbeddedEventLogOptions } from './embedded-event-log.ts';
import type { EventLog } from './port.ts';
import { openSqliteLogStorage, type SqliteLogStorageOptions } from './sqlite-log-storage.ts';

/** Options of {@link createSqliteEventLog}. */
export interface SqliteEventLogOptions extends EmbeddedEventLogOptions, SqliteLogStorageOptions {
  /** The log file (created when missing). */
  file: string;
}

/** The SQLite event log: the port, plus a consistent copy of the file for backups. */
export interface SqliteEventLog extends EventLog {
  /** Writes a consistent, compact copy of the log to `file` (which must not exist); safe while the log is in use. */
  copyTo(file: string): Promise<void>;
}

/**
 * Opens the log file and holds its lock until `close()`: throws PW_ERR_EVENT_LOG_LOCKED when another process
 * has it open, PW_ERR_EVENT_LOG_FORMAT when a newer version wrote it.
 */
export function createSqliteEventLog(options: SqliteEventLogOptions): SqliteEventLog {
  const storage = openSqliteLogStorage(options.file, options);
  const log = createEmbeddedEventLog(storage, 'sqlite', options);
  return { ...log, async copyTo(file) { storage.copyTo(file); } };
}
