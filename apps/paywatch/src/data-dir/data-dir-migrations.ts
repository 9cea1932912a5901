/**
 * Versioned upgrades of the data folder: each step takes format `from` to `to` and must be safe to run again
 * (a step killed half-way runs again at the next open: the marker moves only after a step finished).
 * PGlite's tables are not migrated here: the alerts service runs its own schema migrations at start.
 */
import type { LoggerLike, SqliteEventLog } from '@paywatch/event-log';
import { DATA_DIR_ERRORS } from './data-dir-errors.ts';
import type { DataDirMarker, DataDirPaths } from './data-dir-layout.ts';
import { writeMarker } from './data-dir-marker.ts';
import { migrateFormat1To2 } from './migrate-format-1.ts';

/** What a step gets: the folder's paths and its (already open) event log. */
export interface MigrationContext {
  paths: DataDirPaths;
  eventLog: SqliteEventLog;
  logger: LoggerLike | undefined;
  now: () => Date;
}

/** One upgrade step. */
export interface DataDirMigration {
  from: number;
  to: number;
  description: string;
  run(ctx: MigrationContext): Promise<void>;
}

/** Every step, oldest first. */
export const DATA_DIR_MIGRATIONS: readonly DataDirMigration[] = [
  {
    from: 1, to: 2,
    description: 'the event log moves from memory to event-log.sqlite: stored batches and reference lists are published again, detector checkpoints of the vanished log are dropped',
    run: migrateFormat1To2,
  },
];

/** Applies the steps from `marker.format` up to `target`, writing the marker after each; returns the final marker. */
export async function runDataDirMigrations(ctx: MigrationContext, marker: DataDirMarker, steps: readonly DataDirMigration[], target: number): Promise<DataDirMarker> {
  let current = marker;
  while (current.format < target) {
    const step = steps.find((s) => s.from === current.format);
    if (!step) throw DATA_DIR_ERRORS.noMigration(ctx.paths.root, current.format);
    ctx.logger?.warn({ from: step.from, to: step.to, dataDir: ctx.paths.root }, `migrating the data folder: ${step.description}`);
    await step.run(ctx);
    current = { ...current, format: step.to, migrations: [...current.migrations, { from: step.from, to: step.to, at: ctx.now().toISOString() }] };
    await writeMarker(ctx.paths.root, current);
  }
  return current;
}
