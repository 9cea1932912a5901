import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/index.ts';
import { waitUntil } from '@paywatch/testkit';
import { AUDIT_KEY, makeAlert, manualClock, metricValue, publish, serviceOnPg } from './helpers.ts';

const HOUR = 3600_000;

describe('escalation of unacknowledged critical alerts', () => {
  it('when a critical alert stays new past the limit, then the province auditors and the centre get one escalation e-mail each, once', async () => {
    const clock = manualClock();
    const s = await serviceOnPg({ clock: clock.now, extra: { escalation: { afterMs: 4 * HOUR, pollMs: 3_600_000 } } });
    try {
      await s.service.start();
      const critical = makeAlert({ severity: 'critical', key: 'crit-1' });
      const high = makeAlert({ severity: 'high', key: 'high-1' });
      await publish(s.eventLog, [critical, high]);
      await waitUntil(() => s.db.query('SELECT 1 FROM alerts'), (r) => r.rowCount === 2, { what: 'alerts stored' });
      await s.sink.waitFor(1);

      clock.advance(3 * HOUR);
      expect(await s.service.escalator.tick()).toBe(0); // not yet due
      clock.advance(2 * HOUR);
      expect(await s.service.escalator.tick()).toBe(1); // only the critical one
      expect(await s.service.escalator.tick()).toBe(0); // once

      const escalated = () => s.sink.received.filter((m) => m.subject?.includes('escalated'));
      await waitUntil(() => escalated().length, (n) => n >= 2, { what: 'escalation e-mails' });
      await new Promise((r) => setTimeout(r, 200)); // a third would show up now
      const escalations = escalated();
      expect(escalations.map((m) => (Array.isArray(m.to) ? m.to[0] : m.to)?.text).sort()).toEqual(['audit.phichit@example.go.th', 'centre@example.go.th']);
      expect(escalations[0]!.text).toMatch(/ยังไม่มีผู้รับทราบ/);
      expect(escalations[0]!.text).toContain(`https://paywatch.example.go.th/alerts/${critical.alertId}`);
      const trail = await s.db.query<{ action: string }>("SELECT action FROM audit_log WHERE alert_id = $1", [critical.alertId]);
      expect(trail.rows.map((r) => r.action)).toContain('escalate');
      expect((await verifyAuditChain(s.db, { key: AUDIT_KEY })).ok).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('when the critical alert was acknowledged in time, then it is not escalated', async () => {
    const clock = manualClock();
    const s = await serviceOnPg({ clock: clock.now, extra: { escalation: { afterMs: 4 * HOUR, pollMs: 3_600_000 } } });
    try {
      await s.service.start();
      const critical = makeAlert({ severity: 'critical', key: 'crit-2' });
      await publish(s.eventLog, [critical]);
      await waitUntil(() => s.db.query('SELECT 1 FROM alerts'), (r) => r.rowCount === 1, { what: 'alert stored' });
      const auditor = s.token({ sub: 'auditor-66', role: 'provincial-auditor', provinces: ['66'] });
      const ack = await s.service.app.inject({ method: 'POST', url: `/v1/alerts/${critical.alertId}/transitions`, headers: { authorization: `Bearer ${auditor}` }, payload: { to: 'acknowledged' } });
      expect(ack.statusCode).toBeLessThan(300);
      clock.advance(5 * HOUR);
      expect(await s.service.escalator.tick()).toBe(0);
    } finally {
      await s.close();
    }
  });
});

describe('notifier liveness', () => {
  it('when e-mail has failed longer than the threshold with nothing delivered, then the channel alarm is raised; when it recovers, it clears', async () => {
    const clock = manualClock();
    const s = await serviceOnPg({ clock: clock.now, dispatcher: { maxAttempts: 50, baseBackoffMs: 10, maxBackoffMs: 10 }, extra: { channelAlarmAfterMs: 30 * 60_000 } });
    try {
      s.sink.failing = true;
      await s.service.start();
      await publish(s.eventLog, [makeAlert({ key: 'live-1' })]);
      await waitUntil(() => s.db.query<{ attempts: number }>('SELECT attempts FROM notifications'), (r) => r.rows.length > 0 && r.rows.every((x) => x.attempts > 0), { what: 'failed attempts' });
      const ops = s.token({ sub: 'ops-1', role: 'ops' });
      const early = (await s.service.app.inject({ url: '/v1/ops/channels', headers: { authorization: `Bearer ${ops}` } })).json();
      expect(early.channels.find((c: { channel: string }) => c.channel === 'email')).toMatchObject({ alarm: false });
      clock.advance(31 * 60_000);
      const late = (await s.service.app.inject({ url: '/v1/ops/channels', headers: { authorization: `Bearer ${ops}` } })).json();
      expect(late.channels.find((c: { channel: string }) => c.channel === 'email')).toMatchObject({ alarm: true });
      expect(await metricValue(s.metrics, 'paywatch_alerts_channel_failing', { channel: 'email' })).toBe(1);
      s.sink.failing = false;
      await waitUntil(() => s.db.query("SELECT 1 FROM notifications WHERE status = 'sent'"), (r) => r.rowCount > 0, { what: 'delivery after recovery' });
      await waitUntil(() => s.service.checkChannels(), (h) => h.find((c) => c.channel === 'email')!.alarm === false, { what: 'alarm cleared' });
      expect(await metricValue(s.metrics, 'paywatch_alerts_channel_failing', { channel: 'email' })).toBe(0);
    } finally {
      await s.close();
    }
  });
});
