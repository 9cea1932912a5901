import { describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchManifest, ReferenceAnnouncement, referenceTopic } from '@paywatch/domain';
import { createFolderBlobStore } from '@paywatch/blob-store';
import { CliError } from '../../src/cli-error.ts';
import { DATA_DIR_FORMAT, MARKER_FILE } from '../../src/data-dir/data-dir-layout.ts';
import { openDataDir } from '../../src/data-dir/open-data-dir.ts';
import type { DataDirMigration } from '../../src/data-dir/data-dir-migrations.ts';

const temp = () => mkdtemp(join(tmpdir(), 'pw-data-dir-'));
const marker = async (dir: string) => JSON.parse(await readFile(join(dir, MARKER_FILE), 'utf8')) as { format: number; migrations: Array<{ from: number; to: number }> };

/** Every file under `dir` with its bytes, to prove a refusal changed nothing. */
async function contents(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p); else out[p] = (await readFile(p)).toString('base64');
    }
  };
  await walk(dir);
  return out;
}

async function refusal(p: Promise<unknown>): Promise<CliError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(CliError);
  return e as CliError;
}

describe('opening a data folder', () => {
  it('when the folder is new, empty or holds only lost+found, then it is claimed with a marker of the current format', async () => {
    const parent = await temp();
    for (const dir of [join(parent, 'new'), await temp(), await temp()]) {
      if (dir !== join(parent, 'new')) await mkdir(join(dir, 'lost+found'), { recursive: true }).catch(() => undefined);
      const d = await openDataDir(dir);
      expect(d.created).toBe(true);
      expect(d.migratedFrom).toBeNull();
      expect(await marker(dir)).toMatchObject({ app: 'paywatch', format: DATA_DIR_FORMAT });
      await d.close();
      // Opened again, it is paywatch's own: not created, not migrated.
      const again = await openDataDir(dir);
      expect(again.created).toBe(false);
      expect(again.migratedFrom).toBeNull();
      await again.close();
    }
  });

  it('when the folder holds files that are not paywatch\'s, then it is refused in Thai and English and nothing in it changes', async () => {
    const dir = await temp();
    await writeFile(join(dir, 'budget-2569.xlsx'), 'not ours');
    await mkdir(join(dir, 'photos'));
    await writeFile(join(dir, 'photos', 'a.jpg'), 'jpeg');
    const before = await contents(dir);
    const e = await refusal(openDataDir(dir));
    expect(e.code).toBe('PW_ERR_DATA_DIR_FOREIGN');
    expect(e.th).toMatch(/[\u0E00-\u0E7F]/);
    expect(e.th).toContain('budget-2569.xlsx');
    expect(e.en).toContain('will not delete or overwrite');
    expect(await contents(dir)).toEqual(before);
  });

  it('when another open holds the folder, then a second open is refused with PW_ERR_DATA_DIR_IN_USE; after close it opens', async () => {
    const dir = await temp();
    const first = await openDataDir(dir);
    const e = await refusal(openDataDir(dir));
    expect(e.code).toBe('PW_ERR_DATA_DIR_IN_USE');
    expect(e.th).toMatch(/[\u0E00-\u0E7F]/);
    await first.close();
    const second = await openDataDir(dir);
    await second.close();
  });

  it('when the marker names a newer format, or cannot be read, then the folder is refused and left as it is', async () => {
    const newer = await temp();
    await writeFile(join(newer, MARKER_FILE), JSON.stringify({ app: 'paywatch', format: DATA_DIR_FORMAT + 1, createdAt: '2030-01-01T00:00:00.000Z', migrations: [] }));
    const before = await contents(newer);
    expect((await refusal(openDataDir(newer))).code).toBe('PW_ERR_DATA_DIR_TOO_NEW');
    expect(await contents(newer)).toEqual(before);
    const broken = await temp();
    await writeFile(join(broken, MARKER_FILE), '{"app":"paywatch",');
    expect((await refusal(openDataDir(broken))).code).toBe('PW_ERR_DATA_DIR_MARKER_INVALID');
  });

  it('when a first start died after creating the event log but before the marker, then the folder is still taken as new', async () => {
    const dir = await temp();
    await writeFile(join(dir, 'event-log.sqlite'), '');
    const d = await openDataDir(dir);
    expect(d.created).toBe(true);
    await d.close();
  });
});

describe('data folder migrations', () => {
  /** Steps 1 → 2 → 3 that record what they saw; `failAt` makes one throw once. */
  function steps(log: string[], failAt?: number): DataDirMigration[] {
    let failed = false;
    return [1, 2].map((from) => ({
      from, to: from + 1, description: `step ${from}`,
      async run(ctx) {
        if (from === failAt && !failed) { failed = true; throw new Error(`step ${from} crashed`); }
        log.push(`${from}->${from + 1} at format ${(await marker(ctx.paths.root).catch(() => ({ format: 1 }))).format}`);
      },
    }));
  }

  it('when a folder of format 1 opens with code of format 3, then every step runs once, in order, and the marker records each', async () => {
    const dir = await temp();
    await mkdir(join(dir, 'blobs'));
    const log: string[] = [];
    const d = await openDataDir(dir, { migrations: steps(log), format: 3 });
    expect(d.migratedFrom).toBe(1);
    expect(log).toEqual(['1->2 at format 1', '2->3 at format 2']);
    expect(await marker(dir)).toMatchObject({ format: 3, migrations: [{ from: 1, to: 2 }, { from: 2, to: 3 }] });
    await d.close();
    const again = await openDataDir(dir, { migrations: steps(log), format: 3 });
    expect(log).toHaveLength(2);
    await again.close();
  });

  it('when a step fails, then the folder stays at the format before it and the next open carries on from there', async () => {
    const dir = await temp();
    await mkdir(join(dir, 'pglite'));
    const log: string[] = [];
    const all = steps(log, 2);
    await expect(openDataDir(dir, { migrations: all, format: 3 })).rejects.toThrow('step 2 crashed');
    expect((await marker(dir)).format).toBe(2);
    const d = await openDataDir(dir, { migrations: all, format: 3 });
    expect(log).toEqual(['1->2 at format 1', '2->3 at format 2']);
    expect((await marker(dir)).format).toBe(3);
    await d.close();
  });

  it('when no step starts at the folder\'s format, then opening fails with PW_ERR_DATA_DIR_NO_MIGRATION', async () => {
    const dir = await temp();
    await mkdir(join(dir, 'blobs'));
    expect((await refusal(openDataDir(dir, { migrations: [], format: 2 }))).code).toBe('PW_ERR_DATA_DIR_NO_MIGRATION');
  });

  it('when the previous release\'s folder (format 1) opens, then its checkpoints and batch claims go, its batches are queued again, its reference lists are announced on the new log and its audit key stays', async () => {
    const dir = await temp();
    const blobs = createFolderBlobStore(join(dir, 'blobs'));
    const manifest = (batchId: string, status: 'published' | 'refused' | 'received'): BatchManifest => ({
      batchId, laoCode: '6600101', sha256: 'a'.repeat(64), fileName: 'f.txt', sizeBytes: 10, rawKey: `raw/6600101/2026-10/${'a'.repeat(64)}.txt`, format: 'ktb-bulk', encoding: 'utf-8',
      rowsRead: 3, rowsAccepted: 3, rowsRejected: 0, totalSatang: 300, header: null, status, refusal: null, uploadedBy: 'f', receivedAt: '2026-10-05T02:00:00.000Z', publishedAt: status === 'received' ? null : '2026-10-05T02:00:01.000Z',
    });
    await blobs.put('batches/b_1/manifest.json', JSON.stringify(manifest('b_1', 'published')));
    await blobs.put('batches/b_2/manifest.json', JSON.stringify(manifest('b_2', 'refused')));
    await blobs.put('detector/checkpoints/detector/disbursements.v1/0.json', '{"nextOffset":"120"}');
    // Ingest's claims (ADR 0014): a finished one would keep its requeued batch from ever being resumed.
    await blobs.put('batches/b_1/claim.json', JSON.stringify({ state: 'done' }));
    await blobs.put('batches/b_2/claim.json', JSON.stringify({ state: 'open' }));
    await blobs.put('ingest/open/b_2', 'b_2');
    await blobs.put('reference/6600101/payees/latest.json', JSON.stringify({
      kind: 'payees', laoCode: '6600101', sha256: 'b'.repeat(64), fileName: 'payees.csv', sizeBytes: 20, rawKey: `raw/6600101/2026-10/${'b'.repeat(64)}.csv`, rowsRead: 2,
      rejects: [], uploadedBy: 'f', receivedAt: '2026-10-05T01:00:00.000Z', effectiveFrom: '2026-10-05', version: 3, rowsAccepted: 2, rowsRejected: 0, status: 'published', refusal: null,
    }));
    await blobs.put('reference/6600101/payees/v3.items.json', JSON.stringify([{ a: 1 }, { b: 2 }]));
    await writeFile(join(dir, 'outbox.jsonl'), '{"messageId":"<nt_1@paywatch>"}\n');
    await mkdir(join(dir, 'pglite'));
    await writeFile(join(dir, 'audit-hmac.key'), `${'c'.repeat(64)}\n`, { mode: 0o600 });

    const d = await openDataDir(dir);
    expect(d.migratedFrom).toBe(1);
    expect(await marker(dir)).toMatchObject({ format: 2, migrations: [{ from: 1, to: 2 }] });
    expect(await stat(join(dir, 'blobs', 'detector', 'checkpoints')).catch(() => null)).toBeNull();
    for (const id of ['b_1', 'b_2']) {
      const m = BatchManifest.parse(JSON.parse((await blobs.get(`batches/${id}/manifest.json`))!.toString()));
      expect(m.status).toBe('received');
      expect(m.receivedAt).toBe('2026-10-05T02:00:00.000Z');
      expect(await blobs.exists(`batches/${id}/claim.json`)).toBe(false);
    }
    expect(await blobs.list('ingest/open/')).toEqual([]);
    // The chain in PGlite was keyed with it: the folder keeps it, unchanged.
    expect(await readFile(join(dir, 'audit-hmac.key'), 'utf8')).toBe(`${'c'.repeat(64)}\n`);
    const seen: ReferenceAnnouncement[] = [];
    const c = d.eventLog.consumer({ groupId: 'check', topics: [referenceTopic('payees')] });
    await c.run(async (batch) => { for (const m of batch.messages) seen.push(ReferenceAnnouncement.parse(JSON.parse(m.value.toString()))); });
    for (let i = 0; i < 50 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([{ kind: 'payees', laoCode: '6600101', version: 3, sha256: 'b'.repeat(64), effectiveFrom: '2026-10-05', itemCount: 2, itemsKey: 'reference/6600101/payees/v3.items.json' }]);
    expect(await readFile(join(dir, 'outbox.jsonl'), 'utf8')).toBe('{"messageId":"<nt_1@paywatch>"}\n');
    await d.close();
  });
});

describe('the data folder\'s audit key', () => {
  it('when the key is asked for twice, also at once, then it is created once, whole, 0600, and the same key comes back', async () => {
    const { dataDirAuditKey } = await import('../../src/data-dir/audit-key.ts');
    const dir = await temp();
    const file = join(dir, 'audit-hmac.key');
    const keys = await Promise.all(Array.from({ length: 5 }, () => dataDirAuditKey(file)));
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(await dataDirAuditKey(file)).toBe(keys[0]);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    // Only the key: no staging file left beside it.
    expect(await readdir(dir)).toEqual(['audit-hmac.key']);
  });
});
