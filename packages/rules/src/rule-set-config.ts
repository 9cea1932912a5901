/** The rule-set configuration: every threshold is data, every field has its documented default. */
import { RULES_ERROR_CODES, RulesError } from './errors.ts';
import { amountOutlierRule } from './rules/amount-outlier.ts';
import { duplicatePaymentRule } from './rules/duplicate-payment.ts';
import { splitPaymentRule } from './rules/split-payment.ts';
import { describeIssues, s, type DeepPartial, type Infer } from './schema.ts';

/** Version stamped on alerts when the configuration does not name one. */
export const DEFAULT_RULE_SET_VERSION = '2026.11.1';

/** How much per-LAO state the engine keeps (bounded whatever the traffic). */
export const StateConfig = s.object({
  /** Last N outflow amounts kept per (LAO, service type): a sliding sample, exact median/MAD over recent behaviour. */
  laoHistorySize: s.integer({ min: 2, max: 100_000 }).default(500),
  /** Last N outflow amounts kept per (LAO, service type, payee account). */
  payeeHistorySize: s.integer({ min: 2, max: 10_000 }).default(100),
  /** Payee histories kept per LAO; the least recently paid payee's goes first. */
  maxPayeeHistories: s.integer({ min: 1 }).default(20_000),
  /**
   * Batches whose rows are remembered per LAO, for replay detection. Replays (at-least-once
   * delivery, a restart from a snapshot) re-deliver recent records, so recency of arrival, not
   * effective date, is what must be covered.
   */
  seenBatches: s.integer({ min: 1 }).default(1_000),
});
/** Parsed state configuration. */
export type StateConfig = Infer<typeof StateConfig>;

/** The whole rule set: `RuleSetConfig.parse({})` gives every documented default. */
export const RuleSetConfig = s
  .object({
    /** Stamped on every alert as `ruleSetVersion`: which thresholds produced it. */
    version: s.string({ minLength: 1 }).default(DEFAULT_RULE_SET_VERSION),
    rules: s
      .object({
        'duplicate-payment': duplicatePaymentRule.configSchema.default({}),
        'split-payment': splitPaymentRule.configSchema.default({}),
        'amount-outlier': amountOutlierRule.configSchema.default({}),
      })
      .default({}),
    state: StateConfig.default({}),
  })
  .refine((c) => {
    const min = c.rules['amount-outlier'].minObservations;
    // A history shorter than the minimum could never be used: say so instead of staying silent.
    if (c.state.laoHistorySize < min) return `state.laoHistorySize (${c.state.laoHistorySize}) must be ≥ rules.amount-outlier.minObservations (${min})`;
    if (c.state.payeeHistorySize < min) return `state.payeeHistorySize (${c.state.payeeHistorySize}) must be ≥ rules.amount-outlier.minObservations (${min})`;
    return null;
  });
/** Parsed rule-set configuration. */
export type RuleSetConfig = Infer<typeof RuleSetConfig>;
/** What a configuration file may contain: any subset of `RuleSetConfig`. */
export type RuleSetConfigInput = DeepPartial<RuleSetConfig>;

/** Parses a configuration, or throws `PW_ERR_RULES_CONFIG_INVALID` listing every issue. */
export function parseRuleSetConfig(input: unknown): RuleSetConfig {
  const result = RuleSetConfig.safeParse(input);
  if (result.success) return result.data;
  throw new RulesError(RULES_ERROR_CODES.configInvalid, `invalid rule-set configuration: ${describeIssues(result.issues)}`, result.issues);
}
