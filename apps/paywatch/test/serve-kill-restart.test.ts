// Issue 11: `paywatch serve` killed with SIGKILL at random points during a multi-file upload and restarted on the
// same folder ends with exactly the alerts, batches, outbox and audit chain of a run that was never interrupted.
// The client behaves like a user: it re-uploads every file whose upload did not return a 2xx.
// Replay a failure with PAYWATCH_KILL_SEED=<the seed printed below>.
import { describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoFiles, demoReferenceFiles } from '../src/demo-data.ts';
import { mulberry32 } from '@paywatch/ktb-formats';
import {
  freePortBase, generatedFile, getJson, kill9, snapshotFolder, spawnServe, stopServe, tokenFor, upload, urlsOf, waitDrained,
  type ServeProcess, type UploadFile,
} from './serve-harness.ts';


/** Where a kill lands: `startup` ms after spawning (before ready), or `afterReady` ms once serve answers. */
type KillPoint = { startup: number } | { afterReady: number };

const [demo1, demo2, demo3] = demoFiles();
// Finance users exist for 6600101 and 6000101 (seed). Phichit's generated payees are not in its register, so its
// files stay small: each raises payee-not-registered alerts (and e-mails), which is what the comparison wants.
const PHASE_A: UploadFile[] = [demo1!, generatedFile('6000101', 400, 31, '2026-10-06'), demo3!, generatedFile('6600101', 60, 32, '2026-10-12')];
const PHASE_C: UploadFile[] = [generatedFile('6000101', 400, 33, '2026-10-14'), demo2!, generatedFile('6000101', 300, 34, '2026-10-15')];

/** One whole scenario on a fresh folder; `kills` per kill-armed phase (empty: the uninterrupted run). */
async function scenario(dataDir: string, kills: { a: KillPoint[]; c: KillPoint[] }) {
  const portBase = await freePortBase();
  const u = urlsOf(portBase);
  let serve: ServeProcess = spawnServe(dataDir, portBase);
  let starts = 1;
  const startupMs: number[] = [];
  /** What each kill interrupted, for the log: files acknowledged so far in the phase, and the serve's age. */
  const hits: string[] = [];
  let acknowledged = 0;
  await serve.ready;
  startupMs.push(Date.now() - serve.startedAt);

  /** Kills serve at each point and starts it again on the same folder. */
  const killer = async (points: KillPoint[]) => {
    for (const point of points) {
      if ('afterReady' in point) {
        await serve.ready.catch(() => undefined);
        await new Promise((r) => setTimeout(r, point.afterReady));
      } else {
        await new Promise((r) => setTimeout(r, Math.max(0, point.startup - (Date.now() - serve.startedAt))));
      }
      hits.push(`${'startup' in point ? 'start-up' : 'running'} at ${Date.now() - serve.startedAt} ms, ${acknowledged} files acknowledged`);
      await kill9(serve);
      serve = spawnServe(dataDir, portBase);
      starts++;
      const current = serve;
      void current.ready.then(() => { startupMs.push(Date.now() - current.startedAt); }, () => undefined);
    }
  };
  /** Uploads each file until it gets a 2xx, waiting for serve to be back when it is down. */
  const uploadAll = async (files: UploadFile[], path?: string) => {
    for (const f of files) {
      for (let attempt = 0; ; attempt++) {
        const status = await upload(u.ingest, f, path);
        if (status !== null && status >= 200 && status < 300) { acknowledged++; break; }
        if (attempt > 40) throw new Error(`${f.name}: no 2xx after ${attempt} attempts (last ${status})`);
        await new Promise((r) => setTimeout(r, 150));
        await serve.ready.catch(() => undefined);
      }
    }
  };
  const phase = async (files: UploadFile[], points: KillPoint[], expectedBatches: number) => {
    acknowledged = 0;
    await Promise.all([uploadAll(files), killer(points)]);
    await serve.ready;
    await waitDrained(portBase, expectedBatches);
  };

  // Phase 0, not killed: the payee register, read by the detector before any payment (ADR 0007).
  await uploadAll(demoReferenceFiles().map((r) => ({ name: r.name, laoCode: r.laoCode, bytes: r.bytes })), '/v1/reference/payees');
  for (let i = 0; i < 100 && ((await getJson<{ lists: number }>(`${u.detector}/v1/ops/reference`, 'ops-1'))?.lists ?? 0) < 1; i++) await new Promise((r) => setTimeout(r, 100));

  await phase(PHASE_A, kills.a, PHASE_A.length);

  // Phase B, not killed: an auditor works a case, so the audit chain has entries that later kills must not lose.
  const list = await getJson<{ items: Array<{ alertId: string; ruleIds: string[]; subject: { kind: string } }> }>(`${u.alerts}/v1/alerts?limit=200&province=66`, 'auditor-66');
  // The first payee alert by id (a snooze is per payee account): the same one in both runs.
  const target = [...(list?.items ?? [])].sort((x, y) => x.alertId.localeCompare(y.alertId)).find((a) => a.subject.kind === 'payee');
  if (!target) throw new Error(`phase A produced no payee alert in province 66: ${JSON.stringify(list?.items.map((a) => a.subject.kind))}`);
  const { alertId } = target;
  const post = async (path: string, body: unknown) => {
    const r = await fetch(`${u.alerts}/v1/alerts/${encodeURIComponent(alertId)}${path}`, { method: 'POST', headers: { authorization: `Bearer ${tokenFor('auditor-66')}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  };
  await post('/transitions', { to: 'acknowledged' });
  await post('/comments', { text: 'ตรวจสอบกับฎีกาแล้ว รอเอกสารเพิ่มเติม', references: ['ฎ145/2570'] });
  await post('/snoozes', { ruleId: target.ruleIds[0], days: 30, reason: 'ผู้ขายรายนี้ตรวจแล้ว' });

  await phase(PHASE_C, kills.c, PHASE_A.length + PHASE_C.length);
  const code = await stopServe(serve);
  return { snapshot: await snapshotFolder(dataDir), starts, cleanExit: code, startupMs, hits };
}

describe('paywatch serve killed and restarted on the same folder', () => {
  it('when SIGKILLed at random points during a multi-file upload, then alerts, batches, outbox and audit chain equal an uninterrupted run', async () => {
    const seed = Number(process.env.PAYWATCH_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`[serve kill test] seed ${seed} (replay: PAYWATCH_KILL_SEED=${seed} pnpm vitest run apps/paywatch/test/serve-kill-restart.test.ts)`);
    const random = mulberry32(seed); // seeded, so a failing schedule can be replayed exactly
    // Most kills while files flow (upload, parse, publish, detect, store, send); one during a start-up.
    const point = (): KillPoint => ({ afterReady: Math.floor(random() * 900) });
    const kills = { a: [point(), { startup: 1_000 + Math.floor(random() * 2_500) }, point()], c: [point(), point()] };
    console.log(`[serve kill test] kill points ${JSON.stringify(kills)}`);

    const [calmDir, killedDir] = await Promise.all([mkdtemp(join(tmpdir(), 'pw-serve-calm-')), mkdtemp(join(tmpdir(), 'pw-serve-killed-'))]);
    try {
      const t0 = Date.now();
      const [calm, killed] = await Promise.all([scenario(calmDir, { a: [], c: [] }), scenario(killedDir, kills)]);
      console.log(`[serve kill test] ${Date.now() - t0} ms in all; killed run: ${killed.starts} starts (start-up ${killed.startupMs.join(', ')} ms), kills hit: ${killed.hits.join('; ')}`);

      expect(calm.cleanExit).toBe(0);
      expect(killed.cleanExit).toBe(0);
      expect(killed.starts).toBe(1 + kills.a.length + kills.c.length);
      // The uninterrupted run is worth comparing against: alerts, e-mails, case work and suppressions all happened.
      expect(calm.snapshot.alerts.length).toBeGreaterThan(3);
      expect(calm.snapshot.outbox.length).toBeGreaterThan(3);
      expect(calm.snapshot.audit.length).toBeGreaterThanOrEqual(3);
      expect(calm.snapshot.batches).toHaveLength(PHASE_A.length + PHASE_C.length);

      const s = killed.snapshot;
      const why = `seed ${seed}`;
      expect(s.batches, why).toEqual(calm.snapshot.batches);
      expect(s.alerts, why).toEqual(calm.snapshot.alerts);
      expect(s.notifications, why).toEqual(calm.snapshot.notifications);
      expect(s.outbox, why).toEqual(calm.snapshot.outbox);
      expect(s.outboxDuplicates, why).toBe(0);
      expect(s.comments, why).toEqual(calm.snapshot.comments);
      expect(s.audit, why).toEqual(calm.snapshot.audit);
      expect(s.auditChainOk, why).toBe(true);
      expect(calm.snapshot.auditChainOk).toBe(true);
    } finally {
      await Promise.all([rm(calmDir, { recursive: true, force: true }), rm(killedDir, { recursive: true, force: true })]);
    }
  }, 600_000); // 56–222 s on this 2-core machine under load; beside five engineers' suites it passed 300 s
});
