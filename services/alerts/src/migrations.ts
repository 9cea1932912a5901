/** The alerts service's own tables: the alert store and the notification outbox. */
import type { Migration } from '@paywatch/db';

// One statement per migration: PGlite runs parameterless SQL through the extended protocol,
// which refuses several commands in one string (the shared `migrate` uses `query`, not `exec`).

/** Schema changes of services/alerts, applied in order by `migrate` at start-up. */
export const ALERTS_MIGRATIONS: readonly Migration[] = [
  {
    id: 'alerts-001-alerts',
    sql: `CREATE TABLE alerts (
      alert_id         text PRIMARY KEY,
      lao_code         text NOT NULL,
      -- 'unknown' when the LAO is missing from the registry (the alert is still kept, routed to central)
      province_code    text NOT NULL,
      district         text,
      severity         text NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
      rule_ids         text[] NOT NULL,
      subject          jsonb NOT NULL,
      -- the whole Alert as received; a replay compares against it to decide whether anything changed
      payload          jsonb NOT NULL,
      amount_satang    bigint NOT NULL,
      occurred_on      date NOT NULL,
      rule_set_version text NOT NULL,
      status           text NOT NULL DEFAULT 'new',
      first_seen_at    timestamptz NOT NULL,
      last_seen_at     timestamptz NOT NULL,
      -- number of distinct versions received (1 + changes); identical replays do not count
      times_seen       integer NOT NULL DEFAULT 1
    )`,
  },
  // Inbox queries: newest first, optionally within provinces, by LAO, by severity or status.
  { id: 'alerts-002-alerts-newest', sql: 'CREATE INDEX alerts_newest_idx ON alerts (first_seen_at DESC, alert_id DESC)' },
  { id: 'alerts-003-alerts-province', sql: 'CREATE INDEX alerts_province_newest_idx ON alerts (province_code, first_seen_at DESC, alert_id DESC)' },
  { id: 'alerts-004-alerts-lao', sql: 'CREATE INDEX alerts_lao_newest_idx ON alerts (lao_code, first_seen_at DESC)' },
  {
    id: 'alerts-005-notifications',
    sql: `CREATE TABLE notifications (
      -- derived from idempotency_key, and used as the Message-ID, so a resend is recognisable
      id                  text PRIMARY KEY,
      alert_id            text NOT NULL REFERENCES alerts (alert_id),
      recipient           text NOT NULL,
      channel             text NOT NULL CHECK (channel IN ('email')),
      idempotency_key     text NOT NULL UNIQUE,
      status              text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
      attempts            integer NOT NULL DEFAULT 0,
      -- while pending: when a dispatcher may (re)claim it; a claim pushes it forward by a lease
      next_attempt_at     timestamptz NOT NULL,
      last_error          text,
      created_at          timestamptz NOT NULL,
      sent_at             timestamptz,
      provider_message_id text,
      subject             text NOT NULL,
      body                text NOT NULL
    )`,
  },
  { id: 'alerts-006-notifications-due', sql: "CREATE INDEX notifications_due_idx ON notifications (next_attempt_at) WHERE status = 'pending'" },
  { id: 'alerts-007-notifications-alert', sql: 'CREATE INDEX notifications_alert_idx ON notifications (alert_id)' },
  { id: 'alerts-008-notifications-status', sql: 'CREATE INDEX notifications_status_idx ON notifications (status, created_at DESC)' },
];
