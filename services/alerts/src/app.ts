/** Builds the alerts service from the ports it is given (no environment here: main.ts or the embedded runner wires it). */
import type { BlobStore } from '@paywatch/blob-store';
import type { Db } from '@paywatch/db';
import { migrate } from '@paywatch/db';
import type { LaoRegistryEntry } from '@paywatch/domain';
import type { EventLog } from '@paywatch/event-log';
import { createHttpApp, type HttpApp, type HttpGuards, type OidcOptions } from '@paywatch/http-kit';
import type { Mailer } from '@paywatch/mail';
import type { Logger, Registry } from '@paywatch/observability';
import { ALERTS_CONSUMER_GROUP, createAlertConsumer, type AlertConsumer } from './alert-consumer.ts';
import { createAlertsMetrics } from './alerts-metrics.ts';
import { createDispatcher, type Dispatcher, type DispatcherOptions } from './dispatcher.ts';
import { ALERTS_MIGRATIONS } from './migrations.ts';
import { CASE_MIGRATIONS } from './cases/case-migrations.ts';
import { backfillCases } from './cases/case-linker.ts';
import { registerCasesApi } from './cases/cases-api.ts';
import { registerInboxApi } from './cases/inbox-api.ts';
import { registerAlertRoutes } from './routes.ts';
import { registerCaseRoutes } from './case-routes.ts';
import { registerCentreRoutes } from './centre-routes.ts';
import { createLineSender, createWebhookSender, type LineOptions, type WebhookOptions } from './channels/index.ts';
import { registerAuthRoutes } from './auth-routes.ts';
import { seedUsers } from './user-store.ts';
import { DEFAULT_SESSION_POLICY, pruneSessions, type SessionPolicy } from './session-store.ts';
import { createFeedbackPublisher, type FeedbackPublisher } from './feedback.ts';
import { createAlertRouter, type AlertRouter, type AlertUser } from './routing.ts';
import { createEscalator, type EscalationOptions } from './escalation.ts';
import { createDigester, type DigestOptions } from './digest.ts';
import { DEFAULT_NOTIFY_RATE_LIMIT, pruneRateCounters, type NotifyRateLimit } from './notify-rate-limit.ts';
import { channelHealth, type ChannelHealth } from './channel-health.ts';
import { z } from 'zod';
import { requireRole } from '@paywatch/http-kit';
import { counter, gauge, registerConsumerLag } from '@paywatch/observability';
import { createReferenceAuditConsumer, REFERENCE_AUDIT_CONSUMER_GROUP, type ReferenceAuditConsumer } from './reference-audit-consumer.ts';
import { createDeadLetterConsumer, DEAD_LETTER_CONSUMER_GROUP, DEFAULT_DEAD_LETTER_SOURCES, type DeadLetterConsumer } from './dead-letter-consumer.ts';
import { registerOpsLagRoute } from './ops-lag-route.ts';
import type { DeadLetterSource } from './dead-letter-store.ts';
import { registerDeadLetterRoutes } from './dead-letter-routes.ts';
import { registerRevealRoute } from './reveal-route.ts';
import { registerGroupMemberRoutes } from './group-members.ts';
import { registerRegistryRoutes } from './registry-routes.ts';
import { latestRegistry } from './registry-versions.ts';
import { adoptAuditKey, auditKeyOf, bindAuditKey } from './audit-log.ts';
import { createAuditAnchorer, type AuditAnchorer } from './audit-anchors.ts';

/** What the service needs; every port comes from the caller. */
export interface AlertsServiceDeps {
  db: Db;
  /**
   * The audit log's HMAC key (AUDIT_HMAC_KEY, ≥ 32 characters; never stored in the database) and where the chain
   * head is anchored: the blob store (S3 with Object Lock where the bucket offers it) and always the log.
   */
  audit: { key: string; anchorStore?: BlobStore; anchorIntervalMs?: number; anchorRetentionDays?: number };
  eventLog: EventLog;
  mailer: Mailer;
  registry: readonly LaoRegistryEntry[];
  /** People who receive alerts (auditors by province/district, central for unknown LAOs). */
  users: readonly AlertUser[];
  logger: Logger;
  metrics: Registry;
  /** HS256 secret of the bearer tokens. */
  jwtSecret: string;
  /** Accept the identity provider's tokens too (http-kit OIDC). */
  oidc?: OidcOptions;
  /** Rate limits and trusted proxies (http-kit defaults when absent). */
  http?: HttpGuards;
  /** Console session lifetimes (session-store.ts defaults when absent). */
  sessions?: Partial<SessionPolicy>;
  /** The console's address (`CONSOLE_BASE_URL`): every notification links to its alert page, `{base}/alerts/{id}`. */
  consoleBaseUrl?: string;
  /** @deprecated the former name of `consoleBaseUrl`, read when that is absent (callers written before issue 13). */
  publicBaseUrl?: string;
  clock?: () => Date;
  dispatcher?: DispatcherOptions;
  /** Consumer group on alerts.v1. Default `alerts`. */
  consumerGroupId?: string;
  /** When unacknowledged critical alerts are escalated to the province head and the centre. */
  escalation?: EscalationOptions;
  /** A channel failing longer than this raises the ops alarm. Default 30 minutes. */
  channelAlarmAfterMs?: number;
  /** When daily digests go out (Bangkok hour) and how often to look. */
  digest?: DigestOptions;
  /** Immediate notifications per recipient and window, and the critical hard cap (ADR 0019; defaults in notify-rate-limit.ts). */
  notifyRateLimit?: Partial<NotifyRateLimit>;
  /** Topic to consume. Default `alerts.v1` (tests give each run its own). */
  alertsTopic?: string;
  /** Topic of resolutions. Default `alert-feedback.v1`. */
  feedbackTopic?: string;
  /** Signed webhook channel (one secret per deployment); without it no webhook rows are queued. */
  webhook?: WebhookOptions;
  /** LINE Messaging API push channel; without it no LINE rows are queued. */
  line?: LineOptions;
  /** Reference-list audit events from ingest (ADR 0018). Default topic `reference-audit.v1`, group `alerts-reference-audit`. */
  referenceAudit?: { topic?: string; groupId?: string };
  /** Dead-letter topics to keep for ops, and where each replays to. Default: the detector's two and alerts.v1.dlq. */
  deadLetters?: { sources?: readonly DeadLetterSource[]; groupId?: string };
  /** Case attachments (ADR 0016): the blob store they go to (default: the audit anchor store) and the largest accepted. */
  attachments?: { store?: BlobStore; maxBytes?: number };
  /** Embedded demo only: passwords (by sub) for the built-in login; users without one cannot log in with a password. */
  demoPasswords?: Readonly<Record<string, string>>;
  /** argon2id hashes (PHC strings) by sub, from USERS_FILE: how production users get a password for the console. */
  passwordHashes?: Readonly<Record<string, string>>;
}

/** The built service: the HTTP app (not listening yet) and the background loops. */
export interface AlertsService {
  app: HttpApp;
  consumer: AlertConsumer;
  /** Reads the dead-letter topics into `dead_letters` for `/v1/ops/dead-letters`. */
  deadLetterConsumer: DeadLetterConsumer;
  /** Appends ingest's reference-list steps to the audit log. */
  referenceAuditConsumer: ReferenceAuditConsumer;
  dispatcher: Dispatcher;
  /** Publishes resolutions from the feedback outbox to alert-feedback.v1. */
  feedback: FeedbackPublisher;
  /** Every route this service registered (method and URL), for the scope-matrix test. */
  routes: ReadonlyArray<{ method: string; url: string }>;
  /** Sends daily digests (`tick()` for tests). */
  digester: { tick(): Promise<number> };
  /** Escalates unacknowledged critical alerts (`tick()` for tests). */
  escalator: { tick(): Promise<number> };
  /** Anchors the audit chain's head outside the database (`tick()` for tests). */
  anchorer: AuditAnchorer;
  /** Checks notification channels now, updating the alarm gauge and log. */
  checkChannels(): Promise<ChannelHealth[]>;
  /** Starts the dispatcher, then the consumer (resolves once it joined its group). */
  start(): Promise<void>;
  /** Stops consuming, lets the in-flight dispatch finish, closes the HTTP app. Ports stay open (the caller owns them). */
  stop(): Promise<void>;
}

/** Runs the migrations, builds the app with its routes and readiness checks, and wires the consumer to the dispatcher. */
export async function buildAlertsService(deps: AlertsServiceDeps): Promise<AlertsService> {
  const logger = deps.logger;
  const consoleBaseUrl = deps.consoleBaseUrl ?? deps.publicBaseUrl;
  if (!consoleBaseUrl) throw new Error('buildAlertsService: consoleBaseUrl (CONSOLE_BASE_URL) is required: notifications link to the console');
  // Every audit entry this service writes is chained with the key: bound once, to the Db every module gets.
  const auditKey = auditKeyOf(deps.audit.key);
  const db = bindAuditKey(deps.db, auditKey);
  await migrate(db, [...ALERTS_MIGRATIONS, ...CASE_MIGRATIONS]);
  const metrics = createAlertsMetrics(deps.metrics);
  const clock = deps.clock ?? (() => new Date());
  await seedUsers(db, deps.users, deps.demoPasswords ?? {}, clock(), deps.passwordHashes ?? {});
  const adopted = await adoptAuditKey(db, clock());
  if (adopted.sealedLegacyEntries) logger.warn({ legacyEntries: adopted.sealedLegacyEntries, keyId: auditKey.keyId }, 'audit log: legacy sha256 entries sealed under the audit key');
  // Alerts stored before cases existed get theirs now (none on a database that always had cases).
  const backfilled = await backfillCases(db, clock());
  if (backfilled) logger.info({ alerts: backfilled }, 'cases: alerts stored before cases were linked to their cases');
  const anchorer = createAuditAnchorer({
    db, key: auditKey, logger, clock, ...(deps.audit.anchorStore ? { store: deps.audit.anchorStore } : {}),
    ...(deps.audit.anchorIntervalMs ? { intervalMs: deps.audit.anchorIntervalMs } : {}), ...(deps.audit.anchorRetentionDays ? { retentionDays: deps.audit.anchorRetentionDays } : {}),
  });
  // Routing follows the newest imported registry version, else the file or seed given (version 0).
  let inForce = { version: 0, laos: deps.registry.length };
  let current = createAlertRouter({ registry: deps.registry, users: deps.users, logger });
  const router: AlertRouter = { route: (laoCode) => current.route(laoCode), lao: (laoCode) => current.lao(laoCode) };
  const refreshRegistry = async () => {
    const latest = await latestRegistry(db);
    if (!latest || latest.version.version === inForce.version) return;
    current = createAlertRouter({ registry: latest.entries, users: deps.users, logger });
    inForce = { version: latest.version.version, laos: latest.entries.length };
    logger.info({ version: inForce.version, laos: inForce.laos }, 'routing with LAO registry version');
  };
  await refreshRegistry();
  const senders = {
    ...(deps.webhook ? { webhook: createWebhookSender({ ...deps.webhook, clock }) } : {}),
    ...(deps.line ? { line: createLineSender(deps.line) } : {}),
  };
  const dispatcher = createDispatcher({ db: db, mailer: deps.mailer, logger, metrics, senders, ...(deps.clock ? { clock: deps.clock } : {}), ...deps.dispatcher });
  const consumer = createAlertConsumer({
    eventLog: deps.eventLog, db: db, router, logger, metrics, consoleBaseUrl,
    ...(deps.clock ? { clock: deps.clock } : {}), ...(deps.consumerGroupId ? { groupId: deps.consumerGroupId } : {}),
    ...(deps.alertsTopic ? { topic: deps.alertsTopic } : {}),
    onQueued: () => dispatcher.wake(),
    channels: { webhook: !!deps.webhook, line: !!deps.line },
    preferences: new Map(deps.users.filter((u) => u.notify).map((u) => [u.sub, u.notify!])),
    rateLimit: { ...DEFAULT_NOTIFY_RATE_LIMIT, ...deps.notifyRateLimit },
  });

  const app = await createHttpApp({
    service: 'alerts',
    description: 'Alert store, notification outbox and the auditors\' API, scoped by province.',
    logger, metrics: deps.metrics, jwtSecret: deps.jwtSecret, ...(deps.oidc ? { oidc: deps.oidc } : {}),
    readiness: { db: () => db.ping(), mailer: () => deps.mailer.ping(), eventLog: () => deps.eventLog.ping() },
    ...deps.http,
    limitedRoutes: [{ method: 'POST', url: /^\/v1\/auth\/(login|sessions|password)$/, kind: 'login' }],
  });
  // Recorded from here on, so every route of this service (not http-kit's /health, /ready, /metrics, /docs) is listed.
  const routes: Array<{ method: string; url: string }> = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url });
  });
  const feedback = createFeedbackPublisher({ db, eventLog: deps.eventLog, logger, clock, ...(deps.feedbackTopic ? { topic: deps.feedbackTopic } : {}) });
  registerAlertRoutes(app, { db, router });
  registerCaseRoutes(app, { db, router, users: deps.users, clock, feedback });
  registerCentreRoutes(app, { db, router, clock });
  registerCasesApi(app, {
    db, router, users: deps.users, clock, onResolved: () => { feedback.flush().catch(() => undefined); },
    attachments: { store: deps.attachments?.store ?? deps.audit.anchorStore, maxBytes: deps.attachments?.maxBytes },
  });
  registerInboxApi(app, { db, router, users: deps.users, clock });
  const sessionPolicy: SessionPolicy = { ...DEFAULT_SESSION_POLICY, ...deps.sessions };
  registerAuthRoutes(app, { db, clock, logger, metrics: deps.metrics, sessions: sessionPolicy });
  registerRevealRoute(app, { db, clock });
  registerGroupMemberRoutes(app, { db });
  registerRegistryRoutes(app, { db, clock, logger, current: () => inForce, refresh: refreshRegistry });
  const deadLetterRoutes = registerDeadLetterRoutes(app, { db, eventLog: deps.eventLog, clock, logger });
  const deadLettersStored = counter(deps.metrics, 'paywatch_alerts_dead_letters_stored_total', 'Dead letters recorded for ops (first sighting of each source message), by dead-letter topic', ['topic']);
  const deadLetterSources = deps.deadLetters?.sources ?? DEFAULT_DEAD_LETTER_SOURCES;
  // Each topic starts at 0: the first dead letter after a restart must show in increase(), which a new series hides.
  for (const s of deadLetterSources) deadLettersStored.inc({ topic: s.topic }, 0);
  const deadLetterConsumer = createDeadLetterConsumer({
    eventLog: deps.eventLog, db, logger, clock, sources: deadLetterSources,
    ...(deps.deadLetters?.groupId ? { groupId: deps.deadLetters.groupId } : {}), onStored: (n, topic) => deadLettersStored.inc({ topic }, n),
  });
  const referenceAuditConsumer = createReferenceAuditConsumer({
    eventLog: deps.eventLog, db, logger, ...(deps.referenceAudit?.topic ? { topic: deps.referenceAudit.topic } : {}), ...(deps.referenceAudit?.groupId ? { groupId: deps.referenceAudit.groupId } : {}),
  });
  const lagSources = [
    { groupId: deps.consumerGroupId ?? ALERTS_CONSUMER_GROUP, lag: () => consumer.lag() },
    { groupId: deps.deadLetters?.groupId ?? DEAD_LETTER_CONSUMER_GROUP, lag: () => deadLetterConsumer.lag() },
    { groupId: deps.referenceAudit?.groupId ?? REFERENCE_AUDIT_CONSUMER_GROUP, lag: () => referenceAuditConsumer.lag() },
  ];
  registerOpsLagRoute(app, lagSources);
  registerConsumerLag(deps.metrics, lagSources);
  const digester = createDigester({ db, router, logger, consoleBaseUrl, clock, onQueued: () => dispatcher.wake(), ...deps.digest });
  const escalator = createEscalator({ db, router, users: deps.users, logger, consoleBaseUrl, clock, onQueued: () => dispatcher.wake(), ...deps.escalation });
  const channelAlarmMs = deps.channelAlarmAfterMs ?? 30 * 60_000;
  const failingGauge = gauge(deps.metrics, 'paywatch_alerts_channel_failing', '1 when a notification channel has been failing longer than the alarm threshold', ['channel']);
  const checkChannels = async () => {
    const health = await channelHealth(db, clock(), channelAlarmMs);
    for (const h of health) {
      failingGauge.set({ channel: h.channel }, h.alarm ? 1 : 0);
      if (h.alarm) logger.error({ channel: h.channel, failingSince: h.failingSince, failingPending: h.failingPending }, 'notification channel has been failing longer than the alarm threshold');
    }
    return health;
  };
  app.get('/v1/ops/channels', {
    schema: {
      summary: 'Notification channels: failing and dead notifications, and whether a channel has been failing longer than the alarm threshold',
      response: { 200: z.object({ alarmAfterMs: z.number(), channels: z.array(z.object({ channel: z.string(), failingPending: z.number(), dead: z.number(), failingSince: z.string().nullable(), alarm: z.boolean(), lastSentAt: z.string().nullable() })) }) },
    },
  }, async (req) => {
    requireRole(req, 'ops', 'central', 'admin');
    return { alarmAfterMs: channelAlarmMs, channels: await checkChannels() };
  });
  let channelTimer: NodeJS.Timeout | null = null;

  let started = false;
  return {
    app, consumer, deadLetterConsumer, referenceAuditConsumer, dispatcher, feedback, routes, escalator, digester, checkChannels, anchorer,
    async start() {
      if (started) return;
      started = true;
      dispatcher.start();
      feedback.start();
      escalator.start();
      digester.start();
      anchorer.start();
      channelTimer = setInterval(() => {
        void checkChannels().catch((err) => logger.error({ err }, 'channel health check failed'));
        // A registry imported through another replica reaches this one within the minute.
        void refreshRegistry().catch((err) => logger.error({ err }, 'LAO registry refresh failed'));
        void pruneSessions(db, clock()).catch((err) => logger.error({ err }, 'session pruning failed'));
        void pruneRateCounters(db, clock()).catch((err) => logger.error({ err }, 'rate counter pruning failed'));
      }, 60_000);
      channelTimer.unref();
      void feedback.flush().catch(() => undefined);
      // In parallel: each new group waits for its first join (3 s on the Kafka test peer).
      await Promise.all([consumer.start(), deadLetterConsumer.start(), referenceAuditConsumer.start()]);
      logger.info({ consoleBaseUrl }, 'alerts service started');
    },
    async stop() {
      if (started) {
        started = false;
        await Promise.all([consumer.stop(), deadLetterConsumer.stop(), referenceAuditConsumer.stop()]);
        await dispatcher.stop();
        escalator.stop();
        digester.stop();
        if (channelTimer) clearInterval(channelTimer);
        await anchorer.stop();
      }
      await feedback.stop();
      await deadLetterRoutes.close();
      await app.close();
    },
  };
}
