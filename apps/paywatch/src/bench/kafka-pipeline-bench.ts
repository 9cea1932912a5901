/**
 * Upload → alert through the Kafka-protocol peer (librdkafka's mock cluster, via kafkajs): ingest in this process
 * (HTTP upload, parse, publish), the detector (both stages) in `detectors` child processes of one consumer group,
 * an alert reader here. Prints records/s until both stages have evaluated every record, and the latency from each
 * file's upload to each of its alerts reaching `alerts.v1`. `detectors: 0` runs the detector inside this process,
 * where `trace` can time every produce, handled batch, commit and blob write (where upload-to-alert time goes).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quantile } from 'simple-statistics';
import { Alert, TOPICS } from '@paywatch/domain';
import { createFolderBlobStore } from '@paywatch/blob-store';
import { createLogger, createMetricsRegistry } from '@paywatch/observability';
import { signToken } from '@paywatch/http-kit';
import { generateBulkBatch, renderKtbBulk } from '@paywatch/ktb-formats';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';
import { buildIngestService } from '@paywatch/ingest';
import { createStageTrace } from './stage-trace.ts';
import { kafkaPeerLog, brokerPeakRss, type RuleSetKind } from './bench-event-log.ts';
import { peakRssBytes, runDetector, startDetectorProcess, type DetectorProgress } from './detector-process.ts';

/** A batch with one duplicated goods payment every `every` rows, so the detector has alerts to emit. */
function batchWithDuplicates(laoCode: string, rows: number, every: number, seed: number): Uint8Array {
  const lao = SEED_LAO_REGISTRY.find((l) => l.laoCode === laoCode)!;
  const g = generateBulkBatch({ seed, laoCode, companyId: lao.companyIds[0]!, debitAccount: lao.accounts[0]!, rows: rows - Math.floor(rows / every), effectiveDate: '2026-10-05' });
  const details = [...g.spec.details];
  for (let i = 0; details.length < rows; i += every - 1) details.push({ ...details[i % g.spec.details.length]!, serviceType: '04', voucherNo: null });
  return renderKtbBulk({ header: g.spec.header, details }, { encoding: 'windows-874', eol: '\r\n' });
}

export interface KafkaBenchOptions {
  /** Detector processes in the group; 0 = the detector inside this process (traceable). Default 1. */
  detectors?: number;
  ruleSet?: RuleSetKind;
  /** Time every step: in this process (ingest, and the detector with `detectors: 0`) and in each detector process. */
  trace?: boolean;
  /** Rows per uploaded file (default 2,000: five files for the 10k-row run). */
  rowsPerFile?: number;
}

const LAOS = ['6600101', '6600102', '6600201', '6000101', '6000102', '1900101', '8000101'];

export async function benchKafkaPipeline(totalRows: number, options: KafkaBenchOptions = {}) {
  const detectors = options.detectors ?? 1;
  const ruleSet = options.ruleSet ?? 'default';
  const trace = createStageTrace();
  const tracing = options.trace === true;
  const peer = await kafkaPeerLog();
  const logger = createLogger({ service: 'bench', level: 'error' });
  const secret = 'bench-secret'.padEnd(40, '-');
  const dir = await mkdtemp(join(tmpdir(), 'pw-bench-'));
  const folder = createFolderBlobStore(dir);
  const blobStore = tracing ? trace.blobStore(folder) : folder;
  const traced = (who: string) => (tracing ? trace.eventLog(peer.open(who), who) : peer.open(who));
  try {
    const ingest = await buildIngestService({ blobStore, eventLog: traced('ingest'), registry: SEED_LAO_REGISTRY, logger, metrics: createMetricsRegistry('ingest'), jwtSecret: secret, maxUploadBytes: 1024 * 1024 * 1024,
      // One client uploading 100 files a minute is this benchmark's load, not an abuse the per-client limit is for.
      http: { rateLimit: false } });
    const spec = { eventLog: peer.spec!, blobDir: dir, groupId: 'detector', ruleSet, trace: tracing };
    const inProcess = detectors === 0 ? await runDetector(spec, traced('detector')) : null;
    const children = await Promise.all(Array.from({ length: detectors }, () => startDetectorProcess(spec)));
    const progress = async (): Promise<DetectorProgress[]> => (inProcess ? [await inProcess.progress()] : children.map((c) => c.progress()!).filter(Boolean));
    const arrivals = new Map<string, { at: number; batchId: string }>();
    const reader = peer.open('bench-reader').consumer({ groupId: 'bench-alert-reader', topics: [TOPICS.alerts], fromBeginning: true });
    await reader.run(async (batch) => {
      const at = performance.now();
      trace.mark('alerts read (last batch)');
      for (const m of batch.messages) {
        const a = Alert.parse(JSON.parse(m.value.toString('utf8')));
        if (!arrivals.has(a.alertId)) arrivals.set(a.alertId, { at, batchId: a.payments[0]!.batchId });
      }
    });
    // One file per LAO and round; an LAO's records share a partition, and the mock keeps only ~5 MiB per partition.
    const rowsPerFile = options.rowsPerFile ?? 2_000;
    const files = Math.max(1, Math.ceil(totalRows / rowsPerFile));
    const perFile = Math.ceil(totalRows / files);
    const uploadedAt = new Map<string, number>();
    const byPayee = peer.open('bench-lag').consumer({ groupId: 'detector-payee', topics: [TOPICS.disbursementsByPayee] });
    // Generated before the clock starts: the figures are the pipeline's, not the generator's.
    const generated = Array.from({ length: files }, (_, i) => batchWithDuplicates(LAOS[i % LAOS.length]!, perFile, 50, 100 + i));
    const t0 = performance.now();
    for (let i = 0; i < files; i++) {
      const lao = LAOS[i % LAOS.length]!;
      const bytes = generated[i]!;
      const boundary = '----bench';
      const payload = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${lao}-${i}.txt"\r\n\r\n`), Buffer.from(bytes), Buffer.from(`\r\n--${boundary}--\r\n`)]);
      const token = signToken(ingest.app, { sub: `finance-${lao}`, role: 'finance', laoCode: lao });
      const at = performance.now();
      const res = await ingest.app.inject({ method: 'POST', url: '/v1/batches', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${token}` } });
      if (res.statusCode !== 202) throw new Error(`upload ${i} answered ${res.statusCode}: ${res.body}`);
      uploadedAt.set(res.json().batchId, at);
      trace.mark(`uploaded ${lao}`);
      // Keep at most two files ahead of publishing: the next one is read while this one publishes, memory stays flat.
      if (i % 2 === 1) await ingest.processor.idle();
    }
    await ingest.processor.idle();
    const publishedMs = performance.now() - t0;
    trace.mark('ingest idle (all published)');
    const rows = perFile * files;
    // Evaluated: stage 1 has every record, stage 2 every forwarded copy (the end offsets of its topic).
    let evaluatedMs = 0;
    for (;;) {
      const ps = await progress();
      const forwarded = (await byPayee.lag()).reduce((s, l) => s + Number(l.endOffset), 0);
      const s1 = ps.reduce((s, p) => s + p.stage1Records, 0);
      const s2 = ps.reduce((s, p) => s + p.stage2Records, 0);
      if (s1 >= rows && s2 >= forwarded && forwarded > 0) { evaluatedMs = performance.now() - t0; break; }
      await new Promise((r) => setTimeout(r, 20));
    }
    trace.mark('both stages evaluated every record');
    await new Promise((r) => setTimeout(r, 500)); // let the reader see the last alerts
    const latencies = [...arrivals.values()].map((a) => a.at - uploadedAt.get(a.batchId)!).filter(Number.isFinite);
    await reader.stop();
    const finals = inProcess ? [await inProcess.progress()] : await Promise.all(children.map((c) => c.stop()));
    await inProcess?.service.stop();
    await ingest.stop();
    const q = (p: number) => (latencies.length ? Math.round(quantile(latencies, p)) : null);
    const mb = (b: number) => Math.round(b / 1_048_576);
    return {
      rows, files, detectorProcesses: detectors, ruleSet, alerts: arrivals.size,
      recordsPerSec: Math.round(rows / (evaluatedMs / 1000)),
      ingestPublishedRecordsPerSec: Math.round(rows / (publishedMs / 1000)),
      uploadToAlertMs: { p50: q(0.5), p95: q(0.95), p99: q(0.99) },
      stage2Records: finals.reduce((s, p) => s + p.stage2Records, 0),
      peakRssMb: { bench: mb(peakRssBytes()), detectors: finals.map((p) => mb(p.peakRssBytes)), broker: mb(brokerPeakRss(peer)) },
      detectorCpuSeconds: finals.map((p) => Math.round(p.cpuSeconds * 10) / 10),
      detectorSnapshotMs: finals.map((p) => p.snapshotMsTotal),
      ...(tracing ? { trace: trace.report(), detectorTraces: finals.map((p) => p.trace) } : {}),
    };
  } finally {
    await peer.close();
    await rm(dir, { recursive: true, force: true });
  }
}
