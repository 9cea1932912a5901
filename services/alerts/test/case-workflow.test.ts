import { afterEach, describe, expect, it } from 'vitest';
import { TOPICS } from '@paywatch/domain';
import { readTopic } from '@paywatch/testkit';
import { verifyAuditChain } from '../src/audit-log.ts';
import { AUDIT_KEY, batchOf, captureLogger, makeAlert, manualClock, recordingContext, serviceOnPg, type PgService } from './helpers.ts';

const running: PgService[] = [];
afterEach(async () => { await Promise.all(running.splice(0).map((s) => s.close())); });

const auditor66 = { sub: 'auditor-66', role: 'provincial-auditor' as const, provinces: ['66'] };
const auditor60 = { sub: 'auditor-60', role: 'provincial-auditor' as const, provinces: ['60'] };
const central = { sub: 'central-1', role: 'central' as const };

async function withAlert(options: Parameters<typeof serviceOnPg>[0] = {}) {
  const clock = manualClock();
  const s = await serviceOnPg({ clock: clock.now, ...options });
  running.push(s);
  const alert = makeAlert({ laoCode: '6600101' });
  await s.service.consumer.handleBatch(batchOf([alert]), recordingContext());
  type Who = Parameters<PgService['token']>[0];
  const post = (url: string, who: Who | null, payload: unknown) =>
    s.service.app.inject({ method: 'POST', url, payload: payload as object, headers: who ? { authorization: `Bearer ${s.token(who)}` } : {} });
  const get = (url: string, who: Who) => s.service.app.inject({ url, headers: { authorization: `Bearer ${s.token(who)}` } });
  const move = (who: Who, to: string, extra: Record<string, unknown> = {}) => post(`/v1/alerts/${alert.alertId}/transitions`, who, { to, ...extra });
  return { s, clock, alert, post, get, move };
}

describe('alert lifecycle', () => {
  it('when an auditor acknowledges, investigates and resolves as false positive, then each step is stored and in the hash-chained trail', async () => {
    const { s, clock, alert, post, get, move } = await withAlert();
    expect((await move(auditor66, 'acknowledged')).json().alert.status).toBe('acknowledged');
    clock.advance(60_000);
    const assigned = await post(`/v1/alerts/${alert.alertId}/assignee`, auditor66, { assignee: 'district-6601' });
    expect([assigned.statusCode, assigned.json().alert.assignee]).toEqual([200, 'district-6601']);
    const comment = await post(`/v1/alerts/${alert.alertId}/comments`, auditor66, { text: 'ขอสำเนาฎีกาแล้ว', references: ['ฎีกา 123/2569', 'พจ 0023.3/ว 45'] });
    expect([comment.statusCode, comment.json().references]).toEqual([201, ['ฎีกา 123/2569', 'พจ 0023.3/ว 45']]);
    expect((await move(auditor66, 'investigating')).statusCode).toBe(200);
    const resolved = await move(auditor66, 'resolved', { disposition: 'false-positive', reason: 'สองฎีกาแยกกัน จ่ายงวดที่ 1 และ 2 ของสัญญาเดียวกัน' });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json().alert).toMatchObject({ status: 'resolved', disposition: 'false-positive', resolvedAt: clock.now().toISOString() });

    const detail = (await get(`/v1/alerts/${alert.alertId}`, auditor66)).json();
    expect(detail.alert).toMatchObject({ status: 'resolved', assignee: 'district-6601', resolutionReason: 'สองฎีกาแยกกัน จ่ายงวดที่ 1 และ 2 ของสัญญาเดียวกัน' });
    expect(detail.comments).toEqual([expect.objectContaining({ author: 'auditor-66', text: 'ขอสำเนาฎีกาแล้ว', references: ['ฎีกา 123/2569', 'พจ 0023.3/ว 45'] })]);
    const trail = (await get(`/v1/alerts/${alert.alertId}/audit`, auditor66)).json().items;
    expect(trail.map((e: { action: string }) => e.action)).toEqual(['transition', 'assign', 'comment', 'transition', 'transition']);
    expect(trail.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(trail[4]).toMatchObject({ actor: 'auditor-66', payload: { from: 'investigating', to: 'resolved', disposition: 'false-positive' } });
    for (let i = 1; i < trail.length; i++) expect(trail[i].prevHash).toBe(trail[i - 1].hash);
    expect(await verifyAuditChain(s.db, { key: AUDIT_KEY })).toMatchObject({ ok: true, entries: 5 });
    // Central reads the trail too (read-mostly), the other province cannot see it exists.
    expect((await get(`/v1/alerts/${alert.alertId}/audit`, central)).statusCode).toBe(200);
    expect((await get(`/v1/alerts/${alert.alertId}/audit`, auditor60)).statusCode).toBe(404);
  });

  it('when a step is skipped or a resolved alert is moved again, then 409 PW_ERR_ILLEGAL_TRANSITION in Thai and English, and nothing is logged', async () => {
    const { s, move } = await withAlert();
    const skipped = await move(auditor66, 'resolved', { disposition: 'confirmed', reason: 'x' });
    expect([skipped.statusCode, skipped.json().error.code]).toEqual([409, 'PW_ERR_ILLEGAL_TRANSITION']);
    expect(skipped.json().error.message.th).toContain('เปลี่ยนสถานะ');
    await move(auditor66, 'acknowledged');
    await move(auditor66, 'investigating');
    const noReason = await move(auditor66, 'resolved', { disposition: 'confirmed', reason: '   ' });
    expect([noReason.statusCode, noReason.json().error.code]).toEqual([400, 'PW_ERR_RESOLUTION_INCOMPLETE']);
    expect((await move(auditor66, 'resolved', { disposition: 'confirmed', reason: 'ไม่มีฎีกา' })).statusCode).toBe(200);
    const again = await move(auditor66, 'investigating');
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'PW_ERR_ILLEGAL_TRANSITION']);
    expect((await verifyAuditChain(s.db, { key: AUDIT_KEY })).entries).toBe(3);
  });

  it('when another province acts on the alert, then 404 with the body of a missing id, logged; central may comment but not decide', async () => {
    const cap = captureLogger();
    const { alert, post, move } = await withAlert({ logger: cap.logger });
    const outOfScope = await move(auditor60, 'acknowledged');
    const missing = await post('/v1/alerts/al_000000000000000000000000/transitions', auditor60, { to: 'acknowledged' });
    expect(outOfScope.statusCode).toBe(404);
    expect(outOfScope.body).toBe(missing.body);
    expect(cap.lines().some((l) => l.msg === 'out-of-scope or missing resource requested' && l.sub === 'auditor-60')).toBe(true);
    expect((await post(`/v1/alerts/${alert.alertId}/comments`, auditor60, { text: 'x' })).statusCode).toBe(404);
    expect((await move(central, 'acknowledged')).statusCode).toBe(403);
    expect((await post(`/v1/alerts/${alert.alertId}/comments`, central, { text: 'โปรดเร่งตรวจสอบ' })).statusCode).toBe(201);
  });

  it('when the assignee is not an auditor covering the alert, then 400 PW_ERR_ASSIGNEE_INVALID', async () => {
    const { alert, post } = await withAlert();
    for (const assignee of ['auditor-60', 'finance-6600101', 'nobody']) {
      const r = await post(`/v1/alerts/${alert.alertId}/assignee`, auditor66, { assignee });
      expect([r.statusCode, r.json().error.code]).toEqual([400, 'PW_ERR_ASSIGNEE_INVALID']);
    }
    expect((await post(`/v1/alerts/${alert.alertId}/assignee`, auditor66, { assignee: null })).statusCode).toBe(200);
  });
});

describe('audit log', () => {
  it('when someone updates or deletes an entry, then the table refuses', async () => {
    const { s, move } = await withAlert();
    await move(auditor66, 'acknowledged');
    await expect(s.db.query(`UPDATE audit_log SET actor = 'someone-else'`)).rejects.toThrow(/append-only/);
    await expect(s.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(s.db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
  });

  it('when an entry is altered behind the trigger\'s back, then verification names the first bad seq', async () => {
    const { s, alert, post, move } = await withAlert();
    await move(auditor66, 'acknowledged');
    await post(`/v1/alerts/${alert.alertId}/comments`, auditor66, { text: 'ตรวจแล้ว' });
    await move(auditor66, 'investigating');
    expect(await verifyAuditChain(s.db, { key: AUDIT_KEY })).toMatchObject({ ok: true, entries: 3 });
    await s.db.query('DROP TRIGGER audit_log_append_only ON audit_log');
    await s.db.query(`UPDATE audit_log SET payload = jsonb_set(payload, '{text}', '"ไม่พบความผิดปกติ"') WHERE seq = 2`);
    expect(await verifyAuditChain(s.db, { key: AUDIT_KEY })).toMatchObject({ ok: false, entries: 1, firstBadSeq: 2 });
  });

  it('when many changes race on several connections, then the chain stays gap-free and verifies', async () => {
    const { s, post } = await withAlert();
    const others = Array.from({ length: 4 }, (_, i) => makeAlert({ laoCode: '6600101', key: `race-${i}` }));
    await s.service.consumer.handleBatch(batchOf(others, 1), recordingContext());
    const results = await Promise.all(others.flatMap((a) => Array.from({ length: 5 }, (_, i) => post(`/v1/alerts/${a.alertId}/comments`, auditor66, { text: `ความเห็น ${i}` }))));
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
    expect(await verifyAuditChain(s.db, { key: AUDIT_KEY })).toMatchObject({ ok: true, entries: 20 });
    expect(await verifyAuditChain(s.db, { key: AUDIT_KEY, pageSize: 3 })).toMatchObject({ ok: true, entries: 20 });
  });

  it('when the last entry is deleted behind the trigger\'s back, then the head no longer matches and verification fails', async () => {
    const { s, move } = await withAlert();
    await move(auditor66, 'acknowledged');
    await move(auditor66, 'investigating');
    await s.db.query('DROP TRIGGER audit_log_append_only ON audit_log');
    await s.db.query('DELETE FROM audit_log WHERE seq = 2');
    expect(await verifyAuditChain(s.db, { key: AUDIT_KEY })).toMatchObject({ ok: false, entries: 1, firstBadSeq: 2 });
  });
});

describe('feedback', () => {
  it('when an alert is resolved, then alert-feedback.v1 carries the resolution keyed by LAO, and the rule report moves', async () => {
    const { s, clock, move, get } = await withAlert();
    const before = (await get('/v1/reports/rules', central)).json().items;
    expect(before).toEqual([expect.objectContaining({ ruleId: 'duplicate-payment', provinceCode: '66', open: 1, falsePositive: 0, falsePositiveRate: null })]);
    await move(auditor66, 'acknowledged');
    await move(auditor66, 'investigating');
    await move(auditor66, 'resolved', { disposition: 'false-positive', reason: 'งวดงานต่างกัน' });
    await s.service.feedback.flush();
    const [msg] = await readTopic(s.eventLog, TOPICS.alertFeedback, 1);
    expect(msg!.key).toBe('6600101');
    expect(JSON.parse(msg!.value.toString('utf8'))).toEqual({
      alertId: expect.stringMatching(/^al_/), laoCode: '6600101', ruleIds: ['duplicate-payment'], disposition: 'false-positive',
      resolvedAt: clock.now().toISOString(), provinceCode: '66',
    });
    expect((await s.db.query('SELECT count(*)::int AS n FROM feedback_outbox WHERE published_at IS NULL')).rows[0]).toEqual({ n: 0 });
    // A second flush publishes nothing more.
    expect(await s.service.feedback.flush()).toBe(0);
    const after = (await get('/v1/reports/rules', central)).json().items;
    expect(after).toEqual([expect.objectContaining({ ruleId: 'duplicate-payment', provinceCode: '66', open: 0, falsePositive: 1, confirmed: 0, falsePositiveRate: 1 })]);
    expect((await get('/v1/reports/rules', auditor66)).statusCode).toBe(403);
  });

  it('when the event log refuses at resolution time, then the resolution still commits and is published by a later flush', async () => {
    const { s, move } = await withAlert();
    await move(auditor66, 'acknowledged');
    await move(auditor66, 'investigating');
    const producer = s.eventLog.producer.bind(s.eventLog);
    let down = true;
    s.eventLog.producer = async () => {
      const p = await producer();
      return { ...p, send: async (t, m) => { if (down) throw new Error('broker down'); return p.send(t, m); }, close: () => p.close() };
    };
    expect((await move(auditor66, 'resolved', { disposition: 'confirmed', reason: 'ไม่มีฎีกา' })).statusCode).toBe(200);
    await expect(s.service.feedback.flush()).rejects.toThrow('broker down');
    expect((await s.db.query('SELECT count(*)::int AS n FROM feedback_outbox WHERE published_at IS NULL')).rows[0]).toEqual({ n: 1 });
    down = false;
    expect(await s.service.feedback.flush()).toBe(1);
    expect(await readTopic(s.eventLog, TOPICS.alertFeedback, 1)).toHaveLength(1);
  });
});

describe('snoozes', () => {
  it('when an auditor snoozes the rule for the payee, then a new alert on that payee is stored but not notified, until the snooze expires', async () => {
    const { s, clock, alert, post, get, move } = await withAlert();
    const early = await post(`/v1/alerts/${alert.alertId}/snoozes`, auditor66, { ruleId: 'duplicate-payment', days: 30, reason: 'สัญญาเช่ารายเดือน' });
    expect([early.statusCode, early.json().error.code]).toEqual([409, 'PW_ERR_SNOOZE_UNREVIEWED']);
    await move(auditor66, 'acknowledged');
    const tooLong = await post(`/v1/alerts/${alert.alertId}/snoozes`, auditor66, { ruleId: 'duplicate-payment', days: 181, reason: 'x' });
    expect(tooLong.statusCode).toBe(400);
    const noReason = await post(`/v1/alerts/${alert.alertId}/snoozes`, auditor66, { ruleId: 'duplicate-payment', days: 30, reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    const otherRule = await post(`/v1/alerts/${alert.alertId}/snoozes`, auditor66, { ruleId: 'off-hours', days: 30, reason: 'x' });
    expect([otherRule.statusCode, otherRule.json().error.code]).toEqual([400, 'PW_ERR_SNOOZE_RULE']);
    expect((await post(`/v1/alerts/${alert.alertId}/snoozes`, auditor60, { ruleId: 'duplicate-payment', days: 30, reason: 'x' })).statusCode).toBe(404);

    const created = await post(`/v1/alerts/${alert.alertId}/snoozes`, auditor66, { ruleId: 'duplicate-payment', days: 30, reason: 'สัญญาเช่ารายเดือน จ่ายซ้ำยอดเดิมทุกเดือน' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ laoCode: '6600101', payeeAccount: '******4321', ruleId: 'duplicate-payment', createdBy: 'auditor-66' });
    expect((await get('/v1/snoozes', auditor66)).json().items).toHaveLength(1);
    expect((await get('/v1/snoozes', auditor60)).json().items).toHaveLength(0);
    const trail = (await get(`/v1/alerts/${alert.alertId}/audit`, auditor66)).json().items;
    expect(trail.at(-1)).toMatchObject({ action: 'snooze', payload: { reason: 'สัญญาเช่ารายเดือน จ่ายซ้ำยอดเดิมทุกเดือน', days: 30 } });

    // Another payment to the same account: stored, not notified.
    const later = makeAlert({ laoCode: '6600101', key: 'r-later' });
    await s.service.consumer.handleBatch(batchOf([later], 1), recordingContext());
    const stored = (await get(`/v1/alerts/${later.alertId}`, auditor66)).json();
    expect(stored.alert.suppressedBy).toEqual([created.json().id]);
    expect(stored.notifications).toEqual([]);
    const laterTrail = (await get(`/v1/alerts/${later.alertId}/audit`, auditor66)).json().items;
    expect(laterTrail).toEqual([expect.objectContaining({ actor: 'system', action: 'notification-suppressed', payload: { snoozeIds: [created.json().id], ruleIds: ['duplicate-payment'] } })]);
    // With a rule nobody snoozed, it is notified.
    const mixed = makeAlert({ laoCode: '6600101', key: 'r-mixed', extraFinding: true });
    await s.service.consumer.handleBatch(batchOf([mixed], 2), recordingContext());
    expect((await get(`/v1/alerts/${mixed.alertId}`, auditor66)).json().notifications).toHaveLength(2);
    // After 30 days the snooze is gone by itself.
    clock.advance(30 * 86_400_000);
    const expired = makeAlert({ laoCode: '6600101', key: 'r-expired' });
    await s.service.consumer.handleBatch(batchOf([expired], 3), recordingContext());
    expect((await get(`/v1/alerts/${expired.alertId}`, auditor66)).json().notifications).toHaveLength(2);
    expect((await get('/v1/snoozes', auditor66)).json().items).toHaveLength(0);
    expect((await verifyAuditChain(s.db, { key: AUDIT_KEY })).ok).toBe(true);
  });
});
