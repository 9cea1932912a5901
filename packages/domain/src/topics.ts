/** Event-log topic names (architecture.md). Versioned: a breaking change gets a new topic. */
export const TOPICS = {
  disbursements: 'disbursements.v1',
  disbursementsRejected: 'disbursements.rejected.v1',
  batches: 'batches.v1',
  disbursementsByPayee: 'disbursements.by-payee.v1',
  alerts: 'alerts.v1',
  alertFeedback: 'alert-feedback.v1',
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
};
