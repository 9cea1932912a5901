/**
 * `/v1/inbox/…`: the auditor's working list — alerts sorted and paged by keyset (cases are `GET /v1/cases`), the
 * auditors an item can go to, bulk acknowledge and bulk assign, and the user's saved filters. Scoped like alerts.
 */
import { z } from 'zod';
import type { Db } from '@paywatch/db';
import { ErrorResponse, requireRole, type HttpApp, type Principal } from '@paywatch/http-kit';
import { LaoCode, Severity } from '@paywatch/domain';
import { AlertSummarySchema, AlertStatus, AUDIT_ROLES, scopeOf } from '../routes.ts';
import { CASE_ROLES, eligibleAssignee } from '../case-routes.ts';
import { parseInboxFilter } from '../inbox-filter.ts';
import { maskSummarySubject } from '../pii.ts';
import type { AlertRouter, AlertUser } from '../routing.ts';
import { bulkAcknowledge, bulkAssign, MAX_BULK_ITEMS } from './bulk-actions.ts';
import { INBOX_SORTS, listInboxAlerts } from './inbox-store.ts';
import { deleteFilter, saveFilter, savedFiltersOf } from './saved-filters.ts';

const Ids = z.array(z.string().min(1).max(100)).max(MAX_BULK_ITEMS).default([]);
const SavedFilterSchema = z.object({ id: z.number().int(), name: z.string(), query: z.string(), createdAt: z.string() });

/** The auditors who may hold something in the caller's scope (every province of it; a district auditor: their district). */
export function auditorsInScope(users: readonly AlertUser[], p: Principal): Array<{ sub: string; name: string; role: string; provinces: string[]; district: string | null }> {
  const provinces = scopeOf(p).provinces;
  return users
    .filter((u) => u.role === 'provincial-auditor' || u.role === 'district-auditor')
    .filter((u) => provinces === null || (u.provinces ?? []).some((x) => provinces.includes(x)))
    .filter((u) => p.role !== 'district-auditor' || u.role === 'provincial-auditor' || u.district === p.district)
    .map((u) => ({ sub: u.sub, name: u.name ?? u.sub, role: u.role, provinces: [...(u.provinces ?? [])], district: u.district ?? null }));
}

/** Adds the inbox routes. */
export function registerInboxApi(app: HttpApp, deps: { db: Db; router: AlertRouter; users: readonly AlertUser[]; clock: () => Date }): void {
  const { db, router, users, clock } = deps;
  const nameOf = (sub: string | null) => (sub ? users.find((u) => u.sub === sub)?.name ?? sub : null);

  app.get('/v1/inbox/alerts', {
    schema: {
      summary: 'Alerts in your scope sorted by newest, severity, amount, age or due date, with the inbox filters, paged by keyset (nextCursor)',
      tags: ['inbox'],
      querystring: z.object({
        sort: z.enum(INBOX_SORTS).default('newest'),
        severity: Severity.optional(), lao: LaoCode.optional(), status: AlertStatus.optional(),
        province: z.string().max(40).optional(), district: z.string().max(200).optional(), rule: z.string().max(200).optional(),
        from: z.string().max(40).optional(), to: z.string().max(40).optional(),
        minAmountSatang: z.string().max(40).optional(), maxAmountSatang: z.string().max(40).optional(),
        assignee: z.string().max(200).optional().describe('a sub, "me", or "none" for unassigned'),
        limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().max(512).optional(),
      }),
      response: {
        200: z.object({
          items: z.array(AlertSummarySchema.extend({ caseId: z.string().nullable(), dueAt: z.string().nullable(), assigneeName: z.string().nullable() })),
          nextCursor: z.string().nullable(), total: z.number().int(),
        }),
        400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse,
      },
    },
  }, async (req) => {
    const p = requireRole(req, ...AUDIT_ROLES);
    const q = req.query;
    const f = parseInboxFilter(q);
    const page = await listInboxAlerts(db, {
      ...scopeOf(p), severity: q.severity, laoCode: q.lao, status: q.status, province: f.province, districtName: f.district, rule: f.rule, from: f.from, to: f.to,
      minAmountSatang: f.minAmountSatang, maxAmountSatang: f.maxAmountSatang, assignee: q.assignee === 'me' ? p.sub : q.assignee || undefined,
      sort: q.sort, cursor: q.cursor, limit: q.limit,
    });
    return {
      items: page.items.map((a) => ({ ...maskSummarySubject(a), laoName: router.lao(a.laoCode)?.nameTh ?? null, assigneeName: nameOf(a.assignee) })),
      nextCursor: page.nextCursor, total: page.total,
    };
  });

  app.get('/v1/inbox/auditors', {
    schema: {
      summary: 'The auditors of your scope: whom you can assign cases and alerts to (each still checked against the item\'s own province and district)',
      tags: ['inbox'],
      response: { 200: z.object({ items: z.array(z.object({ sub: z.string(), name: z.string(), role: z.string(), provinces: z.array(z.string()), district: z.string().nullable() })) }), 401: ErrorResponse, 403: ErrorResponse },
    },
  }, async (req) => ({ items: auditorsInScope(users, requireRole(req, ...AUDIT_ROLES)) }));

  app.post('/v1/inbox/acknowledge', {
    schema: {
      summary: 'Acknowledge the selected alerts, and every new alert of the selected cases (others unchanged; out of scope counts as not found)',
      tags: ['inbox'], body: z.object({ alertIds: Ids, caseIds: Ids }),
      response: { 200: z.object({ acknowledged: z.array(z.string()), unchanged: z.array(z.string()), notFound: z.array(z.string()) }), 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse },
    },
  }, async (req) => {
    const p = requireRole(req, ...CASE_ROLES);
    return bulkAcknowledge(db, { scope: scopeOf(p), actor: p, alertIds: req.body.alertIds, caseIds: req.body.caseIds, now: clock() });
  });

  app.post('/v1/inbox/assign', {
    schema: {
      summary: 'Assign the selected cases and alerts to one auditor of their scope (refused whole when that auditor may not hold one of them)',
      tags: ['inbox'], body: z.object({ alertIds: Ids, caseIds: Ids, assignee: z.string().max(200).nullable() }),
      response: { 200: z.object({ assigned: z.array(z.string()), notFound: z.array(z.string()) }), 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse },
    },
  }, async (req) => {
    const p = requireRole(req, ...CASE_ROLES);
    return bulkAssign(db, {
      scope: scopeOf(p), actor: p, alertIds: req.body.alertIds, caseIds: req.body.caseIds, assignee: req.body.assignee, now: clock(),
      eligible: (sub, where) => eligibleAssignee(users, sub, where),
    });
  });

  app.get('/v1/inbox/filters', {
    schema: { summary: 'Your saved inbox filters', tags: ['inbox'], response: { 200: z.object({ items: z.array(SavedFilterSchema) }), 401: ErrorResponse, 403: ErrorResponse } },
  }, async (req) => ({ items: await savedFiltersOf(db, requireRole(req, ...AUDIT_ROLES).sub) }));

  app.post('/v1/inbox/filters', {
    schema: {
      summary: 'Save the inbox filter as typed (a query string of inbox parameters) under a name; the same name replaces it',
      tags: ['inbox'], body: z.object({ name: z.string().max(200), query: z.string().max(4_000) }),
      response: { 201: SavedFilterSchema, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse },
    },
  }, async (req, reply) => {
    const p = requireRole(req, ...AUDIT_ROLES);
    return reply.status(201).send(await saveFilter(db, { actor: p, name: req.body.name, query: req.body.query, now: clock() }));
  });

  app.delete('/v1/inbox/filters/:id', {
    schema: {
      summary: 'Delete one of your saved filters', tags: ['inbox'], params: z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }),
      response: { 204: z.null(), 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
    },
  }, async (req, reply) => {
    const p = requireRole(req, ...AUDIT_ROLES);
    await deleteFilter(db, { actor: p, id: req.params.id, now: clock() });
    return reply.status(204).send(null);
  });
}
