/**
 * Case-work routes: transitions, assignment, comments, the audit trail, snoozes and the per-rule report.
 * Who may act: auditors within their scope. Central is read-mostly: it reads every alert and trail and may
 * comment (guidance to the province, on the record), but transitions, assignments and snoozes are the
 * supervising province's or district's decisions (their legal powers, not the centre's), so central gets 403.
 */
import { z } from 'zod';
import type { Db } from '@paywatch/db';
import { COMMON_ERRORS, ErrorResponse, requireRole, type HttpApp } from '@paywatch/http-kit';
import { auditTrailOf } from './audit-log.ts';
import { getAlert, type AlertDetail, type AlertSummary } from './alert-store.ts';
import { ALERT_STATUSES, DISPOSITIONS, addComment, assignAlert, transitionAlert } from './case-store.ts';
import { ruleReport, type FeedbackPublisher } from './feedback.ts';
import { AlertSummarySchema, AUDIT_ROLES, CommentSchema, scopeOf } from './routes.ts';
import type { AlertRouter, AlertUser } from './routing.ts';
import { MAX_SNOOZE_DAYS, createSnooze, listActiveSnoozes } from './snoozes.ts';
import { maskSummarySubject } from './pii.ts';
import { maskAccount } from '@paywatch/domain';

/** Roles that decide on a case (within scope). */
export const CASE_ROLES = ['provincial-auditor', 'district-auditor'] as const;
/** Roles that may comment: the deciders, and central for guidance. */
export const COMMENT_ROLES = ['provincial-auditor', 'district-auditor', 'central'] as const;
/** Roles that see the national per-rule report. */
export const REPORT_ROLES = ['central', 'admin'] as const;

const AlertParams = z.object({ id: z.string().max(200) });
const Errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

const AuditEntrySchema = z.object({
  seq: z.number().int(), at: z.string(), actor: z.string(), action: z.string(), alertId: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()), prevHash: z.string(), hash: z.string(),
});
const SnoozeSchema = z.object({
  id: z.string(), laoCode: z.string(), provinceCode: z.string(), district: z.string().nullable(), ruleId: z.string(), payeeAccount: z.string(),
  reason: z.string(), alertId: z.string(), createdBy: z.string(), createdAt: z.string(), expiresAt: z.string(),
});
/** Snoozes name the payee account they silence: masked in answers like every account. */
const maskedSnooze = <T extends { payeeAccount: string }>(s: T): T => ({ ...s, payeeAccount: s.payeeAccount.split(':').map((x) => (/^\d{6,}$/.test(x) ? maskAccount(x) : x)).join(':') });
const NonBlank = (max: number) => z.string().trim().min(1).max(max);

/** Whether `sub` may hold `alert`: an auditor whose province (and district, for a district auditor) covers it. */
export function eligibleAssignee(users: readonly AlertUser[], sub: string, alert: Pick<AlertDetail, 'provinceCode' | 'district'>): boolean {
  const u = users.find((x) => x.sub === sub);
  if (!u || !(u.provinces ?? []).includes(alert.provinceCode)) return false;
  return u.role === 'provincial-auditor' || (u.role === 'district-auditor' && u.district === alert.district);
}

/** Adds the case-work routes. */
export function registerCaseRoutes(
  app: HttpApp,
  deps: { db: Db; router: AlertRouter; users: readonly AlertUser[]; clock: () => Date; feedback: FeedbackPublisher },
): void {
  const { db, router, clock } = deps;
  const withName = <T extends AlertSummary>(a: T) => {
    const { payload: _payload, ...summary } = a as T & { payload?: unknown };
    return { ...maskSummarySubject(summary as AlertSummary), laoName: router.lao(a.laoCode)?.nameTh ?? null };
  };

  app.post('/v1/alerts/:id/transitions', {
    schema: {
      summary: 'Move an alert one step: new → acknowledged → investigating → resolved (disposition and reason required)',
      tags: ['cases'],
      params: AlertParams,
      body: z.object({
        to: z.enum(ALERT_STATUSES).exclude(['new']),
        disposition: z.enum(DISPOSITIONS).optional(),
        reason: z.string().max(4_000).optional().describe('required when resolving'),
      }),
      response: { 200: z.object({ alert: AlertSummarySchema }), ...Errors, 409: ErrorResponse },
    },
  }, async (req) => {
    const p = requireRole(req, ...CASE_ROLES);
    const alert = await transitionAlert(db, {
      alertId: req.params.id, scope: scopeOf(p), actor: p, to: req.body.to, disposition: req.body.disposition, reason: req.body.reason, now: clock(),
    });
    // The feedback row is committed; publishing now only shortens the wait (the publisher's loop would get it too).
    if (alert.status === 'resolved') deps.feedback.flush().catch(() => undefined);
    return { alert: withName(alert) };
  });

  app.post('/v1/alerts/:id/assignee', {
    schema: {
      summary: 'Assign the case to an auditor whose scope covers it (null to unassign)',
      tags: ['cases'],
      params: AlertParams,
      body: z.object({ assignee: z.string().max(200).nullable() }),
      response: { 200: z.object({ alert: AlertSummarySchema }), ...Errors },
    },
  }, async (req) => {
    const p = requireRole(req, ...CASE_ROLES);
    const alert = await assignAlert(db, {
      alertId: req.params.id, scope: scopeOf(p), actor: p, assignee: req.body.assignee, now: clock(),
      eligible: (sub, a) => eligibleAssignee(deps.users, sub, a),
    });
    return { alert: withName(alert) };
  });

  app.get('/v1/alerts/:id/assignees', {
    schema: {
      summary: 'The auditors who may hold this case (its province, and its district for district auditors), for the assign picker',
      tags: ['cases'],
      params: AlertParams,
      response: {
        200: z.object({ items: z.array(z.object({ sub: z.string(), name: z.string().nullable(), role: z.string() })) }),
        401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse,
      },
    },
  }, async (req) => {
    const p = requireRole(req, ...CASE_ROLES);
    const alert = await getAlert(db, req.params.id, scopeOf(p));
    if (!alert) throw COMMON_ERRORS.notFound('alert');
    const items = deps.users.filter((u) => eligibleAssignee(deps.users, u.sub, alert))
      .map((u) => ({ sub: u.sub, name: u.name ?? null, role: u.role }))
      .sort((a, b) => (a.sub === p.sub ? -1 : b.sub === p.sub ? 1 : a.sub.localeCompare(b.sub)));
    return { items };
  });

  app.post('/v1/alerts/:id/comments', {
    schema: {
      summary: 'Comment on a case; `references` cite document numbers (vouchers, letters), not uploads',
      tags: ['cases'],
      params: AlertParams,
      body: z.object({ text: NonBlank(4_000), references: z.array(NonBlank(100)).max(50).default([]) }),
      response: { 201: CommentSchema, ...Errors },
    },
  }, async (req, reply) => {
    const p = requireRole(req, ...COMMENT_ROLES);
    const comment = await addComment(db, { alertId: req.params.id, scope: scopeOf(p), actor: p, text: req.body.text, references: req.body.references, now: clock() });
    return reply.status(201).send(comment);
  });

  app.get('/v1/alerts/:id/audit', {
    schema: {
      summary: 'The audit trail of one alert, oldest first (hash-chained entries)',
      tags: ['cases'],
      params: AlertParams,
      response: { 200: z.object({ items: z.array(AuditEntrySchema) }), 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
    },
  }, async (req) => {
    const p = requireRole(req, ...AUDIT_ROLES);
    const alert = await getAlert(db, req.params.id, scopeOf(p));
    if (!alert) throw COMMON_ERRORS.notFound('alert');
    return { items: await auditTrailOf(db, alert.alertId) };
  });

  app.post('/v1/alerts/:id/snoozes', {
    schema: {
      summary: `Snooze one rule of a reviewed alert for its payee account in its LAO (≤ ${MAX_SNOOZE_DAYS} days, reason required)`,
      tags: ['cases'],
      params: AlertParams,
      body: z.object({ ruleId: z.string().min(1).max(200), days: z.number().int().min(1).max(MAX_SNOOZE_DAYS), reason: NonBlank(2_000) }),
      response: { 201: SnoozeSchema, ...Errors, 409: ErrorResponse },
    },
  }, async (req, reply) => {
    const p = requireRole(req, ...CASE_ROLES);
    const snooze = await createSnooze(db, { alertId: req.params.id, scope: scopeOf(p), actor: p, ruleId: req.body.ruleId, days: req.body.days, reason: req.body.reason, now: clock() });
    return reply.status(201).send(maskedSnooze(snooze));
  });

  app.get('/v1/snoozes', {
    schema: {
      summary: 'Snoozes in force in your scope, soonest to expire first',
      tags: ['cases'],
      response: { 200: z.object({ items: z.array(SnoozeSchema) }), 401: ErrorResponse, 403: ErrorResponse },
    },
  }, async (req) => {
    const p = requireRole(req, ...AUDIT_ROLES);
    return { items: (await listActiveSnoozes(db, scopeOf(p), clock())).map(maskedSnooze) };
  });

  app.get('/v1/reports/rules', {
    schema: {
      summary: 'Per rule and province: confirmed, false-positive and open alerts, and the false-positive rate (false positives / resolved)',
      tags: ['reports'],
      response: {
        200: z.object({
          items: z.array(z.object({
            ruleId: z.string(), provinceCode: z.string(), confirmed: z.number().int(), falsePositive: z.number().int(), explained: z.number().int(),
            referred: z.number().int(), open: z.number().int(), falsePositiveRate: z.number().nullable(),
          })),
        }),
        401: ErrorResponse, 403: ErrorResponse,
      },
    },
  }, async (req) => {
    requireRole(req, ...REPORT_ROLES);
    return { items: await ruleReport(db) };
  });
}
