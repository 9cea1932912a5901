/** PostgreSQL through node-postgres, with a pool. */
import pg from 'pg';
import type { Db } from './port.ts';

// int8 (bigint) columns hold satang sums: parse them as numbers while they are exact, else fail loudly.
pg.types.setTypeParser(20, (v: string) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${v} exceeds the exact integer range`);
  return n;
});

/** A Db on a PostgreSQL connection string. */
export function createPgDb(options: { connectionString: string; max?: number; schema?: string }): Db {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  return {
    async query(sql, params) {
      const r = await pool.query(sql, params as unknown[]);
      return { rows: r.rows, rowCount: r.rowCount ?? 0 };
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: async (sql, params) => { const r = await client.query(sql, params as unknown[]); return { rows: r.rows, rowCount: r.rowCount ?? 0 }; } });
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    async ping() { await pool.query('SELECT 1'); return true; },
    async close() { await pool.end(); },
  };
}
