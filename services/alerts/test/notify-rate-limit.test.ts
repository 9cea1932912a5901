import { describe, expect, it } from 'vitest';
import { waitUntil } from '@paywatch/testkit';
import { rateWindowOf } from '../src/notify-rate-limit.ts';
import { batchOf, makeAlert, manualClock, metricValue, recordingContext, serviceOnPg, TEST_USERS } from './helpers.ts';

const HOUR = 3_600_000;
const count = async (s: Awaited<ReturnType<typeof serviceOnPg>>, sql: string) => Number((await s.db.query<{ n: number }>(sql)).rows[0]!.n);

describe('notification rate limit and window digest (ADR 0019)', () => {
  it('when an instant is given, then its window is aligned to the epoch, the same on every replica', () => {
    const w = rateWindowOf(new Date('2026-11-23T03:41:12.000Z'), HOUR);
    expect([w.start.toISOString(), w.end.toISOString()]).toEqual(['2026-11-23T03:00:00.000Z', '2026-11-23T04:00:00.000Z']);
  });

  it('when 8 high and 4 critical alerts reach one auditor in a window of 3 (critical cap 5), then 5 go at once, 7 wait, and one digest lists them at the window end, once, also after a redelivery', async () => {
    const clock = manualClock('2026-11-23T03:10:00.000Z'); // 10:10 Bangkok; the window ends at 11:00 (04:00Z)
    const users = TEST_USERS.filter((u) => u.sub !== 'district-6601');
    const s = await serviceOnPg({ clock: clock.now, users, extra: { notifyRateLimit: { windowMs: HOUR, perWindow: 3, criticalPerWindow: 5 }, digest: { pollMs: HOUR } } });
    try {
      const high = Array.from({ length: 8 }, (_, i) => makeAlert({ key: `rl-h-${i}` }));
      const critical = Array.from({ length: 4 }, (_, i) => makeAlert({ key: `rl-c-${i}`, severity: 'critical' }));
      const batch = batchOf([...high, ...critical]);
      await s.service.consumer.handleBatch(batch, recordingContext());
      // A redelivery (the consumer died before committing) takes no slot and holds nothing twice.
      await s.service.consumer.handleBatch(batch, recordingContext());
      const immediate = (await s.db.query<{ alert_id: string }>('SELECT alert_id FROM notifications ORDER BY created_at, alert_id')).rows.map((r) => r.alert_id);
      expect(immediate).toHaveLength(5);
      expect(immediate.filter((id) => critical.some((c) => c.alertId === id))).toHaveLength(2);
      expect(await count(s, "SELECT count(*)::int AS n FROM digest_items WHERE kind = 'window' AND included_at IS NULL")).toBe(7);
      expect(await metricValue(s.metrics, 'paywatch_alerts_notifications_rate_limited_total')).toBe(7);

      expect(await s.service.digester.tick()).toBe(0); // the window has not ended
      clock.advance(50 * 60_000); // 11:00 Bangkok
      expect(await s.service.digester.tick()).toBe(1);
      expect(await s.service.digester.tick()).toBe(0);
      const digest = (await s.db.query<{ subject: string; body: string; recipient: string }>("SELECT subject, body, recipient FROM notifications WHERE idempotency_key LIKE '%|window-%'")).rows;
      expect(digest).toHaveLength(1);
      expect(digest[0]!.recipient).toBe('audit.phichit@example.go.th');
      expect(digest[0]!.subject).toMatch(/เกินอัตราแจ้งทันที 7 รายการ/);
      const held = [...high.slice(3), ...critical.slice(2)];
      for (const a of held) expect(digest[0]!.body).toContain(encodeURIComponent(a.alertId));
      await s.service.dispatcher.tick();
      await waitUntil(() => s.sink.received.length, (n) => n === 6, { what: '5 immediate + 1 digest delivered' });

      // The next window starts afresh.
      await s.service.consumer.handleBatch(batchOf([makeAlert({ key: 'rl-next' })], 20), recordingContext());
      expect(await count(s, "SELECT count(*)::int AS n FROM notifications WHERE idempotency_key NOT LIKE '%|window-%'")).toBe(6);
    } finally {
      await s.close();
    }
  });
});
