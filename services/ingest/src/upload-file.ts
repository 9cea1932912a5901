/** Reads the one file of a multipart upload within the size limit, with the errors a clerk can act on (small files: reference lists). */
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { INGEST_ERRORS } from './errors.ts';
import { streamToTempFile, type TempFile } from './temp-file.ts';

export interface UploadedFile { bytes: Buffer; fileName: string }

/** The uploaded file's bytes and a file name safe to use in keys and pages. */
export async function readUploadedFile(req: FastifyRequest, maxBytes: number): Promise<UploadedFile> {
  if (!req.isMultipart()) throw INGEST_ERRORS.noFile();
  const file = await req.file({ limits: { fileSize: maxBytes, files: 1, fields: 5 } });
  if (!file) throw INGEST_ERRORS.noFile();
  let bytes: Buffer;
  try { bytes = await file.toBuffer(); } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw INGEST_ERRORS.fileTooLarge(maxBytes);
    throw e;
  }
  if (bytes.length === 0) throw INGEST_ERRORS.emptyFile();
  return { bytes, fileName: safeFileName(file.filename) };
}

/** An upload spooled to a temporary file: never whole in memory, hashed on the way. */
export interface SpooledUpload { path: string; size: number; sha256: string; fileName: string; cleanup(): Promise<void> }

/**
 * Streams the one file of a multipart upload to a temporary file, hashing it as it goes, within the size limit.
 * The caller stores it (blob store `putFile`) and calls `cleanup()`; on any error the file is already removed.
 */
export async function spoolUploadedFile(req: FastifyRequest, maxBytes: number): Promise<SpooledUpload> {
  if (!req.isMultipart()) throw INGEST_ERRORS.noFile();
  const file = await req.file({ limits: { fileSize: maxBytes, files: 1, fields: 5 } });
  if (!file) throw INGEST_ERRORS.noFile();
  const hash = createHash('sha256');
  let size = 0;
  let spooled: TempFile;
  try {
    spooled = await streamToTempFile('pw-upload-', file.file, new Transform({ transform(chunk: Buffer, _enc, done) { hash.update(chunk); size += chunk.length; done(null, chunk); } }));
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw INGEST_ERRORS.fileTooLarge(maxBytes);
    throw e;
  }
  const { path, cleanup } = spooled;
  if (file.file.truncated) { await cleanup(); throw INGEST_ERRORS.fileTooLarge(maxBytes); }
  if (size === 0) { await cleanup(); throw INGEST_ERRORS.emptyFile(); }
  return { path, size, sha256: hash.digest('hex'), fileName: safeFileName(file.filename), cleanup };
}

const safeFileName = (name: string | undefined): string => (name || 'upload').replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 200);
