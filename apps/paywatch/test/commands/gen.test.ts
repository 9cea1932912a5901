// `paywatch gen` writes a world the way an independent tester receives it, and `paywatch scan` reads it as written.
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGen } from '../../src/commands/gen.ts';
import { runScan } from '../../src/commands/scan.ts';

describe('paywatch gen', () => {
  it('when a world is written, then files, reference folder, registry and labels are there and scan reads them', async () => {
    const out = await mkdtemp(join(tmpdir(), 'pw-gen-'));
    const said: string[] = [];
    expect(await runGen(['--out', out, '--seed', '9', '--laos', '6', '--history-months', '1'], (l) => said.push(l))).toBe(0);
    const summary = JSON.parse(said[0]!);
    const files = (await readdir(join(out, 'files'))).sort();
    expect(files).toHaveLength(summary.files);
    // A shell glob (sorted names) lists the files in upload order.
    expect((await readFile(join(out, 'upload-order.txt'), 'utf8')).trim().split('\n')).toEqual(files);
    expect(await readdir(join(out, 'reference'))).toContain('lao-registry.csv');
    const labels = (await readFile(join(out, 'labels.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(labels.filter((l) => !l.tolerated && l.month === summary.targetMonth)).toHaveLength(summary.events);
    const alerts: string[] = [], warnings: string[] = [];
    expect(await runScan(['--reference', join(out, 'reference'), '--lao-registry', join(out, 'lao-registry.csv'), ...files.map((f) => join(out, 'files', f))], (l) => alerts.push(l), (l) => warnings.push(l))).toBe(0);
    expect(alerts.length).toBeGreaterThan(0);
    // The only warnings are the reference lists' defective rows, never a refused payment file.
    // Refused rows and kept-but-flagged rows (a beneficiary with a bad check digit) are the reference defects; nothing else.
    expect(warnings.map((w) => JSON.parse(w).kind).filter((k) => k !== 'reference-reject' && k !== 'reference-flagged')).toEqual([]);
  }, 60_000);
});
