/** @paywatch/alerts — the alert store, notification outbox and auditors' API; the embedded runner builds it with its own ports. */
export { buildAlertsService, type AlertsService, type AlertsServiceDeps } from './app.ts';
export type { DispatcherOptions, Dispatcher, TickResult } from './dispatcher.ts';
export type { AlertConsumer } from './alert-consumer.ts';
export { ALERTS_DLQ_TOPIC, ALERTS_CONSUMER_GROUP, DLQ_CODES } from './alert-consumer.ts';
export type { AlertUser, Recipient, AlertRoute } from './routing.ts';
export { UNKNOWN_PROVINCE } from './routing.ts';
export { ALERTS_MIGRATIONS } from './migrations.ts';
export { renderAlertEmail, legalBasisFor } from './templates.ts';
export { verifyAuditChain, auditTrailOf, canonicalJson, GENESIS_HASH, type AuditEntry, type AuditVerification } from './audit-log.ts';
export { ALERT_STATUSES, DISPOSITIONS, TRANSITIONS } from './case-store.ts';
export { ALERTS_ERRORS } from './errors.ts';
export type { AlertFeedback, FeedbackPublisher, RuleReportRow } from './feedback.ts';
export { verifyWebhookSignature, signWebhook, WEBHOOK_HEADERS, LINE_API_BASE_URL, type WebhookOptions, type LineOptions, type ChannelSender } from './channels/index.ts';
export { MAX_LOGIN_FAILURES, LOGIN_WINDOW_MS } from './user-store.ts';
export { MAX_SNOOZE_DAYS } from './snoozes.ts';
export { CHANNELS, type Channel } from './outbox.ts';
export { DEAD_LETTER_CONSUMER_GROUP, DEFAULT_DEAD_LETTER_SOURCES, type DeadLetterConsumer } from './dead-letter-consumer.ts';
export { REPLAY_HEADER, maskedPreview, redactReason, type DeadLetterSource, type DeadLetterView } from './dead-letter-store.ts';
