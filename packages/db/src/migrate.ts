/** Applies a service's migrations once each, in order, recording them in `schema_migrations`. */
import type { Db, Migration } from './port.ts';

/** Runs the migrations not yet applied; returns the ids it applied. Safe to call at every start. */
export async function migrate(db: Db, migrations: readonly Migration[]): Promise<string[]> {
  await db.query('CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
  const done = new Set((await db.query<{ id: string }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id));
  const applied: string[] = [];
  for (const m of migrations) {
    if (done.has(m.id)) continue;
    await db.transaction(async (tx) => {
      // Two replicas starting together: the lock makes the second wait, then its insert conflicts harmlessly.
      await tx.query('LOCK TABLE schema_migrations IN EXCLUSIVE MODE');
      const again = await tx.query('SELECT 1 FROM schema_migrations WHERE id = $1', [m.id]);
      if (again.rowCount > 0) return;
      await tx.query(m.sql);
      await tx.query('INSERT INTO schema_migrations (id) VALUES ($1)', [m.id]);
      applied.push(m.id);
    });
  }
  return applied;
}
