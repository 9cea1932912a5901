/**
 * `/v1/cases`: the case list, one case (alerts, total, assignee, due date, timeline, attachments), and the case's
 * decisions — assign, comment, attach, close — scoped by province and district exactly like alerts (scopeOf, the
 * same SQL predicates), out of scope answering as missing. Who may act is as for alerts (case-routes.ts roles).
 */
import { z } from 'zod';
import type { BlobStore } from '@paywatch/blob-store';
import type { Db, Queryable } from '@paywatch/db';
import { COMMON_ERRORS, ErrorResponse, requireRole, type HttpApp } from '@paywatch/http-kit';
import { LaoCode, Severity } from '@paywatch/domain';
import type { AuditEntry } from '../audit-log.ts';
import { AlertSummarySchema, AUDIT_ROLES, scopeOf } from '../routes.ts';
import { CASE_ROLES, COMMENT_ROLES, eligibleAssignee } from '../case-routes.ts';
import { DISPOSITIONS } from '../case-store.ts';
import { parseInboxFilter } from '../inbox-filter.ts';
import { notificationsOfAlert } from '../outbox.ts';
import { maskSummarySubject } from '../pii.ts';
import type { AlertRouter, AlertUser } from '../routing.ts';
import { assignCase, caseAlerts, caseComments, closeCase, commentOnCase, getCase, type CaseSummary } from './cases-store.ts';
import { ATTACHMENT_TYPES, attachToCase, caseAttachments, DEFAULT_MAX_ATTACHMENT_BYTES, downloadAttachment } from './case-attachments.ts';
import { caseTimeline } from './case-timeline.ts';
import { INBOX_SORTS, listCases } from './inbox-store.ts';

const CaseParams = z.object({ id: z.string().max(200) });
const Errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

/** A case as every case route returns it. */
export const CaseSchema = z.object({
  caseId: z.string(),
  groupKind: z.enum(['payee', 'batch', 'alert']).describe('what its alerts share: the LAO\'s payee, a batch, or nothing (one alert)'),
  groupLabel: z.string().describe('the payee (bank:account, masked) or batch id'),
  laoCode: z.string(), laoName: z.string().nullable(), provinceCode: z.string(), district: z.string().nullable(),
  status: z.enum(['open', 'closed']),
  severity: Severity.describe('highest severity among its alerts'),
  totalSatang: z.number().int().describe('integer satang of its distinct payments, each counted once'),
  alertCount: z.number().int(),
  assignee: z.string().nullable(), assigneeName: z.string().nullable(),
  openedAt: z.string().describe('first sighting of its first alert (UTC)'),
  dueAt: z.string().describe('openedAt + FOLLOW_UP_DAYS of its highest severity (UTC)'),
  overdue: z.boolean().describe('open and past dueAt'),
  lastAlertAt: z.string(),
  disposition: z.enum(DISPOSITIONS).nullable(), resolutionReason: z.string().nullable(), closedAt: z.string().nullable(), closedBy: z.string().nullable(),
});
const AttachmentSchema = z.object({ attachmentId: z.string(), caseId: z.string(), fileName: z.string(), contentType: z.string(), sizeBytes: z.number().int(), sha256: z.string(), uploadedBy: z.string(), uploadedAt: z.string() });
const Text = z.object({ th: z.string(), en: z.string() });
const PersonSchema = z.object({ sub: z.string(), name: z.string(), role: z.string() });

/** The people who may hold a case or alert of this place: auditors of its province (and district, for district auditors). */
export const assigneesFor = (users: readonly AlertUser[], where: { provinceCode: string; district: string | null }) =>
  users.filter((u) => eligibleAssignee(users, u.sub, where)).map((u) => ({ sub: u.sub, name: u.name ?? u.sub, role: u.role }));

async function auditOfCase(db: Queryable, caseId: string, alertIds: string[]): Promise<AuditEntry[]> {
  const r = await db.query<{ seq: string | number; at: Date | string; actor: string; action: string; alert_id: string | null; payload: Record<string, unknown> }>(
    `SELECT seq, at, actor, action, alert_id, payload FROM audit_log WHERE alert_id = ANY($1::text[])
     UNION SELECT seq, at, actor, action, alert_id, payload FROM audit_log WHERE payload ? 'caseId' AND payload->>'caseId' = $2 ORDER BY seq`, [alertIds, caseId]);
  return r.rows.map((x) => ({ seq: Number(x.seq), at: new Date(x.at).toISOString(), actor: x.actor, action: x.action, alertId: x.alert_id, payload: x.payload, prevHash: '', hash: '' }));
}

/** Adds the case routes. `attachments.store` is the blob store the files go to (none: uploads answer 503). */
export function registerCasesApi(
  app: HttpApp,
  deps: { db: Db; router: AlertRouter; users: readonly AlertUser[]; clock: () => Date; onResolved?: () => void; attachments: { store?: BlobStore | undefined; maxBytes?: number | undefined } },
): void {
  const { db, router, users, clock } = deps;
  const maxBytes = deps.attachments.maxBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  const nameOf = (sub: string) => users.find((u) => u.sub === sub)?.name ?? sub;
  const view = (c: CaseSummary) => ({
    ...c, laoName: router.lao(c.laoCode)?.nameTh ?? null, assigneeName: c.assignee ? nameOf(c.assignee) : null,
    overdue: c.status === 'open' && Date.parse(c.dueAt) < clock().getTime(),
  });
  const alertView = <T extends Parameters<typeof maskSummarySubject>[0] & { laoCode: string }>(a: T) => {
    const { payload: _p, ...rest } = a as T & { payload?: unknown };
    return { ...maskSummarySubject(rest as T), laoName: router.lao(a.laoCode)?.nameTh ?? null };
  };
  const inScope = async (req: { params: { id: string } }, p: Parameters<typeof scopeOf>[0]) => {
    const c = await getCase(db, req.params.id, scopeOf(p));
    if (!c) throw COMMON_ERRORS.notFound('case');
    return c;
  };

  // Attachments arrive as the file's own bytes (no multipart): its type is checked from the bytes, not trusted.
  app.addContentTypeParser([...ATTACHMENT_TYPES], { parseAs: 'buffer', bodyLimit: maxBytes + 64 * 1024 }, (_req, body, done) => done(null, body));

  app.get('/v1/cases', {
    schema: {
      summary: 'Cases in your scope: sorted (newest, severity, amount, age, due), filtered, paged by keyset (nextCursor)',
      tags: ['cases'],
      querystring: z.object({
        sort: z.enum(INBOX_SORTS).default('newest'),
        severity: Severity.optional(), status: z.enum(['open', 'closed']).optional(), lao: LaoCode.optional(),
        province: z.string().max(40).optional(), district: z.string().max(200).optional(), rule: z.string().max(200).optional(),
        minAmountSatang: z.string().max(40).optional().describe('on the case total, integer satang'), maxAmountSatang: z.string().max(40).optional(),
        assignee: z.string().max(200).optional().describe('a sub, or "none" for unassigned'),
        limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().max(512).optional(),
      }),
      response: { 200: z.object({ items: z.array(CaseSchema), nextCursor: z.string().nullable(), total: z.number().int() }), 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse },
    },
  }, async (req) => {
    const p = requireRole(req, ...AUDIT_ROLES);
    const q = req.query;
    const f = parseInboxFilter(q);
    const page = await listCases(db, {
      ...scopeOf(p), sort: q.sort, severity: q.severity, status: q.status, laoCode: q.lao, province: f.province, districtName: f.district, rule: f.rule,
      minAmountSatang: f.minAmountSatang, maxAmountSatang: f.maxAmountSatang, assignee: q.assignee === 'me' ? p.sub : q.assignee || undefined, limit: q.limit, cursor: q.cursor,
    });
    return { items: page.items.map(view), nextCursor: page.nextCursor, total: page.total };
  });

  app.get('/v1/cases/:id', {
    schema: {
      summary: 'One case: its alerts, total, assignee, due date, timeline in sentences, comments and attachments (404 when missing or outside your scope)',
      tags: ['cases'],
      params: CaseParams,
      response: {
        200: z.object({
          case: CaseSchema, alerts: z.array(AlertSummarySchema),
          comments: z.array(z.object({ id: z.number().int(), caseId: z.string(), author: z.string(), authorName: z.string(), text: z.string(), createdAt: z.string() })),
          attachments: z.array(AttachmentSchema),
          timeline: z.array(z.object({ at: z.string(), kind: z.string(), actor: z.string().nullable(), text: Text })),
          assignees: z.array(PersonSchema).describe('who may hold this case'),
          attachmentLimits: z.object({ maxBytes: z.number().int(), types: z.array(z.string()) }),
        }),
        401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse,
      },
    },
  }, async (req) => {
    const p = requireRole(req, ...AUDIT_ROLES);
    const c = await inScope(req, p);
    const alerts = await caseAlerts(db, c.caseId);
    const ids = alerts.map((a) => a.alertId);
    const [comments, attachments, audit, notifications] = await Promise.all([
      caseComments(db, c.caseId), caseAttachments(db, c.caseId), auditOfCase(db, c.caseId, ids),
      Promise.all(ids.map((id) => notificationsOfAlert(db, id))).then((x) => x.flat()),
    ]);
    return {
      case: view(c), alerts: alerts.map(alertView),
      comments: comments.map((x) => ({ ...x, authorName: nameOf(x.author) })), attachments,
      timeline: caseTimeline({ alerts, audit, notifications, nameOf }),
      assignees: assigneesFor(users, c), attachmentLimits: { maxBytes, types: [...ATTACHMENT_TYPES] },
    };
  });

  app.post('/v1/cases/:id/assignee', {
    schema: {
      summary: 'Assign the case — and every unresolved alert of it — to an auditor whose scope covers it (null to unassign)',
      tags: ['cases'], params: CaseParams, body: z.object({ assignee: z.string().max(200).nullable() }),
      response: { 200: z.object({ case: CaseSchema }), ...Errors },
    },
  }, async (req) => {
    const p = requireRole(req, ...CASE_ROLES);
    const c = await assignCase(db, { caseId: req.params.id, scope: scopeOf(p), actor: p, assignee: req.body.assignee, now: clock(), eligible: (sub, x) => eligibleAssignee(users, sub, x) });
    return { case: view(c) };
  });

  app.post('/v1/cases/:id/comments', {
    schema: {
      summary: 'Comment on the case', tags: ['cases'], params: CaseParams, body: z.object({ text: z.string().trim().min(1).max(4_000) }),
      response: { 201: z.object({ id: z.number().int(), caseId: z.string(), author: z.string(), text: z.string(), createdAt: z.string() }), ...Errors },
    },
  }, async (req, reply) => {
    const p = requireRole(req, ...COMMENT_ROLES);
    return reply.status(201).send(await commentOnCase(db, { caseId: req.params.id, scope: scopeOf(p), actor: p, text: req.body.text, now: clock() }));
  });

  app.post('/v1/cases/:id/attachments', {
    schema: {
      summary: `Attach a voucher scan or bank statement: the file's bytes as the body (PDF, PNG or JPEG, ≤ ${Math.floor(maxBytes / 1024 / 1024)} MB), its name in x-file-name (URI-encoded)`,
      tags: ['cases'], params: CaseParams,
      headers: z.object({ 'x-file-name': z.string().max(1_000).optional() }).passthrough(),
      response: { 201: AttachmentSchema, ...Errors, 413: ErrorResponse, 415: ErrorResponse, 503: ErrorResponse },
    },
  }, async (req, reply) => {
    const p = requireRole(req, ...CASE_ROLES);
    let fileName = '';
    try { fileName = decodeURIComponent(String(req.headers['x-file-name'] ?? '')); } catch { fileName = ''; }
    // Another declared type (text, JSON) reaches here parsed: its bytes are then not a PDF or image, whatever they say.
    const body = Buffer.isBuffer(req.body) ? req.body : req.body === undefined || req.body === null ? Buffer.alloc(0) : Buffer.from(typeof req.body === 'string' ? req.body : JSON.stringify(req.body));
    const a = await attachToCase(db, deps.attachments.store, { caseId: req.params.id, scope: scopeOf(p), actor: p, fileName, body, maxBytes, now: clock() });
    return reply.status(201).send(a);
  });

  app.get('/v1/cases/:id/attachments/:attachmentId', {
    schema: {
      summary: 'Download one attachment of a case in your scope (audited: who, when, which file)',
      tags: ['cases'], params: z.object({ id: z.string().max(200), attachmentId: z.string().max(200) }),
      response: { 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 503: ErrorResponse },
    },
  }, async (req, reply) => {
    const p = requireRole(req, ...AUDIT_ROLES);
    const { attachment, body } = await downloadAttachment(db, deps.attachments.store, { caseId: req.params.id, attachmentId: req.params.attachmentId, scope: scopeOf(p), actor: p, now: clock() });
    return reply.header('content-type', attachment.contentType).header('x-content-type-options', 'nosniff')
      .header('content-disposition', `attachment; filename="${attachment.attachmentId}"; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`)
      .header('cache-control', 'no-store').send(body as never);
  });

  app.post('/v1/cases/:id/close', {
    schema: {
      summary: 'Close the case with a disposition: every open alert of it is resolved with that disposition and reason, in one audited transaction',
      tags: ['cases'], params: CaseParams,
      body: z.object({ disposition: z.enum(DISPOSITIONS), reason: z.string().trim().min(1).max(4_000) }),
      response: { 200: z.object({ case: CaseSchema, resolvedAlertIds: z.array(z.string()) }), ...Errors, 409: ErrorResponse },
    },
  }, async (req) => {
    const p = requireRole(req, ...CASE_ROLES);
    const r = await closeCase(db, { caseId: req.params.id, scope: scopeOf(p), actor: p, disposition: req.body.disposition, reason: req.body.reason, now: clock() });
    if (r.resolvedAlertIds.length) deps.onResolved?.();
    return { case: view(r.case), resolvedAlertIds: r.resolvedAlertIds };
  });
}
