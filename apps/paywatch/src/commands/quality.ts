/**
 * `pnpm quality [--seeds 1,2,3] [--history 0,2,8] [--laos 120] [--scale S] [--config FILE] [--jobs 2] [--json] [--check]`:
 * the quality matrix (ADR 0013). Each cell generates a harder world (seed × months of clean history before the
 * target month), scans it with the same code path as `paywatch scan` (stage 1 and stage 2 engines) and scores the
 * target month's alerts against its labels: events and recall by the expected rule per typology (and per case),
 * precision, false alerts per 1,000 clean target-month payments, and the alerts raised during the clean history apart.
 * Then the worst cell per metric; `--check` exits 1 when the worst cell misses a target. Same options ⇒ same report
 * (timings aside).
 */
import { readFile } from 'node:fs/promises';
import type { Alert } from '@paywatch/domain';
import { parseArgs, opt } from '../args.ts';
import { formatCell, formatSummary, runMatrix, summarise, TARGETS } from '../quality/quality-matrix.ts';
import { scoreCell, type RuleScore as CellRuleScore } from '../quality/score-cell.ts';
import type { WorldLabel } from '../world/generate-world.ts';

/** How one rule did in the first synthetic world (`generateWorld`): `scoreAlerts`' per-rule line. */
export type RuleScore = Omit<CellRuleScore, 'onTolerated'>;

/** The first world's report shape, kept for the tests that score `generateWorld`. */
export interface QualityReport {
  seed: number; files: number; cleanPayments: number; alerts: number;
  falseAlerts: number;
  perRule: Record<string, RuleScore>;
  precision: number | null;
  alertsPer1000CleanPayments: number;
}

/**
 * Scores alerts against a first-world label set (no months, no tolerated cases) with the matrix's scorer: an event is
 * found when an alert of its typology's rule names it; an alert naming no label is false.
 */
export function scoreAlerts(alerts: readonly Alert[], labels: readonly WorldLabel[], cleanPayments: number, seed: number, files: number): QualityReport {
  const s = scoreCell(alerts, { labels, cleanPayments });
  const perRule = Object.fromEntries(Object.entries(s.perRule).map(([id, r]) => { const { onTolerated: _, ...rest } = r; return [id, rest]; }));
  return { seed, files, cleanPayments, alerts: s.alerts, falseAlerts: s.falseAlerts, perRule, precision: s.precision, alertsPer1000CleanPayments: s.falseAlertsPer1000CleanPayments };
}

const list = (text: string | undefined, fallback: number[]): number[] => (text === undefined ? fallback : text.split(',').map((x) => { const n = Number(x.trim()); if (!Number.isInteger(n) || n < 0) throw new Error(`not a whole number: "${x}"`); return n; }));

/** The default matrix: 3 seeds × 0, 2 and 8 months of history, 120 LAOs. */
export const DEFAULT_MATRIX = { seeds: [1, 2, 3], histories: [0, 2, 8], laos: 120 } as const;

export async function runQuality(argv: readonly string[], write: (line: string) => void, progress: (line: string) => void = (l) => process.stderr.write(l + '\n')): Promise<number> {
  const args = parseArgs(argv, ['json', 'check']);
  const seeds = list(opt(args, 'seeds') ?? opt(args, 'seed'), [...DEFAULT_MATRIX.seeds]);
  const histories = list(opt(args, 'history') ?? opt(args, 'history-months'), [...DEFAULT_MATRIX.histories]);
  const laos = Number(opt(args, 'laos') ?? DEFAULT_MATRIX.laos);
  const scale = opt(args, 'scale') ? Number(opt(args, 'scale')) : undefined;
  const jobs = Number(opt(args, 'jobs') ?? 2);
  const configFile = opt(args, 'config');
  const ruleSet = configFile ? JSON.parse(await readFile(configFile, 'utf8')) : undefined;
  const t0 = Date.now();
  progress(`quality: ${seeds.length} seeds × history ${histories.join('/')} months, ${laos} LAOs, ${jobs} job${jobs === 1 ? '' : 's'}${configFile ? `, rule set ${configFile}` : ''}`);
  const results = await runMatrix({ seeds, histories, laos, ...(scale ? { scale } : {}), ...(ruleSet ? { ruleSet } : {}), jobs, onCell: (r) => progress(`  cell seed ${r.seed} history ${r.historyMonths}: ${(r.timings.totalMs / 1000).toFixed(1)} s`) });
  const summary = summarise(results);
  const elapsedMs = Date.now() - t0;
  if (args.options.has('json')) write(JSON.stringify({ targets: TARGETS, cells: results, summary, elapsedMs }, null, 2));
  else {
    write(`quality matrix: seeds ${seeds.join(', ')} × ${histories.join(', ')} months of history, ${laos} LAOs, rule set ${results[0]?.ruleSetVersion ?? '?'}`);
    for (const r of results) for (const line of formatCell(r)) write(line);
    for (const line of formatSummary(summary)) write(line);
    write(`elapsed ${(elapsedMs / 1000).toFixed(1)} s`);
  }
  return args.options.has('check') && summary.missed.length > 0 ? 1 : 0;
}
