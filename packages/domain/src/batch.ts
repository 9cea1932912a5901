/** Rejected rows and batch manifests (`disbursements.rejected.v1`, `batches.v1`). */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Bilingual } from './messages.ts';
import { SourceFormat } from './record.ts';

/** A row the parser refused: data for the uploader, never an exception. */
export const RowReject = z.object({
  row: z.number().int().nonnegative(),
  field: z.string(),
  code: z.string(),
  message: Bilingual,
  /** The raw line or cells, so the uploader can find and fix it. */
  raw: z.string(),
});
export type RowReject = z.infer<typeof RowReject>;

/** A rejected row as published, with its batch. */
export const PublishedReject = RowReject.extend({ batchId: z.string(), laoCode: z.string() });
export type PublishedReject = z.infer<typeof PublishedReject>;

/** What a fixed-width header claimed, next to what the details add up to. */
export const HeaderCheck = z.object({
  /** The header's own effective date (YYYY-MM-DD, CE), when readable: when the batch was meant to be paid. */
  effectiveDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable().optional(),
  declaredCount: z.number().int(),
  declaredTotalSatang: z.number().int(),
  detailCount: z.number().int(),
  detailTotalSatang: z.number().int(),
  matches: z.boolean(),
});
export type HeaderCheck = z.infer<typeof HeaderCheck>;

/** `quarantined`: stored, nothing published, waiting for ops; `discarded`: ops decided it is never published (ADR 0019). */
export const BatchStatus = z.enum(['received', 'processing', 'published', 'refused', 'quarantined', 'discarded']);
export type BatchStatus = z.infer<typeof BatchStatus>;

/** Everything known about one uploaded file. rowsRead = rowsAccepted + rowsRejected, always. */
export const BatchManifest = z.object({
  batchId: z.string(),
  laoCode: z.string(),
  sha256: z.string(),
  fileName: z.string(),
  sizeBytes: z.number().int(),
  rawKey: z.string(),
  format: SourceFormat.nullable(),
  encoding: z.string().nullable(),
  rowsRead: z.number().int(),
  rowsAccepted: z.number().int(),
  rowsRejected: z.number().int(),
  /** Sum of accepted outflow rows (instructed or successful), satang. */
  totalSatang: z.number().int(),
  header: HeaderCheck.nullable(),
  status: BatchStatus,
  refusal: z.object({ code: z.string(), message: Bilingual }).nullable(),
  uploadedBy: z.string(),
  receivedAt: z.string(),
  publishedAt: z.string().nullable(),
  /** Why ingest held the file (storm control, ADR 0019) and what ops decided; absent on files never held. */
  quarantine: z.object({
    code: z.string(),
    message: Bilingual,
    checkedRows: z.number().int(),
    unregisteredRows: z.number().int(),
    registerVersion: z.number().int(),
    quarantinedAt: z.string(),
    decision: z.enum(['released', 'discarded']).nullable(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
  }).nullable().optional(),
});
export type BatchManifest = z.infer<typeof BatchManifest>;

/**
 * The id of a batch: the same bytes uploaded for the same LAO are the same batch (re-upload is a no-op);
 * the LAO is part of it so that one LAO can never land on another's batch by uploading its file.
 */
export function batchIdFor(laoCode: string, sha256Hex: string): string {
  return 'b_' + createHash('sha256').update(`${laoCode}|${sha256Hex}`).digest('hex').slice(0, 24);
}

/** Hex SHA-256 of bytes. */
export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
