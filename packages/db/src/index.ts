/** @paywatch/db — the database port with pg and PGlite adapters, and a migration runner. */
export * from './port.ts';
export * from './pg-db.ts';
export * from './pglite-db.ts';
export * from './migrate.ts';
