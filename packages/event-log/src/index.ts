/** @paywatch/event-log — the event-log port and its adapters: in-process and SQLite (embedded mode) and kafkajs (production). */
export type * from './port.ts';
export type { LoggerLike } from './logger.ts';
export { EventLogError, EVENT_LOG_ERRORS, type EventLogErrorCode } from './errors.ts';
export { murmur2, partitionForKey } from './partitioner.ts';
export { createInProcessEventLog, type InProcessEventLogOptions } from './in-process-event-log.ts';
export { createSqliteEventLog, type SqliteEventLog, type SqliteEventLogOptions } from './sqlite-event-log.ts';
export { SQLITE_LOG_SCHEMA_VERSION } from './sqlite-log-storage.ts';
export { createKafkaEventLog, type KafkaEventLogOptions } from './kafka-event-log.ts';
export type { Compression } from './kafka-compression.ts';
