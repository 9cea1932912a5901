/** The rule-set configuration: every threshold is data, every field has its documented default. */
import { z } from '@paywatch/domain';
import { describeIssues, issuesOf, RULES_ERROR_CODES, RulesError } from './errors.ts';
import { ServiceTypeCode, uniqueList } from './config-fields.ts';
import { AmountOutlierConfig } from './rules/amount-outlier.ts';
import { DuplicatePaymentConfig } from './rules/duplicate-payment.ts';
import { OffHoursConfig } from './rules/off-hours.ts';
import { SelfApprovalConfig } from './rules/self-approval.ts';
import { BatchPaddedConfig } from './rules/batch-padded.ts';
import { AccountManyNamesConfig } from './rules/account-many-names.ts';
import { NewPayeeLargeConfig } from './rules/new-payee-large.ts';
import { RepeatSiphonConfig } from './rules/repeat-siphon.ts';
import { BenfordConfig } from './rules/benford.ts';
import { NearThresholdConfig } from './rules/near-threshold.ts';
import { VelocitySpikeConfig } from './rules/velocity-spike.ts';
import { PayeeNotRegisteredConfig } from './rules/payee-not-registered.ts';
import { StaffAccountConfig } from './rules/staff-account.ts';
import { NoVoucherConfig } from './rules/no-voucher.ts';
import { WelfareAnomalyConfig } from './rules/welfare-anomaly.ts';
import { SplitPaymentConfig } from './rules/split-payment.ts';
import { RegisterChangedBeforePaymentConfig } from './rules/register-changed-before-payment.ts';
import { WelfareTwoLaosConfig } from './cross-lao/welfare-two-laos.ts';
import { GroupingConfig } from './batch-groups.ts';

/**
 * Version stamped on alerts when the configuration does not name one.
 * 2026.11.2: split-payment@2.0.0 (7-day span, budget items), benford@2.0.0 (excess MAD), welfare-two-laos@1.0.0 (stage 2).
 * 2026.12.1 (issue 10, ADR 0008): payee baselines and peer-group/province fallbacks (amount-outlier@2, new-payee-large@2),
 * repeat-siphon@2 (own history), welfare-anomaly@2 (stage 2 under its id), batch-padded@2 (voucher half),
 * duplicate-payment@2 (retries, standing amounts), split-payment@3 (30 days), near-threshold@2 (province share),
 * velocity-spike@2 (short history), no-voucher@2 and account-many-names@2; allowances classified once.
 * 2026.12.2 (issue 14, ADR 0018): register-changed-before-payment@1.0.0 (a payee added or its account changed in the
 * register within 90 days before its first payment), the register's history carried with its versions.
 * 2026.12.3 (issue 10, ADR 0008 addendum): first-month baselines — velocity-spike@2.1 (one earlier paying day is a short
 * baseline; a first day of data judged against the days after it), amount-outlier@2.1 (a few LAO amounts bound what it
 * pays: 3 × their largest and above the pooled p99), new-payee-large@2.1 (peer group or province from 30 amounts),
 * duplicate-payment@2.1 (two lines each covered by an approved voucher of its own are two payments; a standing amount
 * explains one payment a month), account-many-names@2.1 (registered names are variants only when alike);
 * benford@2.1 (a calendar month's test beside the year's), repeat-siphon@2.1 (a wage account is no vendor),
 * near-threshold@2.1 (both limits tested together; a first test at 15 payments).
 */
export const DEFAULT_RULE_SET_VERSION = '2026.12.3';

/** How much per-LAO state the engine keeps (bounded whatever the traffic). */
export const StateConfig = z.strictObject({
  /** Last N outflow amounts kept per (LAO, service type): a sliding sample, exact median/MAD over recent behaviour. */
  laoHistorySize: z.number().int().min(2).max(100_000).default(500),
  /** Last N outflow amounts kept per (LAO, service type, payee account). */
  payeeHistorySize: z.number().int().min(2).max(10_000).default(100),
  /** Payee histories kept per LAO; the least recently paid payee's goes first. */
  maxPayeeHistories: z.number().int().min(1).default(20_000),
  /**
   * Batches whose rows are remembered per LAO, for replay detection. Replays (at-least-once
   * delivery, a restart from a snapshot) re-deliver recent records, so recency of arrival, not
   * effective date, is what must be covered.
   */
  seenBatches: z.number().int().min(1).default(1_000),
  /** Distinct names remembered per account (account-many-names); the first ones are kept, they are the established names. */
  maxNamesPerAccount: z.number().int().min(1).max(100).default(8),
  /**
   * Recurring pay — salaries (01, 02), utilities (10, 11, 12), allowances (59): an LAO's rhythm, not one-off
   * payments. Rules about repetition, splitting and new payees look at the other service types.
   */
  recurringServiceTypes: uniqueList(ServiceTypeCode).default(() => ['01', '02', '10', '11', '12']),
  /** Service types allowances are paid under (59, "other"); a payment of them is an allowance when the beneficiary list, the remark or its size says so. */
  allowanceServiceTypes: uniqueList(ServiceTypeCode).min(1).default(() => ['59']),
  /** A payment of an allowance service type to a person, with no remark and on no list, is taken for an allowance up to this (3 months of the top tier). */
  maxAllowanceSatang: z.number().int().min(1).default(300_000),
  /** Last N one-off amounts kept per LAO (all one-off service types together): the sample new-payee-large's percentile reads. */
  oneOffHistorySize: z.number().int().min(2).max(100_000).default(1_000),
  /** Months of one-off transfer counts kept per account (repeat-siphon's own-history baseline). */
  accountMonthsKept: z.number().int().min(1).max(36).default(12),
});
/** Parsed state configuration. */
export type StateConfig = z.infer<typeof StateConfig>;

/** The whole rule set: `RuleSetConfig.parse({})` gives every documented default. */
export const RuleSetConfig = z
  .strictObject({
    /** Stamped on every alert as `ruleSetVersion`: which thresholds produced it. */
    version: z.string().min(1).default(DEFAULT_RULE_SET_VERSION),
    // `prefault` parses the default like input, so `{}` fills every nested default.
    rules: z
      .strictObject({
        'duplicate-payment': DuplicatePaymentConfig.prefault({}),
        'split-payment': SplitPaymentConfig.prefault({}),
        'amount-outlier': AmountOutlierConfig.prefault({}),
        'off-hours': OffHoursConfig.prefault({}),
        'self-approval': SelfApprovalConfig.prefault({}),
        'batch-padded': BatchPaddedConfig.prefault({}),
        'account-many-names': AccountManyNamesConfig.prefault({}),
        'new-payee-large': NewPayeeLargeConfig.prefault({}),
        'repeat-siphon': RepeatSiphonConfig.prefault({}),
        benford: BenfordConfig.prefault({}),
        'near-threshold': NearThresholdConfig.prefault({}),
        'velocity-spike': VelocitySpikeConfig.prefault({}),
        'payee-not-registered': PayeeNotRegisteredConfig.prefault({}),
        'staff-account': StaffAccountConfig.prefault({}),
        'no-voucher': NoVoucherConfig.prefault({}),
        'welfare-anomaly': WelfareAnomalyConfig.prefault({}),
        'register-changed-before-payment': RegisterChangedBeforePaymentConfig.prefault({}),
        'welfare-two-laos': WelfareTwoLaosConfig.prefault({}),
      })
      .prefault({}),
    state: StateConfig.prefault({}),
    /** Storm control (ADR 0019): one rule's alerts beyond a few per LAO and batch become one group alert. */
    grouping: GroupingConfig.prefault({}),
  })
  .superRefine((c, ctx) => {
    const min = c.rules['amount-outlier'].minObservations;
    // A history shorter than the minimum could never be used: say so instead of staying silent.
    if (c.state.laoHistorySize < min) ctx.addIssue({ code: 'custom', path: ['state', 'laoHistorySize'], message: `state.laoHistorySize (${c.state.laoHistorySize}) must be ≥ rules.amount-outlier.minObservations (${min})` });
    const velocity = c.rules['velocity-spike'];
    // More baseline days than weeks looked back could never be found.
    if (velocity.minBaselineDays > velocity.baselineWeeks) ctx.addIssue({ code: 'custom', path: ['rules', 'velocity-spike', 'minBaselineDays'], message: `minBaselineDays (${velocity.minBaselineDays}) must be ≤ baselineWeeks (${velocity.baselineWeeks})` });
    if (c.state.payeeHistorySize < min) ctx.addIssue({ code: 'custom', path: ['state', 'payeeHistorySize'], message: `state.payeeHistorySize (${c.state.payeeHistorySize}) must be ≥ rules.amount-outlier.minObservations (${min})` });
  });
/** Parsed rule-set configuration. */
export type RuleSetConfig = z.infer<typeof RuleSetConfig>;
/** What a configuration file may contain: any subset of `RuleSetConfig`. */
export type RuleSetConfigInput = z.input<typeof RuleSetConfig>;

/** Parses a configuration, or throws `PW_ERR_RULES_CONFIG_INVALID` listing every issue. */
export function parseRuleSetConfig(input: unknown): RuleSetConfig {
  const result = RuleSetConfig.safeParse(input);
  if (result.success) return result.data;
  const issues = issuesOf(result.error);
  throw new RulesError(RULES_ERROR_CODES.configInvalid, `invalid rule-set configuration: ${describeIssues(issues)}`, issues);
}
