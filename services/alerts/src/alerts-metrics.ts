/** The alerts service's Prometheus metrics, declared once on the registry it is given. */
import { counter, gauge, type Counter, type Gauge, type Registry } from '@paywatch/observability';

/** Counters and gauges of the alert store and the outbox. */
export interface AlertsMetrics {
  /** Label `outcome`: new | changed | unchanged. */
  upserted: Counter<string>;
  /** Messages on alerts.v1 that did not parse as an Alert (dead-lettered). */
  invalid: Counter<string>;
  /** Labels `channel`, `outcome`: sent | failed | dead. A failed attempt that is retried counts as failed. */
  notifications: Counter<string>;
  /** Label `channel`: notifications waiting to be sent (including those waiting for a retry). */
  outboxPending: Gauge<string>;
  /** Label `severity`: immediate notifications a recipient's rate limit moved to the window digest (ADR 0019). */
  rateLimited: Counter<string>;
}

/** Gets or creates the metrics on `registry` (idempotent, so several builds can share a registry). */
export function createAlertsMetrics(registry: Registry): AlertsMetrics {
  return {
    upserted: counter(registry, 'paywatch_alerts_upserted_total', 'Alerts upserted, by outcome (new, changed, unchanged)', ['outcome']),
    invalid: counter(registry, 'paywatch_alerts_invalid_total', 'Messages on alerts.v1 that are not valid alerts (sent to the DLQ)'),
    notifications: counter(registry, 'paywatch_notifications_total', 'Notification delivery attempts, by channel and outcome (sent, failed, dead)', ['channel', 'outcome']),
    outboxPending: gauge(registry, 'paywatch_outbox_pending', 'Notifications waiting in the outbox', ['channel']),
    rateLimited: counter(registry, 'paywatch_alerts_notifications_rate_limited_total', 'Immediate notifications held for the rate-window digest by a recipient\'s rate limit, by severity', ['severity']),
  };
}
