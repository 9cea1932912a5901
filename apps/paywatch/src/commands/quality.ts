/**
 * `pnpm quality [--seed N] [--laos K] [--months M] [--config FILE]`: generates a world, scans it with the same
 * engine as the pipeline, and scores the alerts against the world's labels: per typology events, found and
 * recall; overall precision; alerts per 1,000 clean payments. An event counts as found when an alert of that
 * rule names at least one of its payments. Rules with no injected events here are listed as not measured.
 */
import { readFile } from 'node:fs/promises';
import { createEngine, RuleSetConfig } from '@paywatch/rules';
import { ReferenceSnapshot, sha256Hex, type Alert, type ReferenceKind } from '@paywatch/domain';
import { parseReferenceCsv } from '@paywatch/ktb-formats';
import { opt, parseArgs } from '../args.ts';
import { generateWorld, type WorldLabel } from '../world/generate-world.ts';
import { scanFiles } from './scan.ts';

export interface QualityReport {
  seed: number; files: number; cleanPayments: number; alerts: number;
  perRule: Record<string, { events: number; found: number; recall: number | null; alerts: number }>;
  precision: number | null; alertsPer1000CleanPayments: number;
  /** Rules that had no injected events in this world: their recall is not measured here. */
  notMeasured?: string[];
  /** Rules silent for want of reference data, with how many LAOs lack it. */
  silentForLackOfReferenceData?: Record<string, { needs: string; laosLacking: number }>;
}

/** Scores alerts against labels. */
export function scoreAlerts(alerts: readonly Alert[], labels: readonly WorldLabel[], cleanPayments: number, seed: number, files: number): QualityReport {
  const key = (file: string, row: number) => `${file}#${row}`;
  const labelled = new Map<string, WorldLabel[]>();
  for (const l of labels) for (const p of l.payments) labelled.set(key(p.file, p.row), [...(labelled.get(key(p.file, p.row)) ?? []), l]);
  const found = new Set<WorldLabel>();
  let truePositives = 0;
  const perRule: QualityReport['perRule'] = {};
  const rule = (id: string) => (perRule[id] ??= { events: 0, found: 0, recall: null, alerts: 0 });
  for (const l of labels) rule(l.typology).events++;
  for (const a of alerts) {
    for (const id of a.ruleIds) rule(id).alerts++;
    const hits = a.payments.flatMap((p) => labelled.get(key(p.file, p.row)) ?? []);
    // A batch-level alert names the batch's rows; its label points at the header line of that file.
    const batchHits = a.subject.kind === 'batch' ? labels.filter((l) => l.typology === 'batch-padded' && a.payments.some((p) => p.file === l.payments[0]!.file)) : [];
    let matched = false;
    for (const l of [...hits, ...batchHits]) if (a.ruleIds.includes(l.typology)) { found.add(l); matched = true; }
    if (matched || hits.length > 0) truePositives++;
  }
  for (const l of found) rule(l.typology).found++;
  for (const r of Object.values(perRule)) r.recall = r.events ? Number((r.found / r.events).toFixed(3)) : null;
  const falseAlerts = alerts.length - truePositives;
  return {
    seed, files, cleanPayments, alerts: alerts.length, perRule,
    precision: alerts.length ? Number((truePositives / alerts.length).toFixed(3)) : null,
    alertsPer1000CleanPayments: Number(((falseAlerts / Math.max(1, cleanPayments)) * 1000).toFixed(3)),
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
  const alerts = await scanFiles(world.files, world.registry, ruleSet, () => undefined, engine);
  const report = scoreAlerts(alerts, world.labels, world.cleanPayments, seed, world.files.length);
  const enabled = Object.entries(ruleSet.rules).filter(([, c]) => (c as { enabled: boolean }).enabled).map(([id]) => id);
  report.notMeasured = enabled.filter((id) => !report.perRule[id]?.events).sort();
  report.silentForLackOfReferenceData = Object.fromEntries(Object.entries(engine.coverage()).filter(([, c]) => c.lacking.length > 0).map(([id, c]) => [id, { needs: c.needs, laosLacking: c.lacking.length }]));
  write(JSON.stringify(report, null, 2));
  return 0;
}
