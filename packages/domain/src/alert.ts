/** Findings (one rule, one subject) and alerts (all findings about one subject), as on `alerts.v1`. */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Bilingual } from './messages.ts';

export const Severity = z.enum(['low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof Severity>;
export const SEVERITY_RANK: Record<Severity, number> = { low: 1, medium: 2, high: 3, critical: 4 };

/** What a finding is about: one payment, one payee in an LAO, one batch, or an LAO over a period. */
export const Subject = z.object({ kind: z.enum(['payment', 'payee', 'batch', 'lao-period']), key: z.string() });
export type Subject = z.infer<typeof Subject>;

/** A pointer to one row of one uploaded file. */
export const PaymentRef = z.object({ recordId: z.string(), batchId: z.string(), file: z.string(), row: z.number().int() });
export type PaymentRef = z.infer<typeof PaymentRef>;

export const Finding = z.object({
  ruleId: z.string(),
  ruleVersion: z.string(),
  severity: Severity,
  laoCode: z.string(),
  subject: Subject,
  reasons: Bilingual,
  /** The values and thresholds that fired the rule. */
  evidence: z.record(z.string(), z.unknown()),
  /**
   * What the evidence shows masked, unmasked, by its path in `evidence` (`paymentDetails[0].payeeAccountMasked`,
   * `citizenIdMasked`): kept with the alert for the audited reveal only, never shown, e-mailed or printed.
   */
  unmasked: z.record(z.string(), z.string()).optional(),
  payments: z.array(PaymentRef).min(1),
});
export type Finding = z.infer<typeof Finding>;

/** One payment a group alert lists (ADR 0019): the payment that fired the rule, account masked, and what the finding named. */
export const GroupMember = z.object({
  recordId: z.string(),
  batchId: z.string(),
  file: z.string(),
  row: z.number().int(),
  effectiveDate: z.string(),
  amountSatang: z.number().int(),
  payeeName: z.string(),
  payeeBankCode: z.string(),
  payeeAccountMasked: z.string(),
  severity: Severity,
  /** The subject the finding was about (the payment itself, or its payee or LAO-period). */
  subject: Subject,
  /** Every payment the finding named (a duplicate names the earlier one too). */
  payments: z.array(PaymentRef).min(1),
});
export type GroupMember = z.infer<typeof GroupMember>;

/**
 * What a group alert stands for (ADR 0019): beyond `individualAlerts` alerts of one rule for one LAO in one uploaded
 * batch, the rest of that rule's findings in the batch are one alert; counts and totals are of every grouped payment.
 */
export const AlertGroup = z.object({
  ruleId: z.string(),
  ruleVersion: z.string(),
  batchId: z.string(),
  file: z.string(),
  /** Grouped payments (beyond the individual alerts). */
  count: z.number().int().min(1),
  totalSatang: z.number().int(),
  /** How many of them the alert lists in `payments` and the evidence (the first ones); the rest are in the store. */
  listed: z.number().int().min(1),
  /** The alerts of this rule in this batch that stayed individual (the threshold), by id. */
  individualAlertIds: z.array(z.string()),
});
export type AlertGroup = z.infer<typeof AlertGroup>;

export const Alert = z.object({
  alertId: z.string(),
  laoCode: z.string(),
  severity: Severity,
  ruleIds: z.array(z.string()),
  subject: Subject,
  findings: z.array(Finding).min(1),
  payments: z.array(PaymentRef),
  reasons: Bilingual,
  evidence: z.record(z.string(), z.unknown()),
  /** Total satang of the distinct payments involved. */
  amountSatang: z.number().int(),
  /** Latest effective date among the payments: when it happened, not when it was detected. */
  occurredOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'occurredOn must be a calendar date YYYY-MM-DD'),
  ruleSetVersion: z.string(),
  /** Present on a group alert only. */
  group: AlertGroup.optional(),
  /**
   * Group alert on the wire only: the members added since the previous version of this alert (the store keeps them
   * all, `GET /v1/alerts/:id/payments`); never stored in the payload.
   */
  groupMembers: z.array(GroupMember).optional(),
});
export type Alert = z.infer<typeof Alert>;

/** Deterministic alert id: the same LAO and subject always give the same id, whatever the order of arrival. */
export function alertIdFor(laoCode: string, subject: Subject): string {
  return 'al_' + createHash('sha256').update(`${laoCode}|${subject.kind}|${subject.key}`).digest('hex').slice(0, 24);
}
