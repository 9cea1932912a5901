/**
 * Reference-list uploads (finance, admin) and the list-in-force pages, in front of ingest's `/v1/reference` API.
 * The multipart body goes to ingest byte for byte, like a payment file; the console reads only the small fields
 * before the file (kind, and the LAO for an admin) to build the upstream URL.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { isReferenceKind } from './i18n.ts';
import type { PageContext } from './layout.ts';
import { multipartField } from './multipart.ts';
import { referencePage, referenceRejectsCsv, stagedPage, type ReferenceRefusal } from './reference-pages.ts';
import { UpstreamError, type Upstream } from './upstream.ts';
import type { ReferenceUpload, Reject, StagedReference } from './types.ts';

export interface ReferenceRouteHelpers {
  upstream: Upstream;
  ctxOf(req: FastifyRequest, reply: FastifyReply): PageContext;
  send(reply: FastifyReply, body: string, status?: number): FastifyReply;
  /** Route options: hidden from /docs, limited to these roles. */
  hidden(roles: readonly string[]): RouteShorthandOptions;
  /** The CSRF check, for POST routes. */
  protect: RouteShorthandOptions;
  /** Renders the upload page again (its batches and lists) with this refusal shown in the reference section. */
  uploadPageWith(req: FastifyRequest, reply: FastifyReply, refusal: ReferenceRefusal): Promise<string>;
}

const UPLOADERS = ['finance', 'admin'] as const;
const READERS = ['finance', 'provincial-auditor', 'district-auditor', 'central', 'admin'] as const;
/** Statuses of ingest that describe the file, shown on the upload page; anything else is the console's error page. */
const ABOUT_THE_FILE = new Set([400, 413, 422]);

/** `{ kind, lao }` of the path, or a 404 before calling ingest (nothing user-typed reaches its URL unchecked). */
function listOf(req: FastifyRequest): { kind: string; lao: string } {
  const { kind, lao } = req.params as { kind: string; lao: string };
  if (!isReferenceKind(kind) || !/^\d{7}$/.test(lao)) throw new UpstreamError(404, null, 'console');
  return { kind, lao };
}

/** What ingest said about a refused file, from its error body (`error.details` carries the rows of a 422). */
export function refusalOf(e: UpstreamError, kind: string | null): ReferenceRefusal {
  const err = (e.body as { error?: { code?: string; details?: { rowsRead?: number; rowsRejected?: number; rejects?: Reject[] } } } | null)?.error;
  const d = err?.details;
  return {
    kind, status: e.status, code: err?.code ?? null,
    message: e.messages ?? { th: `ระบบไม่รับไฟล์ (HTTP ${e.status})`, en: `The file was not accepted (HTTP ${e.status})` },
    rowsRead: typeof d?.rowsRead === 'number' ? d.rowsRead : null, rowsRejected: typeof d?.rowsRejected === 'number' ? d.rowsRejected : null,
    rejects: Array.isArray(d?.rejects) ? d.rejects : [],
  };
}

export function registerReferenceRoutes(s: FastifyInstance, h: ReferenceRouteHelpers): void {
  s.post('/reference', { ...h.hidden(UPLOADERS), ...h.protect }, async (req, reply) => {
    const ct = req.headers['content-type'];
    if (!Buffer.isBuffer(req.body) || !ct?.startsWith('multipart/form-data')) throw new UpstreamError(400, null, 'console');
    const kind = multipartField(req.body, 'kind');
    const noKind = { th: 'กรุณาเลือกประเภทรายการ (ทะเบียนผู้รับเงินโอน บุคลากร ฎีกาที่อนุมัติ หรือผู้รับเบี้ยยังชีพ)', en: 'Choose the kind of list (payees, staff, vouchers or beneficiaries)' };
    if (!isReferenceKind(kind)) return h.send(reply, await h.uploadPageWith(req, reply, { kind: null, status: 400, code: null, message: noKind, rowsRead: null, rowsRejected: null, rejects: [] }), 400);
    // Finance staff upload for their own LAO (ingest takes it from the token); an admin names it.
    const lao = req.viewer?.role === 'admin' ? multipartField(req.body, 'lao')?.trim() : undefined;
    if (req.viewer?.role === 'admin' && !/^\d{7}$/.test(lao ?? '')) {
      return h.send(reply, await h.uploadPageWith(req, reply, { kind, status: 400, code: null, message: { th: 'กรุณาระบุรหัส อปท. 7 หลัก', en: 'Give the 7-digit LAO code' }, rowsRead: null, rowsRejected: null, rejects: [] }), 400);
    }
    try {
      const { data } = await h.upstream.call<{ upload: ReferenceUpload; duplicate: boolean; staged?: StagedReference }>('ingest', `/v1/reference/${kind}${lao ? `?lao=${lao}` : ''}`, {
        method: 'POST', token: req.token, body: new Uint8Array(req.body), headers: { 'content-type': ct },
      });
      const u = data.upload;
      // A list in force is replaced only after the clerk has seen the diff and confirmed it (ADR 0018).
      if (data.staged) return reply.redirect(`/reference/${data.staged.kind}/${data.staged.laoCode}/staged/${data.staged.id}`, 303);
      return reply.redirect(`/reference/${u.kind}/${u.laoCode}?${data.duplicate ? 'duplicate=1' : `uploaded=${u.version}`}`, 303);
    } catch (e) {
      // A refused file is the clerk's to fix: show the upload page again with the reason and the refused rows.
      if (e instanceof UpstreamError && ABOUT_THE_FILE.has(e.status)) return h.send(reply, await h.uploadPageWith(req, reply, refusalOf(e, kind)), e.status);
      throw e;
    }
  });

  const stagedOf = (req: FastifyRequest) => {
    const { kind, lao } = listOf(req);
    const { id } = req.params as { id: string };
    if (!/^[0-9a-f]{16,64}$/.test(id)) throw new UpstreamError(404, null, 'console');
    return { kind, lao, id, path: `/v1/reference/${kind}/${lao}/staged/${id}` };
  };
  s.get('/reference/:kind/:lao/staged/:id', h.hidden(READERS), async (req, reply) => {
    const { path } = stagedOf(req);
    const { data } = await h.upstream.call<{ staged: StagedReference }>('ingest', path, { token: req.token });
    return h.send(reply, stagedPage(h.ctxOf(req, reply), data.staged));
  });
  for (const step of ['confirm', 'approve', 'discard'] as const) {
    s.post(`/reference/:kind/:lao/staged/:id/${step}`, { ...h.hidden(UPLOADERS), ...h.protect }, async (req, reply) => {
      const { kind, lao, path } = stagedOf(req);
      const body = (req.body ?? {}) as Record<string, string | undefined>;
      try {
        const { data } = await h.upstream.call<{ staged: StagedReference }>('ingest', `${path}/${step}`, { method: 'POST', token: req.token, json: step === 'confirm' ? { confirmDrop: body.confirmDrop === '1' } : {} });
        if (data.staged.status === 'published') return reply.redirect(`/reference/${kind}/${lao}?uploaded=${data.staged.version}`, 303);
        return reply.redirect(`/reference/${kind}/${lao}/staged/${data.staged.id}`, 303);
      } catch (e) {
        // Refused (stale base, drop not confirmed, same person…): the page again, with the reason in Thai.
        if (e instanceof UpstreamError && (e.status === 409 || e.status === 403) && e.messages) {
          const { data } = await h.upstream.call<{ staged: StagedReference }>('ingest', path, { token: req.token });
          return h.send(reply, stagedPage(h.ctxOf(req, reply), data.staged, e.messages), e.status);
        }
        throw e;
      }
    });
  }

  s.get('/reference/:kind/:lao', h.hidden(READERS), async (req, reply) => {
    const { kind, lao } = listOf(req);
    const { data } = await h.upstream.call<{ upload: ReferenceUpload }>('ingest', `/v1/reference/${kind}/${lao}`, { token: req.token });
    const q = req.query as { uploaded?: string; duplicate?: string };
    const uploaded = Number(q.uploaded);
    return h.send(reply, referencePage(h.ctxOf(req, reply), data.upload, { uploadedVersion: Number.isSafeInteger(uploaded) && uploaded > 0 ? uploaded : undefined, duplicate: q.duplicate === '1' }));
  });

  s.get('/reference/:kind/:lao/rejects.csv', h.hidden(READERS), async (req, reply) => {
    const { kind, lao } = listOf(req);
    const { data } = await h.upstream.call<{ upload: ReferenceUpload }>('ingest', `/v1/reference/${kind}/${lao}`, { token: req.token });
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="reference-${kind}-${lao}-v${data.upload.version ?? 0}-rejects.csv"`)
      .header('cache-control', 'no-store').send(referenceRejectsCsv(data.upload.rejects ?? []));
  });
}
