/** The database port: parameterised SQL on PostgreSQL (pg in production, PGlite in embedded mode). */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: Row[]; rowCount: number }>;
}

export interface Db extends Queryable {
  /** Runs `fn` in one transaction: commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** One schema change. Migrations belong to the service that owns the tables. */
export interface Migration { id: string; sql: string }
