/**
 * Format 1 → 2. The previous release's `paywatch dev` kept the blob folder, PGlite and the outbox on disk but the
 * event log in memory, so a format-1 folder has everything except the log. What carries over, and how:
 * - blob folder (raw files, manifests, rejected rows, reference lists), PGlite (alerts, cases, audit log,
 *   notifications, users, registry versions) and outbox.jsonl stay as they are;
 * - the log is rebuilt from them: each reference list in force is announced again on its compacted topic, and
 *   each stored batch is marked `received` so ingest publishes it again at start, in upload order;
 * - detector checkpoints are dropped: their offsets point into the vanished log (kept, they would make the detector
 *   skip the first records of the new one). The detector rebuilds its state by reading the republished batches;
 * - ingest's batch claims (`batches/<id>/claim.json`, the `ingest/open/` list; ADR 0014) are dropped: a `done` claim
 *   would keep its batch, queued again, from ever being resumed, and nothing runs while the folder is migrated, so
 *   ingest's start claims every queued batch afresh and publishes them in upload order.
 * Replaying is idempotent (record ids, alert ids and notification keys are stable): the alerts already in PGlite
 * come out with the same ids and no second e-mail.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BatchManifest, REFERENCE_TOPIC_PARTITIONS, ReferenceAnnouncement, ReferenceKind, ReferenceUpload, referenceTopic } from '@paywatch/domain';
import { createFolderBlobStore } from '@paywatch/blob-store';
import type { MigrationContext } from './data-dir-migrations.ts';

/** Runs the step; safe to run again after a crash (the same announcements and statuses, the same deletions). */
export async function migrateFormat1To2(ctx: MigrationContext): Promise<void> {
  const blobs = createFolderBlobStore(ctx.paths.blobs, { fsync: true });
  await rm(join(ctx.paths.blobs, 'detector', 'checkpoints'), { recursive: true, force: true });

  await ctx.eventLog.ensureTopics(ReferenceKind.options.map((k) => ({ topic: referenceTopic(k), partitions: REFERENCE_TOPIC_PARTITIONS, compacted: true })));
  const producer = await ctx.eventLog.producer();
  let lists = 0;
  for (const key of (await blobs.list('reference/')).filter((k) => k.endsWith('/latest.json'))) {
    const upload = ReferenceUpload.parse(JSON.parse((await blobs.get(key))!.toString('utf8')));
    if (upload.status !== 'published' || upload.version === null) continue;
    // Ingest's layout: the items of a version sit beside latest.json (reference-repository.ts).
    const itemsKey = key.replace(/latest\.json$/, `v${upload.version}.items.json`);
    const items = await blobs.get(itemsKey);
    if (!items) { ctx.logger?.warn({ key: itemsKey }, 'reference items missing; that list is not announced again'); continue; }
    const announcement = ReferenceAnnouncement.parse({
      kind: upload.kind, laoCode: upload.laoCode, version: upload.version, sha256: upload.sha256, effectiveFrom: upload.effectiveFrom,
      itemCount: (JSON.parse(items.toString('utf8')) as unknown[]).length, itemsKey,
    });
    await producer.send(referenceTopic(upload.kind), [{ key: upload.laoCode, value: JSON.stringify(announcement), headers: { 'content-type': 'application/json', 'x-schema': 'reference-announcement.v1' } }]);
    lists++;
  }
  await producer.close();

  // Ingest's layout (batch-claims.ts): claims first, so a step killed half-way leaves no requeued batch claimed.
  for (const key of await blobs.list('ingest/open/')) await blobs.delete(key);
  for (const key of (await blobs.list('batches/')).filter((k) => k.endsWith('/claim.json'))) await blobs.delete(key);

  let batches = 0;
  for (const key of (await blobs.list('batches/')).filter((k) => k.endsWith('/manifest.json'))) {
    const m = BatchManifest.parse(JSON.parse((await blobs.get(key))!.toString('utf8')));
    if (m.status === 'received') continue;
    // Ingest resumes `received` batches at start in upload order and recounts them from the raw file.
    await blobs.put(key, JSON.stringify({ ...m, status: 'received', publishedAt: null }), 'application/json');
    batches++;
  }
  ctx.logger?.warn({ lists, batches }, 'format 1 → 2: reference lists announced again, batches queued for publishing');
}
