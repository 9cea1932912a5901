/** @paywatch/rules — detection rules, their statistics and the in-memory detection engine. Pure: no I/O, no clock. */
import { amountOutlierRule } from './rules/amount-outlier.ts';
import { duplicatePaymentRule } from './rules/duplicate-payment.ts';
import { offHoursRule } from './rules/off-hours.ts';
import { selfApprovalRule } from './rules/self-approval.ts';
import { accountManyNamesRule } from './rules/account-many-names.ts';
import { newPayeeLargeRule } from './rules/new-payee-large.ts';
import { repeatSiphonRule } from './rules/repeat-siphon.ts';
import { benfordRule } from './rules/benford.ts';
import { nearThresholdRule } from './rules/near-threshold.ts';
import { velocitySpikeRule } from './rules/velocity-spike.ts';
import { payeeNotRegisteredRule } from './rules/payee-not-registered.ts';
import { staffAccountRule } from './rules/staff-account.ts';
import { noVoucherRule } from './rules/no-voucher.ts';
import { welfareAnomalyRule } from './rules/welfare-anomaly.ts';
import { splitPaymentRule } from './rules/split-payment.ts';
import { batchPaddedRule } from './rules/batch-padded.ts';
import { registerChangedBeforePaymentRule } from './rules/register-changed-before-payment.ts';

export { RULES_ERROR_CODES, RulesError, issuesOf, describeIssues, type RulesErrorCode, type Issue } from './errors.ts';
export { robustZ, robustZDetail, MAD_TO_SIGMA, MEAN_AD_TO_SIGMA, binomialUpperTail, benfordFit, expectedMad, chiSquaredUpperTailEven, firstDigitChiSquared, BENFORD_FIRST, BENFORD_FIRST_TWO, type RobustZ, type BenfordFit } from './stats/index.ts';
export { RULE_IDS, type RuleId, type Rule, type ManifestRule, type BaseRuleConfig } from './rule.ts';
export { toWindowPayment, firstTwoDigits, snapshotWindow, type CompactPayment, type WindowPayment, type LaoStateView, type LaoSnapshot, type NameSeen, type DayTotal, type FiscalTally } from './state/lao-state.ts';
export { ENGINE_SNAPSHOT_FORMAT, EngineSnapshot } from './state/engine-snapshot.ts';
export { duplicatePaymentRule, matchDuplicate, normaliseVoucher, DuplicatePaymentConfig, type DuplicateMatch } from './rules/duplicate-payment.ts';
export { splitPaymentRule, SplitPaymentConfig, SplitThreshold } from './rules/split-payment.ts';
export { amountOutlierRule, AmountOutlierConfig } from './rules/amount-outlier.ts';
export { offHoursRule, OffHoursConfig } from './rules/off-hours.ts';
export { selfApprovalRule, SelfApprovalConfig } from './rules/self-approval.ts';
export { batchPaddedRule, BatchPaddedConfig } from './rules/batch-padded.ts';
export { accountManyNamesRule, AccountManyNamesConfig } from './rules/account-many-names.ts';
export { newPayeeLargeRule, NewPayeeLargeConfig } from './rules/new-payee-large.ts';
export { repeatSiphonRule, RepeatSiphonConfig } from './rules/repeat-siphon.ts';
export { benfordRule, BenfordConfig } from './rules/benford.ts';
export { nearThresholdRule, NearThresholdConfig } from './rules/near-threshold.ts';
export { velocitySpikeRule, VelocitySpikeConfig } from './rules/velocity-spike.ts';
export { payeeNotRegisteredRule, PayeeNotRegisteredConfig, type RegistrationProblem } from './rules/payee-not-registered.ts';
export { staffAccountRule, StaffAccountConfig, type StaffMatch } from './rules/staff-account.ts';
export { noVoucherRule, NoVoucherConfig } from './rules/no-voucher.ts';
export { welfareAnomalyRule, WelfareAnomalyConfig, type WelfareProblem } from './rules/welfare-anomaly.ts';
export { registerChangedBeforePaymentRule, RegisterChangedBeforePaymentConfig } from './rules/register-changed-before-payment.ts';
export { type LaoReferenceView } from './state/lao-reference.ts';
export { THAI_HOLIDAYS, type Holiday } from './calendar/thai-holidays.ts';
export { formatDateTh, type PaymentDetail } from './rules/explain.ts';
export { normaliseThaiName, looksLikeBusiness } from './text/normalise-thai-name.ts';
export { RuleSetConfig, StateConfig, DEFAULT_RULE_SET_VERSION, parseRuleSetConfig, type RuleSetConfigInput } from './rule-set-config.ts';
export { groupFindings, combinedSeverity } from './group-findings.ts';
export { BatchGroups, GroupingConfig, BatchGroupSnapshot, groupSubjectKey, type Routed } from './batch-groups.ts';
export { createEngine, type Engine, type EngineOptions } from './engine.ts';

/** Every per-record rule of this package, in evaluation order. */
export const RULES = [duplicatePaymentRule, splitPaymentRule, amountOutlierRule, offHoursRule, selfApprovalRule, accountManyNamesRule, newPayeeLargeRule, repeatSiphonRule, benfordRule, nearThresholdRule, velocitySpikeRule, payeeNotRegisteredRule, staffAccountRule, noVoucherRule, welfareAnomalyRule, registerChangedBeforePaymentRule] as const;

/** Rules evaluated on a batch manifest (`engine.processManifest`) rather than on its rows. */
export const MANIFEST_RULES = [batchPaddedRule] as const;
export { createPayeeEngine, payeeKeysOf, type PayeeEngine } from './cross-lao/payee-engine.ts';
export { welfareTwoLaosRule, WelfareTwoLaosConfig, type CitizenPayment } from './cross-lao/welfare-two-laos.ts';
export { allowanceOf, remarkSaysAllowance, writtenPersonId, type Allowance } from './rules/welfare-allowance.ts';
