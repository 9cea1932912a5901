// Invariant 2 across replicas, over the real protocol peers: two ingest processes' worth of services on one S3
// bucket (fauxqs, conditional writes patched in) and the Kafka-protocol peer (librdkafka's mock cluster).
import { describe, expect, inject, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { BatchManifest, Disbursement, batchIdFor, sha256Hex } from '@paywatch/domain';
import { createS3BlobStore } from '@paywatch/blob-store';
import { createKafkaEventLog } from '@paywatch/event-log';
import { readTopic, waitUntil } from '@paywatch/testkit';
import { bulkFile, ingestWith } from './helpers.ts';

const FINANCE_66 = { sub: 'f66', role: 'finance', laoCode: '6600101' } as const;

describe('two ingest replicas on S3 and Kafka', () => {
  it('when 50 uploads of one file hit two replicas at once, then one batch, each row published once, one manifest', async () => {
    const suffix = `.claim-${randomUUID().slice(0, 8)}`;
    const topics = { disbursements: `disbursements.v1${suffix}`, rejected: `disbursements.rejected.v1${suffix}`, batches: `batches.v1${suffix}` };
    const bucket = `claim-${randomUUID().slice(0, 8)}`;
    const s3 = () => createS3BlobStore({ bucket, endpoint: inject('s3Endpoint'), credentials: { accessKeyId: 't', secretAccessKey: 't' } });
    await s3().ensureBucket();
    const kafka = (id: string) => createKafkaEventLog({
      brokers: inject('kafkaBrokers'), clientId: `claim-${id}${suffix}`,
      consumerSessionTimeoutMs: 5000, consumerHeartbeatIntervalMs: 500, consumerRebalanceTimeoutMs: 5000, consumerMaxWaitTimeMs: 100,
    });
    const referenceTopicOf = (kind: string) => `reference.${kind}.v1${suffix}`;
    // Each replica has its own S3 client and Kafka client, as two processes would.
    const [logA, logB] = [kafka('a'), kafka('b')];
    const a = await ingestWith({ blobStore: s3(), eventLog: logA, topics, referenceTopicOf });
    const b = await ingestWith({ blobStore: s3(), eventLog: logB, topics, referenceTopicOf });
    const reader = kafka('reader');
    try {
      await Promise.all([a.service.start(), b.service.start()]);
      const f = bulkFile('6600101', 6, 51);
      const batchId = batchIdFor('6600101', sha256Hex(f.bytes));
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).upload(f.bytes, (i % 2 === 0 ? a : b).token(FINANCE_66))));
      expect(answers.map((r) => r.statusCode).filter((s) => s !== 200)).toEqual([202]);
      expect(answers.filter((r) => r.json().duplicate === false)).toHaveLength(1);
      expect(new Set(answers.map((r) => r.json().batchId))).toEqual(new Set([batchId]));

      const status = await waitUntil(async () => (await a.service.app.inject({ url: `/v1/batches/${batchId}`, headers: { authorization: a.token(FINANCE_66) } })).json(),
        (s) => s.batch?.status === 'published', { what: 'batch published', timeoutMs: 30_000 });
      expect(status.batch).toMatchObject({ rowsRead: 6, rowsAccepted: 6, rowsRejected: 0 });
      await Promise.all([a.service.processor.idle(), b.service.processor.idle()]);
      expect((await a.batchesCounted()) + (await b.batchesCounted())).toBe(1);

      // On the topics: each row once, one manifest (read after a quiet second, so any extra copy would be there).
      await new Promise((r) => setTimeout(r, 1000));
      const records = await readTopic(reader, topics.disbursements, 6, 30_000);
      const manifests = await readTopic(reader, topics.batches, 1, 30_000);
      const ids = records.map((m) => Disbursement.parse(JSON.parse(m.value.toString('utf8'))).recordId);
      expect(ids.sort()).toEqual(Array.from({ length: 6 }, (_, i) => `${batchId}:${i + 2}`).sort());
      expect(manifests.map((m) => BatchManifest.parse(JSON.parse(m.value.toString('utf8'))).batchId)).toEqual([batchId]);

      // In the bucket: one batch (claim, manifest, rejects), one raw file, nothing left open.
      const store = s3();
      expect(await store.list('batches/')).toEqual([`batches/${batchId}/claim.json`, `batches/${batchId}/manifest.json`, `batches/${batchId}/rejects.json`]);
      expect(await store.list('raw/')).toHaveLength(1);
      expect(await store.list('ingest/open/')).toEqual([]);
    } finally {
      await a.service.stop();
      await b.service.stop();
      await Promise.all([logA.close(), logB.close(), reader.close()]);
    }
  }, 90_000);
});
