// The inbox API on PostgreSQL: sorting with keyset paging, bulk acknowledge and assign (scoped, audited), the auditors
// of a scope, and saved filters per user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@paywatch/http-kit';
import type { Severity } from '@paywatch/domain';
import { batchOf, manualClock, recordingContext, serviceOnPg, type PgService } from '../helpers.ts';
import { caseAlert } from './case-fixtures.ts';

const AUDITOR: Principal = { sub: 'auditor-66', role: 'provincial-auditor', provinces: ['66'] };
const DISTRICT: Principal = { sub: 'district-6601', role: 'district-auditor', provinces: ['66'], district: 'เมืองพิจิตร' };
const OTHER: Principal = { sub: 'auditor-60', role: 'provincial-auditor', provinces: ['60'] };
const SEVERITIES: Severity[] = ['low', 'medium', 'high', 'critical'];

let s: PgService;
const clock = manualClock('2026-11-23T02:00:00.000Z');
const as = (p: Principal) => ({ authorization: `Bearer ${s.token(p)}` });
const get = async (url: string, p: Principal = AUDITOR) => s.service.app.inject({ method: 'GET', url, headers: as(p) });
const post = async (url: string, payload: object, p: Principal = AUDITOR) => s.service.app.inject({ method: 'POST', url, headers: as(p), payload });
const ids: string[] = [];

beforeAll(async () => {
  s = await serviceOnPg({ clock: clock.now });
  // 23 alerts for 23 payees of LAO 6600101, a minute apart, amounts and severities mixed; one in province 60.
  for (let i = 0; i < 23; i++) {
    const a = caseAlert({ subject: { kind: 'payment', key: `p${i}` }, severity: SEVERITIES[i % 4]!, payments: [{ recordId: `p${i}`, batchId: 'b_x', amountSatang: ((i * 7919) % 23) * 10_000 + 100, account: `55500${String(i).padStart(5, '0')}` }] });
    await s.service.consumer.handleBatch(batchOf([a], i), recordingContext());
    ids.push(a.alertId);
    clock.advance(60_000);
  }
  await s.service.consumer.handleBatch(batchOf([caseAlert({ laoCode: '6000101', subject: { kind: 'payment', key: 'q1' }, payments: [{ recordId: 'q1', batchId: 'b_y', amountSatang: 1 }] })], 100), recordingContext());
});
afterAll(async () => { await s.close(); });

async function allPages(url: string, p: Principal = AUDITOR): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  let cursor: string | null = null;
  do {
    const r = await get(`${url}${url.includes('?') ? '&' : '?'}limit=5${cursor ? `&cursor=${cursor}` : ''}`, p);
    expect(r.statusCode, r.body).toBe(200);
    out.push(...r.json().items);
    cursor = r.json().nextCursor;
  } while (cursor);
  return out;
}

describe('inbox', () => {
  it.each(['amount', 'severity', 'age', 'due', 'newest'] as const)('when alerts are paged sorted by %s, then the pages join into the whole list in that order, each alert once', async (sort) => {
    const items = await allPages(`/v1/inbox/alerts?sort=${sort}`);
    expect(items).toHaveLength(23);
    expect(new Set(items.map((a) => a['alertId'])).size).toBe(23);
    const rank: Record<string, number> = { low: 1, medium: 2, high: 3, critical: 4 };
    const key = (a: Record<string, unknown>): [number, string] => sort === 'amount' ? [-Number(a['amountSatang']), ''] : sort === 'severity' ? [-rank[String(a['severity'])]!, `${9e15 - Date.parse(String(a['firstSeenAt']))}`]
      : sort === 'age' ? [Date.parse(String(a['firstSeenAt'])), ''] : sort === 'due' ? [Date.parse(String(a['dueAt'])), ''] : [-Date.parse(String(a['firstSeenAt'])), ''];
    const keys = items.map(key);
    const sorted = [...keys].sort((x, y) => x[0] - y[0] || x[1].localeCompare(y[1]));
    expect(keys.map((k) => k[0])).toEqual(sorted.map((k) => k[0]));
    expect(items.every((a) => typeof a['caseId'] === 'string')).toBe(true);
  });

  it('when a cursor of one sort is used with another, then 400 names the cursor', async () => {
    const first = (await get('/v1/inbox/alerts?sort=amount&limit=5')).json();
    const r = await get(`/v1/inbox/alerts?sort=due&limit=5&cursor=${first.nextCursor}`);
    expect([r.statusCode, r.json().error.code]).toEqual([400, 'PW_ERR_VALIDATION']);
  });

  it('when an auditor bulk-acknowledges alerts and a case, then each new one is acknowledged and audited, the rest unchanged, another province\'s ids not found', async () => {
    const caseId = (await s.db.query<{ case_id: string }>('SELECT case_id FROM case_alerts WHERE alert_id = $1', [ids[5]])).rows[0]!.case_id;
    const foreign = (await get('/v1/inbox/alerts', OTHER)).json().items[0].alertId;
    const r = await post('/v1/inbox/acknowledge', { alertIds: [ids[0], ids[1], foreign], caseIds: [caseId] });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().acknowledged.sort()).toEqual([ids[0], ids[1], ids[5]].sort());
    expect(r.json().notFound).toEqual([foreign]);
    const again = await post('/v1/inbox/acknowledge', { alertIds: [ids[0]] });
    expect(again.json()).toMatchObject({ acknowledged: [], unchanged: [ids[0]] });
    const audit = await s.db.query<{ alert_id: string }>(`SELECT alert_id FROM audit_log WHERE action = 'transition' AND payload->>'bulk' = 'true'`);
    expect(audit.rows.map((x) => x.alert_id).sort()).toEqual([ids[0], ids[1], ids[5]].sort());
    expect((await s.db.query(`SELECT status FROM alerts WHERE alert_id = $1`, [foreign])).rows[0]).toEqual({ status: 'new' });
    expect((await get('/v1/inbox/alerts?status=acknowledged')).json().total).toBe(3);
  });

  it('when an auditor bulk-assigns, then the items go to one auditor of their scope (listed by /v1/inbox/auditors); one they may not hold refuses the whole batch', async () => {
    const auditors = (await get('/v1/inbox/auditors')).json().items.map((u: { sub: string }) => u.sub);
    expect(auditors).toEqual(expect.arrayContaining(['auditor-66', 'district-6601']));
    expect(auditors).not.toContain('auditor-60');
    const refused = await post('/v1/inbox/assign', { alertIds: [ids[2], ids[3]], assignee: 'auditor-60' });
    expect([refused.statusCode, refused.json().error.code]).toEqual([400, 'PW_ERR_ASSIGNEE_INVALID']);
    expect((await s.db.query('SELECT 1 FROM alerts WHERE assignee IS NOT NULL')).rowCount).toBe(0);
    const r = await post('/v1/inbox/assign', { alertIds: [ids[2], ids[3]], assignee: 'district-6601' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().assigned.sort()).toEqual([ids[2], ids[3]].sort());
    const mine = (await get('/v1/inbox/alerts?assignee=me', DISTRICT)).json();
    expect(mine.items.map((a: { alertId: string }) => a.alertId).sort()).toEqual([ids[2], ids[3]].sort());
    expect(mine.items[0].assigneeName).toContain('เมืองพิจิตร');
    expect((await get('/v1/inbox/alerts?assignee=none')).json().total).toBe(21);
  });

  it('when a user saves filters, then they are theirs alone, replaced by name, cleaned of unknown parameters, and deleting another user\'s is 404', async () => {
    const saved = await post('/v1/inbox/filters', { name: 'วิกฤตของฉัน', query: 'view=cases&severity=critical&sort=amount&evil=1&cursor=abc' });
    expect(saved.statusCode, saved.body).toBe(201);
    expect(saved.json().query).toBe('view=cases&sort=amount&severity=critical');
    await post('/v1/inbox/filters', { name: 'วิกฤตของฉัน', query: 'severity=high' });
    expect((await get('/v1/inbox/filters')).json().items).toEqual([expect.objectContaining({ name: 'วิกฤตของฉัน', query: 'severity=high' })]);
    expect((await get('/v1/inbox/filters', DISTRICT)).json().items).toEqual([]);
    const bad = await post('/v1/inbox/filters', { name: ' ', query: 'severity=high' });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'PW_ERR_SAVED_FILTER_INVALID']);
    const del = (p: Principal) => s.service.app.inject({ method: 'DELETE', url: `/v1/inbox/filters/${saved.json().id}`, headers: as(p) });
    expect((await del(DISTRICT)).statusCode).toBe(404);
    expect((await del(AUDITOR)).statusCode).toBe(204);
    expect((await get('/v1/inbox/filters')).json().items).toEqual([]);
    expect((await s.db.query(`SELECT payload->>'op' AS op FROM audit_log WHERE action = 'saved-filter' ORDER BY seq`)).rows.map((x) => x.op)).toEqual(['save', 'save', 'delete']);
  });
});
