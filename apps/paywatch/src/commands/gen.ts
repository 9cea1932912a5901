/**
 * `paywatch gen --out DIR --seed N [--laos K] [--history-months H] [--target-month YYYY-MM] [--scale S] [--events-in-history]`:
 * writes a harder world (ADR 0013) the way an independent tester would receive it — `files/` (bulk files and bank
 * reports, named so that a shell glob lists them in upload order, and `upload-order.txt`), `reference/` (one folder
 * per LAO or a province's flat files, plus `lao-registry.csv` at its top), `lao-registry.csv`, `labels.jsonl` (one
 * event or tolerated case per line, with its (file, row) payments) and `world.json` (months and counts). Then:
 * `pnpm paywatch scan --reference DIR/reference --lao-registry DIR/lao-registry.csv DIR/files/*`.
 * `--legacy [--months M]` writes the first synthetic world instead (generateWorld).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { opt, parseArgs } from '../args.ts';
import { generateWorld } from '../world/generate-world.ts';
import { generateHarderWorld } from '../world/v2/generate-harder-world.ts';

const USAGE = 'usage: paywatch gen --out DIR --seed N [--laos K] [--history-months H] [--target-month YYYY-MM] [--scale S] [--events-in-history] | --legacy [--months M]';

export async function runGen(argv: readonly string[], write: (line: string) => void): Promise<number> {
  const args = parseArgs(argv, ['legacy', 'events-in-history']);
  const out = opt(args, 'out');
  if (!out) throw new Error(USAGE);
  const seed = Number(opt(args, 'seed') ?? 1);
  if (args.options.has('legacy')) return writeLegacy(out, seed, Number(opt(args, 'laos') ?? 6), Number(opt(args, 'months') ?? 6), write);
  const world = await generateHarderWorld({
    seed, laos: Number(opt(args, 'laos') ?? 120), historyMonths: Number(opt(args, 'history-months') ?? 2),
    ...(opt(args, 'target-month') ? { targetMonth: opt(args, 'target-month')! } : {}), ...(opt(args, 'scale') ? { scale: Number(opt(args, 'scale')) } : {}),
    eventsInHistory: args.options.has('events-in-history'),
  });
  await mkdir(join(out, 'files'), { recursive: true });
  for (const f of world.files) await writeFile(join(out, 'files', f.name), f.bytes);
  await writeFile(join(out, 'upload-order.txt'), world.files.map((f) => f.name).join('\n') + '\n');
  for (const f of world.reference) {
    const path = join(out, 'reference', f.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, f.bytes);
    if (f.kind === 'registry') await writeFile(join(out, 'lao-registry.csv'), f.bytes);
  }
  await writeFile(join(out, 'labels.jsonl'), world.labels.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const events = world.labels.filter((l) => l.month === world.targetMonth && !l.tolerated).length;
  const summary = {
    out, seed: world.seed, months: world.months, targetMonth: world.targetMonth, laos: world.registry.length, files: world.files.length, referenceFiles: world.reference.length - 1,
    targetPayments: world.targetPayments, cleanPayments: world.cleanPayments, historyPayments: world.historyPayments, events,
    tolerated: world.labels.filter((l) => l.month === world.targetMonth && l.tolerated).length,
  };
  await writeFile(join(out, 'world.json'), JSON.stringify(summary, null, 2) + '\n');
  write(JSON.stringify(summary));
  return 0;
}

async function writeLegacy(out: string, seed: number, laos: number, months: number, write: (line: string) => void): Promise<number> {
  const world = generateWorld({ seed, laos, months });
  await mkdir(join(out, 'files'), { recursive: true });
  for (const f of world.files) await writeFile(join(out, 'files', f.name), f.bytes);
  await writeFile(join(out, 'lao-registry.json'), JSON.stringify(world.registry, null, 2));
  await mkdir(join(out, 'reference'), { recursive: true });
  for (const f of world.reference) await writeFile(join(out, 'reference', f.name), f.bytes);
  await writeFile(join(out, 'labels.jsonl'), world.labels.map((l) => JSON.stringify(l)).join('\n') + '\n');
  write(JSON.stringify({ out, files: world.files.length, laos: world.registry.length, events: world.labels.length, cleanPayments: world.cleanPayments }));
  return 0;
}
