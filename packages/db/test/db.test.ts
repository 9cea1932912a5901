import { describe, expect, it, inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createPgDb, createPgliteDb, migrate, type Db } from '../src/index.ts';

const MIGRATIONS = [
  { id: '001-things', sql: 'CREATE TABLE things (id text PRIMARY KEY, amount_satang bigint NOT NULL)' },
  { id: '002-note', sql: 'ALTER TABLE things ADD COLUMN note text;\nCREATE INDEX things_note ON things (note);' },
];

async function pgWithFreshSchema(): Promise<Db> {
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = createPgDb({ connectionString: inject('databaseUrl'), max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.close();
  return createPgDb({ connectionString: inject('databaseUrl'), schema });
}

function contract(name: string, make: () => Promise<Db>) {
  describe(name, () => {
    it('when migrations run twice, then each applies once', async () => {
      const db = await make();
      expect(await migrate(db, MIGRATIONS)).toEqual(['001-things', '002-note']);
      expect(await migrate(db, MIGRATIONS)).toEqual([]);
      await db.close();
    });
    it('when a transaction throws, then nothing of it is kept; bigint satang comes back exact', async () => {
      const db = await make();
      await migrate(db, MIGRATIONS);
      await db.transaction(async (tx) => { await tx.query('INSERT INTO things VALUES ($1, $2)', ['a', 9007199254740991]); });
      await expect(db.transaction(async (tx) => {
        await tx.query('INSERT INTO things VALUES ($1, $2)', ['b', 1]);
        throw new Error('boom');
      })).rejects.toThrow('boom');
      const rows = (await db.query<{ id: string; amount_satang: number }>('SELECT id, amount_satang FROM things ORDER BY id')).rows;
      expect(rows).toEqual([{ id: 'a', amount_satang: 9007199254740991 }]);
      await db.close();
    });
  });
}

contract('PostgreSQL (pg)', pgWithFreshSchema);
contract('PGlite', () => createPgliteDb());
