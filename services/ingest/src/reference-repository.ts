/**
 * Reference uploads in the blob store: the latest upload per (LAO, kind), every upload by version, and
 * each version's items (what the `reference.{kind}.v1` announcement points to, ADR 0007).
 */
import type { BlobStore } from '@paywatch/blob-store';
import { ReferenceUpload, type ReferenceKind } from '@paywatch/domain';

const base = (laoCode: string, kind: ReferenceKind) => `reference/${laoCode}/${kind}`;
const latestKey = (laoCode: string, kind: ReferenceKind) => `${base(laoCode, kind)}/latest.json`;
const uploadKey = (laoCode: string, kind: ReferenceKind, sha256: string) => `${base(laoCode, kind)}/uploads/${sha256}.json`;
/** Where a version's items live; the detector reads this key from the announcement. */
export const referenceItemsKey = (laoCode: string, kind: ReferenceKind, version: number) => `${base(laoCode, kind)}/v${version}.items.json`;

export function createReferenceRepository(blobs: BlobStore) {
  const read = async (key: string): Promise<ReferenceUpload | null> => {
    const bytes = await blobs.get(key);
    return bytes ? ReferenceUpload.parse(JSON.parse(bytes.toString('utf8'))) : null;
  };
  return {
    /** The upload now in force for (LAO, kind), or null. */
    latest: (laoCode: string, kind: ReferenceKind) => read(latestKey(laoCode, kind)),
    /** Records an upload (refused or published) under its file hash. */
    async putUpload(u: ReferenceUpload): Promise<void> {
      await blobs.put(uploadKey(u.laoCode, u.kind, u.sha256), JSON.stringify(u), 'application/json');
    },
    /** Makes a published upload the one in force; called only after its announcement is acknowledged. */
    async setLatest(u: ReferenceUpload): Promise<void> {
      await blobs.put(latestKey(u.laoCode, u.kind), JSON.stringify(u), 'application/json');
    },
    /**
     * Takes the next free version number of (LAO, kind), from `from` up: a conditional write of a claim per
     * number, so two ingest replicas uploading at once never get the same version.
     */
    async claimVersion(laoCode: string, kind: ReferenceKind, from: number, sha256: string): Promise<number> {
      for (let v = from; ; v++) {
        if (await blobs.putIfAbsent(`${base(laoCode, kind)}/v${v}.claim`, sha256)) return v;
      }
    },
    async putItems(key: string, items: readonly unknown[]): Promise<void> {
      await blobs.put(key, JSON.stringify(items), 'application/json');
    },
    /** The uploads in force, every LAO and kind. */
    async listLatest(): Promise<ReferenceUpload[]> {
      const keys = (await blobs.list('reference/')).filter((k) => k.endsWith('/latest.json'));
      const out: ReferenceUpload[] = [];
      for (const k of keys) { const u = await read(k); if (u) out.push(u); }
      return out;
    },
  };
}
export type ReferenceRepository = ReturnType<typeof createReferenceRepository>;
