/** Builds the alerts service from the ports it is given (no environment here: main.ts or the embedded runner wires it). */
import type { Db } from '@paywatch/db';
import { migrate } from '@paywatch/db';
import type { LaoRegistryEntry } from '@paywatch/domain';
import type { EventLog } from '@paywatch/event-log';
import { createHttpApp, type HttpApp } from '@paywatch/http-kit';
import type { Mailer } from '@paywatch/mail';
import type { Logger, Registry } from '@paywatch/observability';
import { createAlertConsumer, type AlertConsumer } from './alert-consumer.ts';
import { createAlertsMetrics } from './alerts-metrics.ts';
import { createDispatcher, type Dispatcher, type DispatcherOptions } from './dispatcher.ts';
import { ALERTS_MIGRATIONS } from './migrations.ts';
import { registerAlertRoutes } from './routes.ts';
import { createAlertRouter, type AlertUser } from './routing.ts';

/** What the service needs; every port comes from the caller. */
export interface AlertsServiceDeps {
  db: Db;
  eventLog: EventLog;
  mailer: Mailer;
  registry: readonly LaoRegistryEntry[];
  /** People who receive alerts (auditors by province/district, central for unknown LAOs). */
  users: readonly AlertUser[];
  logger: Logger;
  metrics: Registry;
  /** HS256 secret of the bearer tokens. */
  jwtSecret: string;
  /** Base of the links in e-mails, e.g. `https://paywatch.example.go.th/alerts`. */
  publicBaseUrl: string;
  clock?: () => Date;
  dispatcher?: DispatcherOptions;
  /** Consumer group on alerts.v1. Default `alerts`. */
  consumerGroupId?: string;
  /** Topic to consume. Default `alerts.v1` (tests give each run its own). */
  alertsTopic?: string;
}

/** The built service: the HTTP app (not listening yet) and the background loops. */
export interface AlertsService {
  app: HttpApp;
  consumer: AlertConsumer;
  dispatcher: Dispatcher;
  /** Starts the dispatcher, then the consumer (resolves once it joined its group). */
  start(): Promise<void>;
  /** Stops consuming, lets the in-flight dispatch finish, closes the HTTP app. Ports stay open (the caller owns them). */
  stop(): Promise<void>;
}

/** Runs the migrations, builds the app with its routes and readiness checks, and wires the consumer to the dispatcher. */
export async function buildAlertsService(deps: AlertsServiceDeps): Promise<AlertsService> {
  const logger = deps.logger;
  await migrate(deps.db, ALERTS_MIGRATIONS);
  const metrics = createAlertsMetrics(deps.metrics);
  const router = createAlertRouter({ registry: deps.registry, users: deps.users, logger });
  const dispatcher = createDispatcher({ db: deps.db, mailer: deps.mailer, logger, metrics, ...(deps.clock ? { clock: deps.clock } : {}), ...deps.dispatcher });
  const consumer = createAlertConsumer({
    eventLog: deps.eventLog, db: deps.db, router, logger, metrics, publicBaseUrl: deps.publicBaseUrl,
    ...(deps.clock ? { clock: deps.clock } : {}), ...(deps.consumerGroupId ? { groupId: deps.consumerGroupId } : {}),
    ...(deps.alertsTopic ? { topic: deps.alertsTopic } : {}),
    onQueued: () => dispatcher.wake(),
  });

  const app = await createHttpApp({
    service: 'alerts',
    description: 'Alert store, notification outbox and the auditors\' API, scoped by province.',
    logger, metrics: deps.metrics, jwtSecret: deps.jwtSecret,
    readiness: { db: () => deps.db.ping(), mailer: () => deps.mailer.ping(), eventLog: () => deps.eventLog.ping() },
  });
  registerAlertRoutes(app, { db: deps.db, router, publicBaseUrl: deps.publicBaseUrl });

  let started = false;
  return {
    app, consumer, dispatcher,
    async start() {
      if (started) return;
      started = true;
      dispatcher.start();
      await consumer.start();
      logger.info({ publicBaseUrl: deps.publicBaseUrl }, 'alerts service started');
    },
    async stop() {
      if (started) {
        started = false;
        await consumer.stop();
        await dispatcher.stop();
      }
      await app.close();
    },
  };
}
