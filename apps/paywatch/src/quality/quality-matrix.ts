/**
 * The quality matrix (ADR 0013): cells of seeds × history lengths, each a harder world scanned and scored; the worst
 * cell per metric; and the targets the product must reach in the worst cell — recall by the expected rule ≥ 0.95 for
 * every typology with events, overall precision ≥ 0.90, at most 1 false alert per 1,000 clean payments.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCell, type CellResult, type CellSpec } from './run-cell.ts';

export const TARGETS = { recall: 0.95, precision: 0.9, falseAlertsPer1000: 1 } as const;

/** What to run. `jobs` > 1 runs cells in child processes, that many at a time. */
export interface MatrixOptions { seeds: readonly number[]; histories: readonly number[]; laos: number; scale?: number; ruleSet?: CellSpec['ruleSet']; jobs: number; onCell?: (r: CellResult) => void }

/** A cell as the summary names it. */
export interface CellRef { seed: number; historyMonths: number }

export interface MatrixSummary {
  cells: number;
  /** Lowest recall of each typology over the cells where it had events. */
  worstRecall: Record<string, { recall: number; found: number; events: number } & CellRef>;
  worstPrecision: { precision: number | null } & CellRef;
  worstFalseAlertsPer1000: { falseAlertsPer1000CleanPayments: number } & CellRef;
  /** Targets missed in the worst cell, as sentences. */
  missed: string[];
}

function runInChild(spec: CellSpec): Promise<CellResult> {
  return new Promise((resolve, reject) => {
    // The worker is TypeScript: under `tsx` the loader is in execArgv already; elsewhere (a test runner) add it.
    const execArgv = process.execArgv.some((a) => a.includes('tsx')) ? process.execArgv : ['--import', 'tsx'];
    const child = fork(fileURLToPath(new URL('./cell-worker.ts', import.meta.url)), [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let done = false;
    child.on('message', (m: { ok: boolean; result?: CellResult; error?: string }) => { done = true; if (m.ok) resolve(m.result!); else reject(new Error(m.error)); });
    child.on('exit', (code) => { if (!done) reject(new Error(`quality cell seed ${spec.seed} history ${spec.historyMonths} exited with ${code}`)); });
    child.send(spec);
  });
}

/** Runs every cell; results in matrix order (seed-major). */
export async function runMatrix(o: MatrixOptions): Promise<CellResult[]> {
  const specs: CellSpec[] = o.seeds.flatMap((seed) => o.histories.map((historyMonths) => ({ seed, historyMonths, laos: o.laos, ...(o.scale ? { scale: o.scale } : {}), ...(o.ruleSet ? { ruleSet: o.ruleSet } : {}) })));
  const results: CellResult[] = new Array(specs.length);
  // Longest cells first, so two workers finish together.
  const queue = specs.map((s, i) => ({ s, i })).sort((a, b) => b.s.historyMonths - a.s.historyMonths);
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const r = o.jobs > 1 ? await runInChild(next.s) : await runCell(next.s);
      results[next.i] = r;
      o.onCell?.(r);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.jobs, specs.length)) }, worker));
  return results;
}

/** The worst cell per metric, and the targets it misses. */
export function summarise(results: readonly CellResult[]): MatrixSummary {
  const worstRecall: MatrixSummary['worstRecall'] = {};
  for (const r of results) for (const [typology, t] of Object.entries(r.perTypology)) {
    if (t.events === 0 || t.recall === null) continue;
    const held = worstRecall[typology];
    if (!held || t.recall < held.recall) worstRecall[typology] = { recall: t.recall, found: t.found, events: t.events, seed: r.seed, historyMonths: r.historyMonths };
  }
  const byPrecision = [...results].sort((a, b) => (a.precision ?? 1) - (b.precision ?? 1))[0]!;
  const byFalse = [...results].sort((a, b) => b.falseAlertsPer1000CleanPayments - a.falseAlertsPer1000CleanPayments)[0]!;
  const missed: string[] = [];
  for (const [typology, w] of Object.entries(worstRecall).sort(([a], [b]) => (a < b ? -1 : 1))) if (w.recall < TARGETS.recall) missed.push(`recall of ${typology} ${w.recall.toFixed(3)} < ${TARGETS.recall} (seed ${w.seed}, ${w.historyMonths} months of history)`);
  if ((byPrecision.precision ?? 1) < TARGETS.precision) missed.push(`precision ${byPrecision.precision!.toFixed(3)} < ${TARGETS.precision} (seed ${byPrecision.seed}, ${byPrecision.historyMonths} months of history)`);
  if (byFalse.falseAlertsPer1000CleanPayments > TARGETS.falseAlertsPer1000) missed.push(`${byFalse.falseAlertsPer1000CleanPayments.toFixed(2)} false alerts per 1,000 clean payments > ${TARGETS.falseAlertsPer1000} (seed ${byFalse.seed}, ${byFalse.historyMonths} months of history)`);
  return {
    cells: results.length, worstRecall: Object.fromEntries(Object.entries(worstRecall).sort(([a], [b]) => (a < b ? -1 : 1))),
    worstPrecision: { precision: byPrecision.precision, seed: byPrecision.seed, historyMonths: byPrecision.historyMonths },
    worstFalseAlertsPer1000: { falseAlertsPer1000CleanPayments: byFalse.falseAlertsPer1000CleanPayments, seed: byFalse.seed, historyMonths: byFalse.historyMonths },
    missed,
  };
}

const fmt = (x: number | null, d = 3): string => (x === null ? '  —  ' : x.toFixed(d));
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The cell as text: its totals, recall by typology with its cases, and where its false alerts come from. */
export function formatCell(r: CellResult): string[] {
  const lines = [
    `seed ${r.seed}, ${r.historyMonths} months of history, target ${r.targetMonth}, ${r.laos} LAOs: ${r.files} files, ${r.targetPayments} target-month payments (${r.cleanPayments} clean), ${r.events} events`,
    `  alerts ${r.alerts} (false ${r.falseAlerts}, on tolerated cases ${r.toleratedAlerts}), precision ${fmt(r.precision)}, false alerts per 1,000 clean payments ${fmt(r.falseAlertsPer1000CleanPayments, 2)}; history-only alerts ${r.history.alerts} (false ${r.history.falseAlerts}, ${fmt(r.history.falseAlertsPer1000CleanPayments, 2)} per 1,000)`,
    `  generate ${secs(r.timings.generateMs)}, scan ${secs(r.timings.scanMs)}`,
    `  ${'typology'.padEnd(22)} events found recall  cases found/events`,
  ];
  for (const [typology, t] of Object.entries(r.perTypology)) {
    const cases = Object.entries(t.cases).sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, x]) => `${c} ${x.found}/${x.events}`).join(', ');
    lines.push(`  ${typology.padEnd(22)} ${String(t.events).padStart(6)} ${String(t.found).padStart(5)} ${fmt(t.recall).padStart(6)}  ${cases}`);
  }
  const noisy = Object.entries(r.perRule).filter(([, s]) => s.falseAlerts > 0).sort(([, a], [, b]) => b.falseAlerts - a.falseAlerts);
  if (noisy.length > 0) lines.push(`  false alerts by rule: ${noisy.map(([id, s]) => `${id} ${s.falseAlerts}`).join(', ')}`);
  const historyNoisy = Object.entries(r.history.byRule).sort(([, a], [, b]) => b - a);
  if (historyNoisy.length > 0) lines.push(`  false history alerts by rule: ${historyNoisy.map(([id, n]) => `${id} ${n}`).join(', ')}`);
  return lines;
}

/** The summary as text. */
export function formatSummary(s: MatrixSummary): string[] {
  const lines = [`worst cell per metric (${s.cells} cells):`];
  for (const [typology, w] of Object.entries(s.worstRecall)) lines.push(`  recall ${typology.padEnd(22)} ${fmt(w.recall)} (${w.found}/${w.events}; seed ${w.seed}, ${w.historyMonths} months)`);
  lines.push(`  precision ${fmt(s.worstPrecision.precision)} (seed ${s.worstPrecision.seed}, ${s.worstPrecision.historyMonths} months)`);
  lines.push(`  false alerts per 1,000 clean payments ${fmt(s.worstFalseAlertsPer1000.falseAlertsPer1000CleanPayments, 2)} (seed ${s.worstFalseAlertsPer1000.seed}, ${s.worstFalseAlertsPer1000.historyMonths} months)`);
  lines.push(s.missed.length === 0 ? 'targets met in the worst cell' : `targets missed in the worst cell (${s.missed.length}):`, ...s.missed.map((m) => `  - ${m}`));
  return lines;
}
