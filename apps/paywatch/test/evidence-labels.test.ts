// Every evidence key the rules emit has a Thai (and English) label in the console: the keys are taken from what
// the rules actually write — the harder quality world scanned exactly as `paywatch scan` does (stage 1 and 2), the
// engine's alert of every subject kind, and a fiscal year that trips Benford — never from a hand-written list, so a
// rule that starts writing a new key fails this test until the console can name it.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Disbursement, recordIdOf, type Alert } from '@paywatch/domain';
import { createEngine, createPayeeEngine, RuleSetConfig, type RuleSetConfigInput } from '@paywatch/rules';
import { evidenceKeyLabel, ruleLabel, unlabelledEvidenceKeys } from '@paywatch/console';
import { scanFiles } from '../src/commands/scan.ts';
import { loadReferenceFolder } from '../src/reference-folder.ts';
import { loadRegistry } from '../src/registry-file.ts';
import { generateHarderWorld } from '../src/world/v2/generate-harder-world.ts';
import { engineAlerts } from '../../../services/alerts/test/engine-alerts.ts';

/** Every path in an evidence tree (`lao.robustZ`, `paymentDetails[].row`), leaves and the objects above them. */
function pathsOf(value: unknown, path: string, out: Set<string>): void {
  if (Array.isArray(value)) { for (const v of value) pathsOf(v, `${path}[]`, out); return; }
  if (value && typeof value === 'object') { for (const [k, v] of Object.entries(value)) pathsOf(v, path ? `${path}.${k}` : k, out); return; }
  if (path) out.add(path);
}

/** A fiscal year of procurement amounts that mostly start with 4 and 9 (benford needs 300 of them). */
function benfordAlerts(): Alert[] {
  const rules = Object.fromEntries(Object.keys(RuleSetConfig.parse({}).rules).map((id) => [id, id === 'benford' ? {} : { enabled: false }]));
  const engine = createEngine({ rules } as RuleSetConfigInput);
  return Array.from({ length: 300 }, (_, i) => Disbursement.parse({
    sourceFormat: 'ktb-report', laoCode: '6600101', companyId: null, debitAccount: null, payeeBankCode: '006', payeeAccount: String(1_000_000_000 + (i % 50)),
    payeeName: 'หจก. รุ่งเรืองการช่าง', payeeId: null, amountSatang: i % 3 === 0 ? 4_850_000 + i : i % 3 === 1 ? 9_700_000 + i : 1_200_000 + i, feeSatang: null,
    effectiveDate: '2025-03-03', executedAt: null, approvedAt: null, serviceType: '04', voucherNo: null, bankReference: null, batchNo: null, makerId: null,
    authorizerId: null, status: 'success', remark: null, extra: {}, sourceFile: 'f.csv', batchId: `b_${Math.floor(i / 500)}`, row: i + 1, recordId: recordIdOf(`b_${Math.floor(i / 500)}`, i + 1),
  })).flatMap((r) => engine.process(r));
}

let alerts: Alert[] = [];
let dir = '';

beforeAll(async () => {
  const world = await generateHarderWorld({ seed: 1, laos: 20, historyMonths: 2 });
  dir = await mkdtemp(join(tmpdir(), 'pw-labels-'));
  for (const f of world.reference) {
    const path = f.kind === 'registry' ? join(dir, f.path) : join(dir, 'reference', f.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, f.bytes);
  }
  const quiet = () => undefined;
  const registry = await loadRegistry(join(dir, 'lao-registry.csv'), quiet);
  const ruleSet = RuleSetConfig.parse({});
  const engine = createEngine(ruleSet);
  for (const snapshot of await loadReferenceFolder(join(dir, 'reference'), quiet)) engine.applyReference(snapshot);
  alerts = [...await scanFiles(world.files, registry, ruleSet, quiet, engine, createPayeeEngine(ruleSet)), ...Object.values(engineAlerts()).map((c) => c.alert), ...benfordAlerts()];
}, 180_000);
afterAll(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

describe('evidence labels', () => {
  it('when the rules run on the quality world and on one alert of every kind, then every evidence key they write has a Thai and an English label', () => {
    const rules = new Set(alerts.flatMap((a) => a.findings.map((f) => f.ruleId)));
    // The keys come from a real run: most of the rule set fired, stage 2 included.
    expect(rules.size).toBeGreaterThanOrEqual(15);
    expect(rules).toContain('benford');
    expect(alerts.some((a) => a.subject.key.startsWith('xlao:'))).toBe(true);
    const paths = new Set<string>();
    for (const a of alerts) {
      pathsOf(a.evidence, '', paths);
      for (const f of a.findings) pathsOf(f.evidence, '', paths);
    }
    expect(paths.size).toBeGreaterThan(100);
    expect(unlabelledEvidenceKeys(paths)).toEqual([]);
    for (const r of rules) expect(ruleLabel(r, 'th'), r).not.toBe(r);
    // The keys the issue named, as people read them.
    expect(evidenceKeyLabel('lao.robustZ', 'th')).toBe('ของ อปท. · ค่า z (robust)');
    expect(evidenceKeyLabel('problem', 'th')).toBe('ปัญหาที่พบ');
    expect(evidenceKeyLabel('lao.scale', 'en')).toBe("The LAO's · Scale");
  });

  it('when a key is new to the console, then it is reported', () => {
    expect(unlabelledEvidenceKeys(['lao.robustZ', 'split-payment.somethingNew', 'paymentDetails[0].row'])).toEqual(['somethingNew']);
  });
});
