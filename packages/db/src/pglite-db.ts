/** PostgreSQL compiled to WASM (PGlite), in-process, for the embedded mode. One connection: transactions are serialised. */
import { PGlite } from '@electric-sql/pglite';
import type { Db, Queryable } from './port.ts';

/** A Db on a PGlite data folder (or in memory when `dataDir` is omitted). */
export async function createPgliteDb(options: { dataDir?: string } = {}): Promise<Db> {
  const db = options.dataDir ? await PGlite.create(options.dataDir) : await PGlite.create();
  // PGlite has one connection: a query issued while a transaction is open would join it, so queue everything.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => { const p = queue.then(fn, fn); queue = p.catch(() => undefined); return p; };
  const run: Queryable['query'] = (sql, params) => runOn(db, sql, params);
  return {
    query: (sql, params) => serial(() => run(sql, params)),
    transaction: (fn) => serial(() => db.transaction(async (tx) => fn({
      query: (sql, params) => runOn(tx, sql, params),
    }))),
    async ping() { await serial(() => db.query('SELECT 1')); return true; },
    async close() { await db.close(); },
  };
}

type PgliteLike = Pick<PGlite, 'query' | 'exec'>;

/**
 * Parameterless SQL goes through `exec`, which (like pg's simple protocol) accepts several statements:
 * migrations are scripts. Parameterised SQL uses the extended protocol, one statement.
 */
async function runOn(target: PgliteLike, sql: string, params?: unknown[]): Promise<{ rows: never[]; rowCount: number }> {
  if (!params || params.length === 0) {
    const results = await target.exec(sql);
    const last = results.at(-1);
    return { rows: (last?.rows ?? []) as never[], rowCount: last?.affectedRows ?? last?.rows.length ?? 0 };
  }
  const r = await target.query(sql, params);
  return { rows: r.rows as never[], rowCount: r.affectedRows ?? r.rows.length };
}
