// The embedded log on memory: everything is gone with the process. Unit tests and tools that need no
// durability use it; `paywatch serve` uses the SQLite log (sqlite-event-log.ts), which shares its semantics.
import { createEmbeddedEventLog, type EmbeddedEventLogOptions } from './embedded-event-log.ts';
import { createMemoryLogStorage } from './memory-log-storage.ts';
import type { EventLog } from './port.ts';

/** Options of {@link createInProcessEventLog}. */
export type InProcessEventLogOptions = EmbeddedEventLogOptions;

/** Creates the in-memory event log (same port, same partitioner as Kafka). */
export function createInProcessEventLog(options: InProcessEventLogOptions = {}): EventLog {
  return createEmbeddedEventLog(createMemoryLogStorage(), 'in-process', options);
}
