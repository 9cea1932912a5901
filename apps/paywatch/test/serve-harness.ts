// Runs `paywatch serve` as a child process and talks to it like its users do: HTTP uploads with bearer tokens,
// retried when they did not get a 2xx; and reads what a data folder holds once serve has stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { auditKeyOf, readAnchors, verifyAuditChain } from '@paywatch/alerts';
import { createFolderBlobStore } from '@paywatch/blob-store';
import { createPgliteDb } from '@paywatch/db';
import { generateBulkBatch, renderKtbBulk, type KtbBulkDetailSpec } from '@paywatch/ktb-formats';
import { SEED_LAO_REGISTRY, SEED_USERS } from '@paywatch/seed';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const JWT_SECRET = randomBytes(32).toString('hex');

const b64url = (v: string | Buffer) => Buffer.from(v).toString('base64url');

/** An HS256 bearer token for a seed user, signed with the secret the child gets (what its login would return). */
export function tokenFor(sub: string): string {
  const u = SEED_USERS.find((x) => x.sub === sub);
  if (!u) throw new Error(`no seed user ${sub}`);
  const now = Math.floor(Date.now() / 1000);
  const body = { sub: u.sub, role: u.role, name: u.name, ...(u.laoCode ? { laoCode: u.laoCode } : {}), ...(u.provinces ? { provinces: u.provinces } : {}), iat: now, exp: now + 3600 };
  const unsigned = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(body))}`;
  return `${unsigned}.${createHmac('sha256', JWT_SECRET).update(unsigned).digest('base64url')}`;
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((res) => { const s = createServer(); s.once('error', () => res(false)); s.listen(port, '127.0.0.1', () => s.close(() => res(true))); });
}

/** Four consecutive free ports on loopback (console, ingest, detector, alerts), away from 8080–8099. */
export async function freePortBase(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const base = 23_000 + Math.floor(Math.random() * 2_000) * 10;
    if ((await Promise.all([0, 1, 2, 3].map((d) => portFree(base + d)))).every(Boolean)) return base;
  }
  throw new Error('no free port range');
}

/** One run of the serve child. */
export interface ServeProcess {
  child: ChildProcess;
  /** Resolves when serve printed that it is ready; rejects if it exited first. */
  ready: Promise<void>;
  exited: Promise<number | null>;
  startedAt: number;
  stdout: string[];
}

/** Spawns `paywatch serve` on `dataDir`. */
export function spawnServe(dataDir: string, portBase: number, env: Record<string, string> = {}): ServeProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/paywatch/src/main.ts', 'serve', '--data-dir', dataDir, '--port-base', String(portBase)], {
    cwd: ROOT, env: { ...process.env, JWT_SECRET, LOG_LEVEL: 'error', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stderr!.on('data', (d: Buffer) => { stderr.push(d.toString()); if (stderr.length > 200) stderr.shift(); });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const ready = new Promise<void>((res, rej) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      stdout.push(line);
      if (line.includes('paywatch serve is ready')) res();
    });
    void exited.then((code) => rej(new Error(`serve exited (${code}) before it was ready: ${stderr.join('').slice(-2000)}`)));
  });
  ready.catch(() => undefined);
  return { child, ready, exited, startedAt: Date.now(), stdout };
}

/** SIGKILL, and wait until the process is gone. */
export async function kill9(p: ServeProcess): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await p.exited;
}

/** SIGTERM (a clean stop); resolves with the exit code. */
export async function stopServe(p: ServeProcess): Promise<number | null> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
  return p.exited;
}

/** The URLs of a serve started on `portBase`. */
export const urlsOf = (portBase: number) => ({ ingest: `http://127.0.0.1:${portBase + 1}`, detector: `http://127.0.0.1:${portBase + 2}`, alerts: `http://127.0.0.1:${portBase + 3}` });

/** A file a finance officer uploads. */
export interface UploadFile { name: string; laoCode: string; bytes: Uint8Array }

/** A generated bulk file of `rows` payments for a seed LAO. */
export function generatedFile(laoCode: string, rows: number, seed: number, effectiveDate: string): UploadFile {
  const lao = SEED_LAO_REGISTRY.find((l) => l.laoCode === laoCode)!;
  const g = generateBulkBatch({ seed, laoCode, companyId: lao.companyIds[0]!, debitAccount: lao.accounts[0]!, rows, effectiveDate, senderName: lao.nameTh });
  return { name: `ktb-bulk-${laoCode}-${effectiveDate}-${seed}.txt`, laoCode, bytes: renderKtbBulk(g.spec, { encoding: 'windows-874', eol: '\r\n' }) };
}

/** A generated bulk file with `extra` payments appended (`debitAccount` and `effectiveDate` filled in). */
export function fileWithPayments(laoCode: string, rows: number, seed: number, effectiveDate: string, extra: Array<Omit<KtbBulkDetailSpec, 'debitAccount' | 'effectiveDate'>>): UploadFile {
  const lao = SEED_LAO_REGISTRY.find((l) => l.laoCode === laoCode)!;
  const g = generateBulkBatch({ seed, laoCode, companyId: lao.companyIds[0]!, debitAccount: lao.accounts[0]!, rows, effectiveDate, senderName: lao.nameTh });
  const details = [...g.spec.details, ...extra.map((e) => ({ ...e, debitAccount: lao.accounts[0]!, effectiveDate }))].map((d, i) => ({ ...d, bankReference: String(i + 1).padStart(6, '0') }));
  return { name: `ktb-bulk-${laoCode}-${effectiveDate}-${seed}.txt`, laoCode, bytes: renderKtbBulk({ header: g.spec.header, details }, { encoding: 'windows-874', eol: '\r\n' }) };
}

/** Runs `paywatch dev --once`-like scripts to completion; rejects with their stderr when they fail. */
export function runScript(args: readonly string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env: { ...process.env, JWT_SECRET, LOG_LEVEL: 'error', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
    child.once('exit', (code) => (code === 0 ? res(out) : rej(new Error(`${args.join(' ')} exited ${code}: ${err.slice(-3000)}`))));
  });
}

/** POSTs one file as its LAO's finance officer; the status, or null when the connection failed (serve down). */
export async function upload(ingestUrl: string, f: UploadFile, path = '/v1/batches'): Promise<number | null> {
  const form = new FormData();
  form.append('file', new Blob([f.bytes]), f.name);
  try {
    const r = await fetch(`${ingestUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${tokenFor(`finance-${f.laoCode}`)}` }, body: form, signal: AbortSignal.timeout(30_000) });
    await r.arrayBuffer();
    return r.status;
  } catch {
    return null;
  }
}

/** GET as `sub`; the JSON, or null when serve does not answer (down, restarting) or answers an error. */
export async function getJson<T>(url: string, sub: string): Promise<T | null> {
  try {
    const r = await fetch(url, { headers: { authorization: `Bearer ${tokenFor(sub)}` }, signal: AbortSignal.timeout(15_000) });
    return r.ok ? ((await r.json()) as T) : null;
  } catch {
    return null;
  }
}

interface Lag { lag: number }

/**
 * Resolves once the pipeline has nothing left to do: every expected batch published or refused, every consumer
 * group caught up (committed = end), no notification due in the next 30 s. Tolerates a serve that is down.
 */
export async function waitDrained(portBase: number, expectedBatches: number, timeoutMs = 90_000): Promise<void> {
  const u = urlsOf(portBase);
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  let last = '';
  while (Date.now() < deadline) {
    const batches = await getJson<{ batches: Array<{ status: string }> }>(`${u.ingest}/v1/batches?limit=200`, 'central-1');
    const detector = await getJson<{ partitions: Lag[]; payee: { partitions: Lag[] } | null }>(`${u.detector}/v1/ops/lag`, 'ops-1');
    const alerts = await getJson<{ groups?: Array<{ partitions: Lag[] }> } & Record<string, unknown>>(`${u.alerts}/v1/ops/lag`, 'ops-1');
    const pending = await getJson<{ items: Array<{ nextAttemptAt: string | null }> }>(`${u.alerts}/v1/notifications?status=pending&limit=200`, 'central-1');
    const lagOf = (v: unknown): number => JSON.stringify(v ?? {}).match(/"lag":(\d+)/g)?.reduce((s, m) => s + Number(m.slice(6)), 0) ?? 0;
    const done = batches !== null && detector !== null && alerts !== null && pending !== null
      && batches.batches.length === expectedBatches && batches.batches.every((b) => b.status === 'published' || b.status === 'refused')
      && lagOf(detector) === 0 && lagOf(alerts) === 0
      && pending.items.every((n) => n.nextAttemptAt !== null && Date.parse(n.nextAttemptAt) > Date.now() + 30_000);
    last = JSON.stringify({ batches: batches?.batches.map((b) => b.status), detectorLag: lagOf(detector), alertsLag: lagOf(alerts), pending: pending?.items.length });
    quiet = done ? quiet + 1 : 0;
    if (quiet >= 3) return;
    await new Promise((r) => setTimeout(r, 400));
  }
  throw new Error(`pipeline did not drain in ${timeoutMs} ms: ${last}`);
}

/** What a stopped data folder holds, with the values that legitimately differ between runs (times, random ids) taken out. */
export interface FolderSnapshot {
  alerts: unknown[];
  notifications: unknown[];
  comments: unknown[];
  audit: unknown[];
  auditChainOk: boolean;
  outbox: unknown[];
  outboxDuplicates: number;
  batches: unknown[];
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
/** Times become `<time>`, random ids (snooze) `<id>`, local URLs `<base-url>`: what remains must be equal between runs. */
function normalise(v: unknown): unknown {
  // Links in e-mails name the port of their run.
  if (typeof v === 'string') return ISO.test(v) ? '<time>' : /^(sz|cm|co)_[0-9a-f]{8,}$/.test(v) ? '<id>' : v.replace(/http:\/\/127\.0\.0\.1:\d+/g, '<base-url>');
  if (v instanceof Date) return '<time>';
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalise(x)]));
  return v;
}

/** Reads the folder of a stopped serve. */
export async function snapshotFolder(dataDir: string): Promise<FolderSnapshot> {
  const db = await createPgliteDb({ dataDir: join(dataDir, 'pglite') });
  try {
    const q = async (sql: string) => (await db.query<Record<string, unknown>>(sql)).rows.map(normalise);
    const alerts = await q('SELECT alert_id, lao_code, province_code, severity, rule_ids, subject, payload, amount_satang, occurred_on, status, assignee, disposition, suppressed_by FROM alerts ORDER BY alert_id');
    const notifications = await q('SELECT id, alert_id, recipient, channel, idempotency_key, status, subject, body, provider_message_id FROM notifications ORDER BY id');
    const comments = await q('SELECT alert_id, author, text FROM alert_comments ORDER BY alert_id, text');
    const audit = await q('SELECT seq, actor, action, alert_id, payload FROM audit_log ORDER BY seq');
    // As `paywatch audit verify` checks it: under the folder's own key, against the anchors in its blob folder.
    const key = auditKeyOf((await readFile(join(dataDir, 'audit-hmac.key'), 'utf8')).trim());
    const chain = await verifyAuditChain(db, { key, anchors: await readAnchors(createFolderBlobStore(join(dataDir, 'blobs'))) });
    const outboxText = await readFile(join(dataDir, 'outbox.jsonl'), 'utf8').catch(() => '');
    const outboxLines = outboxText.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { messageId: string });
    const outbox = outboxLines.map(normalise).sort((a, b) => (a as { messageId: string }).messageId.localeCompare((b as { messageId: string }).messageId));
    const batches: unknown[] = [];
    const batchDir = join(dataDir, 'blobs', 'batches');
    for (const id of (await readdir(batchDir).catch(() => [] as string[])).sort()) {
      const manifest = JSON.parse(await readFile(join(batchDir, id, 'manifest.json'), 'utf8')) as Record<string, unknown>;
      const rejects = JSON.parse(await readFile(join(batchDir, id, 'rejects.json'), 'utf8').catch(() => '[]')) as unknown;
      batches.push(normalise({ manifest, rejects }));
    }
    return { alerts, notifications, comments, audit, auditChainOk: chain.ok, outbox, outboxDuplicates: outboxLines.length - new Set(outboxLines.map((l) => l.messageId)).size, batches };
  } finally {
    await db.close();
  }
}
