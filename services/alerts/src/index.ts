/** @paywatch/alerts — the alert store, notification outbox and auditors' API; the embedded runner builds it with its own ports. */
export { buildAlertsService, type AlertsService, type AlertsServiceDeps } from './app.ts';
export type { DispatcherOptions, Dispatcher, TickResult } from './dispatcher.ts';
export type { AlertConsumer } from './alert-consumer.ts';
export { ALERTS_DLQ_TOPIC, ALERTS_CONSUMER_GROUP, DLQ_CODES } from './alert-consumer.ts';
export type { AlertUser, Recipient, AlertRoute } from './routing.ts';
export { UNKNOWN_PROVINCE } from './routing.ts';
export { ALERTS_MIGRATIONS } from './migrations.ts';
export { renderAlertEmail, formatThaiDate, legalBasisFor } from './templates.ts';
