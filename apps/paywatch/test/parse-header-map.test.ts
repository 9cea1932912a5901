import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decodeBytes, encodeText, generateReportBatch, renderKtbReportCsv } from '@paywatch/ktb-formats';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';
import { runParse } from '../src/commands/parse.ts';
import { runScan } from '../src/commands/scan.ts';

const EXAMPLE_MAP = resolve(import.meta.dirname, '../../../examples/report-header-map.json');

async function renamedReport(): Promise<{ file: string; rows: number }> {
  const lao = SEED_LAO_REGISTRY[0]!;
  const { records } = generateReportBatch({ seed: 5, laoCode: lao.laoCode, companyId: lao.companyIds[0]!, debitAccount: lao.accounts[0]!, rows: 6, date: '2025-10-05' });
  const { text } = decodeBytes(renderKtbReportCsv(records, { encoding: 'windows-874' }));
  const dir = await mkdtemp(join(tmpdir(), 'pw-header-map-'));
  const file = join(dir, 'report.csv');
  // Two columns under the names a newer export uses, both listed in examples/report-header-map.json.
  await writeFile(file, encodeText(text.replace('จำนวนเงิน', 'ยอดโอน').replace('สถานะ', 'ผลการโอน'), 'windows-874'));
  return { file, rows: records.length };
}

const run = async (argv: string[]) => {
  const lines: string[] = [];
  const code = await runParse(argv, (l) => lines.push(l));
  return { code, events: lines.map((l) => JSON.parse(l) as { kind: string; rowsAccepted?: number; refusal?: { code: string } | null }) };
};

describe('paywatch parse --header-map', () => {
  it('when a report names columns the built-in map does not know, then it is refused without --header-map and read whole with it', async () => {
    const { file, rows } = await renamedReport();
    const without = await run([file]);
    expect(without.code).toBe(1);
    expect(without.events.at(-1)).toMatchObject({ kind: 'manifest', refusal: { code: 'PW_ERR_REPORT_MISSING_COLUMNS' } });
    const withMap = await run([file, '--header-map', EXAMPLE_MAP]);
    expect(withMap.code).toBe(0);
    expect(withMap.events.filter((e) => e.kind === 'record')).toHaveLength(rows);
    expect(withMap.events.at(-1)).toMatchObject({ kind: 'manifest', rowsAccepted: rows, refusal: null });
  });

  it('when the mapping file names an unknown field, then the command stops with the Thai and English reason before reading the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pw-header-map-'));
    const bad = join(dir, 'map.json');
    await writeFile(bad, JSON.stringify({ version: 1, headers: { amout: ['ยอดโอน'] } }));
    await expect(run([join(dir, 'missing.csv'), '--header-map', bad])).rejects.toThrow(/ไม่รู้จักช่อง "amout"[\s\S]*Unknown field "amout"/);
  });

  it('when scan gets the same report, then it warns of the refusal without --header-map and evaluates the rows with it', async () => {
    const { file, rows } = await renamedReport();
    const scan = async (argv: string[]) => { const warnings: string[] = []; await runScan(argv, () => undefined, (l) => warnings.push(l)); return warnings.map((w) => JSON.parse(w) as { refusal?: { code: string } | null; rowsRead?: number }); };
    expect((await scan([file]))[0]).toMatchObject({ refusal: { code: 'PW_ERR_REPORT_MISSING_COLUMNS' } });
    expect((await scan(['--header-map', EXAMPLE_MAP, file])).filter((w) => w.refusal)).toEqual([]);
    expect(rows).toBeGreaterThan(0);
  });
});
