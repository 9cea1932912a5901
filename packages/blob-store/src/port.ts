/** The blob-store port: raw uploads, manifests and detector snapshots. Keys are `/`-separated paths. */
export interface BlobStore {
  /** Stores bytes under a key, replacing what was there. Resolves once durable. */
  put(key: string, body: Uint8Array | string, contentType?: string): Promise<void>;
  /**
   * Stores bytes under a key only if nothing is there yet; true when this call created it. Atomic across
   * processes (S3 conditional write `If-None-Match: *`, exclusive file create): the way two replicas agree on
   * who takes a number.
   */
  putIfAbsent(key: string, body: Uint8Array | string, contentType?: string): Promise<boolean>;
  /**
   * The bytes under a key with a version token for `putIfVersion` (the S3 ETag; a content hash in the folder
   * store), or null when there are none. Versions are opaque; equal bytes may share one, so a value that is
   * replaced conditionally should carry something unique (a nonce) if an older writer could repeat it.
   */
  getVersioned(key: string): Promise<{ body: Buffer; version: string } | null>;
  /**
   * Replaces the bytes under a key only while it still holds `version`; true when this call replaced them, false
   * when the key holds another version or none. Atomic across processes (S3 `If-Match`, a per-key lock in the
   * folder store): compare-and-swap, the way a lease is renewed or retaken by exactly one replica.
   */
  putIfVersion(key: string, body: Uint8Array | string, version: string, contentType?: string): Promise<boolean>;
  /** Removes a key; nothing happens when it is absent. */
  delete(key: string): Promise<void>;
  /**
   * Stores bytes once (like putIfAbsent) and keeps them from being changed or deleted until `retainUntil` where the
   * store can: S3 Object Lock in compliance mode when the bucket has it enabled; a read-only file in the folder
   * store (no protection against its owner). `locked` says whether the store itself enforces the retention.
   */
  putRetained(key: string, body: Uint8Array | string, retainUntil: Date, contentType?: string): Promise<{ created: boolean; locked: boolean }>;
  /** Stores a local file under a key, streaming it (never whole in memory). Resolves once durable. */
  putFile(key: string, path: string, contentType?: string): Promise<void>;
  /** The bytes under a key as a stream of chunks (read again by calling again), or null when there are none. */
  getStream(key: string): Promise<AsyncIterable<Uint8Array> | null>;
  /** The bytes under a key, or null when there are none. */
  get(key: string): Promise<Buffer | null>;
  exists(key: string): Promise<boolean>;
  /** Keys under a prefix, sorted. */
  list(prefix: string): Promise<string[]>;
  /** True when the store answers (for /ready). */
  ping(): Promise<boolean>;
}

/** Keys may not climb out of their store or carry odd characters. */
export function assertSafeKey(key: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/.test(key) || key.includes('..') || key.includes('//')) {
    throw new Error(`unsafe blob key: ${JSON.stringify(key)}`);
  }
}
