// Issue 11, upgrades: a data folder written by the previous release's `paywatch dev` (format 1: blob folder, PGlite,
// outbox; the event log was in memory) opens with `serve`, which migrates it to format 2. Afterwards the folder
// must be what a run that had the new release from the start would hold: the same alerts (including one that needs
// the old batches' history), the same notifications, and no second e-mail for what the old release already sent.
import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoFiles, demoReferenceFiles } from '../src/demo-data.ts';
import { fileWithPayments, freePortBase, getJson, runScript, snapshotFolder, spawnServe, stopServe, upload, urlsOf, waitDrained, type UploadFile } from './serve-harness.ts';

// Lat Yao pays the shop of the demo's duplicate again two days later: a repeat only the old batches' history shows.
const LATER = fileWithPayments('6000101', 40, 77, '2026-10-09', [
  { payeeBankCode: '006', payeeAccount: '6621234500', serviceType: '04', amountSatang: 8_725_000, payeeName: 'ร้านลาดยาวพาณิชย์', payeeId: null, remark: 'ค่าวัสดุ', voucherNo: 'ฎ145/2570' },
]);

async function uploadOk(ingestUrl: string, f: UploadFile, path?: string) {
  const status = await upload(ingestUrl, f, path);
  if (status === null || status < 200 || status >= 300) throw new Error(`${f.name}: ${status}`);
}

/** What the new release does from scratch: the demo (reference list first), then the later file. */
async function freshRun(dir: string) {
  const portBase = await freePortBase();
  const u = urlsOf(portBase);
  const serve = spawnServe(dir, portBase);
  await serve.ready;
  for (const r of demoReferenceFiles()) await uploadOk(u.ingest, { name: r.name, laoCode: r.laoCode, bytes: r.bytes }, '/v1/reference/payees');
  for (let i = 0; i < 100 && ((await getJson<{ lists: number }>(`${u.detector}/v1/ops/reference`, 'ops-1'))?.lists ?? 0) < 1; i++) await new Promise((r) => setTimeout(r, 100));
  for (const f of demoFiles()) await uploadOk(u.ingest, f);
  await waitDrained(portBase, 3);
  await uploadOk(u.ingest, LATER);
  await waitDrained(portBase, 4);
  expect(await stopServe(serve)).toBe(0);
  return snapshotFolder(dir);
}

/** The previous release writes the folder; the new one opens it, then the later file arrives. */
async function upgradedRun(dir: string) {
  await runScript(['apps/paywatch/test/fixtures/format-1-dev.ts', '--once', '--data-dir', dir, '--port-base', String(await freePortBase())]);
  const before = await snapshotFolder(dir);
  const portBase = await freePortBase();
  const u = urlsOf(portBase);
  const serve = spawnServe(dir, portBase);
  await serve.ready;
  const banner = serve.stdout.join('\n');
  await waitDrained(portBase, 3);
  await uploadOk(u.ingest, LATER);
  await waitDrained(portBase, 4);
  expect(await stopServe(serve)).toBe(0);
  return { before, after: await snapshotFolder(dir), banner };
}

describe('upgrading a data folder of the previous release', () => {
  it('when serve opens a folder the previous release\'s dev wrote, then it migrates it and ends where a fresh run of the new release ends, with no second e-mail', async () => {
    const [oldDir, freshDir] = await Promise.all([mkdtemp(join(tmpdir(), 'pw-upgrade-old-')), mkdtemp(join(tmpdir(), 'pw-upgrade-fresh-'))]);
    try {
      const [upgraded, fresh] = await Promise.all([upgradedRun(oldDir), freshRun(freshDir)]);
      const { before, after, banner } = upgraded;
      expect(before.alerts.length).toBeGreaterThan(3);
      expect(before.outbox.length).toBeGreaterThan(0);
      expect(banner).toMatch(/format 2, migrated from format 1/);
      const marker = JSON.parse(await readFile(join(oldDir, 'paywatch-data.json'), 'utf8')) as { format: number; migrations: Array<{ from: number; to: number }> };
      expect(marker).toMatchObject({ format: 2, migrations: [{ from: 1, to: 2 }] });

      // The later file raised an alert that links its payment to one of the old batches: history was rebuilt.
      const oldBatches = new Set((before.batches as Array<{ manifest: { batchId: string } }>).map((b) => b.manifest.batchId));
      const spanning = (after.alerts as Array<{ payload: { payments: Array<{ batchId: string }> } }>).filter((a) =>
        a.payload.payments.some((p) => oldBatches.has(p.batchId)) && a.payload.payments.some((p) => !oldBatches.has(p.batchId)));
      expect(spanning.length).toBeGreaterThan(0);

      expect(after.alerts).toEqual(fresh.alerts);
      expect(after.batches).toEqual(fresh.batches);
      expect(after.notifications).toEqual(fresh.notifications);
      expect(after.outbox).toEqual(fresh.outbox);
      expect(after.outboxDuplicates).toBe(0);
      // What the old release had sent is still there, once.
      for (const line of before.outbox) expect(after.outbox).toContainEqual(line);
      expect(after.auditChainOk).toBe(true);
    } finally {
      await Promise.all([rm(oldDir, { recursive: true, force: true }), rm(freshDir, { recursive: true, force: true })]);
    }
  }, 300_000);
});
