/**
 * `paywatch dev`: `serve` on `.data/dev` (kept across runs) plus the demo data, uploaded through the real HTTP
 * API the first time the folder is used (an empty or new folder). `--once` exits when the demo alerts are stored.
 */
import { signToken } from '@paywatch/http-kit';
import { SEED_USERS } from '@paywatch/seed';
import { startEmbeddedPipeline } from '../embedded-pipeline.ts';
import { demoFiles, demoReferenceFiles } from '../demo-data.ts';
import { auditVerifyCommand, describePipeline, embeddedSettings, untilSignalled } from './serve.ts';

/** Starts everything, uploads the demo files into a new folder, prints where to look; with --once, exits when the alerts are stored. */
export async function runDev(argv: readonly string[]): Promise<number> {
  const { args, settings } = embeddedSettings(argv, ['once'], '.data/dev');
  const say = (s: string) => process.stdout.write(s + '\n');
  const pipeline = await startEmbeddedPipeline(settings);
  const { urls, dataDir } = pipeline;
  const { demoPassword } = settings;
  const tokens = Object.fromEntries(SEED_USERS.map((u) => [u.sub, signToken(pipeline.ingest.app, { sub: u.sub, role: u.role, name: u.name, ...(u.laoCode ? { laoCode: u.laoCode } : {}), ...(u.provinces ? { provinces: u.provinces } : {}) })]));

  const uploads: { file: string; status: number; batchId: string }[] = [];
  // Demo data only into a folder dev has just claimed (or whose demo upload a crash cut short): never into real data.
  if (dataDir.created || dataDir.marker.demoData === 'loading') {
    await dataDir.updateMarker({ demoData: 'loading' });
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
    await pipeline.ingest.processor.idle();
    await dataDir.updateMarker({ demoData: 'loaded' });
  }
  const alertCount = await waitForStableAlertCount(urls.alerts, tokens['central-1']!);

  describePipeline(pipeline, settings, say);
  say(`  data folder      ${dataDir.paths.root}`);
  say('');
  if (uploads.length) {
    say('demo uploads:');
    for (const u of uploads) say(`  ${u.status} ${u.batchId}  ${u.file}`);
  } else {
    say('demo data: already in this folder (uploaded at its first run); remove the folder to start over');
  }
  say(`alerts stored: ${alertCount}`);
  say('');
  say('tokens (valid 12 h; send as "Authorization: Bearer <token>"):');
  for (const u of SEED_USERS) say(`  ${u.sub.padEnd(16)} ${u.role.padEnd(19)} ${tokens[u.sub]}`);
  say('');
  say(`login: POST ${urls.alerts}/v1/auth/login {"username":"auditor-66","password":"${demoPassword}"} (any user above)`);
  say(`audit: ${auditVerifyCommand(pipeline)}   (after stopping)`);
  say(`try: curl -s -H "Authorization: Bearer ${tokens['auditor-66']}" ${urls.alerts}/v1/alerts`);

  if (args.options.has('once')) { await pipeline.stop(); return alertCount > 0 ? 0 : 1; }
  say('press Ctrl-C to stop');
  await untilSignalled();
  await pipeline.stop();
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
