/** The contract every detection rule meets: versioned, thresholds as data, pure over (record, state, config). */
import type { BatchManifest, Disbursement, Finding, ReferenceKind, z } from '@paywatch/domain';
import type { LaoStateView } from './state/lao-state.ts';

/** Ids of the rules built so far (typologies.md). */
export const RULE_IDS = {
  duplicatePayment: 'duplicate-payment',
  splitPayment: 'split-payment',
  amountOutlier: 'amount-outlier',
  offHours: 'off-hours',
  selfApproval: 'self-approval',
  newPayeeLarge: 'new-payee-large',
  repeatSiphon: 'repeat-siphon',
  benford: 'benford',
  nearThreshold: 'near-threshold',
  velocitySpike: 'velocity-spike',
  accountManyNames: 'account-many-names',
  batchPadded: 'batch-padded',
  payeeNotRegistered: 'payee-not-registered',
  staffAccount: 'staff-account',
  noVoucher: 'no-voucher',
  welfareAnomaly: 'welfare-anomaly',
  /** A payee added, or its account changed, in the register shortly before its first payment (ADR 0018). */
  registerChangedBeforePayment: 'register-changed-before-payment',
  /** Stage 2 (cross-LAO), keyed by citizen ID. */
  welfareTwoLaos: 'welfare-two-laos',
} as const;

/** One of `RULE_IDS`. */
export type RuleId = (typeof RULE_IDS)[keyof typeof RULE_IDS];

/** Every rule config can switch its rule off. */
export interface BaseRuleConfig {
  enabled: boolean;
}

/**
 * A detection rule. `evaluate` sees the LAO's state as it was BEFORE the record (the engine
 * folds the record in afterwards), never changes it, reads no clock and does no I/O: the same
 * arguments always give the same findings.
 */
export interface Rule<C extends BaseRuleConfig> {
  readonly id: RuleId;
  /** Semver; bump the major when the same input may give different findings. */
  readonly version: string;
  /** Validates this rule's section of the rule-set configuration, with the documented defaults. */
  readonly configSchema: z.ZodType<C>;
  /** The reference data without which the rule is silent (coverage reports the LAOs that lack it). */
  readonly needs?: ReferenceKind;
  /** Days of payments around a record (either side) the rule compares with: the engine keeps at least that window. */
  windowDays(config: C): number;
  /** Findings about this record (and the payments it relates to); [] when the rule has nothing to say. */
  evaluate(record: Disbursement, state: LaoStateView, config: C): Finding[];
}

/** A rule about a whole uploaded file rather than one of its rows: stateless, evaluated on the batch manifest. */
export interface ManifestRule<C extends BaseRuleConfig> {
  readonly id: RuleId;
  readonly version: string;
  readonly configSchema: z.ZodType<C>;
  /** Findings about the batch; [] when the rule has nothing to say. */
  evaluate(manifest: BatchManifest, config: C): Finding[];
}
