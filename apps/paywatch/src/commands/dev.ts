/**
 * `paywatch dev`: the whole pipeline in one process on embedded defaults — in-process event log, a local blob
 * folder, PGlite, a local mail outbox — with demo data uploaded through the real HTTP API.
 * The event log lives in memory, so each run starts from a clean data folder (see README).
 */
import { rm, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createInProcessEventLog } from '@paywatch/event-log';
import { createFolderBlobStore } from '@paywatch/blob-store';
import { createPgliteDb } from '@paywatch/db';
import { createLocalOutboxMailer } from '@paywatch/mail';
import { createLogger, createMetricsRegistry } from '@paywatch/observability';
import { signToken } from '@paywatch/http-kit';
import { RuleSetConfig } from '@paywatch/rules';
import { SEED_LAO_REGISTRY, SEED_USERS } from '@paywatch/seed';
import { buildIngestService } from '@paywatch/ingest';
import { buildDetectorService } from '@paywatch/detector';
import { buildAlertsService } from '@paywatch/alerts';
import { buildConsoleService } from '@paywatch/console';
import { opt, parseArgs } from '../args.ts';
import { demoFiles, demoReferenceFiles } from '../demo-data.ts';
import { devAuditKey, devAuditKeyFile } from '../dev-secrets.ts';

/** Starts everything, uploads the demo files, prints where to look; with --once, exits when the alerts are stored. */
export async function runDev(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ['once']);
  const dataDir = resolve(opt(args, 'data-dir') ?? '.data/dev');
  const portBase = Number(opt(args, 'port-base') ?? process.env.PAYWATCH_PORT_BASE ?? 8080);
  const host = opt(args, 'host') ?? '127.0.0.1';
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  // Dev only: a per-run secret unless one is given. Production reads JWT_SECRET (see services/*/src/main.ts).
  const jwtSecret = process.env.JWT_SECRET ?? randomBytes(32).toString('hex');
  const logger = createLogger({ service: 'paywatch-dev', level: process.env.LOG_LEVEL ?? 'warn' });
  const eventLog = createInProcessEventLog({ defaultPartitions: 6, logger });
  const blobStore = createFolderBlobStore(join(dataDir, 'blobs'));
  const db = await createPgliteDb({ dataDir: join(dataDir, 'pglite') });
  const mailer = createLocalOutboxMailer(join(dataDir, 'outbox.jsonl'));
  const urls = { ingest: `http://${host}:${portBase + 1}`, detector: `http://${host}:${portBase + 2}`, alerts: `http://${host}:${portBase + 3}` };

  // One ingest per data folder: a fixed replica name lets a restart retake the batch claims the last run held (ADR 0014).
  const ingest = await buildIngestService({ blobStore, eventLog, registry: SEED_LAO_REGISTRY, logger: logger.child({ service: 'ingest' }), metrics: createMetricsRegistry('ingest'), jwtSecret, replicaId: 'ingest-embedded' });
  const detector = await buildDetectorService({ eventLog, blobStore, ruleSet: RuleSetConfig.parse({}), logger: logger.child({ service: 'detector' }), metrics: createMetricsRegistry('detector'), jwtSecret });
  // Demo only: every seed user gets this password for POST /v1/auth/login. Production users come from USERS_FILE.
  const demoPassword = process.env.PAYWATCH_DEMO_PASSWORD ?? 'paywatch-demo';
  const alerts = await buildAlertsService({
    db, eventLog, mailer, registry: SEED_LAO_REGISTRY, users: SEED_USERS, logger: logger.child({ service: 'alerts' }),
    demoPasswords: Object.fromEntries(SEED_USERS.map((u) => [u.sub, demoPassword])),
    metrics: createMetricsRegistry('alerts'), jwtSecret, publicBaseUrl: urls.alerts,
    // Dev only: the folder's own audit key (production: AUDIT_HMAC_KEY); anchors go to the blob folder and the log.
    audit: { key: process.env.AUDIT_HMAC_KEY ?? await devAuditKey(dataDir), anchorStore: blobStore },
  });
  await Promise.all([ingest.start(), detector.start(), alerts.start()]);
  await ingest.app.listen({ port: portBase + 1, host });
  await detector.app.listen({ port: portBase + 2, host });
  await alerts.app.listen({ port: portBase + 3, host });
  // The web console calls the three services over HTTP, like a browser would; dev only: a per-run cookie secret.
  const consoleService = await buildConsoleService({ logger: logger.child({ service: 'console' }), metrics: createMetricsRegistry('console'), jwtSecret, upstream: urls, cookieSecret: process.env.CONSOLE_COOKIE_SECRET ?? randomBytes(32).toString('hex') });
  await consoleService.app.listen({ port: portBase, host });

  const tokens = Object.fromEntries(SEED_USERS.map((u) => [u.sub, signToken(ingest.app, { sub: u.sub, role: u.role, name: u.name, ...(u.laoCode ? { laoCode: u.laoCode } : {}), ...(u.provinces ? { provinces: u.provinces } : {}) })]));
  const uploads: { file: string; status: number; batchId: string }[] = [];
  // Reference lists first, and read by the detector, so the payments are evaluated against them.
  for (const f of demoReferenceFiles()) {
    const form = new FormData();
    form.append('file', new Blob([f.bytes]), f.name);
    const r = await fetch(`${urls.ingest}/v1/reference/${f.kind}`, { method: 'POST', headers: { authorization: `Bearer ${tokens[`finance-${f.laoCode}`]}` }, body: form });
    const body = (await r.json()) as { upload?: { version: number } };
    uploads.push({ file: f.name, status: r.status, batchId: `${f.kind} v${body.upload?.version ?? '?'}` });
  }
  const opsToken = tokens['ops-1']!;
  await waitFor(async () => ((await (await fetch(`${urls.detector}/v1/ops/reference`, { headers: { authorization: `Bearer ${opsToken}` } })).json()) as { lists: number }).lists >= demoReferenceFiles().length);
  for (const f of demoFiles()) {
    const form = new FormData();
    form.append('file', new Blob([f.bytes]), f.name);
    const r = await fetch(`${urls.ingest}/v1/batches`, { method: 'POST', headers: { authorization: `Bearer ${tokens[`finance-${f.laoCode}`]}` }, body: form });
    const body = (await r.json()) as { batchId: string };
    uploads.push({ file: f.name, status: r.status, batchId: body.batchId });
  }
  await ingest.processor.idle();
  const central = tokens['central-1']!;
  const alertCount = await waitForStableAlertCount(urls.alerts, central);

  const say = (s: string) => process.stdout.write(s + '\n');
  say('');
  say('paywatch is running on embedded defaults (in-process event log, blob folder, PGlite, local outbox)');
  say(`  console  http://${host}:${portBase}/login   (any user below, password ${demoPassword})`);
  say(`  data folder      ${dataDir}`);
  say(`  API docs         ${urls.ingest}/docs  ${urls.detector}/docs  ${urls.alerts}/docs`);
  say(`  metrics          ${urls.ingest}/metrics  ${urls.detector}/metrics  ${urls.alerts}/metrics`);
  say('');
  say('demo uploads:');
  for (const u of uploads) say(`  ${u.status} ${u.batchId}  ${u.file}`);
  say(`alerts stored: ${alertCount}`);
  say('');
  say('tokens (valid 12 h; send as "Authorization: Bearer <token>"):');
  for (const u of SEED_USERS) say(`  ${u.sub.padEnd(16)} ${u.role.padEnd(19)} ${tokens[u.sub]}`);
  say('');
  say(`login: POST ${urls.alerts}/v1/auth/login {"username":"auditor-66","password":"${demoPassword}"} (any user above)`);
  say(`audit: pnpm paywatch audit verify --pglite ${join(dataDir, 'pglite')} --key-file ${devAuditKeyFile(dataDir)} --anchors-dir ${join(dataDir, 'blobs')}   (after stopping)`);
  say(`try: curl -s -H "Authorization: Bearer ${tokens['auditor-66']}" ${urls.alerts}/v1/alerts`);

  const shutdown = async () => {
    await consoleService.stop(); await ingest.stop(); await detector.stop(); await alerts.stop(); await eventLog.close(); await db.close();
  };
  if (args.options.has('once')) { await shutdown(); return alertCount > 0 ? 0 : 1; }
  say('press Ctrl-C to stop');
  await new Promise<void>((r) => { process.once('SIGINT', r); process.once('SIGTERM', r); });
  await shutdown();
  return 0;
}

/** Polls the alert API until the count stops changing (the pipeline has drained). */
async function waitForStableAlertCount(alertsUrl: string, token: string): Promise<number> {
  let last = -1, stableFor = 0;
  for (let i = 0; i < 300; i++) {
    const r = await fetch(`${alertsUrl}/v1/alerts?limit=200`, { headers: { authorization: `Bearer ${token}` } });
    const n = r.ok ? ((await r.json()) as { items: unknown[] }).items.length : -1;
    stableFor = n === last && n > 0 ? stableFor + 1 : 0;
    if (stableFor >= 5) return n;
    last = n;
    await new Promise((res) => setTimeout(res, 200));
  }
  return Math.max(last, 0);
}

/** Polls until `ready` answers true, for at most `timeoutMs`; a demo that cannot wait carries on rather than hangs. */
async function waitFor(ready: () => Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ready().catch(() => false)) return true;
    await new Promise((res) => setTimeout(res, 100));
  }
  return false;
}
