import { describe, expect, it } from 'vitest';
import { TOPICS, Disbursement, BatchManifest } from '@paywatch/domain';
import { readTopic, waitUntil } from '@paywatch/testkit';
import type { BlobStore } from '@paywatch/blob-store';
import type { EventLog } from '@paywatch/event-log';
import { createInProcessEventLog } from '@paywatch/event-log';
import { createFolderBlobStore } from '@paywatch/blob-store';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestWith, bulkFile, breakBankCode } from './helpers.ts';

const FINANCE_66 = { sub: 'f66', role: 'finance', laoCode: '6600101' } as const;

async function published(app: Awaited<ReturnType<typeof ingestWith>>['service']['app'], batchId: string, auth: string) {
  return waitUntil(async () => (await app.inject({ url: `/v1/batches/${batchId}`, headers: { authorization: auth } })).json(),
    (b) => b.batch && b.batch.status !== 'received' && b.batch.status !== 'processing', { what: 'batch published' });
}

describe('POST /v1/batches', () => {
  it('when finance uploads a Windows-874 bulk file with a bad row, then 202, every row is accounted for and rejects carry Thai and English reasons', async () => {
    const { service, eventLog, token, upload } = await ingestWith();
    const f = bulkFile('6600101', 25, 7);
    const res = await upload(breakBankCode(f.bytes, 4), token(FINANCE_66));
    expect(res.statusCode).toBe(202);
    const { batchId, statusUrl, duplicate } = res.json();
    expect(duplicate).toBe(false);
    expect(statusUrl).toBe(`/v1/batches/${batchId}`);
    const status = await published(service.app, batchId, token(FINANCE_66));
    const m = BatchManifest.parse(status.batch);
    expect(m).toMatchObject({ status: 'published', format: 'ktb-bulk', encoding: 'windows-874', rowsRead: 25, rowsAccepted: 24, rowsRejected: 1 });
    expect(status.rejects).toHaveLength(1);
    expect(status.rejects[0]).toMatchObject({ row: 5, field: 'payeeBankCode' });
    expect(status.rejects[0].message.th).toMatch(/[\u0E00-\u0E7F]/);
    expect(status.rejects[0].message.en.length).toBeGreaterThan(5);

    // Invariant 1: rows read = rows published + rows rejected, on the topics themselves.
    const records = await readTopic(eventLog, TOPICS.disbursements, 24);
    const rejects = await readTopic(eventLog, TOPICS.disbursementsRejected, 1);
    const manifests = await readTopic(eventLog, TOPICS.batches, 1);
    expect(records.length + rejects.length).toBe(m.rowsRead);
    expect(manifests).toHaveLength(1);
    // Keyed by the LAO's province (its peer group stamped on each record), so one detector holds the province whole;
    // ids stable per row; money is integer satang equal to what the file says.
    const parsed = records.map((r) => Disbursement.parse(JSON.parse(r.value.toString('utf8'))));
    expect(new Set(records.map((r) => r.key))).toEqual(new Set(['province:66']));
    expect(new Set(parsed.map((d) => d.peerGroup))).toEqual(new Set(['66:town-municipality']));
    expect(parsed.map((d) => d.recordId)).toContain(`${batchId}:2`);
    const expectedTotal = f.records.filter((_, i) => i !== 3).reduce((s, r) => s + r.amountSatang, 0);
    expect(parsed.reduce((s, d) => s + d.amountSatang, 0)).toBe(expectedTotal);
    expect(m.totalSatang).toBe(expectedTotal);
    expect(parsed.every((d) => Number.isInteger(d.amountSatang))).toBe(true);
    await service.stop();
  });

  it('when the same bytes are uploaded again, then the same batch comes back and nothing new is published', async () => {
    const { service, eventLog, token, upload } = await ingestWith();
    const f = bulkFile('6600101', 10, 8);
    const first = (await upload(f.bytes, token(FINANCE_66))).json();
    await published(service.app, first.batchId, token(FINANCE_66));
    const again = await upload(f.bytes, token(FINANCE_66), 'renamed.txt');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ batchId: first.batchId, duplicate: true, status: 'published' });
    await service.processor.idle();
    const records = await readTopic(eventLog, TOPICS.disbursements, 10);
    await new Promise((r) => setTimeout(r, 100));
    expect(records).toHaveLength(10);
    expect(await readTopic(eventLog, TOPICS.batches, 1)).toHaveLength(1);
    await service.stop();
  });

  it('when a file is uploaded, then the raw bytes are stored before the first message is published', async () => {
    const order: string[] = [];
    const blobs = createFolderBlobStore(await mkdtemp(join(tmpdir(), 'pw-order-')));
    const spyBlobs: BlobStore = {
      ...blobs,
      put: async (k, b, c) => { order.push(`put:${k.split('/')[0]}`); return blobs.put(k, b, c); },
      putFile: async (k, p, c) => { order.push(`put:${k.split('/')[0]}`); return blobs.putFile(k, p, c); },
    };
    const log = createInProcessEventLog();
    const spyLog: EventLog = {
      ...log,
      producer: async () => { const p = await log.producer(); return { send: async (t, m) => { order.push(`send:${t}`); return p.send(t, m); }, close: () => p.close() }; },
    };
    const { service, token, upload } = await ingestWith({ blobStore: spyBlobs, eventLog: spyLog });
    const res = (await upload(bulkFile('6600101', 5, 9).bytes, token(FINANCE_66))).json();
    await published(service.app, res.batchId, token(FINANCE_66));
    const firstSend = order.findIndex((o) => o.startsWith('send:'));
    expect(order.indexOf('put:raw')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('put:raw')).toBeLessThan(firstSend);
    await service.stop();
  });

  it('when the upload exceeds the limit, then 413 with a bilingual code, and the service keeps accepting', async () => {
    const { service, token, upload } = await ingestWith({ maxUploadBytes: 4000 });
    const big = await upload(bulkFile('6600101', 20, 10).bytes, token(FINANCE_66));
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('PW_ERR_FILE_TOO_LARGE');
    expect(big.json().error.message.th).toMatch(/MB/);
    const small = await upload(bulkFile('6600101', 3, 11).bytes, token(FINANCE_66));
    expect(small.statusCode).toBe(202);
    await service.stop();
  });

  it('when finance uploads another LAO\'s file, then the batch is refused whole and no record is published', async () => {
    const { service, eventLog, token, upload } = await ingestWith();
    const res = (await upload(bulkFile('6000101', 5, 12).bytes, token(FINANCE_66))).json();
    const status = await published(service.app, res.batchId, token(FINANCE_66));
    expect(status.batch.status).toBe('refused');
    expect(status.batch.refusal.code).toBe('PW_ERR_FOREIGN_ACCOUNT');
    expect(status.batch.refusal.message.th).toMatch(/[\u0E00-\u0E7F]/);
    expect(status.batch.rowsAccepted).toBe(0);
    expect(await readTopic(eventLog, TOPICS.batches, 1)).toHaveLength(1);
    const consumer = eventLog.consumer({ groupId: 'probe', topics: [TOPICS.disbursements] });
    const seen: unknown[] = [];
    await consumer.run(async (b) => { seen.push(...b.messages); });
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toHaveLength(0);
    await consumer.stop();
    await service.stop();
  });

  it('when the request is not a usable upload, then a clear 4xx with a stable code in Thai and English', async () => {
    const { service, token, upload } = await ingestWith();
    const noFile = await service.app.inject({ method: 'POST', url: '/v1/batches', headers: { authorization: token(FINANCE_66), 'content-type': 'application/json' }, payload: '{}' });
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json().error.code).toBe('PW_ERR_NO_FILE');
    const empty = await upload(new Uint8Array(), token(FINANCE_66));
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toMatchObject({ code: 'PW_ERR_EMPTY_FILE', message: { th: 'ไฟล์ว่างเปล่า', en: 'The file is empty' } });
    const auditor = await upload(bulkFile('6600101', 2, 15).bytes, token({ sub: 'a66', role: 'provincial-auditor', provinces: ['66'] }));
    expect(auditor.statusCode).toBe(403);
    await service.stop();
  });
});

describe('bank transfer reports', () => {
  it('when finance uploads the Corporate Online report as XLSX or Windows-874 CSV, then the same parsers read it and rows add up', async () => {
    const { readFile } = await import('node:fs/promises');
    const { resolve } = await import('node:path');
    const { service, token, upload } = await ingestWith();
    for (const [file, accepted, rejected] of [['ktb-report-en.xlsx', 12, 0], ['ktb-report-th.csv', 10, 2]] as const) {
      const bytes = await readFile(resolve(import.meta.dirname, '../../../examples', file));
      const res = (await upload(bytes, token(FINANCE_66), file)).json();
      const status = await published(service.app, res.batchId, token(FINANCE_66));
      expect(status.batch, JSON.stringify(status.batch)).toMatchObject({ status: 'published', format: 'ktb-report', rowsRead: accepted + rejected, rowsAccepted: accepted, rowsRejected: rejected });
      expect(status.rejects).toHaveLength(rejected);
    }
    await service.stop();
  });
});

describe('who sees a batch', () => {
  it('when someone outside the LAO\'s scope asks for a batch, then 404 exactly like a missing one; inside, 200', async () => {
    const { service, token, upload } = await ingestWith();
    const res = (await upload(bulkFile('6600101', 3, 13).bytes, token(FINANCE_66))).json();
    await published(service.app, res.batchId, token(FINANCE_66));
    const get = (auth?: string) => service.app.inject({ url: `/v1/batches/${res.batchId}`, headers: auth ? { authorization: auth } : {} });
    expect((await get(token({ sub: 'a66', role: 'provincial-auditor', provinces: ['66'] }))).statusCode).toBe(200);
    expect((await get(token({ sub: 'c', role: 'central' }))).statusCode).toBe(200);
    const otherFinance = await get(token({ sub: 'f60', role: 'finance', laoCode: '6000101' }));
    const otherAuditor = await get(token({ sub: 'a60', role: 'provincial-auditor', provinces: ['60'] }));
    const missing = await service.app.inject({ url: '/v1/batches/b_000000000000000000000000', headers: { authorization: token(FINANCE_66) } });
    expect(otherFinance.statusCode).toBe(404);
    expect(otherAuditor.statusCode).toBe(404);
    expect(otherAuditor.json()).toEqual(missing.json());
    expect((await get(token({ sub: 'o', role: 'ops' }))).statusCode).toBe(403);
    expect((await get()).statusCode).toBe(401);
    const list = (await service.app.inject({ url: '/v1/batches', headers: { authorization: token({ sub: 'f60', role: 'finance', laoCode: '6000101' }) } })).json();
    expect(list.batches).toEqual([]);
    await service.stop();
  });
});

describe('resuming after a crash', () => {
  it('when a batch was stored but not published before a crash, then start() publishes it', async () => {
    const first = await ingestWith();
    const f = bulkFile('6600101', 6, 14);
    // Simulate the crash: the raw file and a 'received' manifest exist, the processor never ran.
    const { sha256Hex, batchIdFor } = await import('@paywatch/domain');
    const sha = sha256Hex(f.bytes);
    const batchId = batchIdFor('6600101', sha);
    const rawKey = `raw/6600101/2026-11/${sha}.txt`;
    await first.blobStore.put(rawKey, f.bytes);
    await first.blobStore.put(`batches/${batchId}/manifest.json`, JSON.stringify({
      batchId, laoCode: '6600101', sha256: sha, fileName: 'x.txt', sizeBytes: f.bytes.length, rawKey, format: null, encoding: null,
      rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, totalSatang: 0, header: null, status: 'received', refusal: null,
      uploadedBy: 'f66', receivedAt: new Date().toISOString(), publishedAt: null,
    }));
    const restarted = await ingestWith({ blobStore: first.blobStore, eventLog: first.eventLog });
    await restarted.service.start();
    const status = await published(restarted.service.app, batchId, restarted.token(FINANCE_66));
    expect(status.batch).toMatchObject({ status: 'published', rowsAccepted: 6 });
    expect(await readTopic(first.eventLog, TOPICS.disbursements, 6)).toHaveLength(6);
    await restarted.service.stop();
  });

  it('when several batches were left unfinished, then start() publishes them in upload order, not in batch-id order', async () => {
    const first = await ingestWith();
    const { sha256Hex, batchIdFor } = await import('@paywatch/domain');
    const files = [bulkFile('6600101', 4, 21), bulkFile('6600101', 4, 22)].map((f) => ({ f, sha: sha256Hex(f.bytes) }))
      .map((x) => ({ ...x, batchId: batchIdFor('6600101', x.sha) }))
      // The later upload gets the smaller id: a resume in id order would publish it first.
      .sort((a, b) => b.batchId.localeCompare(a.batchId));
    for (const [i, { f, sha, batchId }] of files.entries()) {
      const rawKey = `raw/6600101/2026-11/${sha}.txt`;
      await first.blobStore.put(rawKey, f.bytes);
      await first.blobStore.put(`batches/${batchId}/manifest.json`, JSON.stringify({
        batchId, laoCode: '6600101', sha256: sha, fileName: `f${i}.txt`, sizeBytes: f.bytes.length, rawKey, format: null, encoding: null,
        rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, totalSatang: 0, header: null, status: 'received', refusal: null,
        uploadedBy: 'f66', receivedAt: new Date(Date.UTC(2026, 10, 5, 9, i)).toISOString(), publishedAt: null,
      }));
    }
    const restarted = await ingestWith({ blobStore: first.blobStore, eventLog: first.eventLog });
    await restarted.service.start();
    const records = await readTopic(first.eventLog, TOPICS.disbursements, 8);
    expect(records.map((r) => Disbursement.parse(JSON.parse(r.value.toString('utf8'))).batchId)).toEqual([...Array(4).fill(files[0]!.batchId), ...Array(4).fill(files[1]!.batchId)]);
    await restarted.service.stop();
  });

  it('when an earlier run of this replica died holding claims on stored batches, then start() resumes them with the unclaimed ones, all in upload order', async () => {
    const first = await ingestWith();
    const { sha256Hex, batchIdFor } = await import('@paywatch/domain');
    const { createBatchClaims } = await import('../src/batch-claims.ts');
    const { createLogger } = await import('@paywatch/observability');
    const dead = createBatchClaims({ blobs: first.blobStore, logger: createLogger({ service: 'ingest-test', level: 'silent' }), replicaId: 'ingest-one', leaseMs: 60_000 });
    const files = [bulkFile('6600101', 3, 51), bulkFile('6600101', 3, 52), bulkFile('6600101', 3, 53)].map((f) => ({ f, sha: sha256Hex(f.bytes) }))
      .map((x) => ({ ...x, batchId: batchIdFor('6600101', x.sha) }))
      // Later uploads get smaller ids: a resume in id order (or claimed and unclaimed apart) would break upload order.
      .sort((a, b) => b.batchId.localeCompare(a.batchId));
    for (const [i, { f, sha, batchId }] of files.entries()) {
      const rawKey = `raw/6600101/2026-11/${sha}.txt`;
      const receivedAt = new Date(Date.UTC(2026, 10, 5, 9, i)).toISOString();
      await first.blobStore.put(rawKey, f.bytes);
      // The middle one was stored before claims existed; the others under a claim the dead run never finished.
      if (i !== 1) await dead.take({ batchId, laoCode: '6600101', sha256: sha, fileName: `f${i}.txt`, sizeBytes: f.bytes.length, rawKey, uploadedBy: 'f66', receivedAt });
      await first.blobStore.put(`batches/${batchId}/manifest.json`, JSON.stringify({
        batchId, laoCode: '6600101', sha256: sha, fileName: `f${i}.txt`, sizeBytes: f.bytes.length, rawKey, format: null, encoding: null,
        rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, totalSatang: 0, header: null, status: 'received', refusal: null,
        uploadedBy: 'f66', receivedAt, publishedAt: null,
      }));
    }
    dead.releaseAll();
    // Same replica name, new run: the dead run's claims are retaken at once, without waiting out their minute-long lease.
    const restarted = await ingestWith({ blobStore: first.blobStore, eventLog: first.eventLog, replicaId: 'ingest-one' });
    await restarted.service.start();
    const records = await readTopic(first.eventLog, TOPICS.disbursements, 9);
    expect(records.map((r) => Disbursement.parse(JSON.parse(r.value.toString('utf8'))).batchId)).toEqual(files.flatMap((x) => Array<string>(3).fill(x.batchId)));
    await restarted.service.processor.idle();
    await restarted.service.stop();
  });
});
