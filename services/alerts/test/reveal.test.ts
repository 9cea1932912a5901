// The audited reveal: masked by default, unmasked only for an auditor in scope, and every reveal is on the chain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/audit-log.ts';
import { maskAlert } from '../src/pii.ts';
import { AUDIT_KEY, batchOf, captureLogger, makeAlert, recordingContext, serviceOnPg, type PgService } from './helpers.ts';

let s: PgService;
const cap = captureLogger();
const alert = makeAlert({ laoCode: '6600101' });
const auditor66 = { sub: 'auditor-66', role: 'provincial-auditor' as const, provinces: ['66'] };
const auditor60 = { sub: 'auditor-60', role: 'provincial-auditor' as const, provinces: ['60'] };

beforeAll(async () => {
  s = await serviceOnPg({ logger: cap.logger });
  await s.service.consumer.handleBatch(batchOf([alert]), recordingContext());
});
afterAll(async () => { await s.close(); });

const call = (method: 'GET' | 'POST', url: string, who: Parameters<PgService['token']>[0], payload?: object) =>
  s.service.app.inject({ method, url, headers: { authorization: `Bearer ${s.token(who)}` }, ...(payload ? { payload } : {}) });
const trail = async () => (await s.db.query<{ actor: string; action: string; alert_id: string; payload: Record<string, unknown>; at: Date }>(
  "SELECT actor, action, alert_id, payload, at FROM audit_log WHERE action = 'reveal' ORDER BY seq")).rows;

describe('masked by default', () => {
  it('when an auditor opens the alert, then the subject, evidence and reasons show the account masked', async () => {
    const r = await call('GET', `/v1/alerts/${alert.alertId}`, auditor66);
    expect(r.statusCode).toBe(200);
    expect(r.body).not.toContain('0123454321');
    const { payload, subject } = r.json().alert;
    expect(subject.key).toBe('006:******4321');
    expect(payload.evidence.payeeAccount).toBe('******4321');
    expect(payload.findings[0].reasons.th).toContain('******4321');
    // Ids and amounts are not people: they stay as they were.
    expect(payload.payments).toEqual(alert.payments);
    expect(payload.amountSatang).toBe(alert.amountSatang);
  });

  it('when the masker walks an alert, then every hidden value is listed once with where it was', () => {
    const { hidden } = maskAlert(alert);
    expect(hidden).toEqual([
      { field: 'subject.key', masked: '006:******4321', value: '006:0123454321' },
      { field: 'evidence.payeeAccount', masked: '******4321', value: '0123454321' },
    ]);
  });
});

describe('POST /v1/alerts/:id/reveal', () => {
  it('when the auditor in scope reveals, then the values come back unmasked and the audit log records who, which alert, which fields and when', async () => {
    const before = (await trail()).length;
    const r = await call('POST', `/v1/alerts/${alert.alertId}/reveal`, auditor66, { purpose: 'ตรวจสอบกับสมุดบัญชีธนาคาร' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.json().values.map((v: { value: string }) => v.value)).toEqual(['006:0123454321', '0123454321']);
    const entries = await trail();
    expect(entries).toHaveLength(before + 1);
    expect(entries.at(-1)).toMatchObject({
      actor: 'auditor-66', action: 'reveal', alert_id: alert.alertId,
      payload: { fields: ['subject.key', 'evidence.payeeAccount'], purpose: 'ตรวจสอบกับสมุดบัญชีธนาคาร' },
    });
    expect(new Date(entries.at(-1)!.at).toISOString()).toBe(r.json().revealedAt);
    // The trail is readable by central: it names fields, never the digits.
    expect(JSON.stringify(entries)).not.toContain('0123454321');
    expect((await verifyAuditChain(s.db, { key: AUDIT_KEY })).ok).toBe(true);
  });

  it('when an auditor of another province asks, then 404 like a missing alert, nothing is audited, and the attempt is logged', async () => {
    const before = (await trail()).length;
    const out = await call('POST', `/v1/alerts/${alert.alertId}/reveal`, auditor60);
    const missing = await call('POST', '/v1/alerts/al_000000000000000000000000/reveal', auditor60);
    expect(out.statusCode).toBe(404);
    expect(out.body).toBe(missing.body);
    expect(await trail()).toHaveLength(before);
    expect(cap.lines().some((l) => l.sub === 'auditor-60' && String(l.url).includes(alert.alertId) && String(l.msg).includes('out-of-scope'))).toBe(true);
  });

  it('when ops, finance, central or admin ask, then 403 and nothing is audited', async () => {
    const before = (await trail()).length;
    for (const who of [{ sub: 'ops-1', role: 'ops' as const }, { sub: 'finance-6600101', role: 'finance' as const, laoCode: '6600101' }, { sub: 'central-1', role: 'central' as const }, { sub: 'admin-1', role: 'admin' as const }]) {
      const r = await call('POST', `/v1/alerts/${alert.alertId}/reveal`, who);
      expect(r.statusCode, who.role).toBe(403);
      expect(r.body).not.toContain('0123454321');
    }
    expect(await trail()).toHaveLength(before);
  });

  it('when an alert holds nothing masked, then 409 with a Thai and English message and no audit entry', async () => {
    const reasons = { th: 'จ่ายซ้ำ 2 ครั้ง', en: 'Paid twice' };
    const plain = { ...makeAlert({ laoCode: '6600101', key: 'b_x:3' }), subject: { kind: 'payment' as const, key: 'b_x:3' }, evidence: { count: 2 }, reasons };
    plain.findings = plain.findings.map((f) => ({ ...f, subject: plain.subject, evidence: { count: 2 }, reasons }));
    await s.service.consumer.handleBatch(batchOf([plain], 5), recordingContext());
    const r = await call('POST', `/v1/alerts/${plain.alertId}/reveal`, auditor66);
    expect(r.statusCode).toBe(409);
    expect(r.json().error).toMatchObject({ code: 'PW_ERR_NOTHING_TO_REVEAL', message: { th: expect.stringMatching(/[\u0E00-\u0E7F]/), en: expect.stringContaining('no masked account') } });
    expect((await trail()).filter((e) => e.alert_id === plain.alertId)).toEqual([]);
  });
});
