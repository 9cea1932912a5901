/** Blob store on a local folder (embedded mode). Writes go to a temp file then rename, so readers never see half a blob. */
import { chmod, copyFile, link, mkdir, open, readFile, rename, unlink, writeFile, readdir, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { assertSafeKey, type BlobStore } from './port.ts';

/** A key's version in a folder: the hash of its bytes (what S3's ETag is for a simple PUT). */
const versionOf = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
/**
 * A lock older than this was left by a process that died inside a compare-and-swap (which holds it for one read
 * and one rename, well under a millisecond), so it is broken rather than waited on for ever.
 */
const STALE_LOCK_MS = 10_000;

const readOrNull = async (path: string): Promise<Buffer | null> => {
  try { return await readFile(path); } catch (e) { if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null; throw e; }
};

/**
 * Holds the compare-and-swap lock of one key: a file created exclusively beside it (`.tmp`, so listings skip it).
 * Returns the release function.
 */
async function lockKey(path: string): Promise<() => Promise<void>> {
  const lock = `${path}.lock.tmp`;
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lock, 'wx');
      await handle.close();
      return () => unlink(lock).catch(() => undefined);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > STALE_LOCK_MS) await unlink(lock).catch(() => undefined);
      else await sleep(Math.min(50, 1 + attempt));
    }
  }
}

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
    async getVersioned(key) {
      const body = await readOrNull(pathOf(key));
      return body ? { body, version: versionOf(body) } : null;
    },
    async putIfVersion(key, body, version) {
      const { p, tmp } = await staging(key);
      await writeFile(tmp, body);
      const release = await lockKey(p);
      try {
        // Every conditional replace of this key holds the lock, and putIfAbsent cannot create a key that exists:
        // between this read and the rename nobody else changes it.
        const current = await readOrNull(p);
        if (!current || versionOf(current) !== version) return false;
        await rename(tmp, p);
        return true;
      } finally {
        await release();
        await unlink(tmp).catch(() => undefined);
      }
    },
    async delete(key) {
      await unlink(pathOf(key)).catch((e: NodeJS.ErrnoException) => { if (e.code !== 'ENOENT') throw e; });
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
    async get(key) { return readOrNull(pathOf(key)); },
    async exists(key) { return stat(pathOf(key)).then(() => true, () => false); },
    async list(prefix) {
      const base = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
      return (await walk(join(root, base))).filter((k) => k.startsWith(prefix)).sort();
    },
    async ping() { await mkdir(root, { recursive: true }); return true; },
  };
}
