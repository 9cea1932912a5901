/** Blob store on S3 (MinIO in compose; fauxqs in tests). Path-style addressing works with all three. */
import { S3Client, PutObjectCommand, GetObjectLockConfigurationCommand, GetObjectCommand, HeadObjectCommand, DeleteObjectCommand, ListObjectsV2Command, HeadBucketCommand, CreateBucketCommand, NoSuchKey, NotFound } from '@aws-sdk/client-s3';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { assertSafeKey, type BlobStore } from './port.ts';

export interface S3BlobStoreOptions {
  bucket: string;
  endpoint?: string;
  region?: string;
  /** Credentials come from the environment in production; tests pass dummy ones. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle?: boolean;
}

/** A blob store on one S3 bucket. */
export function createS3BlobStore(options: S3BlobStoreOptions): BlobStore & { ensureBucket(): Promise<void>; client: S3Client } {
  const client = new S3Client({
    region: options.region ?? 'ap-southeast-1',
    forcePathStyle: options.forcePathStyle ?? true,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  const Bucket = options.bucket;
  const statusOf = (e: unknown) => (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  // Asked once: whether the bucket offers Object Lock (it can only be enabled when the bucket is created).
  let lockOffered: Promise<boolean> | null = null;
  const offersLock = () => (lockOffered ??= client.send(new GetObjectLockConfigurationCommand({ Bucket }))
    .then((r) => r.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled', () => false));
  const isMissing = (e: unknown) => e instanceof NoSuchKey || e instanceof NotFound || (e as { name?: string }).name === 'NotFound' || (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;
  return {
    client,
    async ensureBucket() {
      try { await client.send(new HeadBucketCommand({ Bucket })); } catch { await client.send(new CreateBucketCommand({ Bucket })); }
    },
    async putIfAbsent(key, body, contentType) {
      assertSafeKey(key);
      try {
        await client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: contentType ?? 'application/octet-stream', IfNoneMatch: '*' }));
        return true;
      } catch (e) {
        // 412: the key exists; 409: a concurrent conditional write to the same key is in flight (S3 asks to retry; it lost).
        const status = statusOf(e);
        if (status === 412 || status === 409) return false;
        throw e;
      }
    },
    async getVersioned(key) {
      assertSafeKey(key);
      try {
        const r = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        if (!r.ETag) throw new Error(`S3 returned no ETag for ${key}: conditional writes need one`);
        return { body: Buffer.from(await r.Body!.transformToByteArray()), version: r.ETag };
      } catch (e) { if (isMissing(e)) return null; throw e; }
    },
    async putIfVersion(key, body, version, contentType) {
      assertSafeKey(key);
      try {
        await client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: contentType ?? 'application/octet-stream', IfMatch: version }));
        return true;
      } catch (e) {
        // 412: another version is there now; 404: the key is gone; 409: a concurrent conditional write won.
        const status = statusOf(e);
        if (status === 412 || status === 404 || status === 409) return false;
        throw e;
      }
    },
    async delete(key) {
      assertSafeKey(key);
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
    async putRetained(key, body, retainUntil, contentType) {
      assertSafeKey(key);
      if (!(await offersLock())) return { created: await this.putIfAbsent(key, body, contentType), locked: false };
      try {
        // Compliance mode: nobody, the root account included, can delete or overwrite it before retainUntil.
        await client.send(new PutObjectCommand({
          Bucket, Key: key, Body: body, ContentType: contentType ?? 'application/octet-stream', IfNoneMatch: '*',
          ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: retainUntil, ChecksumAlgorithm: 'SHA256',
        }));
        return { created: true, locked: true };
      } catch (e) {
        const status = statusOf(e);
        if (status === 412 || status === 409) return { created: false, locked: true };
        throw e;
      }
    },
    async put(key, body, contentType) {
      assertSafeKey(key);
      await client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: contentType ?? 'application/octet-stream' }));
    },
    async putFile(key, path, contentType) {
      assertSafeKey(key);
      // A stream body needs its length up front (no chunked signing on every S3 implementation).
      const { size } = await stat(path);
      await client.send(new PutObjectCommand({ Bucket, Key: key, Body: createReadStream(path), ContentLength: size, ContentType: contentType ?? 'application/octet-stream' }));
    },
    async getStream(key) {
      assertSafeKey(key);
      try {
        const r = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        return r.Body as unknown as AsyncIterable<Uint8Array>;
      } catch (e) { if (isMissing(e)) return null; throw e; }
    },
    async get(key) {
      assertSafeKey(key);
      try {
        const r = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        return Buffer.from(await r.Body!.transformToByteArray());
      } catch (e) { if (isMissing(e)) return null; throw e; }
    },
    async exists(key) {
      assertSafeKey(key);
      try { await client.send(new HeadObjectCommand({ Bucket, Key: key })); return true; } catch (e) { if (isMissing(e)) return false; throw e; }
    },
    async list(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const r = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken: token }));
        for (const o of r.Contents ?? []) if (o.Key) keys.push(o.Key);
        token = r.IsTruncated ? r.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
    async ping() { await client.send(new HeadBucketCommand({ Bucket })); return true; },
  };
}
