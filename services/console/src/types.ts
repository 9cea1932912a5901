/** The parts of the upstream answers the console reads (see each service's /docs/json). */
export interface Batch {
  batchId: string; laoCode: string; fileName: string; sizeBytes: number; format: string | null; encoding: string | null;
  rowsRead: number; rowsAccepted: number; rowsRejected: number; totalSatang: number; status: string;
  header: { declaredCount: number; declaredTotalSatang: number; detailCount: number; detailTotalSatang: number; matches: boolean } | null;
  refusal: { code: string; message?: { th: string; en: string } } | null; uploadedBy?: string; receivedAt: string; publishedAt: string | null;
}
export interface Reject { row: number; field: string | null; code: string; message: { th: string; en: string }; raw: string }
export interface AlertSummary {
  alertId: string; laoCode: string; laoName: string | null; provinceCode: string; district: string | null; severity: string; ruleIds: string[];
  amountSatang: number; occurredOn: string; status: string; firstSeenAt: string; lastSeenAt: string; assignee: string | null;
  disposition: string | null; resolutionReason: string | null; resolvedAt: string | null;
}
export interface Finding { ruleId: string; severity: string; reasons: { th: string; en: string }; evidence: Record<string, unknown>; payments: { recordId: string; file: string; row: number }[] }
export interface LegalText { th: string; en: string }
/** Who supervises the LAO, and per rule what the auditor can do under which authority (alerts' legal-basis.ts). */
export interface LegalBasis { supervision: LegalText; rules: { ruleId: string; action: LegalText; authority: LegalText }[] }
export interface AlertDetail { alert: AlertSummary & { payload: { findings: Finding[]; reasons: { th: string; en: string }; evidence?: Record<string, unknown> } }; comments: { id: number; author: string; text: string; createdAt: string }[]; legalBasis?: LegalBasis;
  /** The case actions the caller may take now (alerts decides per kind and state); absent from an older alerts service. */
  actions?: string[] }
export interface AuditItem { seq: number; at: string; actor: string; action: string; payload: Record<string, unknown> }
export interface RuleReport { ruleId: string; provinceCode: string; confirmed: number; falsePositive: number; explained: number; referred: number; open: number; falsePositiveRate: number | null }
export interface PartitionLag { topic: string; partition: number; committedOffset: string | null; endOffset: string; lag: number }
/** Detector `GET /v1/ops/lag`: stage 1 (per LAO) and, under `payee`, stage 2 (per payee account). */
export interface LagReport { groupId: string; partitions: PartitionLag[]; payee?: { groupId: string; partitions: PartitionLag[] } | null }
/** Alerts `GET /v1/ops/lag`: the alert store's and the dead-letter reader's groups. */
export interface GroupsLag { groups: { groupId: string; partitions: PartitionLag[] }[] }
/** Detector `GET /v1/ops/reference`: the reference table every detector instance holds. */
export interface ReferenceTableStatus { enabled: boolean; lists: number; laos: number; caughtUp: boolean }
/** Alerts `GET /v1/ops/channels`: per notification channel, what is failing now and what gave up. */
export interface ChannelHealth { channel: string; failingPending: number; dead: number; failingSince: string | null; alarm: boolean; lastSentAt: string | null }
export interface Notifications { counts: { pending: number; sent: number; dead: number }; items: { channel: string; status: string }[] }
export interface PaymentDetail { row: number; file: string; payeeName?: string; voucherNo?: string | null; amountSatang?: number; effectiveDate?: string; payeeBankCode?: string; payeeAccountMasked?: string }
/** `GET /v1/ops/dead-letters` of alerts: positions, reasons and a masked shape, never the value. */
export interface DeadLetter {
  id: number; dlqTopic: string; dlqPartition: number; dlqOffset: string; sourceTopic: string; sourcePartition: number; sourceOffset: string;
  replayTopic: string; reason: string; code: string | null; sizeBytes: number; preview: string; deadAt: string;
  replayedAt: string | null; replayedBy: string | null; replayOf: string | null;
}
export interface DeadLetters { counts: { topic: string; open: number; replayed: number }[]; items: DeadLetter[] }
/** `POST /v1/alerts/:id/reveal`: the unmasked values, shown once and never stored by the console. */
export interface Revealed { alertId: string; revealedAt: string; values: { field: string; masked: string; value: string }[] }
/** Ingest's `ReferenceUpload` (domain): one uploaded list of one kind for one LAO, with every row it refused. */
export interface ReferenceUpload {
  kind: string; laoCode: string; version: number | null; sha256: string; fileName: string; sizeBytes: number;
  rowsRead: number; rowsAccepted: number; rowsRejected: number; rejects?: Reject[]; status: 'published' | 'refused' | 'staged';
  refusal: { code: string; message: { th: string; en: string } } | null; uploadedBy: string; receivedAt: string; effectiveFrom: string;
}

/** Alerts `GET /v1/reports/centre`: one province, LAO or the whole scope (`provinceCode` "*") of the ranking. */
export interface CentreRankRow {
  provinceCode: string; provinceNameTh: string | null; laoCode: string | null; laoNameTh: string | null; district: string | null;
  openSatang: number; openCount: number; bySeverity: Record<'critical' | 'high' | 'medium' | 'low', number>; overdueCount: number;
}
/** Days from raised to a step over the alerts that reached it. */
export interface CentreDurations { count: number; medianDays: number | null; p90Days: number | null }
/** Alerts `GET /v1/reports/centre`: where to send inspectors, within the caller's scope. */
export interface CentreReport {
  generatedAt: string;
  total: CentreRankRow;
  provinces: CentreRankRow[];
  laos: CentreRankRow[];
  laosTruncated: boolean;
  trend: { month: string; raised: number; amountSatang: number }[];
  ageing: { severity: string; followUpDays: number; counts: Record<'within' | 'overdue1to7' | 'overdue8to30' | 'overdueOver30', number> }[];
  followUp: { provinceCode: string | null; provinceNameTh: string | null; acknowledged: CentreDurations; resolved: CentreDurations }[];
  rules: { ruleId: string; open: number; resolved: number; counts: Record<string, number>; rates: Record<string, number | null> }[];
}
/** A row of a staged version's diff (ingest's DiffRow): name, bank and masked account. */
export interface DiffRow { label: string; bankCode: string | null; accountMasked: string | null; previousBankCode?: string | null; previousAccountMasked?: string | null }
/** A staged version of a reference list waiting to be confirmed (ingest's StagedReference). */
export interface StagedReference {
  id: string; kind: string; laoCode: string; baseVersion: number; status: 'pending' | 'awaiting-second-approval' | 'published' | 'discarded'; largeDrop: boolean;
  diff: { before: number; after: number; added: number; removed: number; accountChanged: number; otherwiseChanged: number; unchanged: number; droppedShare: number; rows: { added: DiffRow[]; removed: DiffRow[]; accountChanged: DiffRow[] } };
  upload: ReferenceUpload; confirmedBy: string | null; approvedBy: string | null; version: number | null;
}
