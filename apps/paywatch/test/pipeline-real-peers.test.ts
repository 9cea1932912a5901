// The walking skeleton end to end over real protocol peers: upload → S3 (fauxqs) → Kafka protocol (librdkafka's
// mock cluster, through kafkajs) → detector → PostgreSQL 15 → e-mail (smtp-server).
import { describe, expect, it, inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createKafkaEventLog } from '@paywatch/event-log';
import { createS3BlobStore } from '@paywatch/blob-store';
import { createPgDb } from '@paywatch/db';
import { createSmtpMailer } from '@paywatch/mail';
import { createLogger, createMetricsRegistry } from '@paywatch/observability';
import { signToken } from '@paywatch/http-kit';
import { RuleSetConfig } from '@paywatch/rules';
import { SEED_LAO_REGISTRY, SEED_USERS } from '@paywatch/seed';
import { buildIngestService } from '@paywatch/ingest';
import { buildDetectorService } from '@paywatch/detector';
import { buildAlertsService } from '@paywatch/alerts';
import { multipartFile, startSmtpSink, waitUntil } from '@paywatch/testkit';
import { demoFiles } from '../src/demo-data.ts';

const SECRET = 'pipeline-test-secret'.padEnd(40, '-');

describe('pipeline over real peers', () => {
  it('when finance uploads a bulk file, then the raw file is in S3, alerts reach PostgreSQL and each auditor gets one Thai e-mail per alert', async () => {
    const logger = createLogger({ service: 'pipeline-test', level: 'silent' });
    const kafka = () => createKafkaEventLog({
      brokers: inject('kafkaBrokers'), clientId: `pw-${randomUUID().slice(0, 6)}`, logger,
      consumerSessionTimeoutMs: 6000, consumerHeartbeatIntervalMs: 500, consumerRebalanceTimeoutMs: 6000, consumerMaxWaitTimeMs: 100,
    });
    const blobStore = createS3BlobStore({ bucket: `pw-${randomUUID().slice(0, 8)}`, endpoint: inject('s3Endpoint'), credentials: { accessKeyId: 't', secretAccessKey: 't' } });
    await blobStore.ensureBucket();
    const schema = `pipe_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const admin = createPgDb({ connectionString: inject('databaseUrl'), max: 1 });
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.close();
    const db = createPgDb({ connectionString: inject('databaseUrl'), schema });
    const smtp = await startSmtpSink();
    const run = randomUUID().slice(0, 8);
    const topics = { disbursements: `disbursements.v1.${run}`, alerts: `alerts.v1.${run}` };

    const [ingestLog, detectorLog, alertsLog] = [kafka(), kafka(), kafka()];
    const ingest = await buildIngestService({
      blobStore, eventLog: ingestLog, registry: SEED_LAO_REGISTRY, logger, metrics: createMetricsRegistry('ingest'), jwtSecret: SECRET,
      topics: { disbursements: topics.disbursements, rejected: `disbursements.rejected.v1.${run}`, batches: `batches.v1.${run}` },
    });
    const detector = await buildDetectorService({
      eventLog: detectorLog, blobStore, ruleSet: RuleSetConfig.parse({}), logger, metrics: createMetricsRegistry('detector'), jwtSecret: SECRET,
      groupId: `detector-${run}`, topics: { disbursements: topics.disbursements, alerts: topics.alerts, deadLetter: `${topics.disbursements}.dlq` },
    });
    const alerts = await buildAlertsService({
      db, eventLog: alertsLog, mailer: createSmtpMailer({ host: '127.0.0.1', port: smtp.port, from: 'paywatch@example.test' }),
      registry: SEED_LAO_REGISTRY, users: SEED_USERS, logger, metrics: createMetricsRegistry('alerts'), jwtSecret: SECRET,
      publicBaseUrl: 'http://alerts.test', consumerGroupId: `alerts-${run}`, alertsTopic: topics.alerts,
      dispatcher: { pollMs: 50 },
    });
    try {
      await Promise.all([detector.start(), alerts.start()]);
      const file = demoFiles().find((f) => f.laoCode === '6600101')!;
      const { payload, headers } = multipartFile(file.name, file.bytes);
      const finance = signToken(ingest.app, { sub: 'finance-6600101', role: 'finance', laoCode: '6600101' });
      const res = await ingest.app.inject({ method: 'POST', url: '/v1/batches', payload, headers: { ...headers, authorization: `Bearer ${finance}` } });
      expect(res.statusCode).toBe(202);
      await ingest.processor.idle();
      const manifest = (await ingest.app.inject({ url: res.json().statusUrl, headers: { authorization: `Bearer ${finance}` } })).json().batch;
      expect(manifest.status).toBe('published');
      expect(await blobStore.exists(manifest.rawKey)).toBe(true);

      const rows = await waitUntil(() => db.query<{ alert_id: string; province_code: string; rule_ids: string[] }>('SELECT alert_id, province_code, rule_ids FROM alerts'),
        (r) => r.rows.some((x) => x.rule_ids.includes('duplicate-payment')) && r.rows.some((x) => x.rule_ids.includes('split-payment')), { timeoutMs: 45_000, what: 'alerts in PostgreSQL' });
      expect(rows.rows.every((r) => r.province_code === '66')).toBe(true);
      const mails = await smtp.waitFor(rows.rows.length, 20_000);
      // One recipient (the Phichit auditor) per alert, exactly once each.
      expect(mails.map((m) => (Array.isArray(m.to) ? m.to[0] : m.to)?.text)).toEqual(mails.map(() => 'audit.phichit@example.go.th'));
      expect(new Set(mails.map((m) => m.messageId)).size).toBe(mails.length);
      expect(mails[0]!.subject).toMatch(/[\u0E00-\u0E7F]/);
      const central = signToken(alerts.app, { sub: 'c', role: 'central' });
      const list = (await alerts.app.inject({ url: '/v1/alerts', headers: { authorization: `Bearer ${central}` } })).json();
      expect(list.items.length).toBe(rows.rows.length);
    } finally {
      await ingest.stop(); await detector.stop(); await alerts.stop();
      await Promise.all([ingestLog.close(), detectorLog.close(), alertsLog.close()]);
      await db.close(); await smtp.close();
    }
  }, 90_000);
});
