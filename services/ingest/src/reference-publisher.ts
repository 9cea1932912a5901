/**
 * Turns an uploaded reference file into the LAO's next snapshot of that kind: raw bytes stored first,
 * rows parsed with the shared parser, items stored, the announcement published to `reference.{kind}.v1`
 * (key = LAO) and acknowledged, and only then the upload made the one in force. A file that would empty
 * the list (no usable row) or that lists another LAO's rows is refused whole: publishing it would silence
 * or skew the rules that read the list.
 */
import { createHash } from 'node:crypto';
import {
  diffReferenceItems, nextRegisterHistory, REGISTER_HISTORY_DAYS, ReferenceAnnouncement, ReferenceSnapshot, referenceTopic, sha256Hex, toBangkok, TOPICS,
  type ReferenceAuditAction, type ReferenceAuditEvent, type ReferenceKind, type ReferenceUpload, type RegisteredPayee, type RegisterChange, type StagedReference,
} from '@paywatch/domain';
import { COMMON_ERRORS } from '@paywatch/http-kit';
import { INGEST_ERRORS } from './errors.ts';
import { auditPayloadOf } from './reference-audit.ts';
import type { BlobStore } from '@paywatch/blob-store';
import type { Producer } from '@paywatch/event-log';
import { parseReferenceFile } from '@paywatch/ktb-formats';
import type { Logger } from '@paywatch/observability';
import { rawKeyFor } from './batch-repository.ts';
import { referenceChangesKey, referenceItemsKey, stagedItemsKey, type ReferenceRepository } from './reference-repository.ts';

export interface ReferencePublisherDeps {
  blobs: BlobStore;
  repository: ReferenceRepository;
  producer: Producer;
  logger: Logger;
  /** Topic per kind (tests give each run its own). Default `reference.{kind}.v1`. */
  topicOf?: (kind: ReferenceKind) => string;
  /** Where the audit events go (tests give each run its own). Default `reference-audit.v1`. */
  auditTopic?: string;
}

/** Who acts on a staged version (from the caller's token). */
export interface ReferenceActor { sub: string; role: string; laoCode?: string | undefined; secondApprover?: boolean | undefined }

/** More than this share of the list in force dropped needs a second confirmation and a second person (ADR 0018). */
export const LARGE_DROP_SHARE = 0.5;

export interface ReferenceFile { kind: ReferenceKind; laoCode: string; bytes: Uint8Array; fileName: string; uploadedBy: string; receivedAt: Date }

/** What an upload did: a first list in force (or a duplicate or refusal), or a staged version waiting to be confirmed. */
export type ReferenceOutcome = { upload: ReferenceUpload; duplicate: boolean; staged?: StagedReference };

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
  const auditTopic = deps.auditTopic ?? TOPICS.referenceAudit;

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
      await audit('reference-upload', `${laoCode}:${kind}:${sha256}:refused`, file.uploadedBy, file.receivedAt, null, { upload: { ...base, rejects: undefined }, refusal: refusal.code });
      await deps.repository.putUpload(upload);
      deps.logger.warn({ kind, laoCode, code: refusal.code, rowsRead: parsed.rowsRead }, 'reference upload refused');
      return { upload, duplicate: false };
    }
    const items0 = items;
    if (latest?.version) {
      // A list is in force: the new version waits, with its diff, until someone confirms it (issue 13, ADR 0018).
      const baseItems = (await deps.repository.items(referenceItemsKey(laoCode, kind, latest.version))) ?? [];
      const diff = diffReferenceItems(kind, baseItems, items0);
      const id = createHash('sha256').update(`${laoCode}\n${kind}\n${latest.version}\n${sha256}`).digest('hex').slice(0, 32);
      const existing = await deps.repository.staged(laoCode, kind, id);
      if (existing && existing.status !== 'discarded') return { upload: existing.upload, duplicate: true, staged: existing };
      const itemsKey = stagedItemsKey(laoCode, kind, id);
      await deps.repository.putItems(itemsKey, items0);
      const upload: ReferenceUpload = { ...base, version: null, rowsAccepted: items0.length, rowsRejected: parsed.rejects.length, status: 'staged', refusal: null };
      const staged: StagedReference = {
        id, kind, laoCode, baseVersion: latest.version, status: 'pending', largeDrop: diff.droppedShare > LARGE_DROP_SHARE,
        diff: diff as unknown as StagedReference['diff'], upload, itemsKey, confirmedBy: null, confirmedAt: null, approvedBy: null, approvedAt: null, version: null,
      };
      await audit('reference-upload', `${id}:upload`, file.uploadedBy, file.receivedAt, staged, {});
      await deps.repository.putStaged(staged);
      await deps.repository.putUpload(upload);
      deps.logger.info({ kind, laoCode, staged: id, baseVersion: latest.version, added: diff.added, removed: diff.removed, accountChanged: diff.accountChanged, largeDrop: staged.largeDrop }, 'reference version staged');
      return { upload, duplicate: false, staged };
    }
    // The LAO's first list of this kind replaces nothing: it is in force at once (audited like every upload).
    // Versions count the LAO's lists of this kind (1, 2, 3…): the number auditors read in alert reasons ("register
    // version 3") and the one `scan --reference` gives a folder (1). Claimed, so replicas never share one (ADR 0007).
    const version = await deps.repository.claimVersion(laoCode, kind, 1, sha256);
    const diff = diffReferenceItems(kind, null, items0);
    await audit('reference-upload', `${laoCode}:${kind}:v${version}:upload`, file.uploadedBy, file.receivedAt, null, { version, diff, upload: base, firstList: true });
    const upload = await announce({ ...base, rowsAccepted: 0, rowsRejected: parsed.rejects.length }, version, items0, undefined);
    return { upload, duplicate: false };
  }

  /** Stores a version's items, announces it, and only then makes it the one in force (ADR 0007). */
  async function announce(base: Omit<ReferenceUpload, 'version' | 'status' | 'refusal'>, version: number, items: readonly unknown[], changes: RegisterChange[] | undefined): Promise<ReferenceUpload> {
    const { kind, laoCode, sha256, effectiveFrom } = base;
    const snapshot = ReferenceSnapshot.parse({ kind, laoCode, version, sha256, effectiveFrom, items, ...(kind === 'payees' && changes ? { changes } : {}) });
    const itemsKey = referenceItemsKey(laoCode, kind, version);
    await deps.repository.putItems(itemsKey, snapshot.items);
    // The register's history travels beside its items (the compacted topic keeps only the latest announcement).
    const changesKey = snapshot.kind === 'payees' && snapshot.changes ? referenceChangesKey(laoCode, version) : undefined;
    if (changesKey && snapshot.kind === 'payees') await deps.repository.putItems(changesKey, snapshot.changes ?? []);
    const announcement: ReferenceAnnouncement = { kind, laoCode, version, sha256, effectiveFrom, itemCount: snapshot.items.length, itemsKey, ...(changesKey ? { changesKey } : {}) };
    await deps.producer.send(topicOf(kind), [{ key: laoCode, value: JSON.stringify(announcement), headers: { 'content-type': 'application/json', 'x-schema': 'reference-announcement.v1' } }]);
    const upload: ReferenceUpload = { ...base, version, rowsAccepted: snapshot.items.length, status: 'published', refusal: null };
    await deps.repository.putUpload(upload);
    await deps.repository.setLatest(upload);
    deps.logger.info({ kind, laoCode, version, items: snapshot.items.length, rejected: upload.rowsRejected }, 'reference snapshot published');
    return upload;
  }

  /** Publishes the audit event of one step before the step takes effect: no list changes without its entry. */
  async function audit(action: ReferenceAuditAction, eventId: string, actor: string, at: Date, staged: StagedReference | null, extra: Record<string, unknown>): Promise<void> {
    const event: ReferenceAuditEvent = { eventId, action, actor, at: at.toISOString(), payload: auditPayloadOf(staged, extra) };
    await deps.producer.send(auditTopic, [{ key: (staged?.laoCode ?? String(extra.laoCode ?? (extra.upload as { laoCode?: string } | undefined)?.laoCode ?? '')), value: JSON.stringify(event), headers: { 'content-type': 'application/json', 'x-schema': 'reference-audit-event.v1' } }]);
  }

  /** Publishes a staged version as the next version, if its base is still the version in force (else 409 stale). */
  async function publishStaged(staged: StagedReference, actor: string, at: Date): Promise<StagedReference> {
    const { kind, laoCode } = staged;
    const latest = await deps.repository.latest(laoCode, kind);
    if (latest?.version !== staged.baseVersion) throw INGEST_ERRORS.stagedStale(staged.baseVersion, latest?.version ?? null);
    const version = staged.baseVersion + 1;
    // Exactly base + 1, claimed: of two staged versions of one base confirmed at once on two replicas, one wins.
    if (!(await deps.repository.claimExactVersion(laoCode, kind, version, staged.id))) throw INGEST_ERRORS.stagedStale(staged.baseVersion, version);
    const items = (await deps.repository.items(staged.itemsKey)) ?? [];
    let changes: RegisterChange[] | undefined;
    if (kind === 'payees') {
      const baseKey = referenceItemsKey(laoCode, kind, staged.baseVersion);
      const prevItems = ((await deps.repository.items(baseKey)) ?? []) as RegisteredPayee[];
      const prevChanges = ((await deps.repository.items(referenceChangesKey(laoCode, staged.baseVersion))) ?? []) as RegisterChange[];
      changes = nextRegisterHistory({ items: prevItems, changes: prevChanges }, { items: items as RegisteredPayee[], version, effectiveFrom: toBangkok(at).date }, REGISTER_HISTORY_DAYS);
    }
    // In force from the day it was confirmed: the register changed then, whatever day the file was uploaded.
    const upload = await announce({ ...staged.upload, effectiveFrom: toBangkok(at).date }, version, items, changes);
    const done: StagedReference = { ...staged, status: 'published', version, upload };
    await deps.repository.putStaged(done);
    deps.logger.info({ kind, laoCode, staged: staged.id, version, by: actor }, 'staged reference version confirmed');
    return done;
  }

  async function confirm(laoCode: string, kind: ReferenceKind, id: string, actor: ReferenceActor, opts: { confirmDrop: boolean; now: Date }): Promise<StagedReference> {
    const staged = await deps.repository.staged(laoCode, kind, id);
    if (!staged) throw COMMON_ERRORS.notFound('staged reference version');
    if (staged.status !== 'pending') throw INGEST_ERRORS.stagedState(staged.status);
    const latest = await deps.repository.latest(laoCode, kind);
    if (latest?.version !== staged.baseVersion) throw INGEST_ERRORS.stagedStale(staged.baseVersion, latest?.version ?? null);
    if (staged.largeDrop && !opts.confirmDrop) throw INGEST_ERRORS.dropNeedsConfirm(staged.diff.removed, staged.diff.before);
    const confirmed: StagedReference = { ...staged, confirmedBy: actor.sub, confirmedAt: opts.now.toISOString(), status: staged.largeDrop ? 'awaiting-second-approval' : 'pending' };
    await audit('reference-confirm', `${id}:confirm`, actor.sub, opts.now, confirmed, { confirmDrop: opts.confirmDrop });
    if (staged.largeDrop) {
      await deps.repository.putStaged(confirmed);
      return confirmed;
    }
    return publishStaged(confirmed, actor.sub, opts.now);
  }

  async function approve(laoCode: string, kind: ReferenceKind, id: string, actor: ReferenceActor, now: Date): Promise<StagedReference> {
    const staged = await deps.repository.staged(laoCode, kind, id);
    if (!staged) throw COMMON_ERRORS.notFound('staged reference version');
    // Who may be the second person: an admin, or the LAO's own second approver; never the uploader or the confirmer.
    if (!(actor.role === 'admin' || (actor.secondApprover === true && actor.laoCode === laoCode))) throw INGEST_ERRORS.notSecondApprover();
    if (actor.sub === staged.upload.uploadedBy || actor.sub === staged.confirmedBy) throw INGEST_ERRORS.samePerson();
    if (staged.status !== 'awaiting-second-approval') throw INGEST_ERRORS.stagedState(staged.status);
    const latest = await deps.repository.latest(laoCode, kind);
    if (latest?.version !== staged.baseVersion) throw INGEST_ERRORS.stagedStale(staged.baseVersion, latest?.version ?? null);
    const approved: StagedReference = { ...staged, approvedBy: actor.sub, approvedAt: now.toISOString() };
    await audit('reference-second-approval', `${id}:approve`, actor.sub, now, approved, {});
    return publishStaged(approved, actor.sub, now);
  }

  async function discard(laoCode: string, kind: ReferenceKind, id: string, actor: ReferenceActor, now: Date): Promise<StagedReference> {
    const staged = await deps.repository.staged(laoCode, kind, id);
    if (!staged) throw COMMON_ERRORS.notFound('staged reference version');
    if (staged.status === 'published' || staged.status === 'discarded') throw INGEST_ERRORS.stagedState(staged.status);
    const discarded: StagedReference = { ...staged, status: 'discarded' };
    await audit('reference-discard', `${id}:discard`, actor.sub, now, discarded, {});
    await deps.repository.putStaged(discarded);
    return discarded;
  }

  // One step at a time per process: the latest-version check and the publish stay in order.
  let queue: Promise<unknown> = Promise.resolve();
  const inOrder = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.then(fn);
    queue = p.catch(() => undefined);
    return p;
  };
  return {
    publish: (file: ReferenceFile): Promise<ReferenceOutcome> => inOrder(() => publish(file)),
    /** Confirms a staged version (404 when there is none); a large drop needs `confirmDrop` and then a second person. */
    confirm: (laoCode: string, kind: ReferenceKind, id: string, actor: ReferenceActor, opts: { confirmDrop: boolean; now: Date }) => inOrder(() => confirm(laoCode, kind, id, actor, opts)),
    /** The second person's approval of a confirmed large drop: it takes effect. */
    approve: (laoCode: string, kind: ReferenceKind, id: string, actor: ReferenceActor, now: Date) => inOrder(() => approve(laoCode, kind, id, actor, now)),
    /** Drops a staged version that will not be confirmed (audited); the list in force was never touched. */
    discard: (laoCode: string, kind: ReferenceKind, id: string, actor: ReferenceActor, now: Date) => inOrder(() => discard(laoCode, kind, id, actor, now)),
  };
}
export type ReferencePublisher = ReturnType<typeof createReferencePublisher>;
