/**
 * Upload → alert through the Kafka-protocol peer (librdkafka's mock cluster, via kafkajs): records/s until the
 * detector has no lag, and the latency from each batch's upload to each of its alerts reaching `alerts.v1`.
 */
import { spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { quantile } from 'simple-statistics';
import { Alert, TOPICS } from '@paywatch/domain';
import { createKafkaEventLog } from '@paywatch/event-log';
import { createFolderBlobStore } from '@paywatch/blob-store';
import { createLogger, createMetricsRegistry } from '@paywatch/observability';
import { signToken } from '@paywatch/http-kit';
import { RuleSetConfig } from '@paywatch/rules';
import { generateBulkBatch, renderKtbBulk } from '@paywatch/ktb-formats';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';
import { buildIngestService } from '@paywatch/ingest';
import { buildDetectorService } from '@paywatch/detector';
import { createStageTrace } from './stage-trace.ts';

const root = resolve(import.meta.dirname, '../../../..');

async function startMock(): Promise<{ brokers: string[]; stop: () => void }> {
  const bin = resolve(root, '.cache/kafka-mock');
  if (!existsSync(bin)) execFileSync('bash', [resolve(root, 'scripts/build-kafka-mock.sh')], { stdio: 'inherit' });
  const child = spawn(bin, ['-b', '1', '-t', `${TOPICS.disbursements}:6`, '-t', `${TOPICS.alerts}:6`], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((res, rej) => { child.once('error', rej); createInterface({ input: child.stdout! }).once('line', res); });
  return { brokers: line.trim().split(','), stop: () => child.stdin!.end() };
}

/** A batch with one duplicated goods payment every `every` rows, so the detector has alerts to emit. */
function batchWithDuplicates(laoCode: string, rows: number, every: number, seed: number): Uint8Array {
  const lao = SEED_LAO_REGISTRY.find((l) => l.laoCode === laoCode)!;
  const g = generateBulkBatch({ seed, laoCode, companyId: lao.companyIds[0]!, debitAccount: lao.accounts[0]!, rows: rows - Math.floor(rows / every), effectiveDate: '2026-10-05' });
  const details = [...g.spec.details];
  for (let i = 0; details.length < rows; i += every - 1) details.push({ ...details[i % g.spec.details.length]!, serviceType: '04', voucherNo: null });
  return renderKtbBulk({ header: g.spec.header, details }, { encoding: 'windows-874', eol: '\r\n' });
}

/** `trace`: also time every produce, handled batch, commit and blob write, and report where the time went. */
export async function benchKafkaPipeline(totalRows: number, options: { trace?: boolean } = {}) {
  const trace = createStageTrace();
  const mock = await startMock();
  const logger = createLogger({ service: 'bench', level: 'error' });
  const secret = 'bench-secret'.padEnd(40, '-');
  const kafka = (id: string) => createKafkaEventLog({ brokers: mock.brokers, clientId: id, logger, consumerSessionTimeoutMs: 6000, consumerHeartbeatIntervalMs: 500, consumerRebalanceTimeoutMs: 6000, consumerMaxWaitTimeMs: 50 });
  const folder = createFolderBlobStore(await mkdtemp(join(tmpdir(), 'pw-bench-')));
  const blobStore = options.trace ? trace.blobStore(folder) : folder;
  const traced = (log: ReturnType<typeof kafka>, who: string) => (options.trace ? trace.eventLog(log, who) : log);
  const [ingestLog, detectorLog, readerLog] = [kafka('bench-ingest'), kafka('bench-detector'), kafka('bench-reader')];
  try {
    const ingest = await buildIngestService({ blobStore, eventLog: traced(ingestLog, 'ingest'), registry: SEED_LAO_REGISTRY, logger, metrics: createMetricsRegistry('ingest'), jwtSecret: secret, maxUploadBytes: 200 * 1024 * 1024 });
    const detector = await buildDetectorService({ eventLog: traced(detectorLog, 'detector'), blobStore, ruleSet: RuleSetConfig.parse({}), logger, metrics: createMetricsRegistry('detector'), jwtSecret: secret });
    const arrivals = new Map<string, { at: number; batchId: string }>();
    const reader = readerLog.consumer({ groupId: 'bench-alert-reader', topics: [TOPICS.alerts], fromBeginning: true });
    await Promise.all([
      detector.start(),
      reader.run(async (batch) => {
        const at = performance.now();
        trace.mark('alerts read (last batch)');
        for (const m of batch.messages) {
          const a = Alert.parse(JSON.parse(m.value.toString('utf8')));
          if (!arrivals.has(a.alertId)) arrivals.set(a.alertId, { at, batchId: a.payments[0]!.batchId });
        }
      }),
    ]);
    // One batch per LAO: an LAO's records share a partition, and the mock keeps only ~5 MiB per partition.
    const laos = ['6600101', '6600102', '6600201', '6000101', '6000102'];
    const perLao = Math.ceil(totalRows / laos.length);
    const files = laos.map((lao, i) => ({ lao, bytes: batchWithDuplicates(lao, perLao, 50, 100 + i) }));
    const uploadedAt = new Map<string, number>();
    const t0 = performance.now();
    for (const f of files) {
      const boundary = '----bench';
      const payload = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.lao}.txt"\r\n\r\n`), Buffer.from(f.bytes), Buffer.from(`\r\n--${boundary}--\r\n`)]);
      const token = signToken(ingest.app, { sub: `finance-${f.lao}`, role: 'finance', laoCode: f.lao });
      const at = performance.now();
      const res = await ingest.app.inject({ method: 'POST', url: '/v1/batches', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${token}` } });
      uploadedAt.set(res.json().batchId, at);
      trace.mark(`uploaded ${f.lao}`);
    }
    await ingest.processor.idle();
    trace.mark('ingest idle (all published)');
    for (;;) {
      const lag = await detector.lag();
      if (lag.length > 0 && lag.reduce((s, l) => s + l.lag, 0) === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const drainedMs = performance.now() - t0;
    trace.mark('detector lag 0 (committed)');
    await new Promise((r) => setTimeout(r, 500)); // let the reader see the last alerts
    const latencies = [...arrivals.values()].map((a) => a.at - uploadedAt.get(a.batchId)!).filter(Number.isFinite);
    await reader.stop(); await detector.stop(); await ingest.stop();
    const q = (p: number) => (latencies.length ? Math.round(quantile(latencies, p)) : null);
    return { rows: perLao * laos.length, alerts: arrivals.size, recordsPerSec: Math.round((perLao * laos.length) / (drainedMs / 1000)), uploadToAlertMs: { p50: q(0.5), p95: q(0.95), p99: q(0.99) }, ...(options.trace ? { trace: trace.report() } : {}) };
  } finally {
    await Promise.all([ingestLog.close(), detectorLog.close(), readerLog.close()]);
    mock.stop();
  }
}
