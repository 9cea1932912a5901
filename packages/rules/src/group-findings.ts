/** Findings about one subject become one alert: the auditor gets one alert with several reasons, not several alerts. */
import { alertIdFor, SEVERITY_RANK, type Alert, type Finding, type PaymentRef, type Severity } from '@paywatch/domain';

const BY_RANK = Object.fromEntries(Object.entries(SEVERITY_RANK).map(([s, r]) => [r, s])) as Record<number, Severity>;
const MAX_RANK = Math.max(...Object.values(SEVERITY_RANK));

/** Code-unit order: the same everywhere (localeCompare depends on the runtime's locale data). */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The highest severity, raised one step (at most critical) when at least two different rules agree. */
export function combinedSeverity(findings: readonly Pick<Finding, 'ruleId' | 'severity'>[]): Severity {
  const top = Math.max(...findings.map((f) => SEVERITY_RANK[f.severity]));
  const rules = new Set(findings.map((f) => f.ruleId)).size;
  return BY_RANK[rules >= 2 ? Math.min(top + 1, MAX_RANK) : top]!;
}

/** Amount and date of each payment, from the `paymentDetails` the rules put in their evidence (PaymentRef has neither). */
function paymentFacts(findings: readonly Finding[]): Map<string, { amountSatang: number; effectiveDate: string }> {
  const facts = new Map<string, { amountSatang: number; effectiveDate: string }>();
  for (const f of findings) {
    const details = f.evidence['paymentDetails'];
    if (!Array.isArray(details)) continue;
    for (const d of details as unknown[]) {
      if (typeof d !== 'object' || d === null) continue;
      const { recordId, amountSatang, effectiveDate } = d as Record<string, unknown>;
      if (typeof recordId === 'string' && Number.isSafeInteger(amountSatang) && typeof effectiveDate === 'string' && !facts.has(recordId)) {
        facts.set(recordId, { amountSatang: amountSatang as number, effectiveDate });
      }
    }
  }
  return facts;
}

/**
 * Groups findings by (LAO, subject) into alerts, deterministically: findings ordered by rule
 * id, payments deduplicated by recordId and ordered by (batch, row), alerts ordered by alertId.
 * `evidence` is keyed by rule id; should one rule give several findings about one subject, its
 * entry is the list of their evidence.
 */
export function groupFindings(findings: readonly Finding[], ruleSetVersion: string): Alert[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = JSON.stringify([f.laoCode, f.subject.kind, f.subject.key]);
    const list = groups.get(key);
    if (list) list.push(f);
    else groups.set(key, [f]);
  }
  const alerts: Alert[] = [];
  for (const group of groups.values()) {
    // Array.prototype.sort is stable: one rule's findings keep the order the rule gave them.
    const sorted = [...group].sort((a, b) => byText(a.ruleId, b.ruleId));
    const { laoCode, subject } = sorted[0]!;
    const ruleIds = [...new Set(sorted.map((f) => f.ruleId))];

    const refs = new Map<string, PaymentRef>();
    for (const f of sorted) for (const p of f.payments) if (!refs.has(p.recordId)) refs.set(p.recordId, p);
    const payments = [...refs.values()].sort((a, b) => byText(a.batchId, b.batchId) || a.row - b.row || byText(a.recordId, b.recordId));

    const facts = paymentFacts(sorted);
    let amountSatang = 0;
    let occurredOn = '';
    for (const p of payments) {
      const fact = facts.get(p.recordId);
      if (!fact) continue;
      amountSatang += fact.amountSatang;
      if (fact.effectiveDate > occurredOn) occurredOn = fact.effectiveDate;
    }

    const evidence: Record<string, unknown> = {};
    for (const id of ruleIds) {
      const own = sorted.filter((f) => f.ruleId === id).map((f) => f.evidence);
      evidence[id] = own.length === 1 ? own[0] : own;
    }

    alerts.push({
      alertId: alertIdFor(laoCode, subject),
      laoCode,
      severity: combinedSeverity(sorted),
      ruleIds,
      subject: { kind: subject.kind, key: subject.key },
      findings: sorted,
      payments,
      reasons: { th: sorted.map((f) => f.reasons.th).join('\n'), en: sorted.map((f) => f.reasons.en).join('\n') },
      evidence,
      amountSatang,
      occurredOn,
      ruleSetVersion,
    });
  }
  return alerts.sort((a, b) => byText(a.alertId, b.alertId));
}
