// Issue #4's "done means": `scan` and the streaming detector give the same alerts for the same input.
import { describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Alert, TOPICS } from '@paywatch/domain';
import { createInProcessEventLog } from '@paywatch/event-log';
import { createFolderBlobStore } from '@paywatch/blob-store';
import { createLogger, createMetricsRegistry } from '@paywatch/observability';
import { signToken } from '@paywatch/http-kit';
import { RuleSetConfig, createEngine } from '@paywatch/rules';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';
import { buildIngestService } from '@paywatch/ingest';
import { buildDetectorService } from '@paywatch/detector';
import { multipartFile, readTopic, waitUntil } from '@paywatch/testkit';
import { demoFiles, demoReferenceFiles } from '../src/demo-data.ts';
import { scanFiles } from '../src/commands/scan.ts';
import { loadReferenceFolder } from '../src/reference-folder.ts';
import { generateWorld } from '../src/world/generate-world.ts';

const SECRET = 'scan-vs-stream'.padEnd(40, '-');

/** Stage 1's alerts (stage 2's are about subjects keyed `xlao:…`). */
const stageOne = (alerts: Iterable<Alert>) => byId(alerts).filter((a) => !a.subject.key.startsWith('xlao:'));
const byId = (alerts: Iterable<Alert>) => [...alerts].sort((a, b) => a.alertId.localeCompare(b.alertId));

describe('scan and the streaming detector', () => {
  it('when the same reference lists and files go through scan and through upload → event log → detector, then the alerts are the same, id for id and field for field', async () => {
    const ruleSet = RuleSetConfig.parse({});
    const logger = createLogger({ service: 'scan-vs-stream', level: 'silent' });

    // scan: the reference folder, then the files in order, one engine.
    const refDir = await mkdtemp(join(tmpdir(), 'pw-ref-'));
    for (const f of demoReferenceFiles()) { await mkdir(join(refDir, f.laoCode), { recursive: true }); await writeFile(join(refDir, f.laoCode, `${f.kind}.csv`), f.bytes); }
    const engine = createEngine(ruleSet);
    for (const s of await loadReferenceFolder(refDir, () => undefined)) engine.applyReference(s);
    const scanned = stageOne(await scanFiles(demoFiles().map((f) => ({ name: f.name, bytes: f.bytes })), SEED_LAO_REGISTRY, ruleSet, () => undefined, engine));
    expect(scanned.some((a) => a.ruleIds.includes('payee-not-registered'))).toBe(true);

    // stream: the same lists and files uploaded through the API, evaluated by the detector.
    const eventLog = createInProcessEventLog({ defaultPartitions: 6 });
    const blobStore = createFolderBlobStore(await mkdtemp(join(tmpdir(), 'pw-svs-')));
    const ingest = await buildIngestService({ blobStore, eventLog, registry: SEED_LAO_REGISTRY, logger, metrics: createMetricsRegistry('ingest'), jwtSecret: SECRET });
    const detector = await buildDetectorService({ eventLog, blobStore, ruleSet, logger, metrics: createMetricsRegistry('detector'), jwtSecret: SECRET });
    try {
      await ingest.start();
      const post = (url: string, name: string, bytes: Uint8Array, laoCode: string) => {
        const { payload, headers } = multipartFile(name, bytes);
        return ingest.app.inject({ method: 'POST', url, payload, headers: { ...headers, authorization: `Bearer ${signToken(ingest.app, { sub: `finance-${laoCode}`, role: 'finance', laoCode })}` } });
      };
      for (const f of demoReferenceFiles()) expect((await post(`/v1/reference/${f.kind}`, f.name, f.bytes, f.laoCode)).statusCode).toBe(201);
      await detector.start();
      for (const f of demoFiles()) {
        expect((await post('/v1/batches', f.name, f.bytes, f.laoCode)).statusCode).toBe(202);
        await ingest.processor.idle();
      }
      await waitUntil(() => detector.lag(), (l) => l.length > 0 && l.every((p) => p.lag === 0), { what: 'detector drained' });
      const latest = new Map<string, Alert>();
      for (const m of await readTopic(eventLog, TOPICS.alerts, 1)) { const a = Alert.parse(JSON.parse(m.value.toString('utf8'))); latest.set(a.alertId, a); }
      expect(stageOne(latest.values())).toEqual(scanned);
    } finally {
      await detector.stop();
      await ingest.stop();
    }
  }, 60_000);
  it('when a world in which cross-LAO rules fire goes through scan and through the pipeline file by file, then both stages give the same alerts', async () => {
    const ruleSet = RuleSetConfig.parse({});
    const logger = createLogger({ service: 'scan-vs-stream', level: 'silent' });
    // Seed 11, 4 LAOs, 2 months: one citizen ID paid the same allowance by two LAOs (stage 2's welfare check).
    const world = generateWorld({ seed: 11, laos: 4, months: 2 });
    const scanned = byId(await scanFiles(world.files, world.registry, ruleSet));
    expect(scanned.filter((a) => a.subject.key.startsWith('xlao:')).length).toBeGreaterThan(0);

    const eventLog = createInProcessEventLog({ defaultPartitions: 6 });
    const blobStore = createFolderBlobStore(await mkdtemp(join(tmpdir(), 'pw-svs2-')));
    // The world's files arrive faster than any clerk uploads (more than the 30 a minute one address may send).
    const ingest = await buildIngestService({ blobStore, eventLog, registry: world.registry, logger, metrics: createMetricsRegistry('ingest'), jwtSecret: SECRET, http: { rateLimit: false } });
    // Lag counts committed offsets, which follow checkpoints: checkpoint often so that each drain is quick.
    const detector = await buildDetectorService({ eventLog, blobStore, ruleSet, logger, metrics: createMetricsRegistry('detector'), jwtSecret: SECRET, checkpointEvery: { ms: 20 } });
    try {
      await ingest.start();
      await detector.start();
      for (const f of world.files) {
        const { payload, headers } = multipartFile(f.name, f.bytes);
        const token = signToken(ingest.app, { sub: `finance-${f.laoCode}`, role: 'finance', laoCode: f.laoCode });
        expect((await ingest.app.inject({ method: 'POST', url: '/v1/batches', payload, headers: { ...headers, authorization: `Bearer ${token}` } })).statusCode).toBe(202);
        await ingest.processor.idle();
        // Stage 2 meets records of several LAOs, forwarded by different stage-1 partitions: draining both stages after
        // each file gives it the order scan uses (the pipeline's order across LAOs is otherwise the brokers').
        await waitUntil(() => detector.lag(), (l) => l.length > 0 && l.every((p) => p.lag === 0), { what: `detector drained after ${f.name}` });
      }
      const latest = new Map<string, Alert>();
      for (const m of await readTopic(eventLog, TOPICS.alerts, 1)) { const a = Alert.parse(JSON.parse(m.value.toString('utf8'))); latest.set(a.alertId, a); }
      expect(byId(latest.values())).toEqual(scanned);
    } finally {
      await detector.stop();
      await ingest.stop();
    }
  }, 120_000);
});
