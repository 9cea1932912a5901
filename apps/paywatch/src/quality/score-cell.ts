/**
 * Scores a scan's alerts against a world's labels (ADR 0013). Only alerts naming a target-month payment are scored
 * against the target month's labels; alerts that name history payments only are counted apart (they are false
 * alerts too when they name no label). An event is found when an alert carrying a rule that belongs to its
 * typology names it: one of its rows, its LAO period (`fy-2026`, `day-…`) for an alert about that period, its file
 * for a batch alert. An alert is false when it names no label at all; one that names only tolerated cases (the
 * typologies' letter flags them, the world knows them to be ordinary) is neither false nor a find.
 */
import type { Alert } from '@paywatch/domain';

/** What the scorer needs of a label (the harder world's labels, and the first world's, which have no month or case). */
export interface ScoredLabel {
  typology: string;
  case?: string;
  laoCode: string;
  month?: string;
  payments: readonly { file: string; row: number }[];
  period?: string;
  periodOnly?: true;
  tolerated?: true;
}

/**
 * The rules that find a typology: its own id, and sub-rules that carry another id (stage 2 names the same citizen
 * ID paid by two LAOs `welfare-two-laos`; typologies.md files it under welfare-anomaly).
 */
export const RULES_OF_TYPOLOGY: Readonly<Record<string, readonly string[]>> = { 'welfare-anomaly': ['welfare-anomaly', 'welfare-two-laos'] };
const rulesOf = (typology: string): readonly string[] => RULES_OF_TYPOLOGY[typology] ?? [typology];

/** How one rule's alerts fared. */
export interface RuleScore {
  /** Events of this typology, and how many an alert of one of its rules named. */
  events: number; found: number; recall: number | null;
  /** Alerts carrying this rule (an alert grouping several rules counts for each). */
  alerts: number;
  /** … naming an event of this rule's typology. */
  matched: number;
  /** … naming only events of other typologies (a right reason to look, found by another signal). */
  onOtherEvents: number;
  /** … naming only tolerated cases. */
  onTolerated: number;
  /** … naming no label. */
  falseAlerts: number;
  precision: number | null;
  precisionOwnTypology: number | null;
  falseAlertsPer1000CleanPayments: number;
}

/** One typology's events and what was found, in total and by case. */
export interface TypologyScore { events: number; found: number; recall: number | null; cases: Record<string, { events: number; found: number }> }

export interface CellScore {
  /** Target-month alerts (naming at least one target-month payment). */
  alerts: number;
  falseAlerts: number;
  toleratedAlerts: number;
  precision: number | null;
  falseAlertsPer1000CleanPayments: number;
  cleanPayments: number;
  events: number;
  perTypology: Record<string, TypologyScore>;
  perRule: Record<string, RuleScore>;
  /** Alerts naming only history payments: how many, how many name no label, per 1,000 clean history payments. */
  history: { alerts: number; falseAlerts: number; falseAlertsPer1000CleanPayments: number; byRule: Record<string, number> };
  /** A few false target-month alerts (rule, subject, first payment) to look at. */
  falseSamples: { ruleIds: string[]; subject: string; file: string; row: number }[];
}

/** The world facts the scorer needs. */
export interface ScoringInput {
  labels: readonly ScoredLabel[];
  /** The target month (`YYYY-MM`); labels without a month belong to it. */
  targetMonth?: string;
  /** File name → month (`YYYY-MM`); files not listed belong to the target month. */
  fileMonth?: ReadonlyMap<string, string>;
  cleanPayments: number;
  cleanHistoryPayments?: number;
}

export const ratio = (num: number, den: number): number | null => (den ? Number((num / den).toFixed(3)) : null);
export const per1000 = (n: number, clean: number): number => Number(((n / Math.max(1, clean)) * 1000).toFixed(3));
const rowKey = (file: string, row: number): string => `${file}#${row}`;

/** The labels an alert names (see the module comment). */
function labelsNamedBy(a: Alert, byRow: ReadonlyMap<string, ScoredLabel[]>, labels: readonly ScoredLabel[]): Set<ScoredLabel> {
  if (a.subject.kind === 'batch') {
    // A batch alert names every row of its file: only a label about the batch itself (its header line) is its subject.
    const files = new Set(a.payments.map((p) => p.file));
    return new Set(labels.filter((l) => l.typology === 'batch-padded' && l.payments.some((p) => p.row === 1 && files.has(p.file))));
  }
  const named = new Set(a.payments.flatMap((p) => byRow.get(rowKey(p.file, p.row)) ?? []).filter((l) => !l.periodOnly));
  if (a.subject.kind === 'lao-period') for (const l of labels) if (l.period !== undefined && l.laoCode === a.laoCode && l.period === a.subject.key) named.add(l);
  return named;
}

/**
 * A group alert (ADR 0019) as the alerts it stands for: one per member, carrying the group's rule and naming what the
 * member's finding named, so every payment the group lists counts as flagged by that rule, exactly as if the rule's
 * alerts had stayed individual. Other alerts are themselves.
 */
export function expandGroups(alerts: readonly Alert[]): Alert[] {
  return alerts.flatMap((a) => (a.group ? (a.groupMembers ?? []).map((m): Alert => ({ ...a, ruleIds: [a.group!.ruleId], subject: m.subject, payments: m.payments, groupMembers: undefined })) : [a]));
}

/** Scores one cell (group alerts counted as their members: `expandGroups`). */
export function scoreCell(grouped: readonly Alert[], input: ScoringInput): CellScore {
  const alerts = expandGroups(grouped);
  const inTarget = (file: string) => { const m = input.fileMonth?.get(file); return m === undefined || input.targetMonth === undefined || m === input.targetMonth; };
  const targetLabels = input.labels.filter((l) => l.month === undefined || input.targetMonth === undefined || l.month === input.targetMonth);
  const byRow = new Map<string, ScoredLabel[]>();
  for (const l of input.labels) for (const p of l.payments) { const k = rowKey(p.file, p.row); const list = byRow.get(k); if (list) list.push(l); else byRow.set(k, [l]); }
  const perTypology: Record<string, TypologyScore> = {};
  for (const l of targetLabels) {
    if (l.tolerated) continue;
    const t = (perTypology[l.typology] ??= { events: 0, found: 0, recall: null, cases: {} });
    t.events++;
    (t.cases[l.case ?? ''] ??= { events: 0, found: 0 }).events++;
  }
  const tally = new Map<string, Omit<RuleScore, 'events' | 'found' | 'recall' | 'precision' | 'precisionOwnTypology' | 'falseAlertsPer1000CleanPayments'>>();
  const rule = (id: string) => { let t = tally.get(id); if (!t) tally.set(id, (t = { alerts: 0, matched: 0, onOtherEvents: 0, onTolerated: 0, falseAlerts: 0 })); return t; };
  const found = new Set<ScoredLabel>();
  let scored = 0, falseAlerts = 0, toleratedAlerts = 0;
  const history = { alerts: 0, falseAlerts: 0, byRule: {} as Record<string, number> };
  const falseSamples: CellScore['falseSamples'] = [];
  for (const a of alerts) {
    const named = labelsNamedBy(a, byRow, input.labels);
    const target = a.payments.some((p) => inTarget(p.file));
    if (!target) {
      history.alerts++;
      if (named.size === 0) { history.falseAlerts++; for (const id of a.ruleIds) history.byRule[id] = (history.byRule[id] ?? 0) + 1; }
      continue;
    }
    scored++;
    const events = [...named].filter((l) => !l.tolerated);
    if (named.size === 0) {
      falseAlerts++;
      if (falseSamples.length < 25) falseSamples.push({ ruleIds: a.ruleIds, subject: `${a.subject.kind}:${a.subject.key}`, file: a.payments[0]?.file ?? '', row: a.payments[0]?.row ?? 0 });
    } else if (events.length === 0) toleratedAlerts++;
    for (const id of a.ruleIds) {
      const t = rule(id);
      t.alerts++;
      const own = events.filter((l) => rulesOf(l.typology).includes(id));
      for (const l of own) found.add(l);
      if (own.length > 0) t.matched++;
      else if (events.length > 0) t.onOtherEvents++;
      else if (named.size > 0) t.onTolerated++;
      else t.falseAlerts++;
    }
  }
  for (const l of found) {
    if (!targetLabels.includes(l)) continue;
    const t = perTypology[l.typology]!;
    t.found++;
    t.cases[l.case ?? '']!.found++;
  }
  for (const t of Object.values(perTypology)) t.recall = ratio(t.found, t.events);
  for (const l of targetLabels) if (!l.tolerated) rule(l.typology);
  const perRule: Record<string, RuleScore> = {};
  for (const id of [...tally.keys()].sort()) {
    const t = tally.get(id)!;
    const own = perTypology[id];
    perRule[id] = {
      events: own?.events ?? 0, found: own?.found ?? 0, recall: own ? own.recall : null, ...t,
      precision: ratio(t.alerts - t.falseAlerts, t.alerts), precisionOwnTypology: ratio(t.matched, t.alerts),
      falseAlertsPer1000CleanPayments: per1000(t.falseAlerts, input.cleanPayments),
    };
  }
  const events = Object.values(perTypology).reduce((s, t) => s + t.events, 0);
  return {
    alerts: scored, falseAlerts, toleratedAlerts, precision: ratio(scored - falseAlerts, scored), falseAlertsPer1000CleanPayments: per1000(falseAlerts, input.cleanPayments),
    cleanPayments: input.cleanPayments, events,
    perTypology: Object.fromEntries(Object.entries(perTypology).sort(([a], [b]) => (a < b ? -1 : 1))),
    perRule,
    history: { ...history, falseAlertsPer1000CleanPayments: per1000(history.falseAlerts, input.cleanHistoryPayments ?? 0) },
    falseSamples,
  };
}
