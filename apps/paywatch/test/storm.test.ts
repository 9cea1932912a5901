// Issue 14, finding 6: one 80,000-row upload of unregistered payees raised 21,005 alerts and queued 20,960 e-mails in
// 30 s. Through the real ingest path (HTTP upload → blob folder → event log → detector → alerts → PostgreSQL → SMTP),
// on the in-process event log with the PostgreSQL and SMTP test peers: the storm is a bounded handful (ADR 0019).
import { describe, expect, inject, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createFolderBlobStore } from '@paywatch/blob-store';
import { createPgDb } from '@paywatch/db';
import { createInProcessEventLog } from '@paywatch/event-log';
import { createSmtpMailer } from '@paywatch/mail';
import { createLogger, createMetricsRegistry } from '@paywatch/observability';
import { signToken } from '@paywatch/http-kit';
import { generateBulkBatch, renderKtbBulk } from '@paywatch/ktb-formats';
import { RuleSetConfig } from '@paywatch/rules';
import { SEED_LAO_REGISTRY, SEED_USERS } from '@paywatch/seed';
import { buildIngestService } from '@paywatch/ingest';
import { buildDetectorService } from '@paywatch/detector';
import { buildAlertsService } from '@paywatch/alerts';
import { multipartFile, startSmtpSink, waitUntil } from '@paywatch/testkit';

const SECRET = 'storm-test-secret'.padEnd(40, '-');
const ROWS = 80_000;
/** The bounds the test holds the pipeline to: alerts (≤ 6 per rule that fires, 16 rules) and e-mails per recipient. */
const MAX_ALERTS = 100;
const MAX_IMMEDIATE_PER_RECIPIENT = 50;

describe('alert storm (issue 14, finding 6)', () => {
  it(`when ${ROWS.toLocaleString('en')} payments to unregistered payees are uploaded, then at most ${MAX_ALERTS} alerts are stored, each recipient gets at most ${MAX_IMMEDIATE_PER_RECIPIENT} immediate e-mails, every payment is listed by a group, and the services stay ready`, async () => {
    const logger = createLogger({ service: 'storm-test', level: 'silent' });
    const dir = await mkdtemp(join(tmpdir(), 'pw-storm-'));
    const smtp = await startSmtpSink();
    const schema = `storm_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const admin = createPgDb({ connectionString: inject('databaseUrl'), max: 1 });
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.close();
    const db = createPgDb({ connectionString: inject('databaseUrl'), schema });
    const eventLog = createInProcessEventLog();
    const blobStore = createFolderBlobStore(join(dir, 'blobs'));
    const ingest = await buildIngestService({ blobStore, eventLog, registry: SEED_LAO_REGISTRY, logger, metrics: createMetricsRegistry('ingest'), jwtSecret: SECRET });
    const detector = await buildDetectorService({ eventLog, blobStore, ruleSet: RuleSetConfig.parse({}), logger, metrics: createMetricsRegistry('detector'), jwtSecret: SECRET,
      // Checkpoints of a state holding 80,000 fresh payees cost a second each: every 20,000 records is enough here.
      checkpointEvery: { records: 20_000, ms: 20_000 } });
    const alerts = await buildAlertsService({
      db, eventLog, mailer: createSmtpMailer({ host: '127.0.0.1', port: smtp.port, from: 'paywatch@example.test' }), registry: SEED_LAO_REGISTRY, users: SEED_USERS, logger,
      metrics: createMetricsRegistry('alerts'), jwtSecret: SECRET, audit: { key: `storm-audit-key-${randomUUID()}` }, consoleBaseUrl: 'http://console.test', dispatcher: { pollMs: 50, batchSize: 100 },
    });
    try {
      const lao = SEED_LAO_REGISTRY.find((l) => l.laoCode === '6600101')!;
      const finance = signToken(ingest.app, { sub: 'finance-6600101', role: 'finance', laoCode: lao.laoCode });
      await ingest.start();
      // A register in force that lists none of the file's payees.
      const register = multipartFile('payees.csv', new TextEncoder().encode('Payee Name,Bank Code,Account No.\n"หจก. ทะเบียนหนึ่ง",006,1111111111\n"หจก. ทะเบียนสอง",006,2222222222\n'));
      expect((await ingest.app.inject({ method: 'POST', url: '/v1/reference/payees', payload: register.payload, headers: { ...register.headers, authorization: `Bearer ${finance}` } })).statusCode).toBe(201);
      await Promise.all([detector.start(), alerts.start()]);

      const { spec } = generateBulkBatch({ seed: 14, laoCode: lao.laoCode, companyId: lao.companyIds[0]!, debitAccount: lao.accounts[0]!, rows: ROWS, effectiveDate: '2026-11-25' });
      const file = multipartFile('storm.txt', renderKtbBulk(spec, { encoding: 'windows-874', eol: '\r\n' }));
      const res = await ingest.app.inject({ method: 'POST', url: '/v1/batches', payload: file.payload, headers: { ...file.headers, authorization: `Bearer ${finance}` } });
      expect(res.statusCode).toBe(202);
      await ingest.processor.idle();
      const manifest = (await ingest.app.inject({ url: res.json().statusUrl, headers: { authorization: `Bearer ${finance}` } })).json().batch;
      expect(manifest).toMatchObject({ status: 'published', rowsAccepted: ROWS });

      // Every payment is flagged as unregistered: 5 individual alerts and one group holding the other 79,995.
      const groupCount = async () => Number((await db.query<{ n: number }>(
        `SELECT coalesce(max((payload->'group'->>'count')::int), 0) AS n FROM alerts WHERE payload->'group'->>'ruleId' = 'payee-not-registered'`)).rows[0]!.n);
      await waitUntil(groupCount, (n) => n === ROWS - 5, { timeoutMs: 720_000, intervalMs: 1_000, what: 'the payee-not-registered group holds every payment' });
      await waitUntil(() => alerts.consumer.lag(), (l) => l.every((p) => p.lag === 0), { timeoutMs: 60_000, what: 'alerts consumer drained' });
      const stored = (await db.query<{ alert_id: string; rule_ids: string[]; grouped: boolean }>(`SELECT alert_id, rule_ids, payload ? 'group' AS grouped FROM alerts`)).rows;
      expect(stored.length).toBeLessThanOrEqual(MAX_ALERTS);
      expect(stored.filter((a) => a.rule_ids.includes('payee-not-registered') && !a.grouped)).toHaveLength(5);
      const group = stored.find((a) => a.grouped && a.rule_ids[0] === 'payee-not-registered')!;
      const central = signToken(alerts.app, { sub: 'central-1', role: 'central' });
      const page = (await alerts.app.inject({ url: `/v1/alerts/${group.alert_id}/payments?limit=10`, headers: { authorization: `Bearer ${central}` } })).json();
      expect(page.total).toBe(ROWS - 5);
      expect(page.items).toHaveLength(10);

      // E-mails: immediate ones per recipient stay under the hard cap; the rest wait for the window digest.
      const perRecipient = (await db.query<{ recipient: string; n: number }>(
        `SELECT recipient, count(*)::int AS n FROM notifications WHERE idempotency_key NOT LIKE '%|window-%' GROUP BY recipient`)).rows;
      for (const r of perRecipient) expect(r.n).toBeLessThanOrEqual(MAX_IMMEDIATE_PER_RECIPIENT);
      const queued = perRecipient.reduce((s, r) => s + r.n, 0);
      expect(queued).toBeGreaterThan(0);
      await waitUntil(() => Promise.resolve(smtp.received.length), (n) => n >= queued, { timeoutMs: 60_000, what: 'immediate e-mails delivered' });
      expect(smtp.received.length).toBeLessThanOrEqual(perRecipient.length * MAX_IMMEDIATE_PER_RECIPIENT);
      // Healthy: every service still answers ready.
      for (const app of [ingest.app, detector.app, alerts.app]) expect((await app.inject('/ready')).statusCode).toBe(200);
      console.log(`storm: ${ROWS} rows → ${stored.length} alerts (${stored.filter((a) => a.grouped).length} groups), ${queued} immediate e-mails to ${perRecipient.length} recipient(s)`);
    } finally {
      await detector.stop();
      await alerts.stop();
      await ingest.stop();
      await eventLog.close();
      await db.close();
      await smtp.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 900_000);
});
