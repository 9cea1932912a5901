import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '@paywatch/db';
import { upsertAlert } from '../src/alert-store.ts';
import { ALERTS_MIGRATIONS } from '../src/migrations.ts';
import { enqueueNotifications, idempotencyKeyFor, notificationIdFor } from '../src/outbox.ts';
import { createAlertRouter } from '../src/routing.ts';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';
import { TEST_USERS, freshPgDb, makeAlert, silentLogger } from './helpers.ts';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => { await Promise.all(open.splice(0).map((d) => d.close())); });

describe('outbox and alert store', () => {
  it('when the same notifications are enqueued twice, then the idempotency key keeps one row per alert, recipient and channel', async () => {
    const db = await freshPgDb();
    open.push(db);
    await migrate(db, ALERTS_MIGRATIONS);
    const alert = makeAlert();
    const route = createAlertRouter({ registry: SEED_LAO_REGISTRY, users: TEST_USERS, logger: silentLogger() }).route(alert.laoCode);
    const now = new Date('2026-11-23T02:00:00Z');
    const inserted = await db.transaction(async (tx) => {
      await upsertAlert(tx, alert, route, now);
      return [
        await enqueueNotifications(tx, { alertId: alert.alertId, recipients: route.recipients, subject: 's', body: 'b', now }),
        await enqueueNotifications(tx, { alertId: alert.alertId, recipients: route.recipients, subject: 's2', body: 'b2', now }),
      ];
    });
    expect(inserted).toEqual([2, 0]);
    const rows = (await db.query<{ id: string; idempotency_key: string; subject: string }>('SELECT id, idempotency_key, subject FROM notifications ORDER BY id')).rows;
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.subject === 's' && r.id === notificationIdFor(r.idempotency_key))).toBe(true);
    expect(rows.map((r) => r.idempotency_key)).toContain(idempotencyKeyFor(alert.alertId, 'audit.phichit@example.go.th', 'email'));
  });

  it('when an alert is upserted again, then identical payloads leave the row untouched and a grown one updates it', async () => {
    const db = await freshPgDb();
    open.push(db);
    await migrate(db, ALERTS_MIGRATIONS);
    const route = createAlertRouter({ registry: SEED_LAO_REGISTRY, users: TEST_USERS, logger: silentLogger() }).route('6600101');
    const t1 = new Date('2026-11-23T02:00:00Z');
    const t2 = new Date('2026-11-23T03:00:00Z');
    const t3 = new Date('2026-11-23T04:00:00Z');
    const up = (a: ReturnType<typeof makeAlert>, t: Date) => db.transaction((tx) => upsertAlert(tx, a, route, t));
    // Same content, different key order in the JSON: still the same payload for jsonb.
    const reordered = Object.fromEntries(Object.entries(makeAlert()).reverse()) as ReturnType<typeof makeAlert>;
    expect([await up(makeAlert(), t1), await up(reordered, t2), await up(makeAlert({ extraFinding: true }), t3)]).toEqual(['new', 'unchanged', 'changed']);
    const row = (await db.query<{ times_seen: number; first_seen_at: Date; last_seen_at: Date; amount_satang: number }>('SELECT times_seen, first_seen_at, last_seen_at, amount_satang FROM alerts')).rows[0]!;
    expect(row.times_seen).toBe(2);
    expect([row.first_seen_at.toISOString(), row.last_seen_at.toISOString()]).toEqual([t1.toISOString(), t3.toISOString()]);
    expect(row.amount_satang).toBe(4_500_000);
  });
});
