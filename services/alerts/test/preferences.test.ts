import { describe, expect, it } from 'vitest';
import { waitUntil } from '@paywatch/testkit';
import { notBefore } from '../src/preferences.ts';
import { CONSOLE_BASE_URL, makeAlert, manualClock, publish, serviceOnPg, TEST_USERS } from './helpers.ts';

describe('quiet hours', () => {
  const quiet = { quietHours: { startHour: 22, endHour: 7 } };
  it('when a non-critical alert arrives at 23:30 Bangkok, then it waits until 07:00; a critical one does not wait', () => {
    const now = new Date('2026-11-22T16:30:00.000Z'); // 23:30 in Bangkok
    expect(notBefore(now, 'high', quiet).toISOString()).toBe('2026-11-23T00:00:00.000Z'); // 07:00 Bangkok next day
    expect(notBefore(now, 'critical', quiet)).toBe(now);
    expect(notBefore(new Date('2026-11-22T05:00:00.000Z'), 'high', quiet).toISOString()).toBe('2026-11-22T05:00:00.000Z'); // noon: no wait
    expect(notBefore(new Date('2026-11-22T22:00:00.000Z'), 'medium', quiet).toISOString()).toBe('2026-11-23T00:00:00.000Z'); // 05:00 → 07:00
  });
});

describe('daily digest', () => {
  it('when medium alerts arrive, then no immediate e-mail; the next morning one digest lists them all, once', async () => {
    const clock = manualClock('2026-11-23T03:00:00.000Z'); // 10:00 Bangkok
    const users = TEST_USERS.filter((u) => u.sub !== 'district-6601');
    const s = await serviceOnPg({ clock: clock.now, users, extra: { digest: { sendHour: 7, pollMs: 3_600_000 } } });
    try {
      await s.service.start();
      const a = makeAlert({ severity: 'medium', key: 'dg-1' }), b = makeAlert({ severity: 'medium', key: 'dg-2' }), urgent = makeAlert({ severity: 'high', key: 'dg-3' });
      await publish(s.eventLog, [a, b, urgent]);
      await s.sink.waitFor(1); // the high one goes at once
      await new Promise((r) => setTimeout(r, 300));
      expect(s.sink.received.map((m) => m.subject)).toHaveLength(1);
      expect(await s.service.digester.tick()).toBe(0); // same day: nothing yet
      clock.advance(24 * 3600_000); // next morning, 10:00 Bangkok
      expect(await s.service.digester.tick()).toBe(1);
      expect(await s.service.digester.tick()).toBe(0);
      await waitUntil(() => s.sink.received.length, (n) => n === 2, { what: 'digest delivered' });
      const digest = s.sink.received[1]!;
      expect(digest.subject).toMatch(/สรุปการแจ้งเตือนประจำวัน 2 รายการ/);
      // Each line links to the console's alert page, not the API.
      expect(digest.text).toContain(`${CONSOLE_BASE_URL}/alerts/${encodeURIComponent(a.alertId)}`);
      expect(digest.text).toContain(encodeURIComponent(b.alertId));
      expect(digest.text).not.toContain('/v1/alerts/');
      expect(digest.text).not.toContain(encodeURIComponent(urgent.alertId));
    } finally {
      await s.close();
    }
  });

  it('when a user asks for everything at once, then medium alerts are e-mailed immediately', async () => {
    const users = TEST_USERS.filter((u) => u.sub !== 'district-6601').map((u) => (u.sub === 'auditor-66' ? { ...u, notify: { immediateFrom: 'low' as const } } : u));
    const s = await serviceOnPg({ users });
    try {
      await s.service.start();
      await publish(s.eventLog, [makeAlert({ severity: 'medium', key: 'im-1' })]);
      await s.sink.waitFor(1);
    } finally {
      await s.close();
    }
  });
});
