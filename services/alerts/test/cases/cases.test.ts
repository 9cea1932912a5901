// Cases end to end on PostgreSQL: grouping when alerts are stored, idempotent replays, totals, due dates, assigning,
// commenting, attachments in the blob store, closing with a disposition, and every change in the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFolderBlobStore } from '@paywatch/blob-store';
import { FOLLOW_UP_DAYS, followUpDueAt, type Alert } from '@paywatch/domain';
import type { Principal } from '@paywatch/http-kit';
import { batchOf, manualClock, recordingContext, serviceOnPg, type PgService } from '../helpers.ts';
import { verifyAuditChain } from '../../src/audit-log.ts';
import { AUDIT_KEY } from '../helpers.ts';
import { caseAlert } from './case-fixtures.ts';

const AUDITOR: Principal = { sub: 'auditor-66', role: 'provincial-auditor', provinces: ['66'] };
const OTHER_PROVINCE: Principal = { sub: 'auditor-60', role: 'provincial-auditor', provinces: ['60'] };

let s: PgService;
let blobDir: string;
const clock = manualClock('2026-11-23T02:00:00.000Z');
let offset = 0;
const store = async (alerts: Alert[]) => { await s.service.consumer.handleBatch(batchOf(alerts, offset), recordingContext()); offset += alerts.length; };
const as = (p: Principal) => ({ authorization: `Bearer ${s.token(p)}` });
const get = async (url: string, p: Principal = AUDITOR) => s.service.app.inject({ method: 'GET', url, headers: as(p) });
const post = async (url: string, payload: object, p: Principal = AUDITOR) => s.service.app.inject({ method: 'POST', url, headers: as(p), payload });
const caseOf = async (alertId: string) => (await s.db.query<{ case_id: string }>('SELECT case_id FROM case_alerts WHERE alert_id = $1', [alertId])).rows[0]?.case_id;

beforeAll(async () => {
  blobDir = await mkdtemp(join(tmpdir(), 'paywatch-case-blobs-'));
  s = await serviceOnPg({ clock: clock.now, extra: { attachments: { store: createFolderBlobStore(blobDir), maxBytes: 64 * 1024 } } });
});
afterAll(async () => { await s.close(); await rm(blobDir, { recursive: true, force: true }); });

// One payee of LAO 6600101 (bank 006, account 0123454321) named by three alerts; r2 is in two of them.
const payeeAlert = caseAlert({ subject: { kind: 'payee', key: '006:0123454321' }, ruleId: 'account-many-names', severity: 'medium', payments: [
  { recordId: 'r1', batchId: 'b_1', amountSatang: 70_000 }, { recordId: 'r2', batchId: 'b_1', amountSatang: 1_250_050 },
] });
const paymentAlert = caseAlert({ subject: { kind: 'payment', key: 'r2' }, ruleId: 'payee-not-registered', severity: 'high', payments: [{ recordId: 'r2', batchId: 'b_1', amountSatang: 1_250_050 }] });
const laterAlert = caseAlert({ subject: { kind: 'payment', key: 'r3' }, ruleId: 'new-payee-large', severity: 'critical', payments: [{ recordId: 'r3', batchId: 'b_2', amountSatang: 5_000_000, account: '0000123454321' }] });
// Another payee in the same batch, and the batch itself: the batch alert and a payment without a named payee share a case.
const otherPayee = caseAlert({ subject: { kind: 'payment', key: 'r4' }, payments: [{ recordId: 'r4', batchId: 'b_1', amountSatang: 90_000, account: '9876543210' }] });
const batchAlert = caseAlert({ subject: { kind: 'batch', key: 'b_9' }, ruleId: 'batch-padded', payments: [{ recordId: 'r9', batchId: 'b_9', amountSatang: 10_000 }] });
const unnamed: Alert = (() => { const a = caseAlert({ subject: { kind: 'payment', key: 'r8' }, ruleId: 'off-hours', payments: [{ recordId: 'r8', batchId: 'b_9', amountSatang: 20_000 }] }); a.findings[0]!.unmasked = {}; return a; })();

describe('cases', () => {
  it('when alerts about one LAO\'s payee are stored, then they open one case whose total counts each payment once, with the highest severity and its deadline', async () => {
    await store([payeeAlert, paymentAlert, otherPayee, batchAlert, unnamed]);
    const id = await caseOf(payeeAlert.alertId);
    expect(id).toMatch(/^cs_[0-9a-f]{24}$/);
    expect(await caseOf(paymentAlert.alertId)).toBe(id);
    expect(await caseOf(otherPayee.alertId)).not.toBe(id);
    expect(await caseOf(unnamed.alertId)).toBe(await caseOf(batchAlert.alertId));

    const r = await get(`/v1/cases/${id}`);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.case).toMatchObject({ groupKind: 'payee', groupLabel: '006:******4321', alertCount: 2, severity: 'high', totalSatang: 1_320_050, status: 'open', laoCode: '6600101', provinceCode: '66' });
    expect(body.case.dueAt).toBe(followUpDueAt(clock.now(), 'high').toISOString());
    expect(body.alerts.map((a: { alertId: string }) => a.alertId).sort()).toEqual([payeeAlert.alertId, paymentAlert.alertId].sort());
    expect(r.body).not.toContain('0123454321');
    expect(body.timeline.map((t: { text: { th: string } }) => t.text.th)).toContainEqual(expect.stringContaining('ระบบเปิดเรื่องนี้จากการแจ้งเตือน'));
  });

  it('when the same alerts are replayed, then no second case opens and the total does not move; a later alert of the payee (its account written long) joins and raises the deadline', async () => {
    const id = (await caseOf(payeeAlert.alertId))!;
    const before = await s.db.query('SELECT count(*)::int AS n FROM cases');
    await store([payeeAlert, paymentAlert, otherPayee]);
    // A grown version of an alert (payload differs) is linked again: still nothing counted twice.
    await store([{ ...paymentAlert, reasons: { th: 'เหตุผลใหม่', en: 'new reason' } }]);
    expect((await s.db.query('SELECT count(*)::int AS n FROM cases')).rows[0]).toEqual(before.rows[0]);
    expect((await get(`/v1/cases/${id}`)).json().case).toMatchObject({ alertCount: 2, totalSatang: 1_320_050 });

    clock.advance(3_600_000);
    await store([laterAlert]);
    expect(await caseOf(laterAlert.alertId)).toBe(id);
    const c = (await get(`/v1/cases/${id}`)).json().case;
    expect(c).toMatchObject({ alertCount: 3, totalSatang: 6_320_050, severity: 'critical' });
    // Counted from the first alert, with the case's highest severity now.
    expect(c.dueAt).toBe(new Date(Date.parse(c.openedAt) + FOLLOW_UP_DAYS.critical * 86_400_000).toISOString());
  });

  it('when an alert is stored, then its own due date is its first sighting plus the days of its severity (the trigger agrees with FOLLOW_UP_DAYS)', async () => {
    const r = await s.db.query<{ severity: 'low' | 'medium' | 'high' | 'critical'; first_seen_at: Date; due_at: Date }>('SELECT severity, first_seen_at, due_at FROM alerts');
    expect(r.rows.length).toBeGreaterThan(3);
    for (const row of r.rows) expect(new Date(row.due_at).toISOString()).toBe(followUpDueAt(new Date(row.first_seen_at), row.severity).toISOString());
    for (const severity of ['low', 'medium', 'high', 'critical'] as const) {
      const x = await s.db.query<{ due: Date }>(`SELECT '2026-01-01T00:00:00Z'::timestamptz + make_interval(secs => (CASE $1::text WHEN 'critical' THEN 3 WHEN 'high' THEN 7 WHEN 'medium' THEN 14 ELSE 30 END) * 86400) AS due`, [severity]);
      expect(new Date(x.rows[0]!.due).toISOString()).toBe(followUpDueAt(new Date('2026-01-01T00:00:00Z'), severity).toISOString());
    }
  });

  it('when a case is assigned, then every open alert of it is assigned too, each change audited; an auditor of another province gets 400, an out-of-scope caller 404', async () => {
    const id = (await caseOf(payeeAlert.alertId))!;
    const bad = await post(`/v1/cases/${id}/assignee`, { assignee: 'auditor-60' });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'PW_ERR_ASSIGNEE_INVALID']);
    expect((await post(`/v1/cases/${id}/assignee`, { assignee: 'auditor-66' }, OTHER_PROVINCE)).statusCode).toBe(404);
    const r = await post(`/v1/cases/${id}/assignee`, { assignee: 'district-6601' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().case).toMatchObject({ assignee: 'district-6601', assigneeName: expect.stringContaining('เมืองพิจิตร') });
    const held = await s.db.query<{ assignee: string }>('SELECT assignee FROM alerts WHERE alert_id IN (SELECT alert_id FROM case_alerts WHERE case_id = $1)', [id]);
    expect(held.rows.map((x) => x.assignee)).toEqual(['district-6601', 'district-6601', 'district-6601']);
    const audit = await s.db.query<{ action: string; alert_id: string | null }>(`SELECT action, alert_id FROM audit_log WHERE payload->>'caseId' = $1 ORDER BY seq`, [id]);
    expect(audit.rows.filter((x) => x.action === 'assign')).toHaveLength(3);
    expect(audit.rows.filter((x) => x.action === 'case-assign')).toHaveLength(1);
    const timeline = (await get(`/v1/cases/${id}`)).json().timeline.map((t: { text: { th: string } }) => t.text.th);
    expect(timeline).toContainEqual(expect.stringMatching(/^นางสาวพิมพ์ชนก ตรวจสอบ มอบหมายเรื่องนี้ให้ .*เมืองพิจิตร/));
  });

  it('when an auditor comments and attaches a voucher scan, then both are on the case and in its timeline; the download is scoped and audited; other types and sizes are refused', async () => {
    const id = (await caseOf(payeeAlert.alertId))!;
    expect((await post(`/v1/cases/${id}/comments`, { text: 'ขอสำเนาฎีกาจาก อปท. แล้ว' })).statusCode).toBe(201);
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2_000, 0x20), Buffer.from('\n%%EOF\n')]);
    const upload = (body: Buffer, type: string, name = 'ฎีกา 12-2569.pdf', p: Principal = AUDITOR) => s.service.app.inject({
      method: 'POST', url: `/v1/cases/${id}/attachments`, headers: { ...as(p), 'content-type': type, 'x-file-name': encodeURIComponent(name) }, payload: body,
    });
    const ok = await upload(pdf, 'application/pdf');
    expect(ok.statusCode, ok.body).toBe(201);
    const att = ok.json();
    expect(att).toMatchObject({ fileName: 'ฎีกา 12-2569.pdf', contentType: 'application/pdf', sizeBytes: pdf.length });
    // A text file sent as a PDF is refused by its bytes; too large by size; another province cannot attach at all.
    const fake = await upload(Buffer.from('not a pdf at all'), 'application/pdf');
    expect([fake.statusCode, fake.json().error.code]).toEqual([415, 'PW_ERR_ATTACHMENT_TYPE']);
    const big = await upload(Buffer.concat([pdf, Buffer.alloc(64 * 1024)]), 'application/pdf');
    expect([big.statusCode, big.json().error.code]).toEqual([413, 'PW_ERR_ATTACHMENT_TOO_LARGE']);
    expect((await upload(pdf, 'application/pdf', 'x.pdf', OTHER_PROVINCE)).statusCode).toBe(404);

    const url = `/v1/cases/${id}/attachments/${att.attachmentId}`;
    expect((await get(url, OTHER_PROVINCE)).statusCode).toBe(404);
    const dl = await get(url);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.rawPayload.equals(pdf)).toBe(true);
    const audit = await s.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE payload->>'caseId' = $1 AND action LIKE 'case-%' ORDER BY seq`, [id]);
    expect(audit.rows.map((x) => x.action)).toEqual(['case-assign', 'case-comment', 'case-attach', 'case-attachment-download']);
    const d = (await get(`/v1/cases/${id}`)).json();
    expect(d.attachments).toHaveLength(1);
    expect(d.comments[0]).toMatchObject({ text: 'ขอสำเนาฎีกาจาก อปท. แล้ว' });
    const lines = d.timeline.map((t: { text: { th: string } }) => t.text.th);
    expect(lines).toContainEqual(expect.stringContaining('แสดงความเห็น: “ขอสำเนาฎีกาจาก อปท. แล้ว”'));
    expect(lines).toContainEqual(expect.stringContaining('แนบไฟล์ "ฎีกา 12-2569.pdf"'));
    expect(lines).toContainEqual(expect.stringContaining('ดาวน์โหลดไฟล์แนบ "ฎีกา 12-2569.pdf"'));
  });

  it('when the case is closed with a disposition, then all its open alerts are resolved with it in one transaction, with feedback and audit entries; closing again is 409', async () => {
    const id = (await caseOf(payeeAlert.alertId))!;
    // One alert already moved on its own: it is resolved from where it stands.
    expect((await post(`/v1/alerts/${paymentAlert.alertId}/transitions`, { to: 'acknowledged' })).statusCode).toBe(200);
    const r = await post(`/v1/cases/${id}/close`, { disposition: 'confirmed', reason: 'บัญชีไม่ใช่ของผู้รับจ้าง ส่งเรื่องให้ สตง.' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().resolvedAlertIds).toHaveLength(3);
    expect(r.json().case).toMatchObject({ status: 'closed', disposition: 'confirmed', closedBy: 'auditor-66' });
    const alerts = await s.db.query<{ status: string; disposition: string }>('SELECT status, disposition FROM alerts WHERE alert_id IN (SELECT alert_id FROM case_alerts WHERE case_id = $1)', [id]);
    expect(alerts.rows).toEqual(Array(3).fill({ status: 'resolved', disposition: 'confirmed' }));
    expect((await s.db.query('SELECT 1 FROM feedback_outbox WHERE alert_id IN (SELECT alert_id FROM case_alerts WHERE case_id = $1)', [id])).rowCount).toBe(3);
    const again = await post(`/v1/cases/${id}/close`, { disposition: 'explained', reason: 'x' });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'PW_ERR_CASE_CLOSED']);
    const lines = (await get(`/v1/cases/${id}`)).json().timeline.map((t: { text: { th: string } }) => t.text.th);
    expect(lines.at(-1)).toContain('ปิดเรื่องด้วยผลการพิจารณา "ยืนยันว่าผิดปกติ"');
    expect(await verifyAuditChain(s.db, { key: AUDIT_KEY })).toMatchObject({ ok: true });
  });

  it('when a closed case gets a new alert, then it opens again (audited) and the new alert is not resolved', async () => {
    const id = (await caseOf(payeeAlert.alertId))!;
    await store([caseAlert({ subject: { kind: 'payment', key: 'r5' }, ruleId: 'duplicate-payment', payments: [{ recordId: 'r5', batchId: 'b_3', amountSatang: 100 }] })]);
    const c = (await get(`/v1/cases/${id}`)).json().case;
    expect(c).toMatchObject({ status: 'open', alertCount: 4, disposition: null });
    expect((await s.db.query(`SELECT 1 FROM audit_log WHERE action = 'case-reopen' AND payload->>'caseId' = $1`, [id])).rowCount).toBe(1);
  });

  it('when the case list is read, then it is scoped by province like alerts and sorts by amount', async () => {
    const mine = (await get('/v1/cases?sort=amount')).json();
    expect(mine.items.length).toBe(3);
    expect(mine.items.map((c: { totalSatang: number }) => c.totalSatang)).toEqual([...mine.items.map((c: { totalSatang: number }) => c.totalSatang)].sort((a, b) => b - a));
    expect((await get('/v1/cases', OTHER_PROVINCE)).json().items).toEqual([]);
    expect((await get(`/v1/cases/${mine.items[0].caseId}`, OTHER_PROVINCE)).statusCode).toBe(404);
  });
});
