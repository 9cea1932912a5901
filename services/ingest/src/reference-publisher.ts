/**
 * Turns an uploaded reference file into the LAO's next snapshot of that kind: raw bytes stored first,
 * rows parsed with the shared parser, items stored, the announcement published to `reference.{kind}.v1`
 * (key = LAO) and acknowledged, and only then the upload made the one in force. A file that would empty
 * the list (no usable row) or that lists another LAO's rows is refused whole: publishing it would silence
 * or skew the rules that read the list.
 */
import { ReferenceAnnouncement, ReferenceSnapshot, referenceTopic, sha256Hex, toBangkok, type ReferenceKind, type ReferenceUpload } from '@paywatch/domain';
import type { BlobStore } from '@paywatch/blob-store';
import type { Producer } from '@paywatch/event-log';
import { parseReferenceFile } from '@paywatch/ktb-formats';
import type { Logger } from '@paywatch/observability';
import { rawKeyFor } from './batch-repository.ts';
import { referenceItemsKey, type ReferenceRepository } from './reference-repository.ts';

export interface ReferencePublisherDeps {
  blobs: BlobStore;
  repository: ReferenceRepository;
  producer: Producer;
  logger: Logger;
  /** Topic per kind (tests give each run its own). Default `reference.{kind}.v1`. */
  topicOf?: (kind: ReferenceKind) => string;
}

export interface ReferenceFile { kind: ReferenceKind; laoCode: string; bytes: Uint8Array; fileName: string; uploadedBy: string; receivedAt: Date }

export type ReferenceOutcome = { upload: ReferenceUpload; duplicate: boolean };

const REFUSALS = {
  otherLao: (codes: string[]) => ({
    code: 'PW_ERR_REFERENCE_OTHER_LAO',
    message: { th: `ไฟล์มีรายการของ อปท. อื่น (${codes.join(', ')}) — อัปโหลดได้เฉพาะข้อมูลของ อปท. ตนเอง ไม่มีรายการใดถูกนำไปใช้`, en: `The file lists rows of other LAOs (${codes.join(', ')}); upload only your own LAO's list. Nothing was applied.` },
  }),
  noRows: (kind: ReferenceKind) => ({
    code: 'PW_ERR_REFERENCE_NO_ROWS',
    message: { th: `ไม่พบรายการที่ใช้ได้ในไฟล์ ${kind} — ตรวจหัวคอลัมน์และรายการที่ถูกปฏิเสธ รายการเดิมยังใช้อยู่`, en: `No usable row in this ${kind} file: check the column headers and the refused rows. The list in force is unchanged.` },
  }),
} as const;

/** The codes a reference upload can be refused with (metrics start them at 0). */
export const REFERENCE_REFUSAL_CODES = [REFUSALS.otherLao([]).code, REFUSALS.noRows('payees').code] as const;

export function createReferencePublisher(deps: ReferencePublisherDeps) {
  const topicOf = deps.topicOf ?? referenceTopic;

  async function publish(file: ReferenceFile): Promise<ReferenceOutcome> {
    const { kind, laoCode } = file;
    const sha256 = sha256Hex(file.bytes);
    const latest = await deps.repository.latest(laoCode, kind);
    if (latest?.sha256 === sha256) return { upload: latest, duplicate: true };

    const rawKey = rawKeyFor(laoCode, file.receivedAt, sha256, file.fileName);
    // Invariant 1: the bytes are durable before anything is published or acknowledged.
    await deps.blobs.put(rawKey, file.bytes);
    // CSV or XLSX, told apart by content; a damaged workbook is refused whole (a shortened list would make the
    // dropped payees look unregistered).
    const parsed = await parseReferenceFile(file.bytes, kind, { laoCode });
    const items = parsed.byLao.get(laoCode) ?? [];
    const others = [...parsed.byLao.keys()].filter((c) => c !== laoCode).sort();
    const effectiveFrom = toBangkok(file.receivedAt).date;
    const base = {
      kind, laoCode, sha256, fileName: file.fileName, sizeBytes: file.bytes.length, rawKey, rowsRead: parsed.rowsRead,
      rejects: parsed.rejects, flagged: parsed.flagged, uploadedBy: file.uploadedBy, receivedAt: file.receivedAt.toISOString(), effectiveFrom,
    };
    const refusal = parsed.refusal ? { code: parsed.refusal.code, message: parsed.refusal.message }
      : others.length > 0 ? REFUSALS.otherLao(others) : items.length === 0 ? REFUSALS.noRows(kind) : null;
    if (refusal) {
      const upload: ReferenceUpload = { ...base, version: null, rowsAccepted: 0, rowsRejected: parsed.rowsRead, status: 'refused', refusal };
      await deps.repository.putUpload(upload);
      deps.logger.warn({ kind, laoCode, code: refusal.code, rowsRead: parsed.rowsRead }, 'reference upload refused');
      return { upload, duplicate: false };
    }
    // Versions count the LAO's lists of this kind (1, 2, 3…): the number auditors read in alert reasons ("register
    // version 3") and the one `scan --reference` gives a folder (1). Claimed, so replicas never share one (ADR 0007).
    const version = await deps.repository.claimVersion(laoCode, kind, (latest?.version ?? 0) + 1, sha256);
    const snapshot = ReferenceSnapshot.parse({ kind, laoCode, version, sha256, effectiveFrom, items });
    const itemsKey = referenceItemsKey(laoCode, kind, version);
    await deps.repository.putItems(itemsKey, snapshot.items);
    const announcement: ReferenceAnnouncement = { kind, laoCode, version, sha256, effectiveFrom, itemCount: snapshot.items.length, itemsKey };
    await deps.producer.send(topicOf(kind), [{ key: laoCode, value: JSON.stringify(announcement), headers: { 'content-type': 'application/json', 'x-schema': 'reference-announcement.v1' } }]);
    const upload: ReferenceUpload = { ...base, version, rowsAccepted: snapshot.items.length, rowsRejected: parsed.rejects.length, status: 'published', refusal: null };
    await deps.repository.putUpload(upload);
    await deps.repository.setLatest(upload);
    deps.logger.info({ kind, laoCode, version, items: snapshot.items.length, rejected: parsed.rejects.length }, 'reference snapshot published');
    return { upload, duplicate: false };
  }

  // One upload at a time per process: the latest-version check and the publish stay in order.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    publish(file: ReferenceFile): Promise<ReferenceOutcome> {
      const p = queue.then(() => publish(file));
      queue = p.catch(() => undefined);
      return p;
    },
  };
}
export type ReferencePublisher = ReturnType<typeof createReferencePublisher>;
