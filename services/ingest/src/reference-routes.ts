/** The reference-data API: finance staff upload their LAO's lists; auditors see which version is in force. */
import { z } from 'zod';
import { ReferenceKind, ReferenceUpload, StagedReference, type LaoRegistryEntry } from '@paywatch/domain';
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

const Accepted = z.object({ upload: ReferenceUpload, duplicate: z.boolean(), staged: StagedReference.optional() });
const StagedAnswer = z.object({ staged: StagedReference });
const StagedParams = z.object({ kind: ReferenceKind, lao: z.string().regex(/^\d{7}$/), id: z.string().regex(/^[0-9a-f]{16,64}$/) });
/** Rows listed in a response; the stored upload keeps them all. */
const MAX_REJECTS_IN_RESPONSE = 1_000;

export function registerReferenceRoutes(app: HttpApp, deps: ReferenceRouteDeps): void {
  app.post('/v1/reference/:kind', {
    schema: {
      summary: 'Upload one reference list (registered payees, staff, approved vouchers or welfare beneficiaries) of one LAO',
      description: 'Multipart field "file", CSV or XLSX with Thai or English headers. The LAO\'s first list of a kind is in force at once (201). A list that would replace the one in force is staged (202): its diff (rows added, removed, accounts changed) waits for POST …/staged/{id}/confirm, and the list in force stays until then (ADR 0018). The same bytes as the version in force (or as a waiting staged version) return it with duplicate=true (200); a file with no usable row or with rows of another LAO is refused whole (422) and the list in force stays. Every upload is audited.',
      params: z.object({ kind: ReferenceKind }),
      querystring: z.object({ lao: z.string().regex(/^\d{7}$/).optional() }),
      response: { 201: Accepted, 202: Accepted, 200: Accepted, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 413: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req, reply) => {
    const p = requireRole(req, 'finance', 'admin');
    // Finance staff keep their own LAO's lists only (invariant 5); an admin names the LAO.
    const laoCode = p.role === 'finance' ? p.laoCode : req.query.lao;
    if (!laoCode) throw INGEST_ERRORS.laoRequired();
    const { bytes, fileName } = await readUploadedFile(req, deps.maxUploadBytes);
    const { upload, duplicate, staged } = await deps.publisher.publish({ kind: req.params.kind, laoCode, bytes, fileName, uploadedBy: p.sub, receivedAt: deps.clock() });
    if (upload.refusal) {
      throw new HttpError(422, upload.refusal.code, upload.refusal.message, { rowsRead: upload.rowsRead, rowsRejected: upload.rowsRejected, rejects: upload.rejects.slice(0, MAX_REJECTS_IN_RESPONSE) });
    }
    const shown = { ...upload, rejects: upload.rejects.slice(0, MAX_REJECTS_IN_RESPONSE) };
    if (staged) return reply.status(duplicate ? 200 : 202).send({ upload: shown, duplicate, staged: { ...staged, upload: shown } });
    return reply.status(duplicate ? 200 : 201).send({ upload: shown, duplicate });
  });

  /** The caller may act on this LAO's lists (finance: their own; admin: any), else 404 like a missing list. */
  const actorFor = (req: Parameters<typeof requireRole>[0], laoCode: string) => {
    const p = requireRole(req, 'finance', 'admin');
    if (p.role === 'finance' && p.laoCode !== laoCode) throw COMMON_ERRORS.notFound('staged reference version');
    return { sub: p.sub, role: p.role, laoCode: p.laoCode, secondApprover: p.secondApprover };
  };

  app.get('/v1/reference/:kind/:lao/staged', {
    schema: {
      summary: 'Staged versions of one list waiting to be confirmed or approved, newest first, with their diffs',
      params: z.object({ kind: ReferenceKind, lao: z.string().regex(/^\d{7}$/) }),
      response: { 200: z.object({ staged: z.array(StagedReference) }), 404: ErrorResponse },
    },
  }, async (req) => {
    const p = requireRole(req, 'finance', 'provincial-auditor', 'district-auditor', 'central', 'admin');
    if (!canSeeLao(p, req.params.lao, deps.registry)) throw COMMON_ERRORS.notFound('reference list');
    const staged = await deps.repository.listStaged(req.params.lao, req.params.kind);
    return { staged: staged.map((s) => ({ ...s, upload: { ...s.upload, rejects: s.upload.rejects.slice(0, MAX_REJECTS_IN_RESPONSE) } })) };
  });

  app.get('/v1/reference/:kind/:lao/staged/:id', {
    schema: { summary: 'One staged version with its diff against the version it would replace', params: StagedParams, response: { 200: StagedAnswer, 404: ErrorResponse } },
  }, async (req) => {
    const p = requireRole(req, 'finance', 'provincial-auditor', 'district-auditor', 'central', 'admin');
    if (!canSeeLao(p, req.params.lao, deps.registry)) throw COMMON_ERRORS.notFound('staged reference version');
    const staged = await deps.repository.staged(req.params.lao, req.params.kind, req.params.id);
    if (!staged) throw COMMON_ERRORS.notFound('staged reference version');
    return { staged: { ...staged, upload: { ...staged.upload, rejects: staged.upload.rejects.slice(0, MAX_REJECTS_IN_RESPONSE) } } };
  });

  const stepResponses = { 200: StagedAnswer, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

  app.post('/v1/reference/:kind/:lao/staged/:id/confirm', {
    schema: {
      summary: 'Confirm a staged version: it replaces the version in force (409 when that is no longer the version it was compared with)',
      description: 'A version that drops more than half of the list in force needs confirmDrop=true (else 409 PW_ERR_REFERENCE_DROP_CONFIRM) and then waits for a second person (…/approve). Audited.',
      params: StagedParams, body: z.object({ confirmDrop: z.boolean().default(false) }).prefault({}), response: stepResponses,
    },
  }, async (req) => {
    const actor = actorFor(req, req.params.lao);
    return { staged: await deps.publisher.confirm(req.params.lao, req.params.kind, req.params.id, actor, { confirmDrop: req.body.confirmDrop, now: deps.clock() }) };
  });

  app.post('/v1/reference/:kind/:lao/staged/:id/approve', {
    schema: {
      summary: 'Second person\'s approval of a confirmed large drop (an admin or the LAO\'s second approver, never the uploader or the confirmer): it takes effect',
      params: StagedParams, response: stepResponses,
    },
  }, async (req) => {
    const actor = actorFor(req, req.params.lao);
    return { staged: await deps.publisher.approve(req.params.lao, req.params.kind, req.params.id, actor, deps.clock()) };
  });

  app.post('/v1/reference/:kind/:lao/staged/:id/discard', {
    schema: { summary: 'Discard a staged version (the list in force was never touched). Audited.', params: StagedParams, response: stepResponses },
  }, async (req) => {
    const actor = actorFor(req, req.params.lao);
    return { staged: await deps.publisher.discard(req.params.lao, req.params.kind, req.params.id, actor, deps.clock()) };
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
