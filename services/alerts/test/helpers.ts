// Shared fixtures of the alerts tests: a fresh PostgreSQL schema per test, alerts that look like the
// detector's, a manual clock, a log capture, and the whole service wired to real peers.
import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { createPgDb, type Db } from '@paywatch/db';
import { TOPICS, alertIdFor, type Alert, type Finding, type Severity } from '@paywatch/domain';
import { createInProcessEventLog, type BatchContext, type ConsumedBatch, type EventLog } from '@paywatch/event-log';
import { signToken, type Principal } from '@paywatch/http-kit';
import { createSmtpMailer, type Mailer } from '@paywatch/mail';
import { createLogger, createMetricsRegistry, type Logger, type Registry } from '@paywatch/observability';
import { SEED_LAO_REGISTRY, SEED_USERS } from '@paywatch/seed';
import { startSmtpSink, type SmtpSink } from '@paywatch/testkit';
import { buildAlertsService, type AlertsService, type AlertsServiceDeps } from '../src/app.ts';
import type { DispatcherOptions } from '../src/dispatcher.ts';
import { auditKeyOf } from '../src/audit-log.ts';
import type { AlertUser } from '../src/routing.ts';

export const CONSOLE_BASE_URL = 'https://paywatch.example.go.th';
export const JWT_SECRET = 'test-secret-of-at-least-32-characters!!';
/** The audit log's HMAC key in tests (production: AUDIT_HMAC_KEY). */
export const AUDIT_KEY_TEXT = 'test-audit-hmac-key-of-32-characters-or-more';
export const AUDIT_KEY = auditKeyOf(AUDIT_KEY_TEXT);

/** The seed users plus a district auditor of เมืองพิจิตร, so an LAO there has two recipients. */
export const TEST_USERS: readonly AlertUser[] = [
  ...SEED_USERS,
  { sub: 'district-6601', name: 'นายอำเภอเมืองพิจิตร (ท้องถิ่นอำเภอ)', email: 'audit.muangphichit@example.go.th', role: 'district-auditor', provinces: ['66'], district: 'เมืองพิจิตร' },
];

/** A Db on a schema no other test uses (search_path), so tests can run in parallel on one server. */
export async function freshPgDb(options: { max?: number; schema?: string } = {}): Promise<Db & { schema: string }> {
  const schema = options.schema ?? `t_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  if (!options.schema) {
    const admin = createPgDb({ connectionString: inject('databaseUrl'), max: 1 });
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.close();
  }
  return Object.assign(createPgDb({ connectionString: inject('databaseUrl'), schema, ...(options.max ? { max: options.max } : {}) }), { schema });
}

/** A clock the test moves by hand. */
export function manualClock(start = '2026-11-23T02:00:00.000Z') {
  let now = new Date(start);
  return { now: () => now, advance(ms: number) { now = new Date(now.getTime() + ms); } };
}

/** A logger whose JSON lines the test can read. */
export function captureLogger(): { logger: Logger; lines: () => Array<Record<string, unknown>> } {
  const out: string[] = [];
  const stream = new Writable({ write(chunk, _enc, cb) { out.push(String(chunk)); cb(); } });
  const logger = createLogger({ service: 'alerts-test', level: 'debug' }, stream);
  return { logger, lines: () => out.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

export const silentLogger = (): Logger => createLogger({ service: 'alerts-test', level: 'silent' });

/** A duplicate-payment alert shaped like the detector's: two payments of 22,500.00 baht to account 0123454321. */
export function makeAlert(options: { laoCode?: string; key?: string; severity?: Severity; amountSatang?: number; extraFinding?: boolean } = {}): Alert {
  const laoCode = options.laoCode ?? '6600101';
  const subject = { kind: 'payee' as const, key: options.key ?? '006:0123454321' };
  const payments = [
    { recordId: 'r1', batchId: 'b_2026_11_a', file: 'ktb-20261120.txt', row: 12 },
    { recordId: 'r2', batchId: 'b_2026_11_b', file: 'ktb-20261122.txt', row: 7 },
  ];
  const findings: Finding[] = [{
    ruleId: 'duplicate-payment', ruleVersion: '1.0.0', severity: options.severity ?? 'high', laoCode, subject,
    reasons: {
      th: 'จ่ายเงินเข้าบัญชี 0123454321 ยอด 22,500.00 บาท ซ้ำ 2 ครั้งภายใน 30 วัน โดยไม่มีฎีกาแยก',
      en: 'Paid 22,500.00 baht to account 0123454321 twice within 30 days without distinct vouchers',
    },
    evidence: { payeeAccount: '0123454321', amountSatang: 2_250_000, count: 2, windowDays: 30 },
    payments,
  }];
  if (options.extraFinding) {
    findings.push({
      ruleId: 'off-hours', ruleVersion: '1.0.0', severity: 'medium', laoCode, subject,
      reasons: { th: 'โอนเงินเวลา 23:40 น. นอกเวลาทำการ', en: 'Transferred at 23:40, outside business hours' },
      evidence: { executedAtBangkok: '2026-11-22 23:40' }, payments: [payments[1]!],
    });
  }
  return {
    alertId: alertIdFor(laoCode, subject), laoCode, severity: options.severity ?? 'high',
    ruleIds: findings.map((f) => f.ruleId), subject, findings, payments,
    reasons: findings[0]!.reasons,
    evidence: { payeeAccount: '0123454321', totalSatang: options.amountSatang ?? 4_500_000, payments: 2 },
    amountSatang: options.amountSatang ?? 4_500_000, occurredOn: '2026-11-22', ruleSetVersion: '2026.11.1',
  };
}

/** A batch of alerts.v1 messages as the log would hand them over, starting at `firstOffset`. */
export function batchOf(values: Array<Alert | string>, firstOffset = 0): ConsumedBatch {
  return {
    topic: TOPICS.alerts, partition: 0,
    messages: values.map((v, i) => ({
      topic: TOPICS.alerts, partition: 0, offset: String(firstOffset + i), key: typeof v === 'string' ? null : v.laoCode,
      value: Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)), headers: {}, timestamp: String(Date.now()),
    })),
  };
}

/** A batch context that records commits. */
export function recordingContext(): BatchContext & { commits: string[] } {
  const commits: string[] = [];
  return { commits, async commit(o) { commits.push(o); }, async heartbeat() {} };
}

/** Sum of a counter's values matching `labels` (all values when omitted). */
export async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values.filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)).reduce((s, v) => s + v.value, 0);
}

/** Publishes alerts (or raw strings) on alerts.v1, keyed by LAO like the detector does. */
export async function publish(eventLog: EventLog, values: Array<Alert | string>): Promise<void> {
  const producer = await eventLog.producer();
  await producer.send(TOPICS.alerts, values.map((v) => (typeof v === 'string' ? { key: null, value: v } : { key: v.laoCode, value: JSON.stringify(v) })));
  await producer.close();
}

/** The whole service on a fresh PostgreSQL schema, the in-process event log and a real SMTP sink (not started). */
export async function serviceOnPg(options: {
  dispatcher?: DispatcherOptions; clock?: () => Date; logger?: Logger; mailer?: Mailer;
  users?: readonly AlertUser[]; extra?: Partial<AlertsServiceDeps>; db?: Db & { schema: string };
} = {}) {
  const db = options.db ?? await freshPgDb();
  const sink = await startSmtpSink();
  const eventLog = createInProcessEventLog({ retryBackoff: { initialMs: 10, maxMs: 50 } });
  const mailer = options.mailer ?? createSmtpMailer({ host: '127.0.0.1', port: sink.port, from: 'paywatch <paywatch@example.go.th>', timeoutMs: 2_000 });
  const metrics = createMetricsRegistry('alerts');
  const service: AlertsService = await buildAlertsService({
    db, eventLog, mailer, registry: SEED_LAO_REGISTRY, users: options.users ?? TEST_USERS, logger: options.logger ?? silentLogger(), metrics,
    jwtSecret: JWT_SECRET, audit: { key: AUDIT_KEY_TEXT }, consoleBaseUrl: CONSOLE_BASE_URL, dispatcher: { pollMs: 20, baseBackoffMs: 1_000, maxAttempts: 3, ...options.dispatcher },
    // Tests about other things mail dozens of alerts to one auditor: the rate limit's own tests set theirs.
    notifyRateLimit: { perWindow: 10_000, criticalPerWindow: 10_000 },
    ...(options.clock ? { clock: options.clock } : {}),
    ...options.extra,
  });
  await service.app.ready();
  const token = (p: Principal) => signToken(service.app, p);
  const close = async () => {
    await service.stop();
    await eventLog.close();
    await mailer.close();
    await sink.close();
    await db.close();
  };
  return { db, sink, eventLog, mailer, metrics, service, token, close };
}

export type PgService = Awaited<ReturnType<typeof serviceOnPg>>;
