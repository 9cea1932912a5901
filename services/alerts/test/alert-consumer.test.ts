import { afterEach, describe, expect, it } from 'vitest';
import { TOPICS } from '@paywatch/domain';
import type { ConsumedMessage } from '@paywatch/event-log';
import { waitUntil } from '@paywatch/testkit';
import { ALERTS_DLQ_TOPIC, DLQ_CODES } from '../src/alert-consumer.ts';
import { batchOf, captureLogger, makeAlert, metricValue, publish, recordingContext, serviceOnPg, type PgService } from './helpers.ts';

const running: PgService[] = [];
afterEach(async () => { await Promise.all(running.splice(0).map((s) => s.close())); });
const start = async (options?: Parameters<typeof serviceOnPg>[0]) => { const s = await serviceOnPg(options); running.push(s); return s; };

const count = async (s: PgService, sql: string, params: unknown[] = []) => Number((await s.db.query<{ n: number }>(sql, params)).rows[0]!.n);

describe('alert consumer', () => {
  it('when the same alert is published twice on the log, then one row is stored and each recipient gets exactly one e-mail', async () => {
    const s = await start();
    await s.service.start();
    const alert = makeAlert();
    await publish(s.eventLog, [alert]);
    await publish(s.eventLog, [alert]);
    await waitUntil(() => metricValue(s.metrics, 'paywatch_alerts_upserted_total'), (n) => n === 2, { what: 'both deliveries handled' });
    expect(await metricValue(s.metrics, 'paywatch_alerts_upserted_total', { outcome: 'new' })).toBe(1);
    expect(await metricValue(s.metrics, 'paywatch_alerts_upserted_total', { outcome: 'unchanged' })).toBe(1);

    const rows = (await s.db.query<{ times_seen: number; province_code: string }>('SELECT times_seen, province_code FROM alerts')).rows;
    // times_seen counts distinct versions: an identical redelivery does not touch the row.
    expect(rows).toEqual([{ times_seen: 1, province_code: '66' }]);

    // 6600101 (เมืองพิจิตร) has a provincial and a district auditor.
    const mails = await s.sink.waitFor(2);
    await s.service.dispatcher.tick();
    await new Promise((r) => setTimeout(r, 100));
    expect(s.sink.received).toHaveLength(2);
    expect(mails.map((m) => (m.to as { text: string }).text).sort()).toEqual(['audit.muangphichit@example.go.th', 'audit.phichit@example.go.th']);
    expect(await count(s, "SELECT count(*)::int AS n FROM notifications WHERE status = 'sent'")).toBe(2);
  });

  it('when the same batch is redelivered, then nothing is stored or queued twice and each delivery commits the next offset', async () => {
    const s = await start();
    const batch = batchOf([makeAlert(), makeAlert({ laoCode: '6000101' })], 40);
    const ctx1 = recordingContext();
    const ctx2 = recordingContext();
    await s.service.consumer.handleBatch(batch, ctx1);
    await s.service.consumer.handleBatch(batch, ctx2);
    expect([ctx1.commits, ctx2.commits]).toEqual([['42'], ['42']]);
    expect(await count(s, 'SELECT count(*)::int AS n FROM alerts')).toBe(2);
    // 6600101 → 2 auditors, 6000101 → 1 auditor
    expect(await count(s, 'SELECT count(*)::int AS n FROM notifications')).toBe(3);
    await s.service.dispatcher.tick();
    await s.service.dispatcher.tick();
    expect(s.sink.received).toHaveLength(3);
    expect(new Set(s.sink.received.map((m) => m.messageId)).size).toBe(3);
  });

  it('when 20 alerts are replayed twice, then the table still holds 20', async () => {
    const s = await start();
    await s.service.start();
    const alerts = Array.from({ length: 20 }, (_, i) => makeAlert({ laoCode: i % 2 ? '6000102' : '1900101', key: `006:98000${String(i).padStart(5, '0')}` }));
    await publish(s.eventLog, alerts);
    await publish(s.eventLog, alerts);
    await waitUntil(() => metricValue(s.metrics, 'paywatch_alerts_upserted_total'), (n) => n === 40, { what: '40 deliveries handled' });
    expect(await count(s, 'SELECT count(*)::int AS n FROM alerts')).toBe(20);
    expect(await count(s, 'SELECT count(*)::int AS n FROM notifications')).toBe(20);
    expect(await metricValue(s.metrics, 'paywatch_alerts_upserted_total', { outcome: 'unchanged' })).toBe(20);
  });

  it('when an alert grows (a new finding), then the row is updated and counted as changed but nobody is notified again', async () => {
    const s = await start();
    await s.service.consumer.handleBatch(batchOf([makeAlert()]), recordingContext());
    await s.service.consumer.handleBatch(batchOf([makeAlert({ extraFinding: true })], 1), recordingContext());
    const row = (await s.db.query<{ times_seen: number; rule_ids: string[] }>('SELECT times_seen, rule_ids FROM alerts')).rows[0]!;
    expect(row).toEqual({ times_seen: 2, rule_ids: ['duplicate-payment', 'off-hours'] });
    expect(await count(s, 'SELECT count(*)::int AS n FROM notifications')).toBe(2);
  });

  it('when the LAO is not in the registry, then the alert is stored under province "unknown", routed to central, and a warning is logged', async () => {
    const capture = captureLogger();
    const s = await start({ logger: capture.logger });
    const alert = makeAlert({ laoCode: '9999999' });
    await s.service.consumer.handleBatch(batchOf([alert]), recordingContext());
    const stored = (await s.db.query<{ province_code: string; district: string | null }>('SELECT province_code, district FROM alerts WHERE alert_id = $1', [alert.alertId])).rows;
    expect(stored).toEqual([{ province_code: 'unknown', district: null }]);
    const recipients = (await s.db.query<{ recipient: string }>('SELECT recipient FROM notifications')).rows.map((r) => r.recipient);
    expect(recipients).toEqual(['centre@example.go.th']);
    expect(capture.lines().some((l) => l.level === 40 && l.laoCode === '9999999' && String(l.msg).includes('not in registry'))).toBe(true);
    await s.service.dispatcher.tick();
    expect(s.sink.received[0]!.subject).toContain('อปท. รหัส 9999999');
  });

  it('when an invalid message arrives on alerts.v1, then it goes to the DLQ with the reason in headers and the consumer continues', async () => {
    const s = await start();
    await s.service.start();
    const { findings: _dropped, ...withoutFindings } = makeAlert({ laoCode: '6600102' });
    const good = makeAlert({ laoCode: '6600201' });
    await publish(s.eventLog, ['{not json', JSON.stringify(withoutFindings), good]);
    await waitUntil(() => count(s, 'SELECT count(*)::int AS n FROM alerts'), (n) => n === 1, { what: 'the valid alert after the invalid ones' });
    expect((await s.db.query<{ alert_id: string }>('SELECT alert_id FROM alerts')).rows[0]!.alert_id).toBe(good.alertId);

    const dead: ConsumedMessage[] = [];
    const reader = s.eventLog.consumer({ groupId: 'dlq-reader', topics: [ALERTS_DLQ_TOPIC] });
    await reader.run(async (batch, ctx) => { dead.push(...batch.messages); await ctx.commit(String(BigInt(batch.messages.at(-1)!.offset) + 1n)); });
    await waitUntil(() => dead.length, (n) => n === 2, { what: 'two dead letters' });
    await reader.stop();
    const byCode = Object.fromEntries(dead.map((m) => [m.headers['x-paywatch-dlq-code'], m]));
    expect(byCode[DLQ_CODES.notJson]!.value.toString()).toBe('{not json');
    expect(byCode[DLQ_CODES.invalid]!.headers['x-paywatch-dlq-reason']).toContain('findings');
    expect(byCode[DLQ_CODES.invalid]!.headers['x-paywatch-source-topic']).toBe(TOPICS.alerts);
    expect(await metricValue(s.metrics, 'paywatch_alerts_invalid_total')).toBe(2);
  });

  it('when an alert has an impossible date, then only that message is dead-lettered and the rest of the batch is stored', async () => {
    const s = await start();
    const bad = { ...makeAlert({ laoCode: '6600102' }), occurredOn: '2026-02-30' };
    const ctx = recordingContext();
    await s.service.consumer.handleBatch(batchOf([makeAlert(), bad, makeAlert({ laoCode: '6000101' })], 7), ctx);
    expect(ctx.commits).toEqual(['10']);
    expect(await count(s, 'SELECT count(*)::int AS n FROM alerts')).toBe(2);
    expect(await metricValue(s.metrics, 'paywatch_alerts_invalid_total')).toBe(1);
  });

  it('when the database refuses the batch, then the offset is not committed (the log will redeliver)', async () => {
    const s = await start();
    await s.db.query('ALTER TABLE alerts RENAME TO alerts_gone');
    const ctx = recordingContext();
    await expect(s.service.consumer.handleBatch(batchOf([makeAlert()]), ctx)).rejects.toThrow();
    expect(ctx.commits).toEqual([]);
  });
});
