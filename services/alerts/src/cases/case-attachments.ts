/**
 * Evidence an auditor obtained (the voucher scan, the bank statement), kept in the blob store under
 * `case-attachments/{caseId}/{attachmentId}` with its metadata and SHA-256 in PostgreSQL. Uploads are checked by
 * size and by their first bytes (a PDF, PNG or JPEG — not whatever the client claims); every upload and every
 * download is an audit entry.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { BlobStore } from '@paywatch/blob-store';
import type { Db, Queryable } from '@paywatch/db';
import { COMMON_ERRORS } from '@paywatch/http-kit';
import { appendAudit } from '../audit-log.ts';
import type { AlertScope } from '../alert-store.ts';
import type { Actor } from '../case-store.ts';
import { getCase } from './cases-store.ts';
import { CASE_ERRORS } from './case-errors.ts';

/** Types an attachment may be, told by its magic bytes. */
export const ATTACHMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/** Default largest attachment: a multi-page scan at 300 dpi fits. */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** The type the bytes are, whatever the client said (null when none of ATTACHMENT_TYPES). */
export function sniffAttachmentType(body: Uint8Array): AttachmentType | null {
  const b = Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, 8));
  if (b.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (b.length >= 8 && b.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  return null;
}

/** One attachment's metadata. */
export interface CaseAttachment { attachmentId: string; caseId: string; fileName: string; contentType: string; sizeBytes: number; sha256: string; uploadedBy: string; uploadedAt: string }

interface AttachmentRow { attachment_id: string; case_id: string; file_name: string; content_type: string; size_bytes: number; sha256: string; blob_key: string; uploaded_by: string; uploaded_at: Date | string }
const toAttachment = (r: AttachmentRow): CaseAttachment => ({
  attachmentId: r.attachment_id, caseId: r.case_id, fileName: r.file_name, contentType: r.content_type, sizeBytes: r.size_bytes, sha256: r.sha256,
  uploadedBy: r.uploaded_by, uploadedAt: new Date(r.uploaded_at).toISOString(),
});

/** A file name safe to show and to put in Content-Disposition: no path, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string | null {
  const base = name.split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return base.length >= 1 && base.length <= 200 ? base : null;
}

/** Stores the bytes, then records them (metadata + audit) in one transaction. */
export async function attachToCase(
  db: Db, store: BlobStore | undefined,
  input: { caseId: string; scope: AlertScope; actor: Actor; fileName: string; body: Buffer; maxBytes: number; now: Date },
): Promise<CaseAttachment> {
  if (!(await getCase(db, input.caseId, input.scope))) throw COMMON_ERRORS.notFound('case');
  if (!store) throw CASE_ERRORS.attachmentsUnavailable();
  const fileName = cleanFileName(input.fileName);
  if (!fileName) throw CASE_ERRORS.attachmentName();
  if (input.body.length === 0) throw CASE_ERRORS.attachmentEmpty();
  if (input.body.length > input.maxBytes) throw CASE_ERRORS.attachmentTooLarge(input.maxBytes);
  const type = sniffAttachmentType(input.body);
  if (!type) throw CASE_ERRORS.attachmentType(ATTACHMENT_TYPES);
  const attachmentId = 'at_' + randomBytes(12).toString('hex');
  const sha256 = createHash('sha256').update(input.body).digest('hex');
  const blobKey = `case-attachments/${input.caseId}/${attachmentId}`;
  // Bytes first: a row never points at nothing (a failed insert leaves an unreferenced blob, harmless).
  await store.put(blobKey, input.body, type);
  return db.transaction(async (tx) => {
    const c = await getCase(tx, input.caseId, input.scope, { forUpdate: true });
    if (!c) throw COMMON_ERRORS.notFound('case');
    const r = await tx.query<AttachmentRow>(
      `INSERT INTO case_attachments (attachment_id, case_id, file_name, content_type, size_bytes, sha256, blob_key, uploaded_by, uploaded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [attachmentId, c.caseId, fileName, type, input.body.length, sha256, blobKey, input.actor.sub, input.now]);
    await appendAudit(tx, { at: input.now, actor: input.actor.sub, action: 'case-attach', alertId: null, payload: { role: input.actor.role, caseId: c.caseId, attachmentId, fileName, contentType: type, sizeBytes: input.body.length, sha256 } });
    return toAttachment(r.rows[0]!);
  });
}

/** The attachments of a case, oldest first. */
export async function caseAttachments(db: Queryable, caseId: string): Promise<CaseAttachment[]> {
  return (await db.query<AttachmentRow>('SELECT * FROM case_attachments WHERE case_id = $1 ORDER BY uploaded_at, attachment_id', [caseId])).rows.map(toAttachment);
}

/** The bytes of one attachment of a case in scope; the download is audited before the bytes leave. */
export async function downloadAttachment(
  db: Db, store: BlobStore | undefined,
  input: { caseId: string; attachmentId: string; scope: AlertScope; actor: Actor; now: Date },
): Promise<{ attachment: CaseAttachment; body: Buffer }> {
  const found = await db.transaction(async (tx) => {
    const c = await getCase(tx, input.caseId, input.scope);
    if (!c) return null;
    const row = (await tx.query<AttachmentRow>('SELECT * FROM case_attachments WHERE case_id = $1 AND attachment_id = $2', [c.caseId, input.attachmentId])).rows[0];
    if (!row) return null;
    await appendAudit(tx, { at: input.now, actor: input.actor.sub, action: 'case-attachment-download', alertId: null, payload: { role: input.actor.role, caseId: c.caseId, attachmentId: row.attachment_id, fileName: row.file_name } });
    return row;
  });
  if (!found) throw COMMON_ERRORS.notFound('attachment');
  if (!store) throw CASE_ERRORS.attachmentsUnavailable();
  const body = await store.get(found.blob_key);
  if (!body) throw COMMON_ERRORS.notFound('attachment');
  return { attachment: toAttachment(found), body };
}
