// The walking-skeleton scenario, run against whatever peers a suite provides (real protocol peers here,
// testcontainers where a Docker engine exists): upload → blob store → Kafka → detector → PostgreSQL → e-mail.
import { expect } from 'vitest';
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
import { multipartFile, waitUntil } from '@paywatch/testkit';
import { parseFile } from '@paywatch/ktb-formats';
import { demoFiles } from '../src/demo-data.ts';

const SECRET = 'pipeline-test-secret'.padEnd(40, '-');

/** Where the peers are. `mail` counts messages the SMTP peer received and returns their recipients and ids. */
export interface Peers {
  kafkaBrokers: string[];
  s3: { endpoint: string; accessKeyId: string; secretAccessKey: string };
  databaseUrl: string;
  smtp: { host: string; port: number };
  receivedMail: () => Promise<{ to: string; subject: string; messageId: string }[]>;
  /** Kafka group timings: the librdkafka mock needs a session timeout above its 3 s join delay. */
  sessionTimeoutMs?: number;
}

/** Runs the scenario and asserts the invariants it covers. */
export async function runPipelineScenario(peers: Peers): Promise<void> {
  const logger = createLogger({ service: 'pipeline-test', level: 'silent' });
  const session = peers.sessionTimeoutMs ?? 6000;
  const logs: { close(): Promise<void> }[] = [];
  const kafka = () => {
    const l = createKafkaEventLog({
      brokers: peers.kafkaBrokers, clientId: `pw-${randomUUID().slice(0, 6)}`, logger,
      consumerSessionTimeoutMs: session, consumerHeartbeatIntervalMs: 500, consumerRebalanceTimeoutMs: session, consumerMaxWaitTimeMs: 100,
    });
    logs.push(l);
    return l;
  };
  const blobStore = createS3BlobStore({ bucket: `pw-${randomUUID().slice(0, 8)}`, endpoint: peers.s3.endpoint, credentials: { accessKeyId: peers.s3.accessKeyId, secretAccessKey: peers.s3.secretAccessKey } });
  await blobStore.ensureBucket();
  const schema = `pipe_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const admin = createPgDb({ connectionString: peers.databaseUrl, max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.close();
  const db = createPgDb({ connectionString: peers.databaseUrl, schema });
  const run = randomUUID().slice(0, 8);
  const topics = { disbursements: `disbursements.v1.${run}`, alerts: `alerts.v1.${run}` };
  const referenceTopicOf = (kind: string) => `reference.${kind}.v1.${run}`;
  const detectorWith = (groupId: string) => buildDetectorService({
    eventLog: kafka(), blobStore, ruleSet: RuleSetConfig.parse({}), logger, metrics: createMetricsRegistry('detector'), jwtSecret: SECRET, referenceTopicOf,
    groupId, topics: { disbursements: topics.disbursements, alerts: topics.alerts, deadLetter: `${topics.disbursements}.dlq`, batches: `batches.v1.${run}` },
  });

  const ingest = await buildIngestService({
    blobStore, eventLog: kafka(), registry: SEED_LAO_REGISTRY, logger, metrics: createMetricsRegistry('ingest'), jwtSecret: SECRET, referenceTopicOf,
    topics: { disbursements: topics.disbursements, rejected: `disbursements.rejected.v1.${run}`, batches: `batches.v1.${run}` },
  });
  const detector = await detectorWith(`detector-${run}`);
  const alerts = await buildAlertsService({
    db, eventLog: kafka(), mailer: createSmtpMailer({ host: peers.smtp.host, port: peers.smtp.port, from: 'paywatch@example.test' }),
    registry: SEED_LAO_REGISTRY, users: SEED_USERS, logger, metrics: createMetricsRegistry('alerts'), jwtSecret: SECRET,
    // Anchors on the real S3 peer too (fauxqs has no Object Lock: stored once, unlocked).
    audit: { key: `pipeline-audit-key-${run}-at-least-32-characters`, anchorStore: blobStore },
    consoleBaseUrl: 'http://alerts.test', consumerGroupId: `alerts-${run}`, alertsTopic: topics.alerts, dispatcher: { pollMs: 50 },
  });
  const stoppables: { stop(): Promise<void> }[] = [ingest, detector, alerts];
  try {
    const file = demoFiles().find((f) => f.laoCode === '6600101')!;
    const finance = signToken(ingest.app, { sub: 'finance-6600101', role: 'finance', laoCode: '6600101' });
    // The LAO's payee register, published before the detector starts, lists every payee of the file but one.
    await ingest.start();
    const rows = [...parseFile(file.bytes, { registry: SEED_LAO_REGISTRY })].flatMap((e) => (e.kind === 'record' ? [{ ...e.record, row: e.row }] : []));
    const payees = [...new Map(rows.map((r) => [`${r.payeeBankCode}:${r.payeeAccount}`, r])).values()];
    const unregistered = payees[0]!;
    const unregisteredRows = rows.filter((r) => r.payeeBankCode === unregistered.payeeBankCode && r.payeeAccount === unregistered.payeeAccount).map((r) => r.row);
    const register = ['Payee Name,Bank Code,Account No.', ...payees.slice(1).map((r) => `"${r.payeeName}",${r.payeeBankCode},${r.payeeAccount}`)].join('\n');
    const reg = multipartFile('payees.csv', new TextEncoder().encode(register));
    const regRes = await ingest.app.inject({ method: 'POST', url: '/v1/reference/payees', payload: reg.payload, headers: { ...reg.headers, authorization: `Bearer ${finance}` } });
    expect(regRes.statusCode).toBe(201);
    await Promise.all([detector.start(), alerts.start()]);
    const { payload, headers } = multipartFile(file.name, file.bytes);
    const res = await ingest.app.inject({ method: 'POST', url: '/v1/batches', payload, headers: { ...headers, authorization: `Bearer ${finance}` } });
    expect(res.statusCode).toBe(202);
    await ingest.processor.idle();
    const manifest = (await ingest.app.inject({ url: res.json().statusUrl, headers: { authorization: `Bearer ${finance}` } })).json().batch;
    expect(manifest.status).toBe('published');
    expect(await blobStore.exists(manifest.rawKey)).toBe(true);

    const countAlerts = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM alerts')).rows[0]!.n;
    const stored = await waitUntil(() => db.query<{ alert_id: string; province_code: string; rule_ids: string[]; severity: string }>('SELECT alert_id, province_code, rule_ids, severity FROM alerts ORDER BY alert_id'),
      (r) => ['duplicate-payment', 'split-payment', 'payee-not-registered'].every((rule) => r.rows.some((x) => x.rule_ids.includes(rule))), { timeoutMs: 45_000, what: 'alerts in PostgreSQL' });
    // The register reached the detector through the compacted topic and the blob store: only the left-out account is flagged.
    const flagged = await db.query<{ payload: { findings: { ruleId: string; payments: { row: number }[] }[] } }>("SELECT payload FROM alerts WHERE 'payee-not-registered' = ANY(rule_ids)");
    const flaggedRows = flagged.rows.flatMap((r) => r.payload.findings).filter((f) => f.ruleId === 'payee-not-registered').flatMap((f) => f.payments.map((p) => p.row));
    expect([...new Set(flaggedRows)].sort((a, b) => a - b)).toEqual(unregisteredRows);
    expect(stored.rows.every((r) => r.province_code === '66')).toBe(true);
    // High and critical alerts are e-mailed at once; the rest wait for the auditor's daily digest (preferences).
    const immediate = stored.rows.filter((r) => r.severity === 'high' || r.severity === 'critical');
    expect(immediate.length).toBeGreaterThan(0);
    const mails = await waitUntil(peers.receivedMail, (m) => m.length >= immediate.length, { timeoutMs: 20_000, what: 'e-mails' });
    await new Promise((r) => setTimeout(r, 300));
    expect(await peers.receivedMail()).toHaveLength(immediate.length);
    // One recipient (the Phichit auditor) per immediate alert, exactly once each, with a Thai subject.
    expect(mails.map((m) => m.to)).toEqual(mails.map(() => 'audit.phichit@example.go.th'));
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(mails.length);
    expect(mails[0]!.subject).toMatch(/[\u0E00-\u0E7F]/);
    const central = signToken(alerts.app, { sub: 'c', role: 'central' });
    const list = (await alerts.app.inject({ url: '/v1/alerts', headers: { authorization: `Bearer ${central}` } })).json();
    expect(list.items.length).toBe(stored.rows.length);

    // Invariant 2: replaying disbursements.v1 through a detector (a new group reads it all again) gives the same
    // alert ids; the alert table does not grow and nobody gets a second e-mail.
    const alertsBefore = stored.rows.map((r) => r.alert_id);
    const replay = await detectorWith(`detector-replay-${run}`);
    stoppables.push(replay);
    await replay.start();
    await waitUntil(() => replay.lag(), (l) => l.length > 0 && l.every((p) => p.lag === 0), { timeoutMs: 30_000, what: 'replay drained' });
    await waitUntil(() => alerts.consumer.lag(), (l) => l.every((p) => p.lag === 0), { timeoutMs: 30_000, what: 'alerts consumer drained' });
    expect(await countAlerts()).toBe(alertsBefore.length);
    expect((await db.query<{ alert_id: string }>('SELECT alert_id FROM alerts ORDER BY alert_id')).rows.map((r) => r.alert_id)).toEqual(alertsBefore);
    await new Promise((r) => setTimeout(r, 300));
    expect(await peers.receivedMail()).toHaveLength(mails.length);
  } finally {
    for (const s of stoppables) await s.stop();
    await Promise.all(logs.map((l) => l.close()));
    await db.close();
  }
}
