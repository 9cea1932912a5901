/**
 * `paywatch backup` / `restore`: a data folder as one .tar.gz (readable with plain `tar tzf`), every file listed
 * with its size and SHA-256 in a closing manifest that restore checks before the folder appears.
 *
 * Backups are taken with serve STOPPED (the folder's lock is required; a running serve makes backup refuse):
 * PGlite is a single-process database whose files cannot be copied consistently from outside while it writes,
 * and one consistent cut across the four stores (log, blobs, PGlite, outbox) needs them all quiet at once.
 * The event log is copied with SQLite's VACUUM INTO (a consistent single file), everything else file by file.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { z } from 'zod';
import { createSqliteEventLog, EventLogError, type SqliteEventLog } from '@paywatch/event-log';
import { CliError } from '../cli-error.ts';
import { DATA_DIR_ERRORS } from './data-dir-errors.ts';
import { DATA_DIR_FORMAT, EVENT_LOG_FILES, IGNORED_ENTRIES, dataDirPaths } from './data-dir-layout.ts';
import { inspectDataDir } from './open-data-dir.ts';

const HEADER_ENTRY = 'paywatch-backup.json';
const MANIFEST_ENTRY = 'paywatch-backup-manifest.json';

const BackupHeader = z.object({ app: z.literal('paywatch'), kind: z.literal('data-dir-backup'), format: z.number().int().min(1), createdAt: z.string() });
const BackupManifest = z.object({ directories: z.array(z.string()), files: z.array(z.object({ path: z.string(), size: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) })) });

export const BACKUP_ERRORS = {
  noData: (dir: string) => new CliError('PW_ERR_BACKUP_NO_DATA', {
    th: `ไม่พบข้อมูลของ paywatch ในโฟลเดอร์ ${dir} — ไม่มีอะไรให้สำรอง`,
    en: `There is no paywatch data in ${dir}: nothing to back up.`,
  }),
  targetExists: (file: string) => new CliError('PW_ERR_BACKUP_TARGET_EXISTS', {
    th: `มีไฟล์ ${file} อยู่แล้ว — paywatch จะไม่เขียนทับ โปรดระบุชื่อไฟล์ใหม่`,
    en: `${file} exists already; paywatch will not overwrite it. Give a new file name.`,
  }),
  restoreTargetNotEmpty: (dir: string) => new CliError('PW_ERR_RESTORE_TARGET_NOT_EMPTY', {
    th: `โฟลเดอร์ ${dir} ไม่ว่าง — กู้คืนได้เฉพาะในโฟลเดอร์ว่างหรือโฟลเดอร์ที่ยังไม่มี เพื่อไม่ให้ข้อมูลเดิมถูกทับ`,
    en: `${dir} is not empty. Restore only into an empty or new folder, so nothing already there is overwritten.`,
  }),
  invalid: (file: string, detail: string) => new CliError('PW_ERR_BACKUP_INVALID', {
    th: `ไฟล์สำรอง ${file} ใช้ไม่ได้ (${detail}) — ไม่ได้สร้างโฟลเดอร์ข้อมูล`,
    en: `The backup ${file} is not usable (${detail}). No data folder was created.`,
  }),
} as const;

/** What a backup holds, as `backup` reports it. */
export interface BackupSummary { file: string; format: number; files: number; bytes: number }

/** Takes the folder's lock as serve does (the SQLite log's exclusive lock). */
function lockFolder(root: string): SqliteEventLog {
  try {
    return createSqliteEventLog({ file: dataDirPaths(root).eventLog });
  } catch (e) {
    if (e instanceof EventLogError && e.code === 'PW_ERR_EVENT_LOG_LOCKED') throw DATA_DIR_ERRORS.inUse(root);
    throw e;
  }
}

/**
 * Every file and folder to archive, as paths relative to the root (POSIX separators), in a stable order. Folders
 * are listed too: PostgreSQL's data folder has empty ones it will not start without.
 */
async function entriesOf(root: string): Promise<{ files: string[]; directories: string[] }> {
  const out: string[] = [];
  const directories: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      const rel = relative(root, p).split(sep).join('/');
      if (dir === root && ((EVENT_LOG_FILES as readonly string[]).includes(e.name) || (IGNORED_ENTRIES as readonly string[]).includes(e.name) || e.name === 'pglite.staging')) continue;
      // Staging files of the blob store and the marker: half-written by definition.
      if (e.name.endsWith('.tmp')) continue;
      if (e.isDirectory()) { directories.push(rel); await walk(p); } else if (e.isFile()) out.push(rel);
    }
  };
  await walk(root);
  return { files: out, directories };
}

/** A pass-through that hashes and counts what flows through it. */
function hasher() {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({ transform(chunk: Buffer, _e, done) { hash.update(chunk); size += chunk.length; done(null, chunk); } });
  return { stream, result: () => ({ sha256: hash.digest('hex'), size }) };
}

async function fsyncFile(path: string): Promise<void> {
  const h = await open(path, 'r');
  try { await h.sync(); } finally { await h.close(); }
}

/** Writes a backup of the (stopped) data folder at `root` to `outFile`. */
export async function backupDataDir(root: string, outFile: string): Promise<BackupSummary> {
  const state = await inspectDataDir(root);
  if (state.kind === 'new') throw BACKUP_ERRORS.noData(root);
  if (await stat(outFile).then(() => true, () => false)) throw BACKUP_ERRORS.targetExists(outFile);
  const log = lockFolder(root);
  const work = await mkdtemp(join(dirname(resolve(outFile)), '.paywatch-backup-'));
  const partial = join(work, 'backup.tar.gz');
  try {
    const logCopy = join(work, 'event-log.sqlite');
    await log.copyTo(logCopy);
    const entries = await entriesOf(root);
    const files = [...entries.files.map((rel) => ({ rel, path: join(root, ...rel.split('/')) })), { rel: 'event-log.sqlite', path: logCopy }];
    const pack = tar.pack();
    const written = pipeline(pack, createGzip(), createWriteStream(partial));
    const header = { app: 'paywatch', kind: 'data-dir-backup', format: state.format, createdAt: new Date().toISOString() };
    pack.entry({ name: HEADER_ENTRY }, JSON.stringify(header, null, 2));
    for (const d of entries.directories) pack.entry({ name: d, type: 'directory', mode: 0o700 });
    const listed: z.infer<typeof BackupManifest>['files'] = [];
    for (const f of files) {
      const { size } = await stat(f.path);
      const h = hasher();
      const entry = pack.entry({ name: f.rel, size, mode: 0o600 });
      await pipeline(createReadStream(f.path), h.stream, entry);
      const r = h.result();
      // A file that changed while being read means something else writes the folder: no consistent copy.
      if (r.size !== size) throw new Error(`${f.rel} changed while it was being copied`);
      listed.push({ path: f.rel, ...r });
    }
    pack.entry({ name: MANIFEST_ENTRY }, JSON.stringify({ directories: entries.directories, files: listed }, null, 2));
    pack.finalize();
    await written;
    await fsyncFile(partial);
    await rename(partial, outFile);
    await fsyncFile(dirname(resolve(outFile)));
    return { file: outFile, format: state.format, files: listed.length, bytes: listed.reduce((s, f) => s + f.size, 0) };
  } finally {
    await log.close();
    await rm(work, { recursive: true, force: true });
  }
}

/** A relative, POSIX path inside the folder, or null when an entry tries to leave it. */
function safeRelative(name: string): string | null {
  const n = posix.normalize(name);
  if (n.startsWith('/') || n === '..' || n.startsWith('../') || n.includes('\0') || n === '.') return null;
  return n;
}

/** Restores `fromFile` into `root`, which must be missing or empty; the folder appears only once every file checked out. */
export async function restoreDataDir(fromFile: string, root: string): Promise<BackupSummary> {
  const existing = await readdir(root).catch((e: NodeJS.ErrnoException) => { if (e.code === 'ENOENT') return null; throw e; });
  if (existing && existing.length > 0) throw BACKUP_ERRORS.restoreTargetNotEmpty(root);
  await mkdir(dirname(resolve(root)), { recursive: true });
  const staging = await mkdtemp(`${resolve(root)}.restoring-`);
  try {
    let header: z.infer<typeof BackupHeader> | null = null;
    let manifest: z.infer<typeof BackupManifest> | null = null;
    const seen = new Map<string, { size: number; sha256: string }>();
    const folders = new Set<string>();
    const readAll = async (s: AsyncIterable<unknown>) => { const chunks: Buffer[] = []; for await (const c of s) chunks.push(c as Buffer); return Buffer.concat(chunks).toString('utf8'); };
    const extract = tar.extract();
    // Settles with the stream's error (or null), so a damaged file is reported once and never left unhandled.
    const source = pipeline(createReadStream(fromFile), createGunzip(), extract).then(() => null, (e: unknown) => e as Error);
    // Rejects when the archive turns out cut or damaged, never settles otherwise. Reading an entry races it: when
    // the source fails in the middle of an entry, that entry (a streamx stream) does not always fail or end the
    // copy it is piped into, which would then wait for ever.
    const sourceFailed = source.then((e) => (e ? Promise.reject(e) : new Promise<never>(() => undefined)));
    sourceFailed.catch(() => undefined);
    const unlessSourceFails = <T>(p: Promise<T>): Promise<T> => Promise.race([p, sourceFailed]);
    try {
      for await (const entry of extract) {
        const name = entry.header.name;
        if (name === HEADER_ENTRY) { header = BackupHeader.parse(JSON.parse(await unlessSourceFails(readAll(entry)))); continue; }
        if (name === MANIFEST_ENTRY) { manifest = BackupManifest.parse(JSON.parse(await unlessSourceFails(readAll(entry)))); continue; }
        const rel = safeRelative(name);
        if (rel && entry.header.type === 'directory') { await mkdir(join(staging, ...rel.split('/')), { recursive: true }); folders.add(rel); entry.resume(); continue; }
        if (!rel || entry.header.type !== 'file') throw BACKUP_ERRORS.invalid(fromFile, `entry ${JSON.stringify(name)} is not a file inside the folder`);
        const target = join(staging, ...rel.split('/'));
        await mkdir(dirname(target), { recursive: true });
        const h = hasher();
        const out = createWriteStream(target, { mode: 0o600 });
        const copy = pipeline(entry, h.stream, out);
        copy.catch(() => undefined);
        try {
          await unlessSourceFails(copy);
        } catch (e) {
          out.destroy();
          throw e;
        }
        seen.set(rel, h.result());
      }
      const failed = await source;
      if (failed) throw failed;
    } catch (e) {
      extract.destroy();
      const failed = await source;
      if (e instanceof CliError) throw e;
      throw BACKUP_ERRORS.invalid(fromFile, (failed ?? (e as Error)).message);
    }
    if (!header) throw BACKUP_ERRORS.invalid(fromFile, `${HEADER_ENTRY} missing: not a paywatch backup`);
    if (!manifest) throw BACKUP_ERRORS.invalid(fromFile, `${MANIFEST_ENTRY} missing: the archive is cut short`);
    if (header.format > DATA_DIR_FORMAT) throw DATA_DIR_ERRORS.tooNew(fromFile, header.format, DATA_DIR_FORMAT);
    for (const f of manifest.files) {
      const got = seen.get(f.path);
      if (!got) throw BACKUP_ERRORS.invalid(fromFile, `${f.path} missing`);
      if (got.size !== f.size || got.sha256 !== f.sha256) throw BACKUP_ERRORS.invalid(fromFile, `${f.path} does not match its checksum`);
    }
    if (seen.size !== manifest.files.length) throw BACKUP_ERRORS.invalid(fromFile, 'files not in the manifest');
    for (const d of manifest.directories) if (!folders.has(d)) throw BACKUP_ERRORS.invalid(fromFile, `folder ${d} missing`);
    if (existing) await rmdir(root);
    await rename(staging, root);
    return { file: fromFile, format: header.format, files: manifest.files.length, bytes: manifest.files.reduce((s, f) => s + f.size, 0) };
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
}
