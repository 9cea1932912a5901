/** Reads the one file of a multipart upload within the size limit, with the errors a clerk can act on. */
import type { FastifyRequest } from 'fastify';
import { INGEST_ERRORS } from './errors.ts';

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
  return { bytes, fileName: (file.filename || 'upload').replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 200) };
}
