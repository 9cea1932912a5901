import { describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgliteDb } from '@paywatch/db';
import { createInProcessEventLog } from '@paywatch/event-log';
import { signToken } from '@paywatch/http-kit';
import { createLocalOutboxMailer } from '@paywatch/mail';
import { createMetricsRegistry } from '@paywatch/observability';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';
import { waitUntil } from '@paywatch/testkit';
import { buildAlertsService } from '../src/index.ts';
import { AUDIT_KEY_TEXT, JWT_SECRET, CONSOLE_BASE_URL, TEST_USERS, makeAlert, metricValue, publish, silentLogger } from './helpers.ts';

describe('alerts service in embedded mode (PGlite, in-process log, local outbox)', () => {
  it('when alerts (one of them twice) flow through the running service on one connection, then each is stored once and each recipient mailed once', async () => {
    const db = await createPgliteDb();
    const eventLog = createInProcessEventLog();
    const mailer = createLocalOutboxMailer(join(await mkdtemp(join(tmpdir(), 'pw-alerts-')), 'outbox.jsonl'));
    const metrics = createMetricsRegistry('alerts');
    const service = await buildAlertsService({
      db, eventLog, mailer, registry: SEED_LAO_REGISTRY, users: TEST_USERS, logger: silentLogger(), metrics,
      jwtSecret: JWT_SECRET, audit: { key: AUDIT_KEY_TEXT }, consoleBaseUrl: CONSOLE_BASE_URL, dispatcher: { pollMs: 20 },
    });
    try {
      await service.start();
      const a = makeAlert({ laoCode: '6600101' }); // 2 recipients
      const b = makeAlert({ laoCode: '6000101' }); // 1
      const c = makeAlert({ laoCode: '9999999' }); // central
      await publish(eventLog, [a, b, c]);
      await publish(eventLog, [a]);
      await waitUntil(() => metricValue(metrics, 'paywatch_alerts_upserted_total'), (n) => n === 4, { what: '4 deliveries' });
      const sent = await waitUntil(() => mailer.read(), (m) => m.length >= 4, { what: '4 e-mails in the local outbox' });
      // Let the dispatcher poll a few more times: nothing more may go out.
      await new Promise((r) => setTimeout(r, 200));
      expect(await mailer.read()).toHaveLength(4);
      expect(sent.map((m) => m.to).sort()).toEqual(['audit.muangphichit@example.go.th', 'audit.nakhonsawan@example.go.th', 'audit.phichit@example.go.th', 'centre@example.go.th']);

      const counts = (await db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM notifications GROUP BY status')).rows;
      expect(counts).toEqual([{ status: 'sent', n: 4 }]);
      const central = signToken(service.app, { sub: 'central-1', role: 'central' });
      const listed = (await service.app.inject({ url: '/v1/alerts', headers: { authorization: `Bearer ${central}` } })).json();
      expect(listed.items).toHaveLength(3);
      expect((await service.app.inject('/ready')).json()).toEqual({ status: 'ready', checks: { db: true, mailer: true, eventLog: true } });
      expect((await service.app.inject('/metrics')).body).toContain('paywatch_notifications_total{channel="email",outcome="sent",service="alerts"} 4');
    } finally {
      await service.stop();
      await eventLog.close();
      await db.close();
    }
  }, 120_000); // PGlite starts and migrates in-process: 17 s alone on a loaded 2-core machine, over 30 s beside the whole suite
});
