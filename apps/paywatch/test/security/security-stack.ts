// The whole system on real sockets for the security probes: ingest, detector, two alerts replicas on one
// PostgreSQL schema (the real peer), the console in production cookie mode behind nothing, anchors in a blob
// folder, and every service logging at trace level into one capture the probes grep.
import { inject } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { createFolderBlobStore } from '@paywatch/blob-store';
import { createPgDb, type Db } from '@paywatch/db';
import { TOPICS, alertIdFor, type Alert } from '@paywatch/domain';
import { createInProcessEventLog } from '@paywatch/event-log';
import { signToken, type Principal } from '@paywatch/http-kit';
import { createSmtpMailer } from '@paywatch/mail';
import { createLogger, createMetricsRegistry } from '@paywatch/observability';
import { RuleSetConfig } from '@paywatch/rules';
import { SEED_LAO_REGISTRY, SEED_USERS } from '@paywatch/seed';
import { startSmtpSink } from '@paywatch/testkit';
import { buildIngestService } from '@paywatch/ingest';
import { buildDetectorService } from '@paywatch/detector';
import { buildAlertsService } from '@paywatch/alerts';
import { buildConsoleService } from '@paywatch/console';

export const JWT_SECRET = 'security-suite-jwt-secret-of-40-characters';
export const AUDIT_KEY_TEXT = 'security-suite-audit-key-of-40-characters';
export const PASSWORD = 'security-suite-password-2569';

/** Starts everything; `logs()` is every line any service wrote so far. */
export async function startSecurityStack() {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } });
  const logger = (service: string) => createLogger({ service, level: 'trace' }, sink);

  const schema = `sec_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const admin = createPgDb({ connectionString: inject('databaseUrl'), max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.close();
  const dbs: Db[] = [];
  const pg = () => { const d = createPgDb({ connectionString: inject('databaseUrl'), schema, max: 10 }); dbs.push(d); return d; };

  const blobDir = await mkdtemp(join(tmpdir(), 'pw-sec-blobs-'));
  const blobStore = createFolderBlobStore(blobDir);
  const eventLog = createInProcessEventLog({ defaultPartitions: 3 });
  const smtp = await startSmtpSink();
  const mailer = createSmtpMailer({ host: '127.0.0.1', port: smtp.port, from: 'paywatch <paywatch@example.go.th>', timeoutMs: 2_000 });

  const ingest = await buildIngestService({ blobStore, eventLog, registry: SEED_LAO_REGISTRY, logger: logger('ingest'), metrics: createMetricsRegistry('ingest'), jwtSecret: JWT_SECRET });
  const detector = await buildDetectorService({ eventLog, blobStore, ruleSet: RuleSetConfig.parse({}), logger: logger('detector'), metrics: createMetricsRegistry('detector'), jwtSecret: JWT_SECRET });
  const alertsReplica = (i: number) => buildAlertsService({
    db: pg(), eventLog, mailer, registry: SEED_LAO_REGISTRY, users: SEED_USERS, logger: logger(`alerts-${i}`), metrics: createMetricsRegistry('alerts'),
    jwtSecret: JWT_SECRET, consoleBaseUrl: 'http://alerts.test', demoPasswords: Object.fromEntries(SEED_USERS.map((u) => [u.sub, PASSWORD])),
    audit: { key: AUDIT_KEY_TEXT, anchorStore: blobStore }, dispatcher: { pollMs: 50 },
  });
  // One after the other: the first runs the migrations.
  const alerts = [await alertsReplica(1), await alertsReplica(2)];
  const listen = async (app: { listen(o: { port: number; host: string }): Promise<string> }) => app.listen({ port: 0, host: '127.0.0.1' });
  await Promise.all([ingest.start(), detector.start(), ...alerts.map((a) => a.start())]);
  const urls = { ingest: await listen(ingest.app), detector: await listen(detector.app), alerts: await listen(alerts[0]!.app), alerts2: await listen(alerts[1]!.app) };
  const consoleService = await buildConsoleService({
    logger: logger('console'), metrics: createMetricsRegistry('console'), jwtSecret: JWT_SECRET, cookieSecret: 'security-suite-cookie-secret-40-characters',
    upstream: { ingest: urls.ingest, detector: urls.detector, alerts: urls.alerts }, secureCookies: true,
  });
  const consoleUrl = await listen(consoleService.app);

  const token = (p: Principal) => signToken(ingest.app, p);
  /** Puts one alert of LAO 6600101 in the store (through alerts.v1, as the detector would). */
  async function storeAlert(key: string): Promise<string> {
    const subject = { kind: 'payee' as const, key };
    const payments = [{ recordId: 'r1', batchId: 'b_sec', file: 'f.txt', row: 1 }];
    const alert: Alert = {
      alertId: alertIdFor('6600101', subject), laoCode: '6600101', severity: 'high', ruleIds: ['duplicate-payment'], subject, payments,
      findings: [{ ruleId: 'duplicate-payment', ruleVersion: '1.0.0', severity: 'high', laoCode: '6600101', subject, reasons: { th: 'จ่ายซ้ำ', en: 'paid twice' }, evidence: { count: 2 }, payments }],
      reasons: { th: 'จ่ายซ้ำ', en: 'paid twice' }, evidence: { count: 2 }, amountSatang: 4_500_000, occurredOn: '2026-11-22', ruleSetVersion: '2026.11.2',
    };
    const producer = await eventLog.producer();
    await producer.send(TOPICS.alerts, [{ key: alert.laoCode, value: JSON.stringify(alert) }]);
    await producer.close();
    const auditor = token({ sub: 'auditor-66', role: 'provincial-auditor', provinces: ['66'] });
    for (let i = 0; i < 100; i++) {
      const r = await fetch(`${urls.alerts}/v1/alerts/${alert.alertId}`, { headers: { authorization: `Bearer ${auditor}` } });
      if (r.ok) return alert.alertId;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error('alert not stored');
  }

  return {
    urls, consoleUrl, blobDir, db: dbs[0]!, alerts, token, storeAlert, databaseUrl: inject('databaseUrl'), schema,
    logs: () => lines.join(''),
    async close() {
      await consoleService.stop();
      await ingest.stop(); await detector.stop();
      for (const a of alerts) await a.stop();
      await eventLog.close(); await mailer.close(); await smtp.close();
      for (const d of dbs) await d.close();
    },
  };
}
export type SecurityStack = Awaited<ReturnType<typeof startSecurityStack>>;
