/**
 * `pnpm quality [--seed N] [--laos K] [--months M] [--config FILE]`: generates a world, scans it with the same
 * engines as the pipeline (stage 1 per LAO, stage 2 across LAOs), and scores the alerts against the world's labels:
 * per rule, events, found and recall, and alerts split into those on its own typology, on another event, and false
 * (naming no labelled event), with precision and false alerts per 1,000 clean payments; the same overall. An event
 * counts as found when an alert of that rule names it. Rules with no injected events here are listed as not
 * measured. Same seed ⇒ same report.
 */
import { readFile } from 'node:fs/promises';
import { createEngine, createPayeeEngine, RuleSetConfig } from '@paywatch/rules';
import { ReferenceSnapshot, sha256Hex, type Alert, type ReferenceKind } from '@paywatch/domain';
import { parseReferenceCsv } from '@paywatch/ktb-formats';
import { opt, parseArgs } from '../args.ts';
import { generateWorld, type WorldLabel } from '../world/generate-world.ts';
import { scanFiles } from './scan.ts';

/** How one rule did: its alerts, split by what they point at, and the events of its typology it found. */
export interface RuleScore {
  /** Injected events of this typology, and how many an alert of this rule named. */
  events: number; found: number; recall: number | null;
  /** Alerts carrying this rule (an alert that groups several rules counts for each of them). */
  alerts: number;
  /** … that name an event of this rule's own typology. */
  matched: number;
  /** … that name only events of other typologies (a right reason to look, found by another signal). */
  onOtherEvents: number;
  /** … that name no labelled event at all. */
  falseAlerts: number;
  /** (alerts − falseAlerts) / alerts, as the overall figure; null without alerts. */
  precision: number | null;
  /** matched / alerts: how often this rule's alert is about its own typology. */
  precisionOwnTypology: number | null;
  falseAlertsPer1000CleanPayments: number;
}

export interface QualityReport {
  seed: number; files: number; cleanPayments: number; alerts: number;
  /** Alerts that name no labelled event. */
  falseAlerts: number;
  /** Per rule id, in id order. */
  perRule: Record<string, RuleScore>;
  precision: number | null;
  /** False alerts (naming no labelled event) per 1,000 clean payments. */
  alertsPer1000CleanPayments: number;
  /** Rules that had no injected events in this world: their recall is not measured here. */
  notMeasured?: string[];
  /** Rules silent for want of reference data, with how many LAOs lack it. */
  silentForLackOfReferenceData?: Record<string, { needs: string; laosLacking: number }>;
}

const ratio = (num: number, den: number): number | null => (den ? Number((num / den).toFixed(3)) : null);
const per1000 = (n: number, clean: number): number => Number(((n / Math.max(1, clean)) * 1000).toFixed(3));

/**
 * The labelled events an alert is about. A payment alert, a payee alert and the like name rows; a batch alert names
 * every row of its file, so only a label about the batch itself (its header line) counts for it. An event with a
 * `period` is found by an alert about that LAO and period, whichever payment last fired it. When the event is the
 * period as a whole (`periodOnly`: a year of invented amounts), its rows are listed for the record only, and a payment
 * alert that happens to name one of them has not found it (in an LAO whose every purchase is invented, that would
 * credit any alert); the rows of other period events (payments just under a limit) are irregular one by one.
 */
function eventsNamedBy(a: Alert, byRow: ReadonlyMap<string, WorldLabel[]>, labels: readonly WorldLabel[]): Set<WorldLabel> {
  if (a.subject.kind === 'batch') return new Set(labels.filter((l) => l.typology === 'batch-padded' && a.payments.some((p) => p.file === l.payments[0]!.file)));
  const named = new Set(a.payments.flatMap((p) => byRow.get(rowKey(p.file, p.row)) ?? []).filter((l) => !l.periodOnly));
  if (a.subject.kind === 'lao-period') for (const l of labels) if (l.period !== undefined && l.laoCode === a.laoCode && l.period === a.subject.key) named.add(l);
  return named;
}
const rowKey = (file: string, row: number): string => `${file}#${row}`;

/**
 * Scores alerts against labels. An event is found when an alert of its typology's rule names it. An alert is true when
 * it names any labelled event, false otherwise; per rule, its true alerts are split into those about the rule's own
 * typology and those about another one.
 */
export function scoreAlerts(alerts: readonly Alert[], labels: readonly WorldLabel[], cleanPayments: number, seed: number, files: number): QualityReport {
  const byRow = new Map<string, WorldLabel[]>();
  for (const l of labels) for (const p of l.payments) byRow.set(rowKey(p.file, p.row), [...(byRow.get(rowKey(p.file, p.row)) ?? []), l]);
  const found = new Set<WorldLabel>();
  const tally = new Map<string, { events: number; alerts: number; matched: number; onOtherEvents: number; falseAlerts: number; found: number }>();
  const rule = (id: string) => {
    let t = tally.get(id);
    if (!t) tally.set(id, (t = { events: 0, alerts: 0, matched: 0, onOtherEvents: 0, falseAlerts: 0, found: 0 }));
    return t;
  };
  for (const l of labels) rule(l.typology).events++;
  let falseAlerts = 0;
  for (const a of alerts) {
    const named = eventsNamedBy(a, byRow, labels);
    if (named.size === 0) falseAlerts++;
    for (const id of a.ruleIds) {
      const t = rule(id);
      t.alerts++;
      const own = [...named].filter((l) => l.typology === id);
      for (const l of own) found.add(l);
      if (own.length > 0) t.matched++;
      else if (named.size > 0) t.onOtherEvents++;
      else t.falseAlerts++;
    }
  }
  for (const l of found) rule(l.typology).found++;
  const perRule: Record<string, RuleScore> = {};
  for (const id of [...tally.keys()].sort()) {
    const t = tally.get(id)!;
    perRule[id] = {
      events: t.events, found: t.found, recall: ratio(t.found, t.events),
      alerts: t.alerts, matched: t.matched, onOtherEvents: t.onOtherEvents, falseAlerts: t.falseAlerts,
      precision: ratio(t.alerts - t.falseAlerts, t.alerts), precisionOwnTypology: ratio(t.matched, t.alerts),
      falseAlertsPer1000CleanPayments: per1000(t.falseAlerts, cleanPayments),
    };
  }
  return {
    seed, files, cleanPayments, alerts: alerts.length, falseAlerts, perRule,
    precision: ratio(alerts.length - falseAlerts, alerts.length),
    alertsPer1000CleanPayments: per1000(falseAlerts, cleanPayments),
  };
}

export async function runQuality(argv: readonly string[], write: (line: string) => void): Promise<number> {
  const args = parseArgs(argv);
  const seed = Number(opt(args, 'seed') ?? 20261122);
  const world = generateWorld({ seed, laos: Number(opt(args, 'laos') ?? 12), months: Number(opt(args, 'months') ?? 8) });
  const configFile = opt(args, 'config');
  const ruleSet = RuleSetConfig.parse(configFile ? JSON.parse(await readFile(configFile, 'utf8')) : {});
  const engine = createEngine(ruleSet);
  // The world's reference lists (payees, staff, vouchers, beneficiaries), as `scan --reference` would load them.
  for (const f of world.reference) {
    const kind = f.name.replace(/\.csv$/, '') as ReferenceKind;
    for (const [laoCode, items] of parseReferenceCsv(f.bytes, kind).byLao) engine.applyReference(ReferenceSnapshot.parse({ kind, laoCode, version: 1, sha256: sha256Hex(f.bytes), effectiveFrom: '2000-01-01', items }));
  }
  // Stage 2 too (cross-LAO: one account under many names, one citizen ID paid by two LAOs), as the detector runs it.
  const alerts = await scanFiles(world.files, world.registry, ruleSet, () => undefined, engine, createPayeeEngine(ruleSet));
  const report = scoreAlerts(alerts, world.labels, world.cleanPayments, seed, world.files.length);
  const enabled = Object.entries(ruleSet.rules).filter(([, c]) => (c as { enabled: boolean }).enabled).map(([id]) => id);
  report.notMeasured = enabled.filter((id) => !report.perRule[id]?.events).sort();
  report.silentForLackOfReferenceData = Object.fromEntries(Object.entries(engine.coverage()).filter(([, c]) => c.lacking.length > 0).map(([id, c]) => [id, { needs: c.needs, laosLacking: c.lacking.length }]));
  write(JSON.stringify(report, null, 2));
  return 0;
}
