import { afterEach, describe, expect, it } from 'vitest';
import { createSmtpMailer } from '@paywatch/mail';
import { createMetricsRegistry } from '@paywatch/observability';
import { createAlertsMetrics } from '../src/alerts-metrics.ts';
import { backoffMs, createDispatcher, messageIdFor } from '../src/dispatcher.ts';
import { claimDueNotifications } from '../src/outbox.ts';
import { batchOf, freshPgDb, makeAlert, manualClock, metricValue, recordingContext, serviceOnPg, silentLogger, type PgService } from './helpers.ts';

const running: Array<{ close(): Promise<void> }> = [];
afterEach(async () => { await Promise.all(running.splice(0).map((s) => s.close())); });

/** A service with a manual clock and 2 pending e-mails (6600101 has a provincial and a district auditor). */
async function withPending(dispatcher: { maxAttempts?: number; baseBackoffMs?: number; leaseMs?: number } = {}) {
  const clock = manualClock();
  const s = await serviceOnPg({ clock: clock.now, dispatcher });
  running.push(s);
  await s.service.consumer.handleBatch(batchOf([makeAlert()]), recordingContext());
  return { s, clock };
}

const rows = async (s: PgService) =>
  (await s.db.query<{ id: string; status: string; attempts: number; last_error: string | null; provider_message_id: string | null }>(
    'SELECT id, status, attempts, last_error, provider_message_id FROM notifications ORDER BY id')).rows;

describe('outbox dispatcher', () => {
  it('when SMTP refuses for a few ticks and then accepts, then every pending e-mail is sent exactly once, with back-off in between', async () => {
    const { s, clock } = await withPending({ baseBackoffMs: 1_000, maxAttempts: 5 });
    s.sink.failing = true;
    expect(await s.service.dispatcher.tick()).toEqual({ claimed: 2, sent: 0, failed: 2, dead: 0 });
    // Not due yet: the back-off (1 s after attempt 1) holds them back.
    expect((await s.service.dispatcher.tick()).claimed).toBe(0);
    clock.advance(1_000);
    expect(await s.service.dispatcher.tick()).toEqual({ claimed: 2, sent: 0, failed: 2, dead: 0 });
    clock.advance(1_999); // attempt 2 waits 2 s
    expect((await s.service.dispatcher.tick()).claimed).toBe(0);
    clock.advance(1);
    expect((await s.service.dispatcher.tick()).failed).toBe(2);
    expect((await rows(s)).map((r) => [r.status, r.attempts])).toEqual([['pending', 3], ['pending', 3]]);
    expect((await rows(s))[0]!.last_error).toContain('451');

    s.sink.failing = false;
    clock.advance(4_000);
    expect(await s.service.dispatcher.tick()).toEqual({ claimed: 2, sent: 2, failed: 0, dead: 0 });
    clock.advance(3_600_000);
    expect((await s.service.dispatcher.tick()).claimed).toBe(0);
    expect(s.sink.received).toHaveLength(2);
    const after = await rows(s);
    expect(after.map((r) => [r.status, r.attempts, r.last_error])).toEqual([['sent', 4, null], ['sent', 4, null]]);
    // The notification id is the Message-ID, so a resend after a crash is recognisable downstream.
    expect(s.sink.received.map((m) => m.messageId).sort()).toEqual(after.map((r) => messageIdFor(r.id)).sort());
    expect(after.map((r) => r.provider_message_id).sort()).toEqual(after.map((r) => messageIdFor(r.id)).sort());
    expect(await metricValue(s.metrics, 'paywatch_notifications_total', { channel: 'email', outcome: 'failed' })).toBe(6);
    expect(await metricValue(s.metrics, 'paywatch_notifications_total', { channel: 'email', outcome: 'sent' })).toBe(2);
    expect(await metricValue(s.metrics, 'paywatch_outbox_pending')).toBe(0);
  });

  it('when every attempt fails, then after maxAttempts the notification is dead, visible, and never sent later', async () => {
    const { s, clock } = await withPending({ baseBackoffMs: 10, maxAttempts: 3 });
    s.sink.failing = true;
    const results = [];
    for (let i = 0; i < 3; i++) { results.push(await s.service.dispatcher.tick()); clock.advance(60_000); }
    expect(results.map((r) => [r.failed, r.dead])).toEqual([[2, 0], [2, 0], [0, 2]]);
    expect((await rows(s)).map((r) => [r.status, r.attempts])).toEqual([['dead', 3], ['dead', 3]]);
    expect(await metricValue(s.metrics, 'paywatch_notifications_total', { outcome: 'dead' })).toBe(2);

    s.sink.failing = false;
    clock.advance(86_400_000);
    expect((await s.service.dispatcher.tick()).claimed).toBe(0);
    expect(s.sink.received).toHaveLength(0);
    const ops = s.token({ sub: 'ops-1', role: 'ops' });
    const listed = (await s.service.app.inject({ url: '/v1/notifications?status=dead', headers: { authorization: `Bearer ${ops}` } })).json();
    expect(listed.counts).toEqual({ pending: 0, sent: 0, dead: 2 });
    expect(listed.items[0].lastError).toContain('451');
  });

  it('when a dispatcher dies after claiming, then the rows are sent by the next one once the lease runs out, with the same Message-ID', async () => {
    const { s, clock } = await withPending({ leaseMs: 60_000 });
    // The "crashed" dispatcher: it claimed both rows and never reported back.
    const claimed = await claimDueNotifications(s.db, { now: clock.now(), limit: 10, leaseMs: 60_000 });
    expect(claimed).toHaveLength(2);
    expect((await s.service.dispatcher.tick()).claimed).toBe(0);
    clock.advance(60_000);
    expect((await s.service.dispatcher.tick()).sent).toBe(2);
    expect(s.sink.received.map((m) => m.messageId).sort()).toEqual(claimed.map((c) => messageIdFor(c.id)).sort());
  });

  it('when two dispatchers on separate connection pools tick at the same time, then each e-mail is sent once', async () => {
    const s = await serviceOnPg();
    running.push(s);
    await s.service.consumer.handleBatch(batchOf(Array.from({ length: 12 }, (_, i) => makeAlert({ laoCode: '6000101', key: `k${i}` }))), recordingContext());
    // A second replica: its own pool on the same schema, its own mailer to the same relay.
    const otherPool = await freshPgDb({ schema: s.db.schema });
    const mailer = createSmtpMailer({ host: '127.0.0.1', port: s.sink.port, from: 'paywatch@example.go.th' });
    running.push({ close: async () => { await mailer.close(); await otherPool.close(); } });
    const metrics = createAlertsMetrics(createMetricsRegistry('alerts'));
    const a = createDispatcher({ db: s.db, mailer: s.mailer, logger: silentLogger(), metrics, batchSize: 4 });
    const b = createDispatcher({ db: otherPool, mailer, logger: silentLogger(), metrics, batchSize: 4 });
    for (let round = 0; round < 4; round++) await Promise.all([a.tick(), b.tick()]);
    expect(s.sink.received).toHaveLength(12);
    expect(new Set(s.sink.received.map((m) => m.messageId)).size).toBe(12);
  });

  it('back-off doubles per attempt and is capped', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 1_000, 5_000))).toEqual([1_000, 2_000, 4_000, 5_000]);
  });
});
