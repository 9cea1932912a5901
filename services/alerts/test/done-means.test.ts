// The "done means" walk of issue 5, through the HTTP API only: login, scoped inbox, case work, snooze,
// the finance officer locked out, the centre's report moving, and the audit chain verifying at the end.
import { afterAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/audit-log.ts';
import { AUDIT_KEY, batchOf, makeAlert, manualClock, recordingContext, serviceOnPg, type PgService } from './helpers.ts';

let s: PgService | undefined;
afterAll(async () => { await s?.close(); });

describe('issue 5, done means', () => {
  it('when an auditor of 66 logs in and works an alert to a false positive, then finance sees nothing, the centre\'s rate moves and the trail verifies', async () => {
    const clock = manualClock();
    s = await serviceOnPg({ clock: clock.now, extra: { demoPasswords: { 'auditor-66': 'demo-66', 'finance-6600101': 'demo-fin', 'central-1': 'demo-central' } } });
    const svc = s;
    const phichit = makeAlert({ laoCode: '6600101' });
    const nakhonSawan = makeAlert({ laoCode: '6000101' });
    await svc.service.consumer.handleBatch(batchOf([phichit, nakhonSawan]), recordingContext());
    const login = async (username: string, password: string) => {
      const r = await svc.service.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username, password } });
      expect(r.statusCode).toBe(200);
      return { authorization: `Bearer ${r.json().token as string}` };
    };
    const call = (headers: Record<string, string>, method: 'GET' | 'POST', url: string, payload?: object) =>
      svc.service.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

    const auditor = await login('audit.phichit@example.go.th', 'demo-66');
    const inbox = (await call(auditor, 'GET', '/v1/alerts')).json();
    expect(inbox.items.map((a: { alertId: string }) => a.alertId)).toEqual([phichit.alertId]);
    const base = `/v1/alerts/${phichit.alertId}`;
    expect((await call(auditor, 'POST', `${base}/transitions`, { to: 'acknowledged' })).statusCode).toBe(200);
    expect((await call(auditor, 'POST', `${base}/comments`, { text: 'เรียกเอกสารฎีกาทั้งสองฉบับแล้ว', references: ['ฎีกา 88/2569', 'ฎีกา 91/2569'] })).statusCode).toBe(201);
    expect((await call(auditor, 'POST', `${base}/transitions`, { to: 'investigating' })).statusCode).toBe(200);
    clock.advance(86_400_000);
    expect((await call(auditor, 'POST', `${base}/transitions`, { to: 'resolved', disposition: 'false-positive', reason: 'งวดงานที่ 1 และ 2 ของสัญญาจ้างเดียวกัน มีฎีกาแยก' })).statusCode).toBe(200);
    expect((await call(auditor, 'POST', `${base}/snoozes`, { ruleId: 'duplicate-payment', days: 180, reason: 'จ่ายตามงวดสัญญาจ้างเหมา 6 งวด' })).statusCode).toBe(201);

    const finance = await login('finance-6600101', 'demo-fin');
    for (const url of ['/v1/alerts', base, `${base}/audit`, '/v1/snoozes', '/v1/reports/rules']) {
      expect((await call(finance, 'GET', url)).statusCode, url).toBe(403);
    }

    const centre = await login('central-1', 'demo-central');
    const report = (await call(centre, 'GET', '/v1/reports/rules')).json().items;
    expect(report).toEqual(expect.arrayContaining([
      expect.objectContaining({ ruleId: 'duplicate-payment', provinceCode: '66', falsePositive: 1, open: 0, falsePositiveRate: 1 }),
      expect.objectContaining({ ruleId: 'duplicate-payment', provinceCode: '60', falsePositive: 0, open: 1, falsePositiveRate: null }),
    ]));

    const trail = (await call(auditor, 'GET', `${base}/audit`)).json().items;
    expect(trail.map((e: { action: string; payload: { to?: string } }) => `${e.action}${e.payload.to ? `:${e.payload.to}` : ''}`))
      .toEqual(['transition:acknowledged', 'comment', 'transition:investigating', 'transition:resolved', 'snooze']);
    expect(trail.every((e: { actor: string }) => e.actor === 'auditor-66')).toBe(true);
    expect(await verifyAuditChain(svc.db, { key: AUDIT_KEY })).toMatchObject({ ok: true, entries: 5 });
  });
});
