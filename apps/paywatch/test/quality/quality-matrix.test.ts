// The quality matrix end to end on a CI-sized world: generation, scan with both engines, scoring, the worst cell and
// --check. It does not assert the rules' recall (the rules are tuned on the matrix, not here).
import { describe, expect, it } from 'vitest';
import { runQuality } from '../../src/commands/quality.ts';
import { summarise } from '../../src/quality/quality-matrix.ts';
import type { CellResult } from '../../src/quality/run-cell.ts';

describe('pnpm quality', () => {
  it('when run on 2 cells in child processes, then each cell is scored and the worst cell and --check agree', async () => {
    const out: string[] = [], progress: string[] = [];
    const code = await runQuality(['--seeds', '4', '--history', '0,1', '--laos', '8', '--jobs', '2', '--json', '--check'], (l) => out.push(l), (l) => progress.push(l));
    const report = JSON.parse(out.join('\n')) as { cells: CellResult[]; summary: ReturnType<typeof summarise>; targets: { recall: number } };
    expect(report.cells.map((c) => [c.seed, c.historyMonths])).toEqual([[4, 0], [4, 1]]);
    for (const c of report.cells) {
      expect(c.targetPayments).toBeGreaterThan(500);
      expect(c.events).toBeGreaterThan(10);
      expect(c.events).toBe(Object.values(c.perTypology).reduce((s, t) => s + t.events, 0));
      expect(c.alerts).toBeGreaterThanOrEqual(c.falseAlerts);
      expect(c.timings.scanMs).toBeGreaterThan(0);
    }
    // History-only alerts exist only where there is a history.
    expect(report.cells[0]!.history.alerts).toBe(0);
    expect(Object.keys(report.summary.worstRecall).length).toBeGreaterThan(5);
    expect(code).toBe(report.summary.missed.length > 0 ? 1 : 0);
    expect(progress.filter((l) => l.includes('cell seed 4'))).toHaveLength(2);
  }, 180_000);

  it('when the worst cell misses a target, then the summary names it and the cell', () => {
    const cell = (seed: number, recall: number, precision: number, falsePer1000: number) => ({
      seed, historyMonths: 2, precision, falseAlertsPer1000CleanPayments: falsePer1000, perTypology: { 'amount-outlier': { events: 10, found: recall * 10, recall, cases: {} } },
    }) as unknown as CellResult;
    const good = summarise([cell(1, 1, 0.95, 0.5), cell(2, 0.96, 0.91, 0.9)]);
    expect(good.missed).toEqual([]);
    const bad = summarise([cell(1, 1, 0.95, 0.5), cell(2, 0.9, 0.85, 1.5)]);
    expect(bad.worstRecall['amount-outlier']).toMatchObject({ recall: 0.9, seed: 2 });
    expect(bad.missed).toHaveLength(3);
    expect(bad.missed[0]).toMatch(/amount-outlier 0\.900 < 0\.95 \(seed 2/);
  });
});
