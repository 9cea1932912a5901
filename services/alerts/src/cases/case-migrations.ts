/** Tables of cases (ADR 0016): a case groups the alerts about one LAO's payee or batch; plus saved inbox filters. */
import type { Migration } from '@paywatch/db';

const RANK_SQL = `CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END`;
const DAYS_SQL = `CASE severity WHEN 'critical' THEN 3 WHEN 'high' THEN 7 WHEN 'medium' THEN 14 ELSE 30 END`;

/** Applied after ALERTS_MIGRATIONS (one statement each, like them: PGlite runs one command per string). */
export const CASE_MIGRATIONS: readonly Migration[] = [
  {
    id: 'cases-001-cases',
    sql: `CREATE TABLE cases (
      -- cs_ + sha256(group kind | LAO | group key): the same alerts always open the same case (idempotent)
      case_id           text PRIMARY KEY,
      group_kind        text NOT NULL CHECK (group_kind IN ('payee', 'batch', 'alert')),
      -- masked for display (accounts as ******1234); the unmasked key only ever enters the id's hash
      group_label       text NOT NULL,
      lao_code          text NOT NULL,
      province_code     text NOT NULL,
      district          text,
      status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
      severity          text NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
      severity_rank     smallint NOT NULL,
      -- distinct payments of every alert of the case, each counted once (case_payments)
      total_satang      bigint NOT NULL DEFAULT 0,
      alert_count       integer NOT NULL DEFAULT 0,
      assignee          text,
      -- first sighting of the first alert; the due date counts from here (follow-up-deadlines.ts)
      opened_at         timestamptz NOT NULL,
      due_at            timestamptz NOT NULL,
      last_alert_at     timestamptz NOT NULL,
      disposition       text CHECK (disposition IN ('confirmed', 'false-positive', 'explained', 'referred')),
      resolution_reason text,
      closed_at         timestamptz,
      closed_by         text
    )`,
  },
  // An alert belongs to one case, for good: a replay or a grown alert finds its row and adds nothing.
  { id: 'cases-002-case-alerts', sql: 'CREATE TABLE case_alerts (alert_id text PRIMARY KEY REFERENCES alerts (alert_id), case_id text NOT NULL REFERENCES cases (case_id), added_at timestamptz NOT NULL)' },
  { id: 'cases-003-case-alerts-case', sql: 'CREATE INDEX case_alerts_case_idx ON case_alerts (case_id, added_at)' },
  // A payment named by several alerts of the case is one row: the case's total counts it once.
  { id: 'cases-004-case-payments', sql: 'CREATE TABLE case_payments (case_id text NOT NULL REFERENCES cases (case_id), record_id text NOT NULL, amount_satang bigint NOT NULL, PRIMARY KEY (case_id, record_id))' },
  {
    id: 'cases-005-case-comments',
    sql: 'CREATE TABLE case_comments (id bigserial PRIMARY KEY, case_id text NOT NULL REFERENCES cases (case_id), author text NOT NULL, text text NOT NULL, created_at timestamptz NOT NULL)',
  },
  {
    id: 'cases-006-case-attachments',
    sql: `CREATE TABLE case_attachments (
      attachment_id text PRIMARY KEY,
      case_id       text NOT NULL REFERENCES cases (case_id),
      file_name     text NOT NULL,
      content_type  text NOT NULL,
      size_bytes    integer NOT NULL,
      sha256        text NOT NULL,
      -- case-attachments/{caseId}/{attachmentId} in the blob store
      blob_key      text NOT NULL,
      uploaded_by   text NOT NULL,
      uploaded_at   timestamptz NOT NULL
    )`,
  },
  { id: 'cases-007-case-attachments-case', sql: 'CREATE INDEX case_attachments_case_idx ON case_attachments (case_id, uploaded_at)' },
  {
    id: 'cases-008-saved-filters',
    sql: 'CREATE TABLE saved_filters (id bigserial PRIMARY KEY, owner_sub text NOT NULL, name text NOT NULL, query text NOT NULL, created_at timestamptz NOT NULL, UNIQUE (owner_sub, name))',
  },
  // Inbox sorting with keyset paging: a rank to sort by severity, a due instant to sort by deadline.
  { id: 'cases-009-alerts-severity-rank', sql: `ALTER TABLE alerts ADD COLUMN severity_rank smallint GENERATED ALWAYS AS (${RANK_SQL}) STORED` },
  { id: 'cases-010-alerts-due-at', sql: 'ALTER TABLE alerts ADD COLUMN due_at timestamptz' },
  { id: 'cases-011-alerts-due-backfill', sql: `UPDATE alerts SET due_at = first_seen_at + make_interval(secs => (${DAYS_SQL}) * 86400) WHERE due_at IS NULL` },
  // Every writer of alerts (the consumer, imports, tests seeding SQL) gets the due instant the same way. The days are
  // FOLLOW_UP_DAYS (packages/domain/src/follow-up-deadlines.ts); a test holds the two equal.
  {
    id: 'cases-011b-alerts-due-fn',
    sql: `CREATE FUNCTION alerts_set_due_at() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN NEW.due_at := NEW.first_seen_at + make_interval(secs => (CASE NEW.severity WHEN 'critical' THEN 3 WHEN 'high' THEN 7 WHEN 'medium' THEN 14 ELSE 30 END) * 86400); RETURN NEW; END $$`,
  },
  { id: 'cases-011c-alerts-due-trigger', sql: 'CREATE TRIGGER alerts_due_at BEFORE INSERT OR UPDATE OF severity, first_seen_at ON alerts FOR EACH ROW EXECUTE FUNCTION alerts_set_due_at()' },
  { id: 'cases-012-alerts-by-severity', sql: 'CREATE INDEX alerts_severity_sort_idx ON alerts (severity_rank DESC, first_seen_at DESC, alert_id DESC)' },
  { id: 'cases-013-alerts-by-amount', sql: 'CREATE INDEX alerts_amount_sort_idx ON alerts (amount_satang DESC, alert_id DESC)' },
  { id: 'cases-014-alerts-by-due', sql: 'CREATE INDEX alerts_due_sort_idx ON alerts (due_at, alert_id)' },
  { id: 'cases-015-cases-newest', sql: 'CREATE INDEX cases_newest_idx ON cases (opened_at DESC, case_id DESC)' },
  { id: 'cases-016-cases-by-severity', sql: 'CREATE INDEX cases_severity_sort_idx ON cases (severity_rank DESC, opened_at DESC, case_id DESC)' },
  { id: 'cases-017-cases-by-amount', sql: 'CREATE INDEX cases_amount_sort_idx ON cases (total_satang DESC, case_id DESC)' },
  { id: 'cases-018-cases-by-due', sql: 'CREATE INDEX cases_due_sort_idx ON cases (due_at, case_id)' },
  // A case's own audit entries carry its id in the payload (alert_id is null or one alert of it).
  { id: 'cases-019-audit-case', sql: "CREATE INDEX audit_log_case_idx ON audit_log ((payload->>'caseId'), seq) WHERE payload ? 'caseId'" },
];
