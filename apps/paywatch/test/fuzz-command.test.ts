import { describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFileAsync, type FuzzTarget, type ParseEvent } from '@paywatch/ktb-formats';
import { runFuzz } from '../src/commands/fuzz.ts';

const run = async (argv: string[], target?: FuzzTarget) => {
  const lines: string[] = [];
  const code = await runFuzz(argv, (l) => lines.push(l), target);
  return { code, lines: lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
};

/** A parser that loses a reject from its count: the kind of bug the fuzzer is there to catch. */
const losesAReject: FuzzTarget = {
  parse: async function* (bytes, ctx): AsyncGenerator<ParseEvent> {
    for await (const e of parseFileAsync(bytes, ctx)) yield e.kind === 'manifest' && e.rowsRejected > 0 ? { ...e, rowsRejected: e.rowsRejected - 1 } : e;
  },
  parseReference: () => { throw new Error('unused'); },
};

describe('paywatch fuzz', () => {
  it('when the parsers are fuzzed for a second, then every format is tried, nothing crashes and the exit code is 0', async () => {
    const { code, lines } = await run(['--seconds', '1', '--seed', '5', '--out', await mkdtemp(join(tmpdir(), 'pw-fuzz-'))]);
    expect(lines).toHaveLength(1);
    const summary = lines[0]!;
    expect(summary).toMatchObject({ kind: 'summary', seed: 5, crashes: 0, out: null });
    const tried = Object.values(summary.tried as Record<string, number>);
    expect(tried[0]).toBeGreaterThan(0);
    expect(new Set(tried).size).toBe(1); // rounds of one input per format
    expect(Object.keys(summary.tried as object)).toEqual(['ktb-bulk', 'ktb-report-csv', 'ktb-report-xlsx', 'reference']);
    expect(summary.slowest).toMatchObject({ format: expect.any(String), iteration: expect.any(Number), ms: expect.any(Number) });
    expect(code).toBe(0);
  });

  it('when a parser breaks an invariant, then each crash is printed with its replay command, its input is saved, and the exit code is 1', async () => {
    const out = await mkdtemp(join(tmpdir(), 'pw-fuzz-'));
    const { code, lines } = await run(['--seconds', '1', '--seed', '9', '--format', 'ktb-bulk', '--out', out], losesAReject);
    expect(code).toBe(1);
    const crashes = lines.filter((l) => l.kind === 'crash');
    expect(crashes.length).toBeGreaterThan(0);
    expect(crashes[0]).toMatchObject({ format: 'ktb-bulk', seed: 9, crash: 'invariant', message: expect.stringMatching(/rowsRead \d+ ≠ rowsAccepted/) });
    expect(lines.at(-1)).toMatchObject({ kind: 'summary', crashes: crashes.length, out });
    const first = crashes[0]!;
    expect(await readFile(first.file as string)).toHaveLength(first.bytes as number);
    expect((await readdir(out)).filter((f) => f.endsWith('.json')).length).toBe(Math.min(crashes.length, 50));
    // the printed replay runs that one input again and finds the same crash
    const replay = await run(['--seed', '9', '--format', 'ktb-bulk', '--iteration', String(first.iteration), '--out', out], losesAReject);
    expect(replay.code).toBe(1);
    expect(replay.lines[0]).toMatchObject({ kind: 'crash', iteration: first.iteration, message: first.message, mutations: first.mutations });
  });

  it('when an option is malformed, then the command stops with the usage', async () => {
    await expect(run(['--format', 'pdf'])).rejects.toThrow(/unknown --format pdf/);
    await expect(run(['--seconds', 'ten'])).rejects.toThrow(/--seconds must be a whole number/);
    await expect(run(['--iteration', '3'])).rejects.toThrow(/give --format too/);
  });
});
