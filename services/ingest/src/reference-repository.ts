/**
 * Reference uploads in the blob store: the latest upload per (LAO, kind), every upload by version, and
 * each version's items (what the `reference.{kind}.v1` announcement points to, ADR 0007).
 */
import type { BlobStore } from '@paywatch/blob-store';
import { ReferenceUpload, StagedReference, type ReferenceKind } from '@paywatch/domain';

const base = (laoCode: string, kind: ReferenceKind) => `reference/${laoCode}/${kind}`;
const latestKey = (laoCode: string, kind: ReferenceKind) => `${base(laoCode, kind)}/latest.json`;
const uploadKey = (laoCode: string, kind: ReferenceKind, sha256: string) => `${base(laoCode, kind)}/uploads/${sha256}.json`;
const stagedKey = (laoCode: string, kind: ReferenceKind, id: string) => `${base(laoCode, kind)}/staged/${id}.json`;
/** Where a staged version's items wait until it is confirmed (then copied to the version's own key). */
export const stagedItemsKey = (laoCode: string, kind: ReferenceKind, id: string) => `${base(laoCode, kind)}/staged/${id}.items.json`;
/** Where a version's items live; the detector reads this key from the announcement. */
export const referenceItemsKey = (laoCode: string, kind: ReferenceKind, version: number) => `${base(laoCode, kind)}/v${version}.items.json`;
/** Where a register version's account history lives (the announcement's `changesKey`). */
export const referenceChangesKey = (laoCode: string, version: number) => `${base(laoCode, 'payees')}/v${version}.changes.json`;

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
    /** The items stored under a key (a version's or a staged version's), or null. */
    async items(key: string): Promise<unknown[] | null> {
      const bytes = await blobs.get(key);
      return bytes ? (JSON.parse(bytes.toString('utf8')) as unknown[]) : null;
    },
    /** Takes exactly version `version` of (LAO, kind) for `holder`; false when someone else holds it (the base moved on). */
    async claimExactVersion(laoCode: string, kind: ReferenceKind, version: number, holder: string): Promise<boolean> {
      const key = `${base(laoCode, kind)}/v${version}.claim`;
      if (await blobs.putIfAbsent(key, holder)) return true;
      // A retry after a crash between the claim and the publish holds it already.
      return (await blobs.get(key))?.toString('utf8') === holder;
    },
    /** A staged version, or null. */
    async staged(laoCode: string, kind: ReferenceKind, id: string): Promise<StagedReference | null> {
      const bytes = await blobs.get(stagedKey(laoCode, kind, id));
      return bytes ? StagedReference.parse(JSON.parse(bytes.toString('utf8'))) : null;
    },
    async putStaged(s: StagedReference): Promise<void> {
      await blobs.put(stagedKey(s.laoCode, s.kind, s.id), JSON.stringify(s), 'application/json');
    },
    /** Staged versions of one list still waiting (pending or awaiting a second approval), newest first. */
    async listStaged(laoCode: string, kind: ReferenceKind): Promise<StagedReference[]> {
      const keys = (await blobs.list(`${base(laoCode, kind)}/staged/`)).filter((k) => k.endsWith('.json') && !k.endsWith('.items.json'));
      const out: StagedReference[] = [];
      for (const k of keys) {
        const bytes = await blobs.get(k);
        if (bytes) out.push(StagedReference.parse(JSON.parse(bytes.toString('utf8'))));
      }
      return out.filter((s) => s.status === 'pending' || s.status === 'awaiting-second-approval').sort((a, b) => (a.upload.receivedAt < b.upload.receivedAt ? 1 : -1));
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
