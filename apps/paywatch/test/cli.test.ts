import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { runParse } from '../src/commands/parse.ts';
import { runScan } from '../src/commands/scan.ts';
import { demoFiles } from '../src/demo-data.ts';
import { runAudit } from '../src/commands/audit.ts';
import { createPgliteDb } from '@paywatch/db';
import { generateBulkBatch, parseFile, renderKtbBulk } from '@paywatch/ktb-formats';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';

async function demoDir() {
  const dir = await mkdtemp(join(tmpdir(), 'pw-cli-'));
  const paths: string[] = [];
  for (const f of demoFiles()) { const p = join(dir, f.name); await writeFile(p, f.bytes); paths.push(p); }
  return paths;
}

describe('paywatch parse', () => {
  it('when a file has good and bad rows, then it prints a record per good row, a reject per bad row and a manifest that adds up', async () => {
    const [first] = await demoDir();
    const lines: string[] = [];
    expect(await runParse([first!], (l) => lines.push(l))).toBe(0);
    const events = lines.map((l) => JSON.parse(l));
    const records = events.filter((e) => e.kind === 'record');
    const rejects = events.filter((e) => e.kind === 'reject');
    const manifest = events.at(-1);
    expect(manifest).toMatchObject({ kind: 'manifest', format: 'ktb-bulk', encoding: 'windows-874' });
    expect(manifest.rowsRead).toBe(manifest.rowsAccepted + manifest.rowsRejected);
    expect(records).toHaveLength(manifest.rowsAccepted);
    expect(rejects).toHaveLength(2);
    expect(rejects[0]).toMatchObject({ row: 4, field: 'payeeBankCode' });
    expect(rejects[0].message.th).toMatch(/[\u0E00-\u0E7F]/);
    expect(records[0].row).toBe(2); // line 1 is the header
    for (const k of ['laoCode', 'payeeBankCode', 'payeeAccount', 'payeeName', 'payeeId', 'amountSatang', 'effectiveDate', 'executedAt', 'serviceType', 'voucherNo', 'makerId', 'authorizerId']) {
      expect(records[0].record).toHaveProperty(k);
    }
    expect(manifest.totalSatang).toBe(records.reduce((s: number, r: { record: { amountSatang: number } }) => s + r.record.amountSatang, 0));
  });
});

describe('paywatch parse, LAO unknown', () => {
  it('when no registry knows the file\'s LAO, then its rows are read with laoCode null after one warning line, and ingest\'s parse refuses it', async () => {
    const g = generateBulkBatch({ seed: 5, laoCode: '9999999', companyId: 'GMIS999999', debitAccount: '9999999999', rows: 4, effectiveDate: '2026-10-05' });
    const bytes = renderKtbBulk(g.spec, { encoding: 'utf-8', eol: '\r\n' });
    const path = join(await mkdtemp(join(tmpdir(), 'pw-cli-')), 'unknown.txt');
    await writeFile(path, bytes);
    const lines: string[] = [];
    expect(await runParse([path], (l) => lines.push(l))).toBe(0);
    const events = lines.map((l) => JSON.parse(l));
    expect(events.filter((e) => e.kind === 'warning')).toEqual([expect.objectContaining({ code: 'PW_WARN_LAO_UNKNOWN' })]);
    expect(events[0].kind).toBe('warning');
    const records = events.filter((e) => e.kind === 'record');
    expect(records).toHaveLength(4);
    expect(records.every((r) => r.record.laoCode === null)).toBe(true);
    // What publishes (no `unknownLao: 'allow'`) still refuses the file whole.
    const strict = [...parseFile(bytes, { registry: SEED_LAO_REGISTRY })];
    expect(strict).toEqual([expect.objectContaining({ kind: 'manifest', refusal: expect.objectContaining({ code: 'PW_ERR_UNKNOWN_LAO' }) })]);
  });
});

describe('paywatch scan', () => {
  it('when run twice on the same files, then the output is identical byte for byte and names files and rows', async () => {
    const paths = await demoDir();
    const run = async () => { const out: string[] = []; await runScan(paths, (l) => out.push(l), () => undefined); return out.join('\n'); };
    const a = await run();
    expect(a).toBe(await run());
    const alerts = a.split('\n').map((l) => JSON.parse(l));
    expect(alerts.length).toBeGreaterThan(0);
    const rules = new Set(alerts.flatMap((x) => x.ruleIds));
    expect(rules).toContain('duplicate-payment');
    expect(rules).toContain('split-payment');
    for (const x of alerts) {
      expect(Object.keys(x)).toEqual(['alertId', 'laoCode', 'severity', 'ruleIds', 'payments', 'reasons', 'evidence']);
      expect(x.payments[0].file).toMatch(/^ktb-bulk-.*\.txt$/);
    }
  });
});

describe('paywatch dev --once', () => {
  it('when the embedded pipeline runs with demo data, then it prints where to look and stores alerts', async () => {
    const root = resolve(import.meta.dirname, '../../..');
    const dataDir = await mkdtemp(join(tmpdir(), 'pw-dev-'));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'apps/paywatch/src/main.ts', 'dev', '--once', '--port-base', '28180', '--data-dir', dataDir], { cwd: root, timeout: 110_000 });
    expect(stdout).toMatch(/console\s+http:\/\/127\.0\.0\.1:28180\/login/);
    // No page takes a token in its URL any more.
    expect(stdout).not.toContain('?token=');
    const stored = Number(/alerts stored: (\d+)/.exec(stdout)?.[1]);
    expect(stored).toBeGreaterThan(0);

    // The embedded data folder's audit chain verifies; a forged entry (triggers bypassed) is caught.
    const pglite = join(dataDir, 'pglite');
    const lines: string[] = [];
    const keyed = ['--key-file', join(dataDir, 'audit-hmac.key'), '--anchors-dir', join(dataDir, 'blobs')];
    expect(await runAudit(['verify', '--pglite', pglite, ...keyed], (l) => lines.push(l), {})).toBe(0);
    expect(JSON.parse(lines[0]!)).toMatchObject({ ok: true });
    const db = await createPgliteDb({ dataDir: pglite });
    await db.query("INSERT INTO audit_log (seq, at, actor, action, alert_id, payload, prev_hash, hash) VALUES (1000001, now(), 'intruder', 'comment', NULL, '{}'::jsonb, 'x', 'y')");
    await db.close();
    lines.length = 0;
    expect(await runAudit(['verify', '--pglite', pglite, ...keyed], (l) => lines.push(l), {})).toBe(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ ok: false, reason: 'seq-gap' });
    // Without the key, or without anchors (unless said knowingly), it refuses to vouch for anything.
    await expect(runAudit(['verify', '--pglite', pglite, '--anchors-dir', join(dataDir, 'blobs')], () => undefined, {})).rejects.toThrow(/audit key is needed/);
    await expect(runAudit(['verify', '--pglite', pglite, '--key-file', join(dataDir, 'audit-hmac.key')], () => undefined, {})).rejects.toThrow(/anchors are needed/);
  }, 120_000);
});

describe('paywatch scan --reference', () => {
  it('when the LAO has a payee register and a staff list, then unregistered payees and payments to staff accounts are flagged; without them, never', async () => {
    const paths = await demoDir();
    const { mkdtemp: mk, writeFile: wf } = await import('node:fs/promises');
    const ref = await mk(join(tmpdir(), 'pw-ref-'));
    await wf(join(ref, 'payees.csv'), 'LAO Code,Payee Name,Citizen/Tax ID,Bank Code,Account No.,Registered On,Status\n6600101,ห้างหุ้นส่วนจำกัด รุ่งเรืองวัสดุ,,014,4071234567,2025-10-01,active\n');
    await wf(join(ref, 'staff.csv'), 'LAO Code,Name,Citizen ID,Position,Bank Code,Account No.\n6600101,นางสาวสุดา การคลัง,,นักวิชาการเงินและบัญชี,014,4071234567\n');
    const run = async (args: string[]) => { const out: string[] = []; await runScan(args, (l) => out.push(l), () => undefined); return out.map((l) => JSON.parse(l) as { ruleIds: string[]; laoCode: string }); };
    const plain = await run(paths);
    expect(plain.flatMap((a) => a.ruleIds)).not.toContain('payee-not-registered');
    expect(plain.flatMap((a) => a.ruleIds)).not.toContain('staff-account');
    const withRef = await run(['--reference', ref, ...paths]);
    const rules = withRef.filter((a) => a.laoCode === '6600101').flatMap((a) => a.ruleIds);
    expect(rules).toContain('payee-not-registered');
    expect(rules).toContain('staff-account');
    // The other LAO has no reference data: its rules that need it stay silent.
    expect(withRef.filter((a) => a.laoCode === '6000101').flatMap((a) => a.ruleIds)).not.toContain('payee-not-registered');
  });
});
