/** Event-log topic names (architecture.md). Versioned: a breaking change gets a new topic. */
export const TOPICS = {
  disbursements: 'disbursements.v1',
  disbursementsRejected: 'disbursements.rejected.v1',
  batches: 'batches.v1',
  disbursementsByPayee: 'disbursements.by-payee.v1',
  alerts: 'alerts.v1',
  alertFeedback: 'alert-feedback.v1',
  /** What happened to the reference lists (uploads, their diffs, confirmations, second approvals): ingest → the alerts service's audit log (ADR 0018). */
  referenceAudit: 'reference-audit.v1',
} as const;
export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

/** Partition counts used when production creates the topics (and the test broker pre-creates them). */
export const TOPIC_PARTITIONS: Record<TopicName, number> = {
  'disbursements.v1': 6,
  'disbursements.rejected.v1': 3,
  'batches.v1': 3,
  'disbursements.by-payee.v1': 6,
  'alerts.v1': 6,
  'alert-feedback.v1': 3,
  // One partition: the audit log is one chain, and each list's steps stay in order.
  'reference-audit.v1': 1,
};

/**
 * Dead-letter topics (ADR 0003): `<topic>.dlq` holds what the consumer of `<topic>` could not process, with the
 * reason in headers. The detector writes the first two (`x-dlq-reason`, `x-dlq-source`), the alerts service the third.
 */
export const DEAD_LETTER_TOPICS = {
  disbursements: 'disbursements.v1.dlq',
  disbursementsByPayee: 'disbursements.by-payee.v1.dlq',
  alerts: 'alerts.v1.dlq',
} as const;

/** The topic whose failures a dead-letter topic holds: `disbursements.v1.dlq` → `disbursements.v1`. */
export const sourceTopicOfDeadLetterTopic = (dlqTopic: string): string => dlqTopic.replace(/\.dlq$/, '');
