/**
 * Reads the one file of a multipart upload, within the size limit, with errors a clerk can act on: the file must
 * come in the field `file`, one file per upload, text fields may not hold NUL bytes, and a cut-off or damaged
 * multipart body is the client's mistake (400), never an internal error.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Transform } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { MultipartFile, Multipart } from '@fastify/multipart';
import { HttpError } from '@paywatch/http-kit';
import { INGEST_ERRORS } from './errors.ts';
import { streamToTempFile } from './temp-file.ts';

/** The multipart field a file must come in. */
export const FILE_FIELD = 'file';
/** Text fields an upload form may send along (CSRF token, list kind, LAO): a few, short. */
const MAX_FIELDS = 10;
const MAX_FIELD_BYTES = 4096;

export interface UploadedFile { bytes: Buffer; fileName: string }

/** An upload spooled to a temporary file: never whole in memory, hashed on the way. */
export interface SpooledUpload { path: string; size: number; sha256: string; fileName: string; cleanup(): Promise<void> }

/**
 * What went wrong reading the body, as the client's error: limits of @fastify/multipart by code, and busboy's
 * parse errors (plain errors without a `syscall`; a failing disk or temp folder has one and stays a 500).
 */
function asClientError(e: unknown, maxBytes: number): unknown {
  if (e instanceof HttpError) return e;
  const err = e as { code?: string; syscall?: string; message?: string };
  switch (err.code) {
    case 'FST_REQ_FILE_TOO_LARGE': return INGEST_ERRORS.fileTooLarge(maxBytes);
    case 'FST_FILES_LIMIT': return INGEST_ERRORS.tooManyFiles();
    case 'FST_FIELDS_LIMIT': case 'FST_PARTS_LIMIT': return INGEST_ERRORS.tooManyFields(MAX_FIELDS);
    case 'FST_PROTO_VIOLATION': case 'FST_MP_PREMATURE_CLOSE': case 'FST_INVALID_MULTIPART_CONTENT_TYPE': return INGEST_ERRORS.multipartMalformed();
  }
  if (err.syscall === undefined && e instanceof Error) return INGEST_ERRORS.multipartMalformed();
  return e;
}

/** The parts of the body; a body busboy cannot even start on (no boundary) is malformed. */
function partsOf(req: FastifyRequest, maxBytes: number): AsyncIterableIterator<Multipart> {
  // files: 2 so that a second file arrives as a part and is refused by name, rather than dropped silently.
  try { return req.parts({ limits: { fileSize: maxBytes, files: 2, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES, parts: MAX_FIELDS + 2 } }); } catch (e) { throw asClientError(e, maxBytes); }
}

/**
 * Streams the one file of a multipart upload to a temporary file, hashing it as it goes, within the size limit.
 * The caller stores it (blob store `putFile`) and calls `cleanup()`; on any error the file is already removed.
 */
export async function spoolUploadedFile(req: FastifyRequest, maxBytes: number): Promise<SpooledUpload> {
  if (!req.isMultipart()) throw INGEST_ERRORS.noFile();
  let upload: SpooledUpload | null = null;
  try {
    for await (const part of partsOf(req, maxBytes)) {
      if (part.type === 'field') {
        // PostgreSQL, logs and CSV exports all choke on NUL: refuse it at the edge, naming the field.
        if (part.fieldname.includes('\0') || (typeof part.value === 'string' && part.value.includes('\0'))) throw INGEST_ERRORS.fieldHasNul(part.fieldname);
        continue;
      }
      if (part.fieldname !== FILE_FIELD) { part.file.resume(); throw INGEST_ERRORS.wrongFileField(part.fieldname); }
      if (upload) { part.file.resume(); throw INGEST_ERRORS.tooManyFiles(); }
      upload = await spool(part, maxBytes);
    }
  } catch (e) {
    await upload?.cleanup();
    throw asClientError(e, maxBytes);
  }
  if (!upload) throw INGEST_ERRORS.noFile();
  if (upload.size === 0) { await upload.cleanup(); throw INGEST_ERRORS.emptyFile(); }
  return upload;
}

async function spool(part: MultipartFile, maxBytes: number): Promise<SpooledUpload> {
  const hash = createHash('sha256');
  let size = 0;
  const { path, cleanup } = await streamToTempFile('pw-upload-', part.file, new Transform({ transform(chunk: Buffer, _enc, done) { hash.update(chunk); size += chunk.length; done(null, chunk); } }));
  if (part.file.truncated) { await cleanup(); throw INGEST_ERRORS.fileTooLarge(maxBytes); }
  return { path, size, sha256: hash.digest('hex'), fileName: safeFileName(part.filename), cleanup };
}

/** The uploaded file's bytes and a file name safe to use in keys and pages (small files: reference lists). */
export async function readUploadedFile(req: FastifyRequest, maxBytes: number): Promise<UploadedFile> {
  const upload = await spoolUploadedFile(req, maxBytes);
  try {
    return { bytes: await readFile(upload.path), fileName: upload.fileName };
  } finally {
    await upload.cleanup();
  }
}

const safeFileName = (name: string | undefined): string => (name || 'upload').replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 200);
