// The durable storage of the embedded log: one SQLite file (Node's built-in node:sqlite, no native addon).
// WAL journal with synchronous=FULL: a produce or a commit returns only after its transaction is in the WAL and
// fsync'd, so it survives a killed process and a power cut alike (ADR 0010). The connection holds the file's
// lock exclusively for as long as it is open: a second process cannot open the same log, and the lock goes
// away with the process however it ends (kill -9 included), because it is an fcntl lock.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { EventLogError } from './errors.ts';
import { tpKey, type AppendEntry, type LogStorage, type StoredMessage, type StoredTopic } from './log-storage.ts';

/** The layout version this code writes (`PRAGMA user_version`); a file with a higher one is refused. */
export const SQLITE_LOG_SCHEMA_VERSION = 1;

/** Options of {@link openSqliteLogStorage}. */
export interface SqliteLogStorageOptions {
  /**
   * `full` (default): every transaction fsync'd before it is acknowledged. `normal`: survives a killed
   * process but may lose the last transactions on a power cut (faster on slow disks).
   */
  synchronous?: 'full' | 'normal';
}

/** The SQLite storage, with a consistent copy for backups. */
export interface SqliteLogStorage extends LogStorage {
  /** Writes a consistent, compact copy of the whole log to `file` (which must not exist). */
  copyTo(file: string): void;
}

const SCHEMA = `
  CREATE TABLE topics (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    partitions  INTEGER NOT NULL,
    compacted   INTEGER NOT NULL
  );
  -- End offset per partition, written with the messages: the next offset survives even if messages are ever pruned.
  CREATE TABLE partitions (
    topic_id    INTEGER NOT NULL REFERENCES topics (id),
    partition   INTEGER NOT NULL,
    end_offset  INTEGER NOT NULL,
    PRIMARY KEY (topic_id, partition)
  ) WITHOUT ROWID;
  CREATE TABLE messages (
    topic_id    INTEGER NOT NULL,
    partition   INTEGER NOT NULL,
    "offset"    INTEGER NOT NULL,
    key         TEXT,
    value       BLOB NOT NULL,
    headers     TEXT NOT NULL,
    timestamp   INTEGER NOT NULL,
    PRIMARY KEY (topic_id, partition, "offset")
  );
  CREATE TABLE committed_offsets (
    group_id    TEXT NOT NULL,
    topic_id    INTEGER NOT NULL,
    partition   INTEGER NOT NULL,
    next_offset INTEGER NOT NULL,
    PRIMARY KEY (group_id, topic_id, partition)
  ) WITHOUT ROWID;
`;

/**
 * node:sqlite without a flag on Node 24; loaded through `process.getBuiltinModule` so that bundlers and test
 * runners never try to resolve it, and with its ExperimentalWarning (older Node 24 releases print one) dropped:
 * it is no news to an operator.
 */
function loadSqlite(): typeof import('node:sqlite') {
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (/SQLite is an experimental feature/i.test(text)) return;
    (emit as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return process.getBuiltinModule('node:sqlite');
  } finally {
    process.emitWarning = emit;
  }
}

const isBusy = (err: unknown) => /database is locked|SQLITE_BUSY/i.test(String((err as Error)?.message ?? err));

/** Opens (creating when missing) the log file and takes its lock; throws PW_ERR_EVENT_LOG_LOCKED when another process holds it. */
export function openSqliteLogStorage(file: string, options: SqliteLogStorageOptions = {}): SqliteLogStorage {
  const { DatabaseSync: Database } = loadSqlite();
  const db: DatabaseSync = new Database(file, { timeout: 0 });
  try {
    // Exclusive before WAL: the WAL index then lives in this process's memory (no -shm file) and the lock is ours alone.
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    db.exec('PRAGMA journal_mode = WAL');
    db.exec(`PRAGMA synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    const version = Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
    if (version > SQLITE_LOG_SCHEMA_VERSION) throw new EventLogError('PW_ERR_EVENT_LOG_FORMAT', `${file} has layout ${version}, this version reads up to ${SQLITE_LOG_SCHEMA_VERSION}`);
    if (version === 0) db.exec(`BEGIN; ${SCHEMA}; PRAGMA user_version = ${SQLITE_LOG_SCHEMA_VERSION}; COMMIT`);
  } catch (err) {
    db.close();
    if (isBusy(err)) throw new EventLogError('PW_ERR_EVENT_LOG_LOCKED', file, { cause: err });
    throw err;
  }

  const topicIds = new Map<string, number>();
  const specs: StoredTopic[] = [];
  const ends = new Map<string, number>();
  /** Compacted topics: the offset of each key's newest message per partition (the only one kept). */
  const latestByKey = new Map<string, Map<string, number>>();

  for (const row of db.prepare('SELECT id, name, partitions, compacted FROM topics ORDER BY id').all() as Array<{ id: number; name: string; partitions: number; compacted: number }>) {
    topicIds.set(row.name, row.id);
    specs.push({ name: row.name, partitions: row.partitions, compacted: row.compacted === 1 });
    for (let p = 0; p < row.partitions; p++) {
      ends.set(tpKey(row.name, p), 0);
      if (row.compacted === 1) latestByKey.set(tpKey(row.name, p), new Map());
    }
  }
  const nameOf = new Map([...topicIds].map(([name, id]) => [id, name]));
  for (const row of db.prepare('SELECT topic_id, partition, end_offset FROM partitions').all() as Array<{ topic_id: number; partition: number; end_offset: number }>) {
    ends.set(tpKey(nameOf.get(row.topic_id)!, row.partition), row.end_offset);
  }
  const keysOf = db.prepare('SELECT partition, key, "offset" FROM messages WHERE topic_id = ? AND key IS NOT NULL');
  for (const spec of specs.filter((s) => s.compacted)) {
    for (const row of keysOf.all(topicIds.get(spec.name)!) as Array<{ partition: number; key: string; offset: number }>) {
      latestByKey.get(tpKey(spec.name, row.partition))!.set(row.key, row.offset);
    }
  }

  const stmt = (sql: string): StatementSync => db.prepare(sql);
  const insertTopic = stmt('INSERT INTO topics (name, partitions, compacted) VALUES (?, ?, ?)');
  const insertPartition = stmt('INSERT INTO partitions (topic_id, partition, end_offset) VALUES (?, ?, 0)');
  const insertMessage = stmt('INSERT INTO messages (topic_id, partition, "offset", key, value, headers, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const deleteMessage = stmt('DELETE FROM messages WHERE topic_id = ? AND partition = ? AND "offset" = ?');
  const setEnd = stmt('UPDATE partitions SET end_offset = ? WHERE topic_id = ? AND partition = ?');
  const selectRange = stmt('SELECT "offset", key, value, headers, timestamp FROM messages WHERE topic_id = ? AND partition = ? AND "offset" >= ? AND "offset" < ? ORDER BY "offset"');
  const selectCommitted = stmt('SELECT topic_id, partition, next_offset FROM committed_offsets WHERE group_id = ?');
  const upsertCommitted = stmt(`INSERT INTO committed_offsets (group_id, topic_id, partition, next_offset) VALUES (?, ?, ?, ?)
    ON CONFLICT (group_id, topic_id, partition) DO UPDATE SET next_offset = excluded.next_offset`);

  const idOf = (topic: string): number => {
    const id = topicIds.get(topic);
    if (id === undefined) throw new RangeError(`unknown topic ${topic}`);
    return id;
  };
  /** Runs `fn` in one transaction: all of it is stored, or none. */
  const inTransaction = (fn: () => void) => {
    db.exec('BEGIN IMMEDIATE');
    try {
      fn();
      db.exec('COMMIT');
    } catch (err) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw err;
    }
  };

  return {
    topics: () => [...specs],
    createTopic(spec) {
      inTransaction(() => {
        const id = Number(insertTopic.run(spec.name, spec.partitions, spec.compacted ? 1 : 0).lastInsertRowid);
        for (let p = 0; p < spec.partitions; p++) insertPartition.run(id, p);
        topicIds.set(spec.name, id);
        nameOf.set(id, spec.name);
      });
      specs.push(spec);
      for (let p = 0; p < spec.partitions; p++) {
        ends.set(tpKey(spec.name, p), 0);
        if (spec.compacted) latestByKey.set(tpKey(spec.name, p), new Map());
      }
    },
    endOffset(topic, partition) {
      const end = ends.get(tpKey(topic, partition));
      if (end === undefined) throw new RangeError(`unknown partition ${topic}/${partition}`);
      return end;
    },
    append(topic, entries: readonly AppendEntry[]) {
      const id = idOf(topic);
      const newEnds = new Map<number, number>();
      const superseded = new Map<string, Map<string, number>>();
      inTransaction(() => {
        for (const { partition, offset, message } of entries) {
          const expected = newEnds.get(partition) ?? ends.get(tpKey(topic, partition));
          if (offset !== expected) throw new RangeError(`append at ${topic}/${partition}@${offset}, end is ${expected}`);
          insertMessage.run(id, partition, offset, message.key, message.value, JSON.stringify(message.headers), Number(message.timestamp));
          newEnds.set(partition, offset + 1);
          const latest = latestByKey.get(tpKey(topic, partition));
          if (latest && message.key !== null) {
            // Compaction for real: the older value of the key goes, so the file does not grow with re-announcements.
            const pending = superseded.get(tpKey(topic, partition)) ?? new Map<string, number>();
            const previous = pending.get(message.key) ?? latest.get(message.key);
            if (previous !== undefined) deleteMessage.run(id, partition, previous);
            pending.set(message.key, offset);
            superseded.set(tpKey(topic, partition), pending);
          }
        }
        for (const [partition, end] of newEnds) setEnd.run(end, id, partition);
      });
      for (const [partition, end] of newEnds) ends.set(tpKey(topic, partition), end);
      for (const [key, pending] of superseded) for (const [k, offset] of pending) latestByKey.get(key)!.set(k, offset);
    },
    read(topic, partition, from, to) {
      const rows = selectRange.all(idOf(topic), partition, from, to) as Array<{ offset: number; key: string | null; value: Uint8Array; headers: string; timestamp: number }>;
      return rows.map((r) => {
        const message: StoredMessage = {
          key: r.key,
          value: Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength),
          headers: JSON.parse(r.headers) as Record<string, string>,
          timestamp: String(r.timestamp),
        };
        return { offset: r.offset, message };
      });
    },
    committed(groupId) {
      const out = new Map<string, number>();
      for (const r of selectCommitted.all(groupId) as Array<{ topic_id: number; partition: number; next_offset: number }>) {
        const name = nameOf.get(r.topic_id);
        if (name !== undefined) out.set(tpKey(name, r.partition), r.next_offset);
      }
      return out;
    },
    commit(groupId, topic, partition, nextOffset) {
      upsertCommitted.run(groupId, idOf(topic), partition, nextOffset);
    },
    copyTo(target) {
      db.prepare('VACUUM INTO ?').run(target);
    },
    close() {
      if (db.isOpen) db.close();
    },
  };
}
