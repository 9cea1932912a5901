// The audited reveal on alerts the real detection engine builds, one per kind of subject: whatever the evidence
// shows masked — accounts in paymentDetails and otherLaoPayments, citizen IDs, digit runs in file names — the
// reveal gives back unmasked, once, with one audit entry naming the fields; the masked view never carries them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/audit-log.ts';
import { engineAlerts } from './engine-alerts.ts';
import { AUDIT_KEY, batchOf, recordingContext, serviceOnPg, type PgService } from './helpers.ts';

const auditor66 = { sub: 'auditor-66', role: 'provincial-auditor' as const, provinces: ['66'] };
const auditor60 = { sub: 'auditor-60', role: 'provincial-auditor' as const, provinces: ['60'] };

let s: PgService;
const cases = engineAlerts();

beforeAll(async () => {
  s = await serviceOnPg();
  await s.service.consumer.handleBatch(batchOf(Object.values(cases).map((c) => c.alert)), recordingContext());
});
afterAll(async () => { await s.close(); });

const call = (method: 'GET' | 'POST', url: string, who: Parameters<PgService['token']>[0]) =>
  s.service.app.inject({ method, url, headers: { authorization: `Bearer ${s.token(who)}` }, ...(method === 'POST' ? { payload: {} } : {}) });
const trailOf = async (alertId: string) => (await s.db.query<{ actor: string; payload: { fields: string[] } }>(
  "SELECT actor, payload FROM audit_log WHERE action = 'reveal' AND alert_id = $1 ORDER BY seq", [alertId])).rows;

describe('reveal on every kind of alert the engine builds', () => {
  it('the engine gave one alert of each kind', () => {
    expect(Object.fromEntries(Object.entries(cases).map(([k, c]) => [k, [c.alert.subject.kind, c.alert.ruleIds]]))).toEqual({
      payment: ['payment', ['duplicate-payment']], payee: ['payee', ['account-many-names']], batch: ['batch', ['batch-padded']],
      'lao-period': ['lao-period', ['velocity-spike']], 'cross-lao': ['payee', ['welfare-anomaly']],
    });
  });

  for (const [kind, { alert, secrets }] of Object.entries(cases)) {
    it(`when an auditor in scope reveals a ${kind} alert, then every value its evidence shows masked comes back, with one audit entry naming the fields`, async () => {
      // Masked by default: none of the digits, and nothing of the stored unmasked values, in the answer.
      const view = await call('GET', `/v1/alerts/${alert.alertId}`, auditor66);
      expect(view.statusCode).toBe(200);
      // File names are shown as they are where they point at a row (`file`: not people); the evidence's `fileName`
      // and every reason mask their digit runs like any text.
      const shown = kind === 'batch' ? JSON.stringify([view.json().alert.payload.evidence['batch-padded'].fileName, view.json().alert.payload.reasons]) : view.body;
      for (const secret of secrets) expect(shown, kind).not.toContain(secret);
      expect(view.body).not.toContain('"unmasked"');

      const r = await call('POST', `/v1/alerts/${alert.alertId}/reveal`, auditor66);
      expect(r.statusCode, r.body).toBe(200);
      const values = r.json().values as Array<{ field: string; masked: string; value: string }>;
      for (const secret of secrets) {
        const v = values.find((x) => x.value === secret);
        expect(v, `${kind}: ${secret} in ${JSON.stringify(values.map((x) => x.field))}`).toBeDefined();
        // What the auditor saw masked is what sits at that field in the masked view.
        expect(v!.masked).toMatch(new RegExp(`^\\*+${secret.slice(-4)}$`));
        expect(view.body).toContain(v!.masked);
      }
      expect(new Set(values.map((v) => v.value)).size).toBe(values.length);
      const trail = await trailOf(alert.alertId);
      expect(trail).toHaveLength(1);
      expect(trail[0]!.actor).toBe('auditor-66');
      expect(trail[0]!.payload.fields).toEqual(values.map((v) => v.field));
      for (const secret of secrets) expect(JSON.stringify(trail), kind).not.toContain(secret);
    });
  }

  it('the fields the detector masked at the source are named where they sit: paymentDetails, otherLaoPayments, citizenIdMasked', async () => {
    const fields = (await trailOf(cases['cross-lao'].alert.alertId))[0]!.payload.fields;
    expect(fields).toEqual(expect.arrayContaining([
      'findings[0].evidence.citizenIdMasked', 'findings[0].evidence.paymentDetails[0].payeeAccountMasked', 'findings[0].evidence.otherLaoPayments[0].payeeAccountMasked',
    ]));
    expect((await trailOf(cases.batch.alert.alertId))[0]!.payload.fields).toEqual(['evidence.batch-padded.fileName']);
    expect((await verifyAuditChain(s.db, { key: AUDIT_KEY })).ok).toBe(true);
  });

  it('when an auditor of another province asks for any of them, then 404 and nothing is audited', async () => {
    for (const { alert } of Object.values(cases)) {
      const before = (await trailOf(alert.alertId)).length;
      expect((await call('POST', `/v1/alerts/${alert.alertId}/reveal`, auditor60)).statusCode).toBe(404);
      expect(await trailOf(alert.alertId)).toHaveLength(before);
    }
  });
});
