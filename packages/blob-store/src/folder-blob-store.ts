/** Blob store on a local folder (embedded mode). Writes go to a temp file then rename, so readers never see half a blob. */
import { chmod, copyFile, link, mkdir, readFile, rename, unlink, writeFile, readdir, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { randomUUID } from 'node:crypto';
import { assertSafeKey, type BlobStore } from './port.ts';

/** A blob store rooted at `root`. */
export function createFolderBlobStore(root: string): BlobStore {
  const pathOf = (key: string) => { assertSafeKey(key); return join(root, key); };
  async function walk(dir: string): Promise<string[]> {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    const out: string[] = [];
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) out.push(...(await walk(p)));
      else if (!e.name.endsWith('.tmp')) out.push(relative(root, p));
    }
    return out;
  }
  /** The key's path and a temporary name beside it: in the same folder, a rename or link publishes the whole file at once. */
  async function staging(key: string): Promise<{ p: string; tmp: string }> {
    const p = pathOf(key);
    await mkdir(dirname(p), { recursive: true });
    return { p, tmp: `${p}.${randomUUID()}.tmp` };
  }
  return {
    async put(key, body) {
      const { p, tmp } = await staging(key);
      await writeFile(tmp, body);
      await rename(tmp, p);
    },
    async putIfAbsent(key, body) {
      const { p, tmp } = await staging(key);
      await writeFile(tmp, body);
      // link() fails with EEXIST when the key exists, atomically, and publishes the whole file at once.
      try { await link(tmp, p); return true; } catch (e) { if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false; throw e; } finally { await unlink(tmp).catch(() => undefined); }
    },
    async putRetained(key, body) {
      const created = await this.putIfAbsent(key, body);
      // Read-only is a courtesy against mistakes, not a lock: the folder's owner can still delete it.
      if (created) await chmod(pathOf(key), 0o444);
      return { created, locked: false };
    },
    async putFile(key, path) {
      const { p, tmp } = await staging(key);
      await copyFile(path, tmp);
      await rename(tmp, p);
    },
    async getStream(key) {
      const p = pathOf(key);
      if (!(await stat(p).then((s) => s.isFile(), () => false))) return null;
      return createReadStream(p, { highWaterMark: 64 * 1024 });
    },
    async get(key) {
      try { return await readFile(pathOf(key)); } catch (e) { if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null; throw e; }
    },
    async exists(key) { return stat(pathOf(key)).then(() => true, () => false); },
    async list(prefix) {
      const base = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
      return (await walk(join(root, base))).filter((k) => k.startsWith(prefix)).sort();
    },
    async ping() { await mkdir(root, { recursive: true }); return true; },
  };
}
