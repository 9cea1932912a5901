// Every case action on every kind of alert the engine builds: the detail lists exactly the actions that apply, and
// each listed action is accepted (2xx) by its route. Snooze applies to alerts about one payee (payment, payee,
// cross-LAO), not to a batch or an LAO's period; assign picks from the auditors the alert's scope covers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineAlerts } from './engine-alerts.ts';
import { batchOf, recordingContext, serviceOnPg, type PgService } from './helpers.ts';
import { payeeAccountOf } from '../src/snoozes.ts';

const auditor66 = { sub: 'auditor-66', role: 'provincial-auditor' as const, provinces: ['66'] };
const auditor60 = { sub: 'auditor-60', role: 'provincial-auditor' as const, provinces: ['60'] };
const central = { sub: 'central-1', role: 'central' as const };

let s: PgService;
const cases = engineAlerts();

beforeAll(async () => {
  s = await serviceOnPg();
  await s.service.consumer.handleBatch(batchOf(Object.values(cases).map((c) => c.alert)), recordingContext());
});
afterAll(async () => { await s.close(); });

const call = (method: 'GET' | 'POST', url: string, who: Parameters<PgService['token']>[0], payload: Record<string, unknown> = {}) =>
  s.service.app.inject({ method, url, headers: { authorization: `Bearer ${s.token(who)}` }, ...(method === 'POST' ? { payload } : {}) });
const actionsOf = async (alertId: string, who: Parameters<PgService['token']>[0] = auditor66) => {
  const r = await call('GET', `/v1/alerts/${alertId}`, who);
  expect(r.statusCode, r.body).toBe(200);
  return r.json().actions as string[];
};

describe('case actions on every kind of alert', () => {
  it('when the payment alert names its payee only in paymentDetails (masked at the source), then the snooze still finds the account', () => {
    const a = cases.payment.alert;
    expect(a.evidence.payeeAccount).toBeUndefined();
    expect(payeeAccountOf(a)).toBe('006:9876543210');
    expect(payeeAccountOf(cases.payee.alert)).toBe('006:1122334455');
    expect(payeeAccountOf(cases['cross-lao'].alert)).toMatch(/^cid:\d{13}$/);
    expect(payeeAccountOf(cases.batch.alert)).toBeNull();
    expect(payeeAccountOf(cases['lao-period'].alert)).toBeNull();
  });

  for (const [kind, { alert }] of Object.entries(cases)) {
    const snoozable = !['batch', 'lao-period'].includes(kind);
    it(`when an auditor in scope works a ${kind} alert, then every action offered is accepted and the offer follows the state`, async () => {
      const id = alert.alertId;
      expect(await actionsOf(id)).toEqual(['reveal', 'acknowledge', 'assign', 'comment', 'resolve']);
      expect(await actionsOf(id, central)).toEqual(['comment']);

      expect((await call('POST', `/v1/alerts/${id}/reveal`, auditor66, { purpose: 'ตรวจสอบ' })).statusCode).toBe(200);
      expect((await call('POST', `/v1/alerts/${id}/transitions`, auditor66, { to: 'acknowledged' })).statusCode).toBe(200);
      const offered = await actionsOf(id);
      expect(offered).toEqual(snoozable ? ['reveal', 'assign', 'comment', 'snooze', 'resolve'] : ['reveal', 'assign', 'comment', 'resolve']);

      const picker = await call('GET', `/v1/alerts/${id}/assignees`, auditor66);
      expect(picker.statusCode).toBe(200);
      const subs = (picker.json().items as { sub: string }[]).map((u) => u.sub);
      expect(subs[0]).toBe('auditor-66'); // the caller first: taking the case oneself is the usual pick
      expect(subs).toContain('district-6601');
      expect(subs).not.toContain('auditor-60');
      const assigned = await call('POST', `/v1/alerts/${id}/assignee`, auditor66, { assignee: subs[1] });
      expect(assigned.statusCode, assigned.body).toBe(200);
      expect((await call('POST', `/v1/alerts/${id}/comments`, auditor66, { text: 'ขอสำเนาฎีกาแล้ว' })).statusCode).toBe(201);

      const snooze = await call('POST', `/v1/alerts/${id}/snoozes`, auditor66, { ruleId: alert.ruleIds[0], days: 30, reason: 'ตรวจแล้ว เป็นผู้รับประจำ' });
      expect(snooze.statusCode, snooze.body).toBe(snoozable ? 201 : 409);
      if (snoozable) expect(snooze.body).not.toMatch(/9876543210|1122334455/);

      expect((await call('POST', `/v1/alerts/${id}/transitions`, auditor66, { to: 'investigating' })).statusCode).toBe(200);
      const resolved = await call('POST', `/v1/alerts/${id}/transitions`, auditor66, { to: 'resolved', disposition: 'explained', reason: 'มีเอกสารครบ' });
      expect(resolved.statusCode, resolved.body).toBe(200);
      expect(await actionsOf(id)).toEqual(snoozable ? ['reveal', 'comment', 'snooze'] : ['reveal', 'comment']);
    });
  }

  it('when an auditor of another province asks for the assignees, then 404; central may not list them', async () => {
    expect((await call('GET', `/v1/alerts/${cases.payment.alert.alertId}/assignees`, auditor60)).statusCode).toBe(404);
    expect((await call('GET', `/v1/alerts/${cases.payment.alert.alertId}/assignees`, central)).statusCode).toBe(403);
  });
});
