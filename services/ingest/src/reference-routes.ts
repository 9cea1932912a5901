/** The reference-data API: finance staff upload their LAO's lists; auditors see which version is in force. */
import { z } from 'zod';
import { ReferenceKind, ReferenceUpload, type LaoRegistryEntry } from '@paywatch/domain';
import { COMMON_ERRORS, ErrorResponse, HttpError, requireRole, type HttpApp } from '@paywatch/http-kit';
import { canSeeLao } from './batch-access.ts';
import { INGEST_ERRORS } from './errors.ts';
import type { ReferencePublisher } from './reference-publisher.ts';
import type { ReferenceRepository } from './reference-repository.ts';
import { readUploadedFile } from './upload-file.ts';

export interface ReferenceRouteDeps {
  publisher: ReferencePublisher;
  repository: ReferenceRepository;
  registry: ReadonlyMap<string, LaoRegistryEntry>;
  clock: () => Date;
  maxUploadBytes: number;
}

const Accepted = z.object({ upload: ReferenceUpload, duplicate: z.boolean() });
/** Rows listed in a response; the stored upload keeps them all. */
const MAX_REJECTS_IN_RESPONSE = 1_000;

export function registerReferenceRoutes(app: HttpApp, deps: ReferenceRouteDeps): void {
  app.post('/v1/reference/:kind', {
    schema: {
      summary: 'Upload one reference list (registered payees, staff, approved vouchers or welfare beneficiaries) of one LAO',
      description: 'Multipart field "file", CSV with Thai or English headers. The accepted rows become the LAO\'s next version of that list (201); the same bytes as the version in force return it with duplicate=true (200); a file with no usable row or with rows of another LAO is refused whole (422) and the list in force stays.',
      params: z.object({ kind: ReferenceKind }),
      querystring: z.object({ lao: z.string().regex(/^\d{7}$/).optional() }),
      response: { 201: Accepted, 200: Accepted, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 413: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req, reply) => {
    const p = requireRole(req, 'finance', 'admin');
    // Finance staff keep their own LAO's lists only (invariant 5); an admin names the LAO.
    const laoCode = p.role === 'finance' ? p.laoCode : req.query.lao;
    if (!laoCode) throw INGEST_ERRORS.laoRequired();
    const { bytes, fileName } = await readUploadedFile(req, deps.maxUploadBytes);
    const { upload, duplicate } = await deps.publisher.publish({ kind: req.params.kind, laoCode, bytes, fileName, uploadedBy: p.sub, receivedAt: deps.clock() });
    if (upload.refusal) {
      throw new HttpError(422, upload.refusal.code, upload.refusal.message, { rowsRead: upload.rowsRead, rowsRejected: upload.rowsRejected, rejects: upload.rejects.slice(0, MAX_REJECTS_IN_RESPONSE) });
    }
    const shown = { ...upload, rejects: upload.rejects.slice(0, MAX_REJECTS_IN_RESPONSE) };
    return reply.status(duplicate ? 200 : 201).send({ upload: shown, duplicate });
  });

  app.get('/v1/reference', {
    schema: {
      summary: 'The reference lists in force that the caller may see: LAO, kind, version, counts',
      response: { 200: z.object({ lists: z.array(ReferenceUpload.omit({ rejects: true })) }) },
    },
  }, async (req) => {
    const p = requireRole(req, 'finance', 'provincial-auditor', 'district-auditor', 'central', 'admin');
    const lists = (await deps.repository.listLatest()).filter((u) => canSeeLao(p, u.laoCode, deps.registry));
    return { lists: lists.map(({ rejects: _rejects, ...rest }) => rest).sort((a, b) => a.laoCode.localeCompare(b.laoCode) || a.kind.localeCompare(b.kind)) };
  });

  app.get('/v1/reference/:kind/:lao', {
    schema: {
      summary: 'The list of one kind in force for one LAO, with every row its upload refused',
      params: z.object({ kind: ReferenceKind, lao: z.string().regex(/^\d{7}$/) }),
      response: { 200: z.object({ upload: ReferenceUpload }), 404: ErrorResponse },
    },
  }, async (req) => {
    const p = requireRole(req, 'finance', 'provincial-auditor', 'district-auditor', 'central', 'admin');
    if (!canSeeLao(p, req.params.lao, deps.registry)) throw COMMON_ERRORS.notFound('reference list');
    const upload = await deps.repository.latest(req.params.lao, req.params.kind);
    if (!upload) throw COMMON_ERRORS.notFound('reference list');
    return { upload };
  });
}
