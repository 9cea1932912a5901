/** @paywatch/rules — detection rules, their statistics and the in-memory detection engine. Pure: no I/O, no clock. */
import { amountOutlierRule } from './rules/amount-outlier.ts';
import { duplicatePaymentRule } from './rules/duplicate-payment.ts';
import { splitPaymentRule } from './rules/split-payment.ts';

export { RULES_ERROR_CODES, RulesError, issuesOf, describeIssues, type RulesErrorCode, type Issue } from './errors.ts';
export { robustZ, robustZDetail, MAD_TO_SIGMA, MEAN_AD_TO_SIGMA, type RobustZ } from './stats/index.ts';
export { RULE_IDS, type RuleId, type Rule, type BaseRuleConfig } from './rule.ts';
export { toWindowPayment, type WindowPayment, type LaoStateView, type LaoSnapshot } from './state/lao-state.ts';
export { ENGINE_SNAPSHOT_FORMAT, EngineSnapshot } from './state/engine-snapshot.ts';
export { duplicatePaymentRule, matchDuplicate, normaliseVoucher, DuplicatePaymentConfig, type DuplicateMatch } from './rules/duplicate-payment.ts';
export { splitPaymentRule, SplitPaymentConfig, SplitThreshold } from './rules/split-payment.ts';
export { amountOutlierRule, AmountOutlierConfig } from './rules/amount-outlier.ts';
export { formatDateTh, type PaymentDetail } from './rules/explain.ts';
export { RuleSetConfig, StateConfig, DEFAULT_RULE_SET_VERSION, parseRuleSetConfig, type RuleSetConfigInput } from './rule-set-config.ts';
export { groupFindings, combinedSeverity } from './group-findings.ts';
export { createEngine, type Engine } from './engine.ts';

/** Every rule of this package, in evaluation order. */
export const RULES = [duplicatePaymentRule, splitPaymentRule, amountOutlierRule] as const;
