// Issue 11, backups: `paywatch backup` copies a stopped data folder into one checked archive; `paywatch restore`
// makes an empty folder from it that serves the same alerts, and processes nothing a second time.
import { describe, expect, it } from 'vitest';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { CliError } from '../src/cli-error.ts';
import { backupDataDir, restoreDataDir } from '../src/data-dir/backup-archive.ts';
import { demoFiles, demoReferenceFiles } from '../src/demo-data.ts';
import { freePortBase, getJson, runScript, snapshotFolder, spawnServe, stopServe, upload, urlsOf, waitDrained } from './serve-harness.ts';

async function code(p: Promise<unknown>): Promise<string> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(CliError);
  expect((e as CliError).th).toMatch(/[\u0E00-\u0E7F]/);
  return (e as CliError).code;
}

/** Rewrites an archive with `edit` applied to the named entry's bytes (a tampered or damaged backup). */
async function tamper(from: string, to: string, entryName: string, edit: (b: Buffer) => Buffer): Promise<void> {
  const extract = tar.extract();
  const pack = tar.pack();
  const out = pipeline(pack, createGzip(), createWriteStream(to));
  const source = pipeline(createReadStream(from), createGunzip(), extract);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const c of entry) chunks.push(c as Buffer);
    const body = entry.header.name === entryName ? edit(Buffer.concat(chunks)) : Buffer.concat(chunks);
    if (entry.header.type === 'directory') pack.entry({ name: entry.header.name, type: 'directory', mode: entry.header.mode ?? 0o700 });
    else pack.entry({ name: entry.header.name, size: body.length, mode: entry.header.mode ?? 0o600 }, body);
  }
  await source;
  pack.finalize();
  await out;
}

describe('paywatch backup and restore', () => {
  it('when a stopped folder is backed up and restored into an empty folder, then the restored folder serves the same alerts and processes nothing twice', async () => {
    const work = await mkdtemp(join(tmpdir(), 'pw-backup-'));
    const dir = join(work, 'data');
    const restored = join(work, 'restored');
    const archive = join(work, 'paywatch-backup.tar.gz');
    try {
      const portBase = await freePortBase();
      const u = urlsOf(portBase);
      const serve = spawnServe(dir, portBase);
      await serve.ready;
      for (const r of demoReferenceFiles()) expect(await upload(u.ingest, { name: r.name, laoCode: r.laoCode, bytes: r.bytes }, '/v1/reference/payees')).toBe(201);
      for (let i = 0; i < 100 && ((await getJson<{ lists: number }>(`${u.detector}/v1/ops/reference`, 'ops-1'))?.lists ?? 0) < 1; i++) await new Promise((r) => setTimeout(r, 100));
      for (const f of demoFiles()) expect(await upload(u.ingest, f)).toBe(202);
      await waitDrained(portBase, 3);
      const served = await getJson<{ items: Array<{ alertId: string; status: string; severity: string }> }>(`${u.alerts}/v1/alerts?limit=200`, 'central-1');

      // While serve runs, the folder is its own: backup refuses rather than copy a PGlite that is being written.
      expect(await code(backupDataDir(dir, archive))).toBe('PW_ERR_DATA_DIR_IN_USE');
      expect(await stat(archive).catch(() => null)).toBeNull();
      expect(await stopServe(serve)).toBe(0);
      const original = await snapshotFolder(dir);
      expect(original.alerts.length).toBeGreaterThan(3);

      // Through the command line, as an operator runs it.
      const line = JSON.parse((await runScript(['apps/paywatch/src/main.ts', 'backup', '--data-dir', dir, '--out', archive])).trim()) as { ok: boolean; files: number; bytes: number; ms: number };
      expect(line).toMatchObject({ ok: true, format: 2 });
      expect(line.files).toBeGreaterThan(10);
      console.log(`[backup] ${line.files} files, ${line.bytes} bytes, ${(await stat(archive)).size} bytes archived, ${line.ms} ms`);
      expect(await code(backupDataDir(dir, archive))).toBe('PW_ERR_BACKUP_TARGET_EXISTS');

      // Never over something that is there.
      await mkdir(join(work, 'occupied'));
      await writeFile(join(work, 'occupied', 'keep.txt'), 'mine');
      expect(await code(restoreDataDir(archive, join(work, 'occupied')))).toBe('PW_ERR_RESTORE_TARGET_NOT_EMPTY');
      expect(await readFile(join(work, 'occupied', 'keep.txt'), 'utf8')).toBe('mine');

      // A damaged or tampered archive is refused whole and leaves no folder behind.
      const tampered = join(work, 'tampered.tar.gz');
      await tamper(archive, tampered, 'outbox.jsonl', (b) => Buffer.concat([b, Buffer.from('{"messageId":"<forged@paywatch>"}\n')]));
      expect(await code(restoreDataDir(tampered, join(work, 'from-tampered')))).toBe('PW_ERR_BACKUP_INVALID');
      expect(await stat(join(work, 'from-tampered')).catch(() => null)).toBeNull();
      const cut = join(work, 'cut.tar.gz');
      const bytes = await readFile(archive);
      await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
      expect(await code(restoreDataDir(cut, join(work, 'from-cut')))).toBe('PW_ERR_BACKUP_INVALID');

      const summary = JSON.parse((await runScript(['apps/paywatch/src/main.ts', 'restore', '--from', archive, '--data-dir', restored])).trim()) as { ok: boolean; files: number };
      expect(summary).toMatchObject({ ok: true, files: line.files });
      expect(await snapshotFolder(restored)).toEqual(original);

      // Served again from the restored folder: the same alerts, and nothing published, stored or sent a second time.
      const again = spawnServe(restored, portBase);
      await again.ready;
      await waitDrained(portBase, 3);
      const reserved = await getJson<{ items: Array<{ alertId: string; status: string; severity: string }> }>(`${u.alerts}/v1/alerts?limit=200`, 'central-1');
      expect(reserved?.items.map((a) => [a.alertId, a.status, a.severity]).sort()).toEqual(served?.items.map((a) => [a.alertId, a.status, a.severity]).sort());
      expect(await stopServe(again)).toBe(0);
      expect(await snapshotFolder(restored)).toEqual(original);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }, 240_000);
});
