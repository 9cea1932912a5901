// Scale-out, shown: three detector processes (the production composition root, services/detector/src/main.ts) share
// one consumer group over the Kafka-protocol peer; files are published by ingest's own batch processor (its parser,
// its keys); one detector is SIGKILLed mid-stream, the other two take its partitions over from its checkpoints, and
// the alerts of both stages must equal those of one uninterrupted run (scan: the same engines, offline): the same
// ids for every alert about one LAO; for an alert about one payee across LAOs (stage 2) the same subject and rules,
// since its id follows whichever LAO's payment reached stage 2 first, which differs between any two runs.
import { describe, expect, it, inject } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Alert, TOPICS, batchIdFor, sha256Hex, type BatchManifest } from '@paywatch/domain';
import { createKafkaEventLog } from '@paywatch/event-log';
import { createFolderBlobStore, createS3BlobStore } from '@paywatch/blob-store';
import { createBatchProcessor, createBatchRepository, soleClaim } from '@paywatch/ingest';
import { generateBulkBatch, renderKtbBulk } from '@paywatch/ktb-formats';
import { createLogger } from '@paywatch/observability';
import { RuleSetConfig } from '@paywatch/rules';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';
import { waitUntil } from '@paywatch/testkit';
import { scanFiles } from '../src/commands/scan.ts';

const root = resolve(import.meta.dirname, '../../..');
const LAOS = ['6600101', '6600102', '6600201', '6000101', '6000102', '1900101', '8000101'];

/**
 * Two files per LAO: ordinary payments with a duplicated supplier payment, one account every LAO pays under its own
 * name (stage 2), and a payment of the first file paid again in the second (found only by a detector that kept, or
 * restored, the first file's state).
 */
function files(): { name: string; laoCode: string; bytes: Uint8Array }[] {
  return [0, 1].flatMap((round) => LAOS.map((laoCode, i) => {
    const lao = SEED_LAO_REGISTRY.find((l) => l.laoCode === laoCode)!;
    const g = generateBulkBatch({ seed: 500 + round * 10 + i, laoCode, companyId: lao.companyIds[0]!, debitAccount: lao.accounts[0]!, rows: 60, effectiveDate: `2026-10-0${5 + round}` });
    const vendor = { payeeBankCode: '014', payeeAccount: `40712345${i}${round}`, debitAccount: lao.accounts[0]!, effectiveDate: `2026-10-0${6 + round}`, serviceType: '04', payeeName: 'ร้านวัสดุ', voucherNo: null };
    const shared = { ...vendor, payeeAccount: '4079999999', payeeName: `ร้านค้า ${laoCode}`, amountSatang: 1_200_000 + i };
    const again = { ...vendor, payeeAccount: `40755555${i}0`, effectiveDate: '2026-10-06', amountSatang: 3_333_300 + i };
    const details = [...g.spec.details, { ...vendor, amountSatang: 4_900_000 }, { ...vendor, amountSatang: 4_900_000 }, shared, again];
    return { name: `${laoCode}-${round}.txt`, laoCode, bytes: renderKtbBulk({ header: g.spec.header, details }, { encoding: 'utf-8', eol: '\n' }) };
  }));
}

describe('detector scale-out over the Kafka-protocol peer', () => {
  it('when three detector processes share a group and one is SIGKILLed mid-stream, then the alerts equal one uninterrupted run', async () => {
    const all = files();
    const ruleSet = RuleSetConfig.parse({});
    const scanned = await scanFiles(all, SEED_LAO_REGISTRY, ruleSet);
    const expected = new Set(scanned.map((a) => (a.subject.key.startsWith('xlao:') ? `${a.subject.key} ${[...a.ruleIds].sort().join(',')}` : a.alertId)));
    expect(expected.size).toBeGreaterThan(10);
    // Stage 2 has its say too (a subject across LAOs: one account, several LAOs, several names).
    expect(scanned.some((a) => a.subject.key.startsWith('xlao:'))).toBe(true);

    const suffix = `.scale-${randomUUID().slice(0, 8)}`;
    const bucket = `scale-${randomUUID().slice(0, 8)}`;
    await createS3BlobStore({ bucket, endpoint: inject('s3Endpoint'), credentials: { accessKeyId: 't', secretAccessKey: 't' } }).ensureBucket();
    const log = createKafkaEventLog({ brokers: inject('kafkaBrokers'), clientId: 'scale-test', consumerSessionTimeoutMs: 5000, consumerHeartbeatIntervalMs: 500, consumerRebalanceTimeoutMs: 5000, consumerMaxWaitTimeMs: 100 });
    const producer = await log.producer();
    const dir = await mkdtemp(join(tmpdir(), 'pw-scale-'));
    // Ingest's processor publishes (its parser, its record keys); the file on disk stands for the stored raw file.
    const repository = { ...createBatchRepository(createFolderBlobStore(join(dir, 'blobs'))), spoolRaw: async (path: string) => ({ path, cleanup: async () => undefined }) };
    const processor = createBatchProcessor({
      repository, producer, registry: SEED_LAO_REGISTRY, logger: createLogger({ service: 'scale-test', level: 'silent' }), clock: () => new Date('2026-10-20T03:00:00Z'),
      topics: { disbursements: TOPICS.disbursements + suffix, rejected: TOPICS.disbursementsRejected + suffix, batches: TOPICS.batches + suffix },
    });
    const publish = async (f: (typeof all)[number]) => {
      const path = join(dir, f.name);
      await writeFile(path, f.bytes);
      const sha = sha256Hex(f.bytes);
      const manifest: BatchManifest = {
        batchId: batchIdFor(f.laoCode, sha), laoCode: f.laoCode, sha256: sha, fileName: f.name, sizeBytes: f.bytes.length, rawKey: path, format: null, encoding: null,
        rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, totalSatang: 0, header: null, status: 'received', refusal: null, uploadedBy: 'test', receivedAt: '2026-10-20T03:00:00.000Z', publishedAt: null,
      };
      expect((await processor.process(manifest, soleClaim(manifest))).status).toBe('published');
    };

    /** An alert as compared: its id, or for a cross-LAO subject the subject and rules (see the top of this file). */
    const identity = (a: Alert) => (a.subject.key.startsWith('xlao:') ? `${a.subject.key} ${[...a.ruleIds].sort().join(',')}` : a.alertId);
    const seen = new Set<string>();
    const reader = log.consumer({ groupId: `reader${suffix}`, topics: [TOPICS.alerts + suffix], fromBeginning: true });
    const env = {
      ...process.env, KAFKA_BROKERS: inject('kafkaBrokers').join(','), TOPIC_SUFFIX: suffix, DETECTOR_GROUP_ID: `detector${suffix}`,
      KAFKA_SESSION_TIMEOUT_MS: '5000', KAFKA_HEARTBEAT_INTERVAL_MS: '500', S3_BUCKET: bucket, S3_ENDPOINT: inject('s3Endpoint'),
      AWS_ACCESS_KEY_ID: 't', AWS_SECRET_ACCESS_KEY: 't', JWT_SECRET: 'k'.repeat(40), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error',
    };
    const start = () => spawn(process.execPath, ['--import', 'tsx', 'services/detector/src/main.ts'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
    const kill = (c: ChildProcess) => new Promise<void>((r) => { if (c.exitCode !== null || c.signalCode !== null) { r(); return; } c.once('exit', () => r()); c.kill('SIGKILL'); });
    const detectors = [start(), start(), start()];
    try {
      await reader.run(async (batch) => { for (const m of batch.messages) seen.add(identity(Alert.parse(JSON.parse(m.value.toString('utf8'))))); });
      // First round while the group forms, then one detector dies with records in flight, then the second round.
      for (const f of all.slice(0, LAOS.length)) await publish(f);
      await waitUntil(() => seen.size, (n) => n >= 3, { timeoutMs: 60_000, what: 'first alerts from the group' });
      // Long enough for the idle flush to checkpoint and commit the first round: the survivors must restore it.
      await new Promise((r) => setTimeout(r, 5_000));
      await kill(detectors[1]!);
      for (const f of all.slice(LAOS.length)) await publish(f);
      await waitUntil(() => seen.size, (n) => n >= expected.size, { timeoutMs: 90_000, what: `${expected.size} alerts (seen ${seen.size})` });
      await new Promise((r) => setTimeout(r, 1000)); // anything extra would show up now
      expect([...seen].sort()).toEqual([...expected].sort());
    } finally {
      await Promise.all(detectors.map(kill));
      await reader.stop();
      await producer.close();
      await log.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
