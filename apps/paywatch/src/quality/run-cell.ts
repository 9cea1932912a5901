/**
 * One cell of the quality matrix: generate a harder world, write its reference folder and registry to a temporary
 * folder, and scan its files the way `paywatch scan --reference DIR --lao-registry FILE` does (same reference
 * loader, same registry reader, scanFiles with the stage-1 and stage-2 engines), then score the alerts.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createEngine, createPayeeEngine, RuleSetConfig, type RuleSetConfigInput } from '@paywatch/rules';
import { scanFiles } from '../commands/scan.ts';
import { loadReferenceFolder } from '../reference-folder.ts';
import { loadRegistry } from '../registry-file.ts';
import { generateHarderWorld } from '../world/v2/generate-harder-world.ts';
import { scoreCell, type CellScore } from './score-cell.ts';

/** What a cell is. */
export interface CellSpec { seed: number; historyMonths: number; laos: number; scale?: number; targetMonth?: string; ruleSet?: RuleSetConfigInput }

/** A cell's score with what it was run on and how long it took. */
export interface CellResult extends CellScore {
  seed: number; historyMonths: number; laos: number; targetMonth: string; files: number; targetPayments: number; ruleSetVersion: string;
  /** Rows the parsers refused, and reference rows refused (both are expected: the world has defects). */
  parseWarnings: number;
  timings: { generateMs: number; scanMs: number; totalMs: number };
}

/** Runs one cell. */
export async function runCell(spec: CellSpec): Promise<CellResult> {
  const t0 = Date.now();
  const world = await generateHarderWorld({ seed: spec.seed, laos: spec.laos, historyMonths: spec.historyMonths, ...(spec.scale ? { scale: spec.scale } : {}), ...(spec.targetMonth ? { targetMonth: spec.targetMonth } : {}) });
  const t1 = Date.now();
  const dir = await mkdtemp(join(tmpdir(), 'pw-quality-'));
  let warnings = 0;
  const warn = () => { warnings++; };
  try {
    for (const f of world.reference) {
      const path = f.kind === 'registry' ? join(dir, f.path) : join(dir, 'reference', f.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, f.bytes);
    }
    const registry = await loadRegistry(join(dir, 'lao-registry.csv'), warn);
    const ruleSet = RuleSetConfig.parse(spec.ruleSet ?? {});
    const engine = createEngine(ruleSet);
    for (const snapshot of await loadReferenceFolder(join(dir, 'reference'), warn)) engine.applyReference(snapshot);
    const alerts = await scanFiles(world.files, registry, ruleSet, warn, engine, createPayeeEngine(ruleSet));
    const t2 = Date.now();
    const fileMonth = new Map(world.files.map((f) => [f.name, world.months[f.month]!] as const));
    const score = scoreCell(alerts, { labels: world.labels, targetMonth: world.targetMonth, fileMonth, cleanPayments: world.cleanPayments, cleanHistoryPayments: world.cleanHistoryPayments });
    return {
      seed: spec.seed, historyMonths: spec.historyMonths, laos: spec.laos, targetMonth: world.targetMonth, files: world.files.length, targetPayments: world.targetPayments,
      ruleSetVersion: ruleSet.version, parseWarnings: warnings, ...score, timings: { generateMs: t1 - t0, scanMs: t2 - t1, totalMs: Date.now() - t0 },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
