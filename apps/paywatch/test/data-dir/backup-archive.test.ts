// A backup cut anywhere must be refused, promptly: a restore that waits for ever on a damaged archive is as bad as
// one that accepts it (found when the cut of serve-backup-restore.test.ts landed in the middle of a file).
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../../src/cli-error.ts';
import { backupDataDir, restoreDataDir } from '../../src/data-dir/backup-archive.ts';
import { openDataDir } from '../../src/data-dir/open-data-dir.ts';

describe('restoring a damaged backup', () => {
  it('when the archive is cut at any of 32 points, then each restore refuses it with PW_ERR_BACKUP_INVALID within seconds and leaves no folder', async () => {
    const work = await mkdtemp(join(tmpdir(), 'pw-backup-cut-'));
    const dir = join(work, 'data');
    await (await openDataDir(dir)).close();
    await mkdir(join(dir, 'blobs', 'raw'), { recursive: true });
    // Files of many sizes, so the cuts land in headers, in file data and between entries alike.
    for (let i = 0; i < 40; i++) await writeFile(join(dir, 'blobs', 'raw', `f${i}`), randomBytes(1_000 + i * 3_000));
    const archive = join(work, 'backup.tar.gz');
    await backupDataDir(dir, archive);
    const bytes = await readFile(archive);
    const outcomes: string[] = [];
    for (let k = 1; k <= 32; k++) {
      const cut = join(work, `cut-${k}.tar.gz`);
      await writeFile(cut, bytes.subarray(0, Math.floor((bytes.length * k) / 33)));
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        restoreDataDir(cut, join(work, `restored-${k}`)).then(() => 'restored', (e: unknown) => (e instanceof CliError ? e.code : String(e))),
        new Promise<string>((res) => { timer = setTimeout(() => res('still waiting after 5 s'), 10_000); }),
      ]);
      clearTimeout(timer);
      outcomes.push(`${k}: ${outcome}`);
    }
    expect(outcomes).toEqual(Array.from({ length: 32 }, (_, i) => `${i + 1}: PW_ERR_BACKUP_INVALID`));
    expect((await readdir(work)).filter((e) => e.startsWith('restored-'))).toEqual([]);
  }, 240_000);
});
