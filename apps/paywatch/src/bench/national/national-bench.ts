/**
 * `pnpm bench national [--laos 7850] [--records N] [--event-log kafka|in-process] [--detectors 1,2,3] [--rules default|trivial|both]`:
 * a month of ordinary payments and a welfare day for every LAO of the country, generated one file at a time and
 * pushed through the real pipeline path: ingest's batch processor (parser, keying, chunked publishing) → event log →
 * detector processes (stages 1 and 2, checkpoints) → alerts topic. Prints records/s per stage and end to end, CPU
 * seconds and peak RSS per process, state bytes per LAO and per citizen ID, snapshot and restore time per
 * partition, and alerts by rule. The event log is a parameter (BenchEventLog): the Kafka-protocol peer, with
 * detectors in child processes, or the in-process log, with the detector in this process.
 *
 * The Kafka-protocol peer keeps only ~5 MiB per partition, so publishing waits while a stage is more than
 * `maxBacklog` records behind (a real cluster retains days; the figures are then those of the slower side).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { Alert, TOPICS, batchIdFor, type BatchManifest } from '@paywatch/domain';
import { createFolderBlobStore } from '@paywatch/blob-store';
import { createBatchProcessor, createBatchRepository, soleClaim } from '@paywatch/ingest';
import { createLogger } from '@paywatch/observability';
import { inProcessLog, kafkaPeerLog, brokerPeakRss, type BenchEventLog, type RuleSetKind } from '../bench-event-log.ts';
import { peakRssBytes, runDetector, startDetectorProcess, type DetectorProgress, type DetectorProcessSpec } from '../detector-process.ts';
import { nationalFiles, planNationalDay, WELFARE_DAY, type NationalFile } from './national-day.ts';
import type { PartitionCheckpoint } from './checkpoint-probe.ts';

export type EventLogKind = 'kafka' | 'in-process';

export interface NationalBenchOptions {
  laos: number;
  records: number;
  eventLog: EventLogKind;
  /** One run per entry: that many detector processes in the group (in-process log: detectors in this process). */
  detectors: number[];
  /** One run per entry. */
  ruleSets: RuleSetKind[];
  /** Most records a stage may be behind publishing. Default 150,000. */
  maxBacklog?: number;
  /** Where generated files are written one at a time. Default /dev/shm when present. */
  fileDir?: string;
  /** Progress lines (stderr in the CLI). */
  progress?: (line: string) => void;
  /** Fail when nothing moves for this long. Default 120 s. */
  stallMs?: number;
  /** Files published at once (several uploads, or ingest replicas; one LAO's files stay in order). Default 8. */
  ingestConcurrency?: number;
}

const mb = (b: number) => Math.round(b / 1_048_576);
const perSec = (n: number, ms: number) => (ms > 0 ? Math.round(n / (ms / 1000)) : null);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Opens the event log of a kind (a fresh broker per run). */
export function openBenchLog(kind: EventLogKind): Promise<BenchEventLog> {
  return kind === 'kafka' ? kafkaPeerLog() : Promise.resolve(inProcessLog());
}

/** Every configuration asked for, one after the other, each on a fresh log and store. */
export async function benchNational(options: NationalBenchOptions) {
  const plan = planNationalDay(options);
  const runs = [];
  for (const ruleSet of options.ruleSets) {
    for (const detectors of options.detectors) runs.push(await runNational(options, ruleSet, detectors, () => openBenchLog(options.eventLog)));
  }
  return {
    laos: plan.laos.length, provinces: new Set(plan.laos.map((l) => l.entry.provinceCode)).size, records: options.records,
    monthRecords: plan.monthRecords, welfareRecords: plan.welfareRecords, beneficiaries: plan.beneficiaries, plantedTwoLaos: plan.plantedTwoLaos,
    welfareDay: WELFARE_DAY, runs,
  };
}

/** One run: fresh log, detectors, ingest over every generated file; the figures of that run. */
export async function runNational(options: NationalBenchOptions, ruleSet: RuleSetKind, detectorCount: number, openLog: () => Promise<BenchEventLog>) {
  const say = options.progress ?? (() => undefined);
  const maxBacklog = options.maxBacklog ?? 150_000;
  const stallMs = options.stallMs ?? 120_000;
  const plan = planNationalDay(options);
  const registry = plan.laos.map((l) => l.entry);
  const log = await openLog();
  const dir = await mkdtemp(join(tmpdir(), 'pw-national-blobs-'));
  const fileDir = await mkdtemp(join(options.fileDir ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir()), 'pw-national-files-'));
  const cpu0 = process.cpuUsage();
  try {
    const spec: DetectorProcessSpec = { eventLog: log.spec ?? { kind: 'kafka', brokers: [] }, blobDir: dir, groupId: 'detector', ruleSet };
    const tStart = performance.now();
    const inProcess = log.spec ? [] : await Promise.all(Array.from({ length: detectorCount }, () => runDetector(spec, log.open('detector'))));
    const children = log.spec ? await Promise.all(Array.from({ length: detectorCount }, () => startDetectorProcess(spec))) : [];
    const startMs = performance.now() - tStart;
    const progressOf = async (): Promise<DetectorProgress[]> => (inProcess.length ? Promise.all(inProcess.map((d) => d.progress())) : children.map((c) => c.progress()).filter((p): p is DetectorProgress => p !== null));

    const alertsByRule = new Map<string, number>();
    const alertIds = new Set<string>();
    const reader = log.open('bench-reader').consumer({ groupId: 'bench-alert-reader', topics: [TOPICS.alerts], fromBeginning: true });
    await reader.run(async (batch) => {
      for (const m of batch.messages) {
        const a = Alert.parse(JSON.parse(m.value.toString('utf8')));
        if (alertIds.has(a.alertId)) continue;
        alertIds.add(a.alertId);
        for (const r of a.ruleIds) alertsByRule.set(r, (alertsByRule.get(r) ?? 0) + 1);
      }
    });
    const byPayee = log.open('bench-lag').consumer({ groupId: 'detector-payee', topics: [TOPICS.disbursementsByPayee] });
    const forwarded = async () => (await byPayee.lag()).reduce((s, l) => s + Number(l.endOffset), 0);

    // Ingest's own processor and repository; the generated file is the stored raw file (no upload, no copy).
    // One processor and producer per file in flight, as ingest replicas (or concurrent uploads) would have: an
    // acks=all idempotent producer has one request in flight, so a single one would serialise every file's sends.
    const concurrency = options.ingestConcurrency ?? 8;
    const repository = { ...createBatchRepository(createFolderBlobStore(dir)), spoolRaw: async (path: string) => ({ path, cleanup: async () => undefined }) };
    const producers = await Promise.all(Array.from({ length: concurrency }, (_, k) => log.open(`ingest-${k}`).producer()));
    const idle = producers.map((producer) => createBatchProcessor({
      repository, producer, registry, logger: createLogger({ service: 'bench-ingest', level: 'error' }),
      clock: () => new Date(`${WELFARE_DAY}T09:00:00+07:00`),
    }));

    let published = 0, files = 0, rejected = 0, generateMs = 0, ingestMs = 0, waitedMs = 0;
    let stage1 = 0, stage2 = 0, copies = 0;
    let lastMove = performance.now();
    const refresh = async () => {
      const ps = await progressOf();
      const s1 = ps.reduce((s, p) => s + p.stage1Records, 0), s2 = ps.reduce((s, p) => s + p.stage2Records, 0);
      if (s1 !== stage1 || s2 !== stage2) lastMove = performance.now();
      stage1 = s1; stage2 = s2;
      copies = await forwarded();
      if (performance.now() - lastMove > stallMs) throw new Error(`national bench stalled: published ${published} (+${files} manifests), stage 1 ${stage1}, stage 2 ${stage2} of ${copies}`);
    };
    const t0 = performance.now();
    let lastSay = t0;
    let lastRefresh = 0;
    let tGen = performance.now();
    const inFlight = new Set<Promise<void>>();
    const byLao = new Map<string, Promise<void>>();
    let failure: unknown = null;
    const publish = async (f: NationalFile, after: Promise<void> | undefined) => {
      await after;
      const manifest: BatchManifest = {
        batchId: batchIdFor(f.laoCode, f.sha256), laoCode: f.laoCode, sha256: f.sha256, fileName: f.fileName, sizeBytes: f.sizeBytes, rawKey: f.path,
        format: null, encoding: null, rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, totalSatang: 0, header: null, status: 'received', refusal: null,
        uploadedBy: 'bench', receivedAt: new Date().toISOString(), publishedAt: null,
      };
      const processor = idle.pop()!;
      const m = await processor.process(manifest, soleClaim(manifest)).finally(() => idle.push(processor));
      await f.cleanup();
      if (m.status !== 'published') throw new Error(`${f.fileName} was ${m.status}: ${JSON.stringify(m.refusal)}`);
      published += m.rowsAccepted;
      rejected += m.rowsRejected;
      files++;
    };
    let busySince: number | null = null;
    for await (const f of nationalFiles({ ...options, dir: fileDir })) {
      generateMs += performance.now() - tGen;
      const tw = performance.now();
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      for (;;) {
        if (failure) throw failure;
        if (performance.now() - lastRefresh > 200) { await refresh(); lastRefresh = performance.now(); }
        if (published + files - stage1 <= maxBacklog && copies - stage2 <= maxBacklog) break;
        await sleep(50);
      }
      waitedMs += performance.now() - tw;
      // Ingest's busy time: wall time while at least one file is being published.
      busySince ??= performance.now();
      const p = publish(f, byLao.get(f.laoCode)).catch((err: unknown) => { failure ??= err; });
      inFlight.add(p);
      byLao.set(f.laoCode, p);
      void p.finally(() => {
        inFlight.delete(p);
        if (byLao.get(f.laoCode) === p) byLao.delete(f.laoCode);
        if (inFlight.size === 0 && busySince !== null) { ingestMs += performance.now() - busySince; busySince = null; }
      });
      if (performance.now() - lastSay > 10_000) {
        lastSay = performance.now();
        say(`[national ${ruleSet} ×${detectorCount}] ${Math.round((lastSay - t0) / 1000)} s: published ${published}, stage 1 ${stage1}, stage 2 ${stage2}/${copies}, RSS ${mb(peakRssBytes())} MB`);
      }
      tGen = performance.now();
    }
    await Promise.all(inFlight);
    if (failure) throw failure;
    const publishedAtMs = performance.now() - t0;
    let stage1DoneMs = 0, stage2DoneMs = 0;
    for (;;) {
      await refresh();
      const now = performance.now() - t0;
      if (!stage1DoneMs && stage1 >= published + files) stage1DoneMs = now;
      if (stage1DoneMs && !stage2DoneMs && stage2 >= copies) stage2DoneMs = now;
      if (stage1DoneMs && stage2DoneMs) break;
      await sleep(50);
    }
    const totalMs = performance.now() - t0;
    await sleep(1_000); // the last alerts reach the reader
    await reader.stop();
    await Promise.all(producers.map((p) => p.close()));
    const finals = children.length ? await Promise.all(children.map((c) => c.stop())) : await Promise.all(inProcess.map(async (d) => { await d.service.stop(); return d.progress(); }));
    const brokerRss = brokerPeakRss(log);
    const benchCpu = process.cpuUsage(cpu0);
    const probe = await probeInChild(dir, ruleSet);
    const stage1Bytes = probe.partitions.filter((p) => p.group === 'detector' && p.topic === TOPICS.disbursements).reduce((s, p) => s + p.bytes, 0);
    const stage2Bytes = probe.partitions.filter((p) => p.group === 'detector-payee').reduce((s, p) => s + p.bytes, 0);
    const records = published;
    return {
      eventLog: log.name, ruleSet, detectorProcesses: detectorCount, records, files, rejected, stage2Copies: copies,
      endToEnd: { seconds: Math.round(totalMs / 100) / 10, recordsPerSec: perSec(records, totalMs) },
      stages: {
        // Ingest: parse, key, publish and acknowledge, over the time files were being published (generation and flow-control waits apart).
        ingest: { recordsPerSec: perSec(records, ingestMs), busySeconds: Math.round(ingestMs / 1000), publishedAfterSeconds: Math.round(publishedAtMs / 1000), waitedForDetectorsSeconds: Math.round(waitedMs / 1000) },
        stage1: { records: stage1, recordsPerSec: perSec(stage1, stage1DoneMs), doneAfterSeconds: Math.round(stage1DoneMs / 1000) },
        stage2: { records: stage2, recordsPerSec: perSec(stage2, stage2DoneMs), doneAfterSeconds: Math.round(stage2DoneMs / 1000) },
        generateSeconds: Math.round(generateMs / 1000),
      },
      detectorStartSeconds: Math.round(startMs / 100) / 10,
      cpuSeconds: { benchProcess: Math.round((benchCpu.user + benchCpu.system) / 1e5) / 10, detectors: finals.map((p) => Math.round(p.cpuSeconds * 10) / 10) },
      // Both stages' records per CPU-second of the detector processes: the engine's share shows here.
      detectorRecordsPerCpuSecond: perSec(stage1 + stage2, 1000 * finals.reduce((s, p) => s + p.cpuSeconds, 0)),
      peakRssMb: { benchProcess: mb(peakRssBytes()), detectors: finals.map((p) => mb(p.peakRssBytes)), broker: log.spec ? mb(brokerRss) : null, checkpointProbe: mb(probe.peakRssBytes) },
      snapshotsHeldStreamsSeconds: Math.round(finals.reduce((s, p) => s + p.snapshotMsTotal, 0) / 1000),
      state: {
        stage1Bytes, stage2Bytes,
        bytesPerLao: Math.round(stage1Bytes / plan.laos.length),
        bytesPerCitizenId: plan.beneficiaries > 0 ? Math.round(stage2Bytes / plan.beneficiaries) : null,
      },
      partitions: probe.partitions.map(({ group, topic, partition, bytes, snapshotMs, restoreMs, error }) => ({ group, topic, partition, mb: Math.round((bytes / 1_048_576) * 10) / 10, snapshotMs, restoreMs, ...(error ? { error } : {}) })),
      alerts: { total: alertIds.size, byRule: Object.fromEntries([...alertsByRule].sort()) },
    };
  } finally {
    await log.close();
    await rm(dir, { recursive: true, force: true });
    await rm(fileDir, { recursive: true, force: true });
  }
}

/** Restore and snapshot timings of the run's checkpoints, measured in a process of their own. */
async function probeInChild(blobDir: string, ruleSet: RuleSetKind): Promise<{ partitions: PartitionCheckpoint[]; peakRssBytes: number }> {
  const script = resolve(import.meta.dirname, 'checkpoint-probe.ts');
  const groups = JSON.stringify([{ group: 'detector', stage: 1 }, { group: 'detector-payee', stage: 2 }]);
  const child = spawn(process.execPath, ['--import', 'tsx', '--max-old-space-size=3584', script, blobDir, groups, ruleSet], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString('utf8'); });
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`checkpoint probe exited with ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1)!);
}
