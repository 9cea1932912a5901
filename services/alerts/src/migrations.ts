/** The alerts service's own tables: alert store, outbox, case workflow, audit log, snoozes, feedback, users. */
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
  // Case workflow (issue 5): who holds the case and how it ended.
  { id: 'alerts-009-alerts-assignee', sql: 'ALTER TABLE alerts ADD COLUMN assignee text' },
  { id: 'alerts-010-alerts-disposition', sql: `ALTER TABLE alerts ADD COLUMN disposition text CHECK (disposition IN ('confirmed', 'false-positive', 'explained', 'referred'))` },
  { id: 'alerts-011-alerts-resolution', sql: 'ALTER TABLE alerts ADD COLUMN resolution_reason text' },
  { id: 'alerts-012-alerts-resolved-at', sql: 'ALTER TABLE alerts ADD COLUMN resolved_at timestamptz' },
  { id: 'alerts-013-alerts-status-check', sql: `ALTER TABLE alerts ADD CONSTRAINT alerts_status_check CHECK (status IN ('new', 'acknowledged', 'investigating', 'resolved'))` },
  {
    id: 'alerts-014-comments',
    sql: `CREATE TABLE alert_comments (
      id          bigserial PRIMARY KEY,
      alert_id    text NOT NULL REFERENCES alerts (alert_id),
      author      text NOT NULL,
      text        text NOT NULL,
      -- document numbers (ฎีกา, letters), not uploads
      doc_refs    text[] NOT NULL DEFAULT '{}',
      created_at  timestamptz NOT NULL
    )`,
  },
  { id: 'alerts-015-comments-alert', sql: 'CREATE INDEX alert_comments_alert_idx ON alert_comments (alert_id, id)' },
  {
    id: 'alerts-016-audit-log',
    sql: `CREATE TABLE audit_log (
      seq        bigint PRIMARY KEY,
      at         timestamptz NOT NULL,
      actor      text NOT NULL,
      action     text NOT NULL,
      alert_id   text,
      payload    jsonb NOT NULL,
      prev_hash  text NOT NULL,
      -- sha256(prev_hash + canonical JSON of {seq, at, actor, action, alertId, payload})
      hash       text NOT NULL
    )`,
  },
  { id: 'alerts-017-audit-log-alert', sql: 'CREATE INDEX audit_log_alert_idx ON audit_log (alert_id, seq)' },
  // The chain's head: one row, locked by every append so seqs are gap-free in commit order, and compared
  // by the verifier so a deleted tail is noticed too.
  { id: 'alerts-018-audit-head', sql: 'CREATE TABLE audit_head (id boolean PRIMARY KEY DEFAULT true CHECK (id), seq bigint NOT NULL, hash text NOT NULL)' },
  { id: 'alerts-019-audit-head-genesis', sql: `INSERT INTO audit_head (id, seq, hash) VALUES (true, 0, '${'0'.repeat(64)}')` },
  {
    id: 'alerts-020-audit-refuse-fn',
    sql: `CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege'; END $$`,
  },
  { id: 'alerts-021-audit-refuse-row', sql: 'CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()' },
  { id: 'alerts-022-audit-refuse-truncate', sql: 'CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()' },
  {
    id: 'alerts-023-snoozes',
    sql: `CREATE TABLE snoozes (
      id             text PRIMARY KEY,
      lao_code       text NOT NULL,
      province_code  text NOT NULL,
      district       text,
      rule_id        text NOT NULL,
      payee_account  text NOT NULL,
      reason         text NOT NULL,
      alert_id       text NOT NULL REFERENCES alerts (alert_id),
      created_by     text NOT NULL,
      created_at     timestamptz NOT NULL,
      expires_at     timestamptz NOT NULL,
      CHECK (expires_at > created_at AND expires_at <= created_at + interval '180 days')
    )`,
  },
  { id: 'alerts-024-snoozes-match', sql: 'CREATE INDEX snoozes_match_idx ON snoozes (lao_code, payee_account, expires_at)' },
  // Snooze ids that kept a first sighting from notifying (null = notified normally).
  { id: 'alerts-025-alerts-suppressed', sql: 'ALTER TABLE alerts ADD COLUMN suppressed_by text[]' },
  {
    id: 'alerts-026-feedback-outbox',
    sql: `CREATE TABLE feedback_outbox (
      id            bigserial PRIMARY KEY,
      alert_id      text NOT NULL,
      lao_code      text NOT NULL,
      payload       jsonb NOT NULL,
      created_at    timestamptz NOT NULL,
      published_at  timestamptz
    )`,
  },
  { id: 'alerts-027-feedback-pending', sql: 'CREATE INDEX feedback_outbox_pending_idx ON feedback_outbox (id) WHERE published_at IS NULL' },
  {
    id: 'alerts-028-users',
    sql: `CREATE TABLE users (
      sub            text PRIMARY KEY,
      name           text,
      email          text NOT NULL,
      role           text NOT NULL CHECK (role IN ('finance', 'district-auditor', 'provincial-auditor', 'central', 'ops', 'admin')),
      provinces      text[] NOT NULL DEFAULT '{}',
      district       text,
      lao_code       text,
      -- argon2id; null = no password login (bearer tokens from the identity provider only)
      password_hash  text,
      webhook_url    text,
      line_user_id   text,
      updated_at     timestamptz NOT NULL
    )`,
  },
  { id: 'alerts-029-login-failures', sql: 'CREATE TABLE login_failures (username text NOT NULL, at timestamptz NOT NULL)' },
  { id: 'alerts-030-login-failures-idx', sql: 'CREATE INDEX login_failures_idx ON login_failures (username, at)' },
  { id: 'alerts-031-notifications-channel', sql: 'ALTER TABLE notifications DROP CONSTRAINT notifications_channel_check' },
  { id: 'alerts-032-notifications-channels', sql: `ALTER TABLE notifications ADD CONSTRAINT notifications_channel_check CHECK (channel IN ('email', 'webhook', 'line'))` },
  // Escalation: when a critical alert still unacknowledged was re-sent to the province head and the centre.
  { id: 'alerts-033-escalated-at', sql: 'ALTER TABLE alerts ADD COLUMN escalated_at timestamptz' },
  // Daily digests: alerts below a recipient's immediate threshold, until a digest includes them.
  {
    id: 'alerts-034-digest-items',
    sql: `CREATE TABLE digest_items (
      recipient   text NOT NULL,
      alert_id    text NOT NULL REFERENCES alerts (alert_id),
      day         date NOT NULL,
      queued_at   timestamptz NOT NULL,
      included_at timestamptz,
      PRIMARY KEY (recipient, alert_id)
    )`,
  },
  { id: 'alerts-035-digest-due', sql: 'CREATE INDEX digest_items_due_idx ON digest_items (day) WHERE included_at IS NULL' },
  // Dead letters of the detector and of this service (dead-letter-consumer.ts), one row per source message.
  {
    id: 'alerts-036-dead-letters',
    sql: `CREATE TABLE dead_letters (
      id                bigserial PRIMARY KEY,
      dlq_topic         text NOT NULL,
      dlq_partition     integer NOT NULL,
      dlq_offset        bigint NOT NULL,
      -- the message that failed (from the writer's headers; the DLQ position when a writer named none)
      source_topic      text NOT NULL,
      source_partition  integer NOT NULL,
      source_offset     bigint NOT NULL,
      -- where a replay publishes: the DLQ name without .dlq, or the source topic when the DLQ allows it
      replay_topic      text NOT NULL,
      reason            text NOT NULL,
      code              text,
      msg_key           text,
      -- the original bytes, for the replay only: the API shows a masked shape
      msg_value         bytea NOT NULL,
      headers           jsonb NOT NULL,
      size_bytes        integer NOT NULL,
      dead_at           timestamptz NOT NULL,
      received_at       timestamptz NOT NULL,
      replayed_at       timestamptz,
      replayed_by       text,
      UNIQUE (source_topic, source_partition, source_offset)
    )`,
  },
  { id: 'alerts-037-dead-letters-newest', sql: 'CREATE INDEX dead_letters_newest_idx ON dead_letters (dead_at DESC, id DESC)' },
  {
    // Every imported LAO registry, whole; the highest version routes (registry-versions.ts).
    id: 'alerts-038-lao-registry-versions',
    sql: `CREATE TABLE lao_registry_versions (
      version      integer PRIMARY KEY,
      sha256       text NOT NULL,
      imported_by  text NOT NULL,
      imported_at  timestamptz NOT NULL,
      laos         integer NOT NULL,
      rejected     integer NOT NULL,
      entries      jsonb NOT NULL
    )`,
  },
  // Login throttle (login-throttle.ts): one row per bucket (address:…, account:…, name:…), counted atomically.
  {
    id: 'alerts-039-login-throttle',
    sql: `CREATE TABLE login_throttle (
      key              text PRIMARY KEY,
      failures         integer NOT NULL,
      last_failure_at  timestamptz NOT NULL,
      locked_until     timestamptz
    )`,
  },
  { id: 'alerts-040-login-known-addresses', sql: 'CREATE TABLE login_known_addresses (sub text NOT NULL, address text NOT NULL, last_success_at timestamptz NOT NULL, PRIMARY KEY (sub, address))' },
  // The per-username failure log it replaces (read then written, so parallel guesses all got through).
  { id: 'alerts-041-drop-login-failures', sql: 'DROP TABLE login_failures' },
  // Console sessions (session-store.ts): the id's sha256 only, so a copy of the table logs nobody in.
  {
    id: 'alerts-042-sessions',
    sql: `CREATE TABLE sessions (
      id_hash         text PRIMARY KEY,
      sub             text NOT NULL,
      created_at      timestamptz NOT NULL,
      expires_at      timestamptz NOT NULL,
      last_seen_at    timestamptz NOT NULL,
      revoked_at      timestamptz,
      revoked_reason  text CHECK (revoked_reason IN ('logout', 'password-change', 'user-removed'))
    )`,
  },
  { id: 'alerts-043-sessions-sub', sql: 'CREATE INDEX sessions_sub_idx ON sessions (sub) WHERE revoked_at IS NULL' },
  // Audit chain v2 (audit-log.ts): entries HMAC-chained under AUDIT_HMAC_KEY; existing rows are the legacy sha256 part.
  { id: 'alerts-044-audit-chain', sql: `ALTER TABLE audit_log ADD COLUMN chain text NOT NULL DEFAULT 'sha256' CHECK (chain IN ('sha256', 'hmac-sha256'))` },
  { id: 'alerts-045-audit-key-id', sql: 'ALTER TABLE audit_log ADD COLUMN key_id text' },
  // Storm control (ADR 0019): every payment a group alert stands for; its payload lists the first few only.
  {
    id: 'alerts-046-alert-group-members',
    sql: `CREATE TABLE alert_group_members (
      alert_id              text NOT NULL REFERENCES alerts (alert_id),
      record_id             text NOT NULL,
      batch_id              text NOT NULL,
      file                  text NOT NULL,
      row_no                integer NOT NULL,
      effective_date        text NOT NULL,
      amount_satang         bigint NOT NULL,
      payee_name            text NOT NULL,
      payee_bank_code       text NOT NULL,
      payee_account_masked  text NOT NULL,
      severity              text NOT NULL,
      subject               jsonb NOT NULL,
      payments              jsonb NOT NULL,
      PRIMARY KEY (alert_id, record_id)
    )`,
  },
  // Per-recipient rate limit on immediate notifications (notify-rate-limit.ts): one counter per fixed window.
  { id: 'alerts-047-notify-rate', sql: 'CREATE TABLE notify_rate (recipient text NOT NULL, window_start timestamptz NOT NULL, sent integer NOT NULL, PRIMARY KEY (recipient, window_start))' },
  // Digest items of two kinds: 'daily' (below the recipient's immediate threshold) and 'window' (over the rate limit,
  // sent when the window ends at due_at).
  { id: 'alerts-048-digest-kind', sql: `ALTER TABLE digest_items ADD COLUMN kind text NOT NULL DEFAULT 'daily' CHECK (kind IN ('daily', 'window'))` },
  { id: 'alerts-049-digest-due-at', sql: 'ALTER TABLE digest_items ADD COLUMN due_at timestamptz' },
  { id: 'alerts-050-digest-window-due', sql: "CREATE INDEX digest_items_window_due_idx ON digest_items (due_at) WHERE included_at IS NULL AND kind = 'window'" },
  // The LAO's second approver (ADR 0018): may approve a reference list that drops more than half of the one in force.
  { id: 'alerts-051-users-second-approver', sql: 'ALTER TABLE users ADD COLUMN second_approver boolean NOT NULL DEFAULT false' },
  // Reference audit events already appended (reference-audit-consumer.ts): redelivery appends nothing twice.
  { id: 'alerts-052-reference-audit-events', sql: 'CREATE TABLE reference_audit_events (event_id text PRIMARY KEY)' },
];
