import { describe, expect, it, inject } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { createFolderBlobStore, createS3BlobStore, type BlobStore } from '../src/index.ts';

function contract(name: string, make: () => Promise<BlobStore>) {
  describe(name, () => {
    it('when bytes are put, then the same bytes come back, including a 6 MB binary blob', async () => {
      const store = await make();
      const big = randomBytes(6 * 1024 * 1024);
      await store.put('raw/6600101/2026-11/abc.txt', 'สวัสดี');
      await store.put('raw/6600101/2026-11/big.bin', big);
      expect((await store.get('raw/6600101/2026-11/abc.txt'))!.toString('utf8')).toBe('สวัสดี');
      expect((await store.get('raw/6600101/2026-11/big.bin'))!.equals(big)).toBe(true);
    });
    it('when a file is put by path, then it streams back chunk by chunk with the same bytes', async () => {
      const store = await make();
      const dir = await mkdtemp(join(tmpdir(), 'pw-blob-file-'));
      const bytes = randomBytes(3 * 1024 * 1024 + 17);
      await writeFile(join(dir, 'upload.bin'), bytes);
      await store.putFile('raw/6600101/2026-11/file.bin', join(dir, 'upload.bin'));
      const chunks: Buffer[] = [];
      for await (const c of (await store.getStream('raw/6600101/2026-11/file.bin'))!) chunks.push(Buffer.from(c));
      expect(chunks.length).toBeGreaterThan(1);
      expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
      expect(await store.getStream('raw/nope')).toBeNull();
    });
    it('when a key is missing, then get is null and exists is false', async () => {
      const store = await make();
      expect(await store.get('nope/x')).toBeNull();
      expect(await store.exists('nope/x')).toBe(false);
    });
    it('lists keys under a prefix in order', async () => {
      const store = await make();
      await store.put('batches/b.json', '{}');
      await store.put('batches/a.json', '{}');
      await store.put('other/c.json', '{}');
      expect(await store.list('batches/')).toEqual(['batches/a.json', 'batches/b.json']);
    });
    // fauxqs 2.4.1 ignored If-None-Match on PUT; patches/fauxqs@2.4.1.patch makes it check conditional writes
    // atomically, as S3 and MinIO do (ADR 0014), so the S3 adapter runs this against a real protocol peer too.
    it('when several writers race to create one key, then exactly one succeeds and its bytes stay', async () => {
      const store = await make();
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.putIfAbsent('claims/v1.json', `writer ${i}`)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.get('claims/v1.json'))!.toString('utf8')).toBe(`writer ${results.indexOf(true)}`);
      expect(await store.putIfAbsent('claims/v1.json', 'late')).toBe(false);
      expect(await store.list('claims/')).toEqual(['claims/v1.json']);
    });
    it('when several writers race to replace one version, then exactly one succeeds and the others see the new version', async () => {
      const store = await make();
      expect(await store.getVersioned('leases/b1.json')).toBeNull();
      expect(await store.putIfVersion('leases/b1.json', 'never', 'no-such-version')).toBe(false);
      expect(await store.exists('leases/b1.json')).toBe(false);
      await store.put('leases/b1.json', 'v0');
      const v0 = (await store.getVersioned('leases/b1.json'))!;
      expect(v0.body.toString('utf8')).toBe('v0');
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.putIfVersion('leases/b1.json', `writer ${i}`, v0.version)));
      expect(results.filter(Boolean)).toHaveLength(1);
      const now = (await store.getVersioned('leases/b1.json'))!;
      expect(now.body.toString('utf8')).toBe(`writer ${results.indexOf(true)}`);
      expect(now.version).not.toBe(v0.version);
      // A writer holding the old version loses; one holding the current version wins.
      expect(await store.putIfVersion('leases/b1.json', 'stale', v0.version)).toBe(false);
      expect(await store.putIfVersion('leases/b1.json', 'fresh', now.version)).toBe(true);
      expect((await store.get('leases/b1.json'))!.toString('utf8')).toBe('fresh');
      expect(await store.list('leases/')).toEqual(['leases/b1.json']);
    });
    it('when a key is deleted, then it is gone, and deleting a missing key is no error', async () => {
      const store = await make();
      await store.put('open/b1', 'x');
      await store.delete('open/b1');
      await store.delete('open/b1');
      expect(await store.exists('open/b1')).toBe(false);
      expect(await store.putIfAbsent('open/b1', 'again')).toBe(true);
    });
    it('when bytes are put retained, then they are stored once, say whether the store locks them, and a second write of the key does not replace them', async () => {
      const store = await make();
      const until = new Date(Date.now() + 86400_000);
      expect(await store.putRetained('audit-anchors/1.json', '{"seq":1}', until, 'application/json')).toEqual({ created: true, locked: false });
      expect(await store.putRetained('audit-anchors/1.json', '{"seq":999}', until)).toEqual({ created: false, locked: false });
      expect((await store.get('audit-anchors/1.json'))!.toString()).toBe('{"seq":1}');
    });
    it('when a key tries to climb out, then it is refused', async () => {
      const store = await make();
      await expect(store.put('../etc/passwd', 'x')).rejects.toThrow(/unsafe/);
    });
  });
}

contract('folder blob store', async () => createFolderBlobStore(await mkdtemp(join(tmpdir(), 'pw-blob-'))));
contract('S3 blob store against fauxqs', async () => {
  const store = createS3BlobStore({ bucket: `t-${randomUUID().slice(0, 8)}`, endpoint: inject('s3Endpoint'), credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await store.ensureBucket();
  return store;
});

describe('S3 Object Lock', () => {
  it('when the bucket has Object Lock enabled, then a retained put asks for compliance-mode retention until the date, with a checksum and If-None-Match', async () => {
    const store = createS3BlobStore({ bucket: 'locked', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const sent: Array<{ name: string; input: Record<string, unknown> }> = [];
    // The bank's bucket is not on this machine: answer the two commands the adapter sends and look at what it asked.
    (store.client as unknown as { send: (c: { constructor: { name: string }; input: Record<string, unknown> }) => Promise<unknown> }).send = async (c) => {
      sent.push({ name: c.constructor.name, input: c.input });
      return c.constructor.name === 'GetObjectLockConfigurationCommand' ? { ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } } : {};
    };
    const until = new Date('2036-11-23T00:00:00Z');
    expect(await store.putRetained('audit-anchors/7.json', '{}', until, 'application/json')).toEqual({ created: true, locked: true });
    expect(sent.map((x) => x.name)).toEqual(['GetObjectLockConfigurationCommand', 'PutObjectCommand']);
    expect(sent[1]!.input).toMatchObject({ Key: 'audit-anchors/7.json', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: until, ChecksumAlgorithm: 'SHA256', IfNoneMatch: '*' });
  });
});
