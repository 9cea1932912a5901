/**
 * The centre report's queries (services/alerts centre-report.ts) over a synthetic alert store: `rows` alerts across
 * 77 provinces and 7,700 LAOs, a third resolved, each naming two payments of which one is shared with the next
 * alert. Timed on PostgreSQL (a throwaway Debian cluster, or DATABASE_URL) and on PGlite (the embedded mode).
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { createPgDb, createPgliteDb, migrate, type Db } from '@paywatch/db';
import { ALERTS_MIGRATIONS, centreReport } from '@paywatch/alerts';

const ROOT = resolve(import.meta.dirname, '../../../..');

/** Fills `alerts` in one INSERT … SELECT generate_series, so the seed costs seconds, not the bench. */
async function seed(db: Db, rows: number): Promise<void> {
  await migrate(db, ALERTS_MIGRATIONS);
  await db.query(`INSERT INTO alerts (alert_id, lao_code, province_code, district, severity, rule_ids, subject, payload, amount_satang, occurred_on,
      rule_set_version, status, first_seen_at, last_seen_at, disposition, resolved_at)
    SELECT 'al_' || lpad(i::text, 24, '0'), lao, substr(lao, 1, 2), 'd' || (i % 7), (ARRAY['low', 'medium', 'high', 'critical'])[1 + i % 4],
      ARRAY[(ARRAY['duplicate-payment', 'split-payment', 'off-hours', 'amount-outlier'])[1 + i % 4]], jsonb_build_object('kind', 'payee', 'key', 'k' || i),
      jsonb_build_object('findings', jsonb_build_array(jsonb_build_object('evidence', jsonb_build_object('paymentDetails', jsonb_build_array(
        jsonb_build_object('recordId', 'r' || i, 'amountSatang', 10000 + (i * 7919) % 100000000), jsonb_build_object('recordId', 'r' || (i + 1), 'amountSatang', 10000 + ((i + 1) * 7919) % 100000000)))))),
      0, '2026-11-01', 'bench', CASE WHEN i % 3 = 0 THEN 'resolved' ELSE 'new' END, t, t,
      CASE WHEN i % 3 = 0 THEN (ARRAY['confirmed', 'false-positive', 'explained', 'referred'])[1 + i % 4] END, CASE WHEN i % 3 = 0 THEN t + interval '5 days' END
    FROM generate_series(1, $1::int) AS i,
      LATERAL (SELECT (10 + i % 77)::text || lpad((i % 100)::text, 5, '0') AS lao, timestamptz '2026-12-01T00:00:00Z' - make_interval(days => i % 365) AS t) x`, [rows]);
  await db.query('ANALYZE alerts');
}

async function time(db: Db, scope: { provinces: string[] | null }, runs: number): Promise<{ medianMs: number; provinces: number; laos: number }> {
  const ms: number[] = [];
  let last: Awaited<ReturnType<typeof centreReport>> | null = null;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = await centreReport(db, scope, new Date('2026-12-03T00:00:00Z'), { laoLimit: 100 });
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { medianMs: Math.round(ms[Math.floor(ms.length / 2)]!), provinces: last!.provinces.length, laos: last!.laos.length };
}

/** Median wall time of the whole centre report for the country and for one province, on PostgreSQL and on PGlite. */
export async function benchCentre(rows: number, databaseUrl: string | undefined) {
  let url = databaseUrl;
  let stop: (() => void) | null = null;
  if (!url) {
    const vars = Object.fromEntries(execFileSync(resolve(ROOT, 'scripts/pg-start.sh'), { env: { ...process.env, PG_TMP: '/tmp' } }).toString()
      .split(/\s+/).filter((w) => w.includes('=')).map((w) => w.split('=') as [string, string]));
    url = vars.DATABASE_URL!;
    stop = () => execFileSync(resolve(ROOT, 'scripts/pg-stop.sh'), [vars.PGROOT!]);
  }
  const schema = `bench_centre_${process.pid}`;
  const admin = createPgDb({ connectionString: url, max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const pg = createPgDb({ connectionString: url, schema });
  const pglite = await createPgliteDb();
  try {
    const t0 = performance.now();
    await seed(pg, rows);
    const seedPgMs = Math.round(performance.now() - t0);
    await seed(pglite, rows);
    return {
      alerts: rows, seedPgMs,
      postgres: { country: await time(pg, { provinces: null }, 5), oneProvince: await time(pg, { provinces: ['66'] }, 5) },
      pglite: { country: await time(pglite, { provinces: null }, 3), oneProvince: await time(pglite, { provinces: ['66'] }, 3) },
    };
  } finally {
    await pg.close();
    await pglite.close();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.close();
    stop?.();
  }
}
