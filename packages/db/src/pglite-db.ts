/** PostgreSQL compiled to WASM (PGlite), in-process, for the embedded mode. One connection: transactions are serialised. */
import { PGlite } from '@electric-sql/pglite';
import type { Db, Queryable } from './port.ts';

/** A Db on a PGlite data folder (or in memory when `dataDir` is omitted). */
export async function createPgliteDb(options: { dataDir?: string } = {}): Promise<Db> {
  const db = options.dataDir ? await PGlite.create(options.dataDir) : await PGlite.create();
  // PGlite has one connection: a query issued while a transaction is open would join it, so queue everything.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => { const p = queue.then(fn, fn); queue = p.catch(() => undefined); return p; };
  const run: Queryable['query'] = async (sql, params) => {
    const r = await db.query(sql, params as unknown[]);
    return { rows: r.rows as never[], rowCount: r.affectedRows ?? r.rows.length };
  };
  return {
    query: (sql, params) => serial(() => run(sql, params)),
    transaction: (fn) => serial(() => db.transaction(async (tx) => fn({
      query: async (sql, params) => { const r = await tx.query(sql, params as unknown[]); return { rows: r.rows as never[], rowCount: r.affectedRows ?? r.rows.length }; },
    }))),
    async ping() { await serial(() => db.query('SELECT 1')); return true; },
    async close() { await db.close(); },
  };
}
