/**
 * The in-memory detection engine of one detector partition: per-LAO state, every enabled rule
 * evaluated against the state as it was before the record, then the record folded in, and
 * the findings grouped into alerts. Deterministic: the same records in the same order give
 * byte-identical alerts, and snapshot → restore → continue equals never stopping.
 */
import type { Alert, BatchManifest, Disbursement, Finding, ReferenceKind, ReferenceSnapshot } from '@paywatch/domain';
import { describeIssues, issuesOf, RULES_ERROR_CODES, RulesError } from './errors.ts';
import { groupFindings } from './group-findings.ts';
import { BatchGroups } from './batch-groups.ts';
import type { BaseRuleConfig, Rule, RuleId } from './rule.ts';
import { parseRuleSetConfig, type RuleSetConfig, type RuleSetConfigInput } from './rule-set-config.ts';
import { amountOutlierRule } from './rules/amount-outlier.ts';
import { duplicatePaymentRule } from './rules/duplicate-payment.ts';
import { offHoursRule } from './rules/off-hours.ts';
import { selfApprovalRule } from './rules/self-approval.ts';
import { batchPaddedLinesRule, batchPaddedRule } from './rules/batch-padded.ts';
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
import { registerChangedBeforePaymentRule } from './rules/register-changed-before-payment.ts';
import { LaoReference } from './state/lao-reference.ts';
import { SharedSubjects } from './state/shared-subjects.ts';
import { splitPaymentRule } from './rules/split-payment.ts';
import { ENGINE_SNAPSHOT_FORMAT, EngineSnapshot } from './state/engine-snapshot.ts';
import { LaoState, type StateLimits } from './state/lao-state.ts';
import { PeerGroups } from './state/peer-groups.ts';
import { payeeKeysOf } from './cross-lao/payee-engine.ts';
import { allowanceOf } from './rules/welfare-allowance.ts';

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
  /**
   * Keeps an LAO's reference list of one kind when its version is higher than the one held (a lower
   * or equal version changes nothing, so re-delivery is harmless); true when it was kept. Rules that
   * need a kind stay silent for an LAO until it arrives. Kept in `snapshot()`.
   */
  applyReference(snapshot: ReferenceSnapshot): boolean;
  /**
   * For each enabled rule that needs reference data, the LAO codes (seen in payments or reference
   * data, in code order) that lack it, so a quality report can say which rules are silent where.
   */
  coverage(): Record<string, { needs: ReferenceKind; lacking: string[] }>;
  /**
   * The keys stage 2 gets this record under (`payeeKeysOf`): its account, and for an allowance whose person is known —
   * written in the payment or found in the LAO's beneficiary list — that person's citizen ID.
   */
  forwardKeys(record: Disbursement): string[];
  /** True when `process` would ignore this record as a replay (for metrics). */
  hasSeen(record: Pick<Disbursement, 'laoCode' | 'batchId' | 'row'>): boolean;
  /** The whole state as plain JSON, LAOs in code order: the same state always gives the same bytes. */
  snapshot(): EngineSnapshot;
  /** Replaces the state with a snapshot; throws `PW_ERR_RULES_SNAPSHOT_INVALID` (state untouched) when it does not validate. */
  restore(snapshot: unknown): void;
}

interface BoundRule {
  id: RuleId;
  needs: ReferenceKind | undefined;
  windowDays: number;
  evaluate(record: Disbursement, state: LaoState): Finding[];
}

function bind<C extends BaseRuleConfig>(rule: Rule<C>, config: C): BoundRule[] {
  return config.enabled ? [{ id: rule.id, needs: rule.needs, windowDays: rule.windowDays(config), evaluate: (record, state) => rule.evaluate(record, state, config) }] : [];
}

export interface EngineOptions {
  /**
   * The reference snapshots in force for an LAO (a streaming detector's table of the compacted
   * reference topics). Consulted before each record of that LAO: a newer version than the one held
   * replaces it, so a list uploaded later applies to the payments evaluated after it arrived.
   */
  referenceSource?: (laoCode: string) => Iterable<ReferenceSnapshot>;
}

/** Payments listed in an alert's payee history: enough for a chart, small enough for every alert. */
export const PAYEE_HISTORY_MAX = 24;

/**
 * Adds `evidence.payeeHistory` to the alerts about a payment or a payee: the payee's latest payments from this LAO
 * still in the detector's window (dates and amounts, no account), so an auditor sees the flagged payment against
 * the payee's usual ones. LAO-period alerts are about no single payee and get none.
 */
function withPayeeHistory(alerts: Alert[], record: Disbursement, state: LaoState, windowDays: number): Alert[] {
  const payments = state.paymentsToPayee(record.payeeBankCode, record.payeeAccount).slice(-PAYEE_HISTORY_MAX)
    .map((p) => ({ recordId: p.recordId, effectiveDate: p.effectiveDate, amountSatang: p.amountSatang }));
  return alerts.map((a) => (a.subject.kind === 'lao-period' || payments.length === 0 ? a : { ...a, evidence: { ...a.evidence, payeeHistory: { windowDays, payments } } }));
}

/** Creates an engine; the configuration is validated (throws `PW_ERR_RULES_CONFIG_INVALID`), missing fields take their defaults. */
export function createEngine(configInput: RuleSetConfigInput = {}, options: EngineOptions = {}): Engine {
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
    ...bind(payeeNotRegisteredRule, config.rules['payee-not-registered']),
    ...bind(staffAccountRule, config.rules['staff-account']),
    ...bind(noVoucherRule, config.rules['no-voucher']),
    ...bind(welfareAnomalyRule, config.rules['welfare-anomaly']),
    ...bind(registerChangedBeforePaymentRule, config.rules['register-changed-before-payment']),
    ...bind(batchPaddedLinesRule, config.rules['batch-padded']),
  ];
  const limits: StateLimits = {
    recurringServiceTypes: config.state.recurringServiceTypes,
    voucherToleranceDays: config.rules['no-voucher'].toleranceDays,
    allowanceServiceTypes: config.state.allowanceServiceTypes,
    maxAllowanceSatang: config.state.maxAllowanceSatang,
    oneOffHistorySize: config.state.oneOffHistorySize,
    accountMonthsKept: config.state.accountMonthsKept,
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
  let refs = new Map<string, LaoReference>();
  let sharedSubjects = new SharedSubjects();
  // A group or a province holds many LAOs: its samples are proportionally larger.
  const peerLimits = { historySize: 4 * config.state.laoHistorySize, oneOffHistorySize: 10 * config.state.oneOffHistorySize };
  let peerGroups = new PeerGroups(peerLimits);
  let batchGroups = new BatchGroups(config.grouping, config.version);
  const referenceOf = (laoCode: string): LaoReference => {
    let ref = refs.get(laoCode);
    if (!ref) refs.set(laoCode, (ref = new LaoReference()));
    return ref;
  };
  const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

  return {
    config,
    process(record) {
      let state = laos.get(record.laoCode);
      if (state?.hasSeen(record)) return [];
      if (!state) {
        laos.set(record.laoCode, (state = new LaoState(record.laoCode, limits)));
        state.reference = referenceOf(record.laoCode);
      }
      if (options.referenceSource) {
        const ref = referenceOf(record.laoCode);
        for (const snapshot of options.referenceSource(record.laoCode)) ref.apply(snapshot);
      }
      state.peers = peerGroups.of(record.peerGroup);
      state.province = peerGroups.provinceOf(record.peerGroup);
      const findings: Finding[] = [];
      for (const rule of rules) {
        const found = rule.evaluate(record, state);
        for (let i = 0; i < found.length; i++) findings.push(found[i]!);
      }
      state.fold(record);
      peerGroups.fold(record, { allowance: state.allowance(record) !== null, recurring: state.isRecurring(record) });
      if (findings.length === 0) return [];
      // Storm control (ADR 0019): beyond a few alerts of one rule in this batch, its findings join the group alert.
      const routed = batchGroups.route(record, findings);
      const individual = routed.individual.length === 0 ? [] : withPayeeHistory(groupFindings(sharedSubjects.withEarlier(routed.individual), config.version), record, state, limits.windowDays);
      if (routed.groupAlerts.length === 0) return individual;
      return [...individual, ...routed.groupAlerts].sort((a, b) => byCode(a.alertId, b.alertId));
    },
    processManifest(manifest) {
      const batchPadded = config.rules['batch-padded'];
      const findings = batchPadded.enabled ? batchPaddedRule.evaluate(manifest, batchPadded) : [];
      return findings.length === 0 ? [] : groupFindings(findings, config.version);
    },
    applyReference(snapshot) {
      const ref = referenceOf(snapshot.laoCode);
      const kept = ref.apply(snapshot);
      const state = laos.get(snapshot.laoCode);
      if (state) state.reference = ref;
      return kept;
    },
    coverage() {
      const codes = [...new Set([...laos.keys(), ...refs.keys()])].sort(byCode);
      const out: Record<string, { needs: ReferenceKind; lacking: string[] }> = {};
      for (const rule of rules) {
        if (!rule.needs) continue;
        const kind = rule.needs;
        out[rule.id] = { needs: kind, lacking: codes.filter((c) => (refs.get(c)?.versionOf(kind) ?? 0) === 0) };
      }
      return out;
    },
    forwardKeys(record) {
      return payeeKeysOf(record, allowanceOf(record, referenceOf(record.laoCode), limits)?.citizenId ?? null);
    },
    hasSeen(record) {
      return laos.get(record.laoCode)?.hasSeen(record) ?? false;
    },
    snapshot() {
      const codes = [...laos.keys()].sort(byCode);
      const reference = [...refs.keys()].sort(byCode).flatMap((c) => refs.get(c)!.snapshots());
      return { format: ENGINE_SNAPSHOT_FORMAT, ruleSetVersion: config.version, laos: codes.map((c) => laos.get(c)!.snapshot()), reference, shared: sharedSubjects.snapshot(), peers: peerGroups.snapshot(), groups: batchGroups.snapshot() };
    },
    restore(snapshot) {
      const parsed = EngineSnapshot.safeParse(snapshot);
      if (!parsed.success) {
        const issues = issuesOf(parsed.error);
        throw new RulesError(RULES_ERROR_CODES.snapshotInvalid, `invalid engine snapshot: ${describeIssues(issues)}`, issues);
      }
      const next = new Map<string, LaoState>();
      const nextRefs = new Map<string, LaoReference>();
      try {
        for (const r of parsed.data.reference) {
          let ref = nextRefs.get(r.laoCode);
          if (!ref) nextRefs.set(r.laoCode, (ref = new LaoReference()));
          ref.apply(r);
        }
        for (const lao of parsed.data.laos) {
          const state = LaoState.restore(lao, limits);
          const ref = nextRefs.get(lao.laoCode) ?? new LaoReference();
          nextRefs.set(lao.laoCode, ref);
          state.reference = ref;
          next.set(lao.laoCode, state);
        }
      } catch (cause) {
        // A dictionary index out of range: well-typed but inconsistent, so still not a snapshot this engine wrote.
        throw new RulesError(RULES_ERROR_CODES.snapshotInvalid, `invalid engine snapshot: ${(cause as Error).message}`, [], { cause });
      }
      laos = next;
      refs = nextRefs;
      sharedSubjects = SharedSubjects.restore(parsed.data.shared);
      peerGroups = PeerGroups.restore(parsed.data.peers, peerLimits);
      batchGroups = BatchGroups.restore(parsed.data.groups, config.grouping, config.version);
    },
  };
}
