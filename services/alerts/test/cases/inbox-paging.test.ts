// (The oracle's key columns get aliases of their own: an ORDER BY would otherwise sort by the text alias.)
// Keyset paging holds at 100,000 alerts: a page 90,000 rows deep answers within a generous fixed bound and holds
// exactly the rows PostgreSQL's own OFFSET gives for that position (the oracle), for every sort, alerts and cases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@paywatch/http-kit';
import { serviceOnPg, type PgService } from '../helpers.ts';
import { encodeInboxCursor, INBOX_SORTS } from '../../src/cases/inbox-store.ts';

const ALERTS = 100_000;
const CASES = 20_000;
const DEEP = 90_000;
/** Not a benchmark: a bound no healthy index-backed page comes near, even on a loaded 2-core machine. */
const BOUND_MS = 3_000;
const AUDITOR: Principal = { sub: 'auditor-66', role: 'provincial-auditor', provinces: ['66'] };

let s: PgService;
const ORDER: Record<string, { alerts: string; cases: string }> = {
  newest: { alerts: 'first_seen_at DESC, alert_id DESC', cases: 'opened_at DESC, case_id DESC' },
  age: { alerts: 'first_seen_at ASC, alert_id ASC', cases: 'opened_at ASC, case_id ASC' },
  severity: { alerts: 'severity_rank DESC, first_seen_at DESC, alert_id DESC', cases: 'severity_rank DESC, opened_at DESC, case_id DESC' },
  amount: { alerts: 'amount_satang DESC, alert_id DESC', cases: 'total_satang DESC, case_id DESC' },
  due: { alerts: 'due_at ASC, alert_id ASC', cases: 'due_at ASC, case_id ASC' },
};
const KEYS: Record<string, { alerts: string[]; cases: string[] }> = {
  newest: { alerts: ['first_seen_at', 'alert_id'], cases: ['opened_at', 'case_id'] },
  age: { alerts: ['first_seen_at', 'alert_id'], cases: ['opened_at', 'case_id'] },
  severity: { alerts: ['severity_rank', 'first_seen_at', 'alert_id'], cases: ['severity_rank', 'opened_at', 'case_id'] },
  amount: { alerts: ['amount_satang', 'alert_id'], cases: ['total_satang', 'case_id'] },
  due: { alerts: ['due_at', 'alert_id'], cases: ['due_at', 'case_id'] },
};

beforeAll(async () => {
  s = await serviceOnPg();
  // Seeded after the service started (its start-up links alerts without a case; these get cases of their own below).
  // Timestamps repeat (every 7th row shares a second), amounts repeat: the id must break ties for the order to hold.
  await s.db.query(`INSERT INTO alerts (alert_id, lao_code, province_code, district, severity, rule_ids, subject, payload, amount_satang, occurred_on, rule_set_version, first_seen_at, last_seen_at)
    SELECT 'al_' || lpad(to_hex(i), 24, '0'), CASE WHEN i % 10 = 0 THEN '6000101' ELSE '6600101' END, CASE WHEN i % 10 = 0 THEN '60' ELSE '66' END, 'เมืองพิจิตร',
      (ARRAY['low','medium','high','critical'])[1 + (i * 7) % 4], ARRAY['payee-not-registered'], jsonb_build_object('kind', 'payment', 'key', 'r' || i), '{}'::jsonb,
      ((i * 7919) % 5000) * 100, DATE '2026-11-01' + (i % 30), '2026.12.1',
      TIMESTAMPTZ '2026-01-01 00:00:00+00' + make_interval(secs => (i / 7) * 60), TIMESTAMPTZ '2026-01-01 00:00:00+00' + make_interval(secs => (i / 7) * 60)
    FROM generate_series(1, ${ALERTS}) AS i`);
  await s.db.query(`INSERT INTO cases (case_id, group_kind, group_label, lao_code, province_code, district, severity, severity_rank, total_satang, alert_count, opened_at, due_at, last_alert_at)
    SELECT 'cs_' || lpad(to_hex(i), 24, '0'), 'payee', '006:******' || lpad((i % 10000)::text, 4, '0'), '6600101', CASE WHEN i % 10 = 0 THEN '60' ELSE '66' END, 'เมืองพิจิตร',
      (ARRAY['low','medium','high','critical'])[1 + (i * 3) % 4], 1 + (i * 3) % 4, ((i * 104729) % 9000) * 100, 1 + i % 5,
      TIMESTAMPTZ '2026-01-01 00:00:00+00' + make_interval(secs => (i / 3) * 60), TIMESTAMPTZ '2026-01-08 00:00:00+00' + make_interval(secs => (i % 977) * 3600),
      TIMESTAMPTZ '2026-01-01 00:00:00+00'
    FROM generate_series(1, ${CASES}) AS i`);
  await s.db.query('ANALYZE alerts');
  await s.db.query('ANALYZE cases');
}, 240_000);
afterAll(async () => { await s?.close(); });

describe('inbox paging at 100,000 alerts', () => {
  const token = () => ({ authorization: `Bearer ${s.token(AUDITOR)}` });
  for (const sort of INBOX_SORTS) {
    it(`when a page ${DEEP.toLocaleString('en')} alerts deep is asked sorted by ${sort}, then it answers within ${BOUND_MS} ms with exactly the rows at that position`, async () => {
      const table = 'alerts', id = 'alert_id';
      const keys = KEYS[sort]!.alerts;
      // The oracle: the row just before the page, and the page, by OFFSET over the same scope.
      const before = (await s.db.query<Record<string, string>>(`SELECT ${keys.map((k) => `${k}::text AS k_${k}`).join(', ')} FROM ${table} WHERE province_code = '66' ORDER BY ${ORDER[sort]!.alerts} OFFSET ${DEEP - 1} LIMIT 1`)).rows[0]!;
      const expected = (await s.db.query<Record<string, string>>(`SELECT ${id} FROM ${table} WHERE province_code = '66' ORDER BY ${ORDER[sort]!.alerts} OFFSET ${DEEP} LIMIT 50`)).rows.map((r) => r[id]);
      const cursor = encodeInboxCursor(sort, keys.map((k) => before[`k_${k}`]!));
      const t0 = performance.now();
      const r = await s.service.app.inject({ method: 'GET', url: `/v1/inbox/alerts?sort=${sort}&limit=50&cursor=${cursor}`, headers: token() });
      const ms = performance.now() - t0;
      expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
      console.log(`[inbox paging] alerts sort=${sort} page at ${DEEP}: ${ms.toFixed(0)} ms`);
      expect(r.json().items.map((a: { alertId: string }) => a.alertId)).toEqual(expected);
      expect(r.json().total).toBe(ALERTS * 0.9);
      expect(ms).toBeLessThan(BOUND_MS);
    });
  }
  for (const sort of INBOX_SORTS) {
    it(`when a page deep in ${CASES.toLocaleString('en')} cases is asked sorted by ${sort}, then it holds exactly the rows at that position`, async () => {
      const keys = KEYS[sort]!.cases;
      const deep = Math.floor(CASES * 0.8);
      const before = (await s.db.query<Record<string, string>>(`SELECT ${keys.map((k) => `${k}::text AS k_${k}`).join(', ')} FROM cases WHERE province_code = '66' ORDER BY ${ORDER[sort]!.cases} OFFSET ${deep - 1} LIMIT 1`)).rows[0]!;
      const expected = (await s.db.query<{ case_id: string }>(`SELECT case_id FROM cases WHERE province_code = '66' ORDER BY ${ORDER[sort]!.cases} OFFSET ${deep} LIMIT 50`)).rows.map((r) => r.case_id);
      const t0 = performance.now();
      const r = await s.service.app.inject({ method: 'GET', url: `/v1/cases?sort=${sort}&limit=50&cursor=${encodeInboxCursor(sort, keys.map((k) => before[`k_${k}`]!))}`, headers: token() });
      const ms = performance.now() - t0;
      expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
      expect(r.json().items.map((c: { caseId: string }) => c.caseId)).toEqual(expected);
      expect(ms).toBeLessThan(BOUND_MS);
    });
  }
});
