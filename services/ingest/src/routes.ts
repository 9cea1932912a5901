/** The upload API: POST a file, follow its batch. */
import { z } from 'zod';
import { BatchManifest, PublishedReject, type LaoRegistryEntry } from '@paywatch/domain';
import { COMMON_ERRORS, ErrorResponse, requireRole, type HttpApp } from '@paywatch/http-kit';
import type { BatchRepository } from './batch-repository.ts';
import type { BatchIntake } from './batch-intake.ts';
import { canSeeLao } from './batch-access.ts';
import { INGEST_ERRORS } from './errors.ts';
import { spoolUploadedFile } from './upload-file.ts';

const UploadAccepted = z.object({
  batchId: z.string(),
  status: z.string(),
  statusUrl: z.string(),
  /** True when these bytes were uploaded before: nothing new was accepted or published. */
  duplicate: z.boolean(),
});

export interface IngestRouteDeps {
  repository: BatchRepository;
  intake: BatchIntake;
  registry: ReadonlyMap<string, LaoRegistryEntry>;
  maxUploadBytes: number;
}

/** Registers /v1/batches routes. */
export function registerBatchRoutes(app: HttpApp, deps: IngestRouteDeps): void {
  app.post('/v1/batches', {
    schema: {
      summary: 'Upload one KTB payment file (multipart field "file")',
      description: 'Finance staff upload for their own LAO. Returns 202 with the batch id once the file is stored; the same bytes again (also concurrently, on any replica) return the same batch with duplicate=true (200) and publish nothing.',
      querystring: z.object({ lao: z.string().regex(/^\d{7}$/).optional() }),
      response: { 202: UploadAccepted, 200: UploadAccepted, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 413: ErrorResponse, 503: ErrorResponse },
    },
  }, async (req, reply) => {
    const p = requireRole(req, 'finance', 'admin');
    // Finance staff upload only for their own LAO (invariant 5); an admin names the LAO.
    const laoCode = p.role === 'finance' ? p.laoCode : req.query.lao;
    if (!laoCode) throw INGEST_ERRORS.laoRequired();
    const upload = await spoolUploadedFile(req, deps.maxUploadBytes);
    try {
      const { manifest, duplicate } = await deps.intake.admit({ path: upload.path, sha256: upload.sha256, sizeBytes: upload.size, fileName: upload.fileName }, laoCode, p.sub);
      const batchId = manifest.batchId;
      if (duplicate) req.log.info({ batchId }, 'duplicate upload: same bytes, same batch');
      return reply.status(duplicate ? 200 : 202).send({ batchId, status: manifest.status, statusUrl: `/v1/batches/${batchId}`, duplicate });
    } finally {
      await upload.cleanup();
    }
  });

  app.get('/v1/batches/:id', {
    schema: {
      summary: 'A batch: counts, totals and every rejected row with its reason in Thai and English',
      params: z.object({ id: z.string().regex(/^b_[0-9a-f]{24}$/) }),
      response: { 200: z.object({ batch: BatchManifest, rejects: z.array(PublishedReject) }), 404: ErrorResponse },
    },
  }, async (req) => {
    const p = requireRole(req, 'finance', 'provincial-auditor', 'district-auditor', 'central', 'admin');
    const m = await deps.repository.getManifest(req.params.id);
    if (!m || !canSeeLao(p, m.laoCode, deps.registry)) throw COMMON_ERRORS.notFound('batch');
    return { batch: m, rejects: await deps.repository.getRejects(m.batchId) };
  });

  app.get('/v1/batches', {
    schema: {
      summary: 'Batches the caller may see, newest first',
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
      response: { 200: z.object({ batches: z.array(BatchManifest) }) },
    },
  }, async (req) => {
    const p = requireRole(req, 'finance', 'provincial-auditor', 'district-auditor', 'central', 'admin');
    const all = await deps.repository.listManifests();
    const visible = all.filter((m) => canSeeLao(p, m.laoCode, deps.registry)).sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
    return { batches: visible.slice(0, req.query.limit) };
  });
}
