// Invariant 2 under concurrency and crashes: one file is one batch, whoever uploads it how often, on which replica,
// and wherever the process that took it died.
import { describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { BatchManifest, Disbursement, TOPICS, batchIdFor, sha256Hex } from '@paywatch/domain';
import { createFolderBlobStore, type BlobStore } from '@paywatch/blob-store';
import { createInProcessEventLog, type EventLog } from '@paywatch/event-log';
import { readTopic, waitUntil } from '@paywatch/testkit';
import { bulkFile, ingestWith } from './helpers.ts';

const FINANCE_66 = { sub: 'f66', role: 'finance', laoCode: '6600101' } as const;
type Ingest = Awaited<ReturnType<typeof ingestWith>>;

async function finished(t: Ingest, batchId: string) {
  return waitUntil(async () => (await t.service.app.inject({ url: `/v1/batches/${batchId}`, headers: { authorization: t.token(FINANCE_66) } })).json(),
    (b) => b.batch && (b.batch.status === 'published' || b.batch.status === 'refused'), { what: `batch ${batchId} finished`, timeoutMs: 20_000 });
}

/** Every message of a topic that arrives within a quiet period after `atLeast` are in (so extra copies would show). */
async function allOf(log: EventLog, topic: string, atLeast: number) {
  const first = await readTopic(log, topic, atLeast);
  await new Promise((r) => setTimeout(r, 200));
  const again = await readTopic(log, topic, first.length);
  return again;
}

describe('concurrent uploads of one file', () => {
  it('when the same bytes are uploaded 20 times at once, then one request processes them and the 19 others answer 200 duplicate', async () => {
    const t = await ingestWith();
    const f = bulkFile('6600101', 4, 41);
    const answers = await Promise.all(Array.from({ length: 20 }, () => t.upload(f.bytes, t.token(FINANCE_66))));
    const batchId = batchIdFor('6600101', sha256Hex(f.bytes));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([...Array<number>(19).fill(200), 202]);
    expect(answers.filter((a) => a.json().duplicate === false)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.json().batchId))).toEqual(new Set([batchId]));
    // A duplicate answer comes only once the batch is stored: its status URL already answers.
    expect((await t.service.app.inject({ url: `/v1/batches/${batchId}`, headers: { authorization: t.token(FINANCE_66) } })).statusCode).toBe(200);
    await finished(t, batchId);
    await t.service.processor.idle();
    expect(await t.batchesCounted()).toBe(1);
    const records = await allOf(t.eventLog, TOPICS.disbursements, 4);
    expect(records).toHaveLength(4);
    expect(await allOf(t.eventLog, TOPICS.batches, 1)).toHaveLength(1);
    await t.service.stop();
  });
});

/** A blob store and event log that stop answering after a chosen operation: the process died right after it. */
function dyingAfter(blobs: BlobStore, log: EventLog, dieAfter: (op: string, key: string) => boolean) {
  let dead = false;
  const never = new Promise<never>(() => undefined);
  const wrap = <A extends unknown[], R>(op: string, fn: (...a: A) => Promise<R>) => async (...a: A): Promise<R> => {
    if (dead) return never;
    const r = await fn(...a);
    if (dieAfter(op, String(a[0]))) dead = true;
    return r;
  };
  const store: BlobStore = {
    ...blobs,
    put: wrap('put', blobs.put), putFile: wrap('putFile', blobs.putFile), putIfAbsent: wrap('putIfAbsent', blobs.putIfAbsent),
    putIfVersion: wrap('putIfVersion', blobs.putIfVersion), delete: wrap('delete', blobs.delete),
    get: wrap('get', blobs.get), getVersioned: wrap('getVersioned', blobs.getVersioned), getStream: wrap('getStream', blobs.getStream),
    exists: wrap('exists', blobs.exists), list: wrap('list', blobs.list),
  };
  const eventLog: EventLog = {
    ...log,
    producer: async () => {
      const p = await log.producer();
      return { send: wrap('send', (topic: string, m: Parameters<typeof p.send>[1]) => p.send(topic, m)), close: () => p.close() };
    },
  };
  return { store, eventLog, isDead: () => dead };
}

describe('an ingest killed while it held a batch', () => {
  // Each crash point of an upload, in the order they happen. After the restart (same replica, new run) the client
  // re-uploads the file, as a client whose upload got no 2xx does: in every case exactly one batch results.
  const manifestPuts = (n: number) => { let seen = 0; return (op: string, key: string) => op === 'put' && key.endsWith('/manifest.json') && ++seen === n; };
  const CRASH_POINTS: Array<[string, () => (op: string, key: string) => boolean]> = [
    ['the claim was written', () => (op, key) => op === 'putIfAbsent' && key.endsWith('/claim.json')],
    ['the claim was listed open', () => (op, key) => op === 'put' && key.startsWith('ingest/open/')],
    ['the raw file was stored', () => (op, key) => op === 'putFile' && key.startsWith('raw/')],
    ['the received manifest was stored (no answer sent)', () => manifestPuts(1)],
    ['processing started', () => manifestPuts(2)],
    ['rows were published', () => (op, key) => op === 'send' && key === TOPICS.disbursements],
    ['the manifest was published', () => (op, key) => op === 'send' && key === TOPICS.batches],
    ['the final manifest was stored', () => manifestPuts(3)],
  ];
  for (const [point, dieAfter] of CRASH_POINTS) {
    it(`when it died right after ${point}, then the next start and a re-upload end in exactly one published batch`, async () => {
      const blobs = createFolderBlobStore(await mkdtemp(join(tmpdir(), 'pw-crash-')));
      const log = createInProcessEventLog();
      const dying = dyingAfter(blobs, log, dieAfter());
      const first = await ingestWith({ blobStore: dying.store, eventLog: dying.eventLog, replicaId: 'ingest-one-machine' });
      const f = bulkFile('6600101', 5, 42);
      const batchId = batchIdFor('6600101', sha256Hex(f.bytes));
      void first.upload(f.bytes, first.token(FINANCE_66));
      await waitUntil(() => dying.isDead(), (d) => d, { what: `death after ${point}` });

      const restarted = await ingestWith({ blobStore: blobs, eventLog: log, replicaId: 'ingest-one-machine' });
      await restarted.service.start();
      const again = await restarted.upload(f.bytes, restarted.token(FINANCE_66));
      expect([200, 202]).toContain(again.statusCode);
      expect(again.json().batchId).toBe(batchId);
      const status = await finished(restarted, batchId);
      expect(status.batch).toMatchObject({ status: 'published', rowsRead: 5, rowsAccepted: 5, rowsRejected: 0 });
      await restarted.service.processor.idle();
      // One batch in the history, counted at most once by the surviving process, every row on the topic.
      const listed = (await restarted.service.app.inject({ url: '/v1/batches', headers: { authorization: restarted.token(FINANCE_66) } })).json().batches as BatchManifest[];
      expect(listed.map((b) => b.batchId)).toEqual([batchId]);
      expect(await restarted.batchesCounted()).toBeLessThanOrEqual(1);
      const records = (await allOf(log, TOPICS.disbursements, 5)).map((m) => Disbursement.parse(JSON.parse(m.value.toString('utf8'))).recordId);
      expect(new Set(records).size).toBe(5);
      const manifests = (await allOf(log, TOPICS.batches, 1)).map((m) => BatchManifest.parse(JSON.parse(m.value.toString('utf8'))));
      expect(new Set(manifests.map((m) => m.batchId))).toEqual(new Set([batchId]));
      // Only a death between publishing the manifest and storing it can repeat it (at-least-once, same key).
      expect(manifests.length).toBe(point === 'the manifest was published' ? 2 : 1);
      expect(manifests.every((m) => m.rowsAccepted === 5)).toBe(true);
      // Nothing is left open for a sweep.
      expect(await blobs.list('ingest/open/')).toEqual([]);
      await restarted.service.stop();
    });
  }

  it('when a replica dies for good holding a stored batch, then another replica\'s sweep finishes it once its lease runs out', async () => {
    const blobs = createFolderBlobStore(await mkdtemp(join(tmpdir(), 'pw-sweep-')));
    const log = createInProcessEventLog();
    const dying = dyingAfter(blobs, log, (op, key) => op === 'put' && key.endsWith('/manifest.json'));
    const a = await ingestWith({ blobStore: dying.store, eventLog: dying.eventLog, claimLeaseMs: 600 });
    const f = bulkFile('6600101', 3, 43);
    const batchId = batchIdFor('6600101', sha256Hex(f.bytes));
    void a.upload(f.bytes, a.token(FINANCE_66));
    await waitUntil(() => dying.isDead(), (d) => d, { what: 'replica a dead' });
    const b = await ingestWith({ blobStore: blobs, eventLog: log, claimLeaseMs: 600, claimSweepMs: 100 });
    const t0 = Date.now();
    await b.service.start();
    // Nobody re-uploads: the batch was stored, so it must still be published.
    const status = await finished(b, batchId);
    expect(status.batch).toMatchObject({ status: 'published', rowsAccepted: 3 });
    expect(Date.now() - t0).toBeLessThan(10_000);
    await b.service.processor.idle();
    expect(await b.batchesCounted()).toBe(1);
    await b.service.stop();
  });

  it('when a claim\'s holder died before storing the file and its lease ran out, then the next upload of the bytes takes it over', async () => {
    const blobs = createFolderBlobStore(await mkdtemp(join(tmpdir(), 'pw-expired-')));
    const f = bulkFile('6600101', 3, 44);
    const sha = sha256Hex(f.bytes);
    const batchId = batchIdFor('6600101', sha);
    await blobs.put(`batches/${batchId}/claim.json`, JSON.stringify({
      batchId, laoCode: '6600101', sha256: sha, fileName: 'x.txt', sizeBytes: f.bytes.length, rawKey: `raw/6600101/2026-11/${sha}.txt`,
      uploadedBy: 'f66', receivedAt: new Date(Date.now() - 120_000).toISOString(), state: 'open',
      owner: { replicaId: 'ingest-gone', incarnation: randomUUID() }, leaseUntil: new Date(Date.now() - 60_000).toISOString(), nonce: randomUUID(),
    }));
    const t = await ingestWith({ blobStore: blobs });
    const res = await t.upload(f.bytes, t.token(FINANCE_66));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ batchId, duplicate: false });
    expect((await finished(t, batchId)).batch).toMatchObject({ status: 'published', rowsAccepted: 3 });
    await t.service.stop();
  });

  it('when a live holder\'s claim is not expired, then a second upload waits for it instead of taking the batch', async () => {
    const blobs = createFolderBlobStore(await mkdtemp(join(tmpdir(), 'pw-live-')));
    const f = bulkFile('6600101', 3, 45);
    const sha = sha256Hex(f.bytes);
    const batchId = batchIdFor('6600101', sha);
    // Another replica holds the claim and is still storing the file (its lease is fresh).
    await blobs.put(`batches/${batchId}/claim.json`, JSON.stringify({
      batchId, laoCode: '6600101', sha256: sha, fileName: 'x.txt', sizeBytes: f.bytes.length, rawKey: `raw/6600101/2026-11/${sha}.txt`,
      uploadedBy: 'f66', receivedAt: new Date().toISOString(), state: 'open',
      owner: { replicaId: 'ingest-other', incarnation: randomUUID() }, leaseUntil: new Date(Date.now() + 60_000).toISOString(), nonce: randomUUID(),
    }));
    const t = await ingestWith({ blobStore: blobs });
    const pending = t.upload(f.bytes, t.token(FINANCE_66));
    await new Promise((r) => setTimeout(r, 400));
    expect(await blobs.exists(`batches/${batchId}/manifest.json`)).toBe(false);
    // The other replica stores the manifest: the waiting upload answers duplicate without processing anything.
    await blobs.put(`batches/${batchId}/manifest.json`, JSON.stringify({
      batchId, laoCode: '6600101', sha256: sha, fileName: 'x.txt', sizeBytes: f.bytes.length, rawKey: `raw/6600101/2026-11/${sha}.txt`, format: null, encoding: null,
      rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, totalSatang: 0, header: null, status: 'received', refusal: null, uploadedBy: 'f66', receivedAt: new Date().toISOString(), publishedAt: null,
    }));
    const res = await pending;
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ batchId, duplicate: true, status: 'received' });
    await t.service.processor.idle();
    expect(await t.batchesCounted()).toBe(0);
    await t.service.stop();
  });
});

describe('a run that lost its claim', () => {
  it('when a replica stalls past its lease and another one finishes the batch, then the stalled run publishes no manifest and counts nothing', async () => {
    const blobs = createFolderBlobStore(await mkdtemp(join(tmpdir(), 'pw-fence-')));
    const log = createInProcessEventLog();
    // Replica a cannot reach the store for its renewals, and its produce calls hang until released.
    let cutOff = false;
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const aBlobs: BlobStore = { ...blobs, putIfVersion: async (...args) => { if (cutOff) throw new Error('store unreachable'); return blobs.putIfVersion(...args); } };
    const aLog: EventLog = { ...log, producer: async () => { const p = await log.producer(); return { send: async (t, m) => { await gate; return p.send(t, m); }, close: () => p.close() }; } };
    const a = await ingestWith({ blobStore: aBlobs, eventLog: aLog, claimLeaseMs: 600 });
    const f = bulkFile('6600101', 4, 46);
    const res = await a.upload(f.bytes, a.token(FINANCE_66));
    expect(res.statusCode).toBe(202);
    const { batchId } = res.json();
    cutOff = true;
    const b = await ingestWith({ blobStore: blobs, eventLog: log, claimLeaseMs: 600, claimSweepMs: 100 });
    await b.service.start();
    expect((await finished(b, batchId)).batch).toMatchObject({ status: 'published', rowsAccepted: 4 });
    await b.service.processor.idle();
    cutOff = false;
    release();
    await a.service.processor.idle();
    expect(await a.batchesCounted()).toBe(0);
    expect(await b.batchesCounted()).toBe(1);
    const manifests = await allOf(log, TOPICS.batches, 1);
    expect(manifests).toHaveLength(1);
    await a.service.stop();
    await b.service.stop();
  });
});
