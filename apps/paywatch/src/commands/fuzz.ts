/**
 * `paywatch fuzz --seconds N [--seed S] [--format ktb-bulk|ktb-report-csv|ktb-report-xlsx|reference|all] [--out DIR] [--iteration I]`:
 * feeds damaged files to the parsers for N seconds (ktb-formats' fuzz.ts does the work) and prints one JSON line per
 * crash and a summary. Each crashing input is written to DIR (default .cache/fuzz) with a JSON note of how it failed;
 * `--seed S --format F --iteration I` replays one input. Exit code 1 when a crash was found.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_FUZZ_TARGET, fuzz, fuzzCorpus, fuzzInput, runFuzzInput, FUZZ_FORMATS, type FuzzCrash, type FuzzFormat, type FuzzInput, type FuzzTarget } from '@paywatch/ktb-formats';
import { opt, parseArgs } from '../args.ts';

const USAGE = `usage: paywatch fuzz --seconds N [--seed S] [--format ${FUZZ_FORMATS.join('|')}|all] [--out DIR] [--iteration I]`;
/** Crash files written at most per run: one bug tends to crash thousands of inputs. */
const MAX_SAVED = 50;

const whole = (name: string, text: string | undefined, fallback: number): number => {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw new Error(`--${name} must be a whole number ≥ 0, got ${text}\n${USAGE}`);
  return Number(text);
};

function formatsOf(text: string | undefined): readonly FuzzFormat[] {
  if (text === undefined || text === 'all') return FUZZ_FORMATS;
  if (!(FUZZ_FORMATS as readonly string[]).includes(text)) throw new Error(`unknown --format ${text}\n${USAGE}`);
  return [text as FuzzFormat];
}

/** The crash as printed: everything but the bytes, which go to a file. */
const crashLine = (c: FuzzCrash, file: string | null) => JSON.stringify({
  kind: 'crash', format: c.format, seed: c.seed, iteration: c.iteration, crash: c.kind, message: c.message, mutations: c.mutations,
  bytes: c.bytes.length, file, replay: `pnpm paywatch fuzz --seed ${c.seed} --format ${c.format} --iteration ${c.iteration}`, detail: c.detail,
});

/** Runs the command; returns the exit code (1 when a crash was found). `target` is swapped only by tests. */
export async function runFuzz(argv: readonly string[], write: (line: string) => void, target: FuzzTarget = DEFAULT_FUZZ_TARGET): Promise<number> {
  const args = parseArgs(argv);
  const seconds = whole('seconds', opt(args, 'seconds'), 10);
  // Without --seed each run explores new inputs; the seed is printed, so any run can be repeated.
  const seed = whole('seed', opt(args, 'seed'), Date.now() % 2_147_483_647);
  const formats = formatsOf(opt(args, 'format'));
  const out = opt(args, 'out') ?? join('.cache', 'fuzz');
  const iteration = opt(args, 'iteration');

  let saved = 0;
  const save = async (c: FuzzCrash): Promise<string | null> => {
    if (saved >= MAX_SAVED) return null;
    saved++;
    await mkdir(out, { recursive: true });
    const file = join(out, `${c.format}-seed${c.seed}-iter${c.iteration}.bin`);
    await writeFile(file, c.bytes);
    await writeFile(file.replace(/\.bin$/, '.json'), JSON.stringify({ ...c, bytes: undefined }, null, 2) + '\n');
    return file;
  };
  const report = async (c: FuzzCrash) => write(crashLine(c, await save(c)));

  // exceljs streams can fail outside the awaited chain; such an error belongs to the input being read.
  let current: FuzzInput | null = null;
  const stray: FuzzCrash[] = [];
  const onStray = (e: unknown) => { if (current) stray.push({ ...current, kind: 'threw', message: `uncaught: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, detail: [] }); };
  process.on('uncaughtException', onStray);
  process.on('unhandledRejection', onStray);
  try {
    if (iteration !== undefined) {
      if (formats.length !== 1) throw new Error(`--iteration replays one input: give --format too\n${USAGE}`);
      const input = fuzzInput(await fuzzCorpus(seed, formats), seed, formats[0]!, whole('iteration', iteration, 0));
      current = input;
      const crash = await runFuzzInput(input, target);
      for (const c of [...(crash ? [crash] : []), ...stray]) await report(c);
      write(JSON.stringify({ kind: 'summary', seed, format: input.format, iteration: input.iteration, mutations: input.mutations, crashes: stray.length + (crash ? 1 : 0) }));
      return crash || stray.length > 0 ? 1 : 0;
    }
    // The clock starts at the first round, once the corpus is generated (workbooks take a while to write).
    let deadline: number | null = null;
    // The slowest input: a parser that is slow on some shape of content (quadratic work) shows here, not as a crash.
    let startedAt = 0;
    let slowest = { format: '', iteration: -1, ms: -1 };
    const result = await fuzz({
      seed, formats, target, stop: () => Date.now() >= (deadline ??= Date.now() + seconds * 1000),
      onInput: (i) => { current = i; startedAt = performance.now(); },
      onResult: (i) => { const ms = performance.now() - startedAt; if (ms > slowest.ms) slowest = { format: i.format, iteration: i.iteration, ms: Math.round(ms) }; },
      onCrash: report,
    });
    for (const c of stray) await report(c);
    const crashes = result.crashes.length + stray.length;
    const tried = Object.fromEntries(formats.map((f) => [f, result.tried[f]]));
    write(JSON.stringify({ kind: 'summary', seed, seconds, tried, crashes, saved, out: crashes > 0 ? out : null, slowest }));
    return crashes > 0 ? 1 : 0;
  } finally {
    process.off('uncaughtException', onStray);
    process.off('unhandledRejection', onStray);
  }
}
