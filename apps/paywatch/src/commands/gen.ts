/**
 * `paywatch gen --out DIR --seed N [--laos K] [--months M]`: writes a reproducible synthetic world — KTB bulk files and transfer reports, reference lists under `reference/`,
 * `lao-registry.json` and `labels.jsonl` (one injected event per line) — for tests, demos and `pnpm quality`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { opt, parseArgs } from '../args.ts';
import { generateWorld } from '../world/generate-world.ts';

export async function runGen(argv: readonly string[], write: (line: string) => void): Promise<number> {
  const args = parseArgs(argv);
  const out = opt(args, 'out');
  if (!out) throw new Error('usage: paywatch gen --out DIR --seed N [--laos K] [--months M]');
  const world = generateWorld({ seed: Number(opt(args, 'seed') ?? 1), laos: Number(opt(args, 'laos') ?? 6), months: Number(opt(args, 'months') ?? 6) });
  await mkdir(join(out, 'files'), { recursive: true });
  for (const f of world.files) await writeFile(join(out, 'files', f.name), f.bytes);
  await writeFile(join(out, 'lao-registry.json'), JSON.stringify(world.registry, null, 2));
  await mkdir(join(out, 'reference'), { recursive: true });
  for (const f of world.reference) await writeFile(join(out, 'reference', f.name), f.bytes);
  await writeFile(join(out, 'labels.jsonl'), world.labels.map((l) => JSON.stringify(l)).join('\n') + '\n');
  write(JSON.stringify({ out, files: world.files.length, laos: world.registry.length, events: world.labels.length, cleanPayments: world.cleanPayments }));
  return 0;
}
