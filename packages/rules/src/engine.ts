/**
 * The in-memory detection engine of one detector partition: per-LAO state, every enabled rule
 * evaluated against the state as it was before the record, then the record folded in, and
 * the findings grouped into alerts. Deterministic: the same records in the same order give
 * byte-identical alerts, and snapshot → restore → continue equals never stopping.
 */
import type { Alert, BatchManifest, Disbursement, Finding } from '@paywatch/domain';
import { describeIssues, issuesOf, RULES_ERROR_CODES, RulesError } from './errors.ts';
import { groupFindings } from './group-findings.ts';
import type { BaseRuleConfig, Rule, RuleId } from './rule.ts';
import { parseRuleSetConfig, type RuleSetConfig, type RuleSetConfigInput } from './rule-set-config.ts';
import { amountOutlierRule } from './rules/amount-outlier.ts';
import { duplicatePaymentRule } from './rules/duplicate-payment.ts';
import { offHoursRule } from './rules/off-hours.ts';
import { selfApprovalRule } from './rules/self-approval.ts';
import { batchPaddedRule } from './rules/batch-padded.ts';
import { accountManyNamesRule } from './rules/account-many-names.ts';
import { newPayeeLargeRule } from './rules/new-payee-large.ts';
import { repeatSiphonRule } from './rules/repeat-siphon.ts';
import { benfordRule } from './rules/benford.ts';
import { nearThresholdRule } from './rules/near-threshold.ts';
import { velocitySpikeRule } from './rules/velocity-spike.ts';
import { splitPaymentRule } from './rules/split-payment.ts';
import { ENGINE_SNAPSHOT_FORMAT, EngineSnapshot } from './state/engine-snapshot.ts';
import { LaoState, type StateLimits } from './state/lao-state.ts';

/** The detection engine. */
export interface Engine {
  /** The parsed configuration it runs with. */
  readonly config: RuleSetConfig;
  /**
   * Evaluates every enabled rule against the LAO's state before the record, folds the record
   * in, and returns the alerts (one per subject, ordered by alertId). A record already folded
   * in (same batch and row, i.e. same recordId) is ignored: [] and no change of state, so
   * at-least-once delivery cannot create alerts twice.
   */
  process(record: Disbursement): Alert[];
  /**
   * Findings about a whole uploaded file (batch-padded: header count/total differ from the detail
   * lines), as alerts with a `batch` subject. Stateless: the same manifest always gives the same alerts.
   */
  processManifest(manifest: BatchManifest): Alert[];
  /** True when `process` would ignore this record as a replay (for metrics). */
  hasSeen(record: Pick<Disbursement, 'laoCode' | 'batchId' | 'row'>): boolean;
  /** The whole state as plain JSON, LAOs in code order: the same state always gives the same bytes. */
  snapshot(): EngineSnapshot;
  /** Replaces the state with a snapshot; throws `PW_ERR_RULES_SNAPSHOT_INVALID` (state untouched) when it does not validate. */
  restore(snapshot: unknown): void;
}

interface BoundRule {
  id: RuleId;
  windowDays: number;
  evaluate(record: Disbursement, state: LaoState): Finding[];
}

function bind<C extends BaseRuleConfig>(rule: Rule<C>, config: C): BoundRule[] {
  return config.enabled ? [{ id: rule.id, windowDays: rule.windowDays(config), evaluate: (record, state) => rule.evaluate(record, state, config) }] : [];
}

/** Creates an engine; the configuration is validated (throws `PW_ERR_RULES_CONFIG_INVALID`), missing fields take their defaults. */
export function createEngine(configInput: RuleSetConfigInput = {}): Engine {
  const config = parseRuleSetConfig(configInput);
  const rules: BoundRule[] = [
    ...bind(duplicatePaymentRule, config.rules['duplicate-payment']),
    ...bind(splitPaymentRule, config.rules['split-payment']),
    ...bind(amountOutlierRule, config.rules['amount-outlier']),
    ...bind(offHoursRule, config.rules['off-hours']),
    ...bind(selfApprovalRule, config.rules['self-approval']),
    ...bind(accountManyNamesRule, config.rules['account-many-names']),
    ...bind(newPayeeLargeRule, config.rules['new-payee-large']),
    ...bind(repeatSiphonRule, config.rules['repeat-siphon']),
    ...bind(benfordRule, config.rules.benford),
    ...bind(nearThresholdRule, config.rules['near-threshold']),
    ...bind(velocitySpikeRule, config.rules['velocity-spike']),
  ];
  const limits: StateLimits = {
    // The window is as long as the longest rule looks back (or forward: rows come in file order, not date order).
    windowDays: Math.max(0, ...rules.map((r) => r.windowDays)),
    laoHistorySize: config.state.laoHistorySize,
    payeeHistorySize: config.state.payeeHistorySize,
    maxPayeeHistories: config.state.maxPayeeHistories,
    seenBatches: config.state.seenBatches,
    maxNamesPerAccount: config.state.maxNamesPerAccount,
    dailyDays: 7 * config.rules['velocity-spike'].baselineWeeks,
    dailyExcludedServiceTypes: config.rules['velocity-spike'].excludedServiceTypes,
    nearThresholdsSatang: config.rules['near-threshold'].thresholdsSatang,
    nearBandFraction: config.rules['near-threshold'].bandFraction,
  };
  let laos = new Map<string, LaoState>();

  return {
    config,
    process(record) {
      let state = laos.get(record.laoCode);
      if (state?.hasSeen(record)) return [];
      if (!state) laos.set(record.laoCode, (state = new LaoState(record.laoCode, limits)));
      const findings: Finding[] = [];
      for (const rule of rules) findings.push(...rule.evaluate(record, state));
      state.fold(record);
      return findings.length === 0 ? [] : groupFindings(findings, config.version);
    },
    processManifest(manifest) {
      const batchPadded = config.rules['batch-padded'];
      const findings = batchPadded.enabled ? batchPaddedRule.evaluate(manifest, batchPadded) : [];
      return findings.length === 0 ? [] : groupFindings(findings, config.version);
    },
    hasSeen(record) {
      return laos.get(record.laoCode)?.hasSeen(record) ?? false;
    },
    snapshot() {
      const codes = [...laos.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return { format: ENGINE_SNAPSHOT_FORMAT, ruleSetVersion: config.version, laos: codes.map((c) => laos.get(c)!.snapshot()) };
    },
    restore(snapshot) {
      const parsed = EngineSnapshot.safeParse(snapshot);
      if (!parsed.success) {
        const issues = issuesOf(parsed.error);
        throw new RulesError(RULES_ERROR_CODES.snapshotInvalid, `invalid engine snapshot: ${describeIssues(issues)}`, issues);
      }
      const next = new Map<string, LaoState>();
      try {
        for (const lao of parsed.data.laos) next.set(lao.laoCode, LaoState.restore(lao, limits));
      } catch (cause) {
        // A dictionary index out of range: well-typed but inconsistent, so still not a snapshot this engine wrote.
        throw new RulesError(RULES_ERROR_CODES.snapshotInvalid, `invalid engine snapshot: ${(cause as Error).message}`, [], { cause });
      }
      laos = next;
    },
  };
}
