/** The auditors' API, scoped by province (invariant 5: least privilege). The console is the UI; this service serves JSON only. */
import { z } from 'zod';
import { Alert, LaoCode, Severity, Subject } from '@paywatch/domain';
import type { Db } from '@paywatch/db';
import { COMMON_ERRORS, ErrorResponse, type Principal, provinceScope, requireRole, type HttpApp } from '@paywatch/http-kit';
import { countAlertsByStatus, getAlert, listAlerts, type AlertSummary } from './alert-store.ts';
import { parseInboxFilter } from './inbox-filter.ts';
import { CHANNELS, NOTIFICATION_STATUSES, countNotificationsByStatus, listNotifications, notificationsOfAlert, type NotificationView } from './outbox.ts';
import type { AlertRouter } from './routing.ts';
import { ALERT_STATUSES, DISPOSITIONS, commentsOf } from './case-store.ts';
import { maskAlert, maskSummarySubject } from './pii.ts';
import { alertLegalBasis } from './legal-basis.ts';
import { ALERT_ACTIONS, applicableActions } from './alert-actions.ts';

/** Alert statuses of the case workflow (see case-store.ts). */
export const AlertStatus = z.enum(ALERT_STATUSES);

/** An alert as every alerts route returns it. */
export const AlertSummarySchema = z.object({
  alertId: z.string(),
  laoCode: z.string(),
  laoName: z.string().nullable(),
  provinceCode: z.string().describe('"unknown" when the LAO is not in the registry'),
  district: z.string().nullable(),
  severity: Severity,
  ruleIds: z.array(z.string()),
  subject: Subject,
  amountSatang: z.number().int().describe('integer satang'),
  occurredOn: z.string().describe('calendar date YYYY-MM-DD (CE)'),
  ruleSetVersion: z.string(),
  status: z.string(),
  firstSeenAt: z.string().describe('UTC instant'),
  lastSeenAt: z.string().describe('UTC instant'),
  timesSeen: z.number().int().describe('distinct versions received (identical replays do not count)'),
  assignee: z.string().nullable().describe('sub of the auditor holding the case'),
  disposition: z.enum(DISPOSITIONS).nullable(),
  resolutionReason: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  suppressedBy: z.array(z.string()).nullable().describe('snoozes that kept the first sighting from being notified'),
});

/** A comment on a case. */
export const CommentSchema = z.object({
  id: z.number().int(), alertId: z.string(), author: z.string(), text: z.string(),
  references: z.array(z.string()).describe('document numbers (vouchers, letters), not uploads'), createdAt: z.string(),
});

const Text = z.object({ th: z.string(), en: z.string() });
/** Who supervises the LAO and, per rule that fired, what the auditor can do and under which authority (legal-basis.ts). */
const LegalBasisSchema = z.object({ supervision: Text, rules: z.array(z.object({ ruleId: z.string(), action: Text, authority: Text })) });

const NotificationSchema = z.object({
  id: z.string(),
  alertId: z.string(),
  channel: z.enum(CHANNELS),
  status: z.enum(NOTIFICATION_STATUSES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  createdAt: z.string(),
  /** Not for ops: recipients and subjects (which carry the LAO and amount). */
  recipient: z.string().optional(),
  subject: z.string().optional(),
});

/** Roles that may read alerts (each within its scope). */
export const AUDIT_ROLES = ['provincial-auditor', 'district-auditor', 'central', 'admin'] as const;
const OUTBOX_ROLES = ['ops', 'central', 'admin'] as const;

const CursorKey = z.tuple([z.string(), z.string()]);
const encodeCursor = (k: { firstSeenAt: string; alertId: string }): string => Buffer.from(JSON.stringify([k.firstSeenAt, k.alertId])).toString('base64url');
function decodeCursor(cursor: string): { firstSeenAt: string; alertId: string } {
  try {
    const [firstSeenAt, alertId] = CursorKey.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    // PostgreSQL's own timestamptz text (`2026-11-23 02:00:00.123+00`): checked here so SQL never sees junk.
    if (!/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/.test(firstSeenAt)) throw new Error('bad time');
    return { firstSeenAt, alertId };
  } catch {
    throw COMMON_ERRORS.validation([{ path: ['cursor'], message: 'not a cursor returned by this API' }]);
  }
}

/** The scope SQL needs: provinces (null = all) and, for a district auditor, the district. */
export function scopeOf(p: Principal): { provinces: string[] | null; district: string | undefined } {
  return { provinces: provinceScope(p), district: p.role === 'district-auditor' ? p.district : undefined };
}

/** Adds the alerts routes to an app built by `createHttpApp`. */
export function registerAlertRoutes(app: HttpApp, deps: { db: Db; router: AlertRouter }): void {
  const { db, router } = deps;
  // Subjects carry payee accounts: masked in every answer (the audited reveal is the only way to the digits).
  const withName = <T extends AlertSummary>(a: T): T & { laoName: string | null } => ({ ...maskSummarySubject(a), laoName: router.lao(a.laoCode)?.nameTh ?? null });
  const notificationView = (n: NotificationView, full: boolean) => ({
    id: n.id, alertId: n.alertId, channel: n.channel, status: n.status, attempts: n.attempts, lastError: n.lastError,
    nextAttemptAt: n.nextAttemptAt, sentAt: n.sentAt, createdAt: n.createdAt, ...(full ? { recipient: n.recipient, subject: n.subject } : {}),
  });

  app.get('/v1/alerts', {
    schema: {
      summary: 'Alerts in your scope, newest first, with filters and the counts by status of the filtered set (400 PW_ERR_FILTER_INVALID names a bad filter in Thai and English)',
      tags: ['alerts'],
      querystring: z.object({
        severity: Severity.optional(),
        lao: LaoCode.optional(),
        status: AlertStatus.optional(),
        province: z.string().max(40).optional().describe('two-digit province code or "unknown"; narrows your scope, never widens it'),
        district: z.string().max(200).optional().describe('district name (Thai), as in the LAO registry'),
        rule: z.string().max(200).optional().describe('rule id, e.g. split-payment'),
        from: z.string().max(40).optional().describe('payment date from (inclusive): 2026-11-22, 22/11/2569 or 2569-11-22 (years ≥ 2400 are BE)'),
        to: z.string().max(40).optional().describe('payment date to (inclusive), same forms as from'),
        minAmountSatang: z.string().max(40).optional().describe('integer satang, inclusive'),
        maxAmountSatang: z.string().max(40).optional().describe('integer satang, inclusive'),
        limit: z.coerce.number().int().min(1).max(200).default(50),
        cursor: z.string().max(512).optional().describe('nextCursor of the previous page'),
      }),
      response: {
        200: z.object({
          items: z.array(AlertSummarySchema), nextCursor: z.string().nullable(),
          counts: z.object(Object.fromEntries(ALERT_STATUSES.map((st) => [st, z.number().int()])) as Record<(typeof ALERT_STATUSES)[number], z.ZodNumber>)
            .describe('alerts per status matching every filter except status'),
        }),
        400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse,
      },
    },
  }, async (req) => {
    const p = requireRole(req, ...AUDIT_ROLES);
    const q = req.query;
    const f = parseInboxFilter(q);
    const filter = { ...scopeOf(p), severity: q.severity, laoCode: q.lao, province: f.province, districtName: f.district, rule: f.rule, from: f.from, to: f.to, minAmountSatang: f.minAmountSatang, maxAmountSatang: f.maxAmountSatang };
    const [page, byStatus] = await Promise.all([
      listAlerts(db, { ...filter, status: q.status, limit: q.limit, after: q.cursor ? decodeCursor(q.cursor) : undefined }),
      countAlertsByStatus(db, filter),
    ]);
    const counts = Object.fromEntries(ALERT_STATUSES.map((st) => [st, byStatus[st] ?? 0])) as Record<(typeof ALERT_STATUSES)[number], number>;
    return { items: page.items.map(withName), nextCursor: page.last ? encodeCursor(page.last) : null, counts };
  });

  app.get('/v1/alerts/:id', {
    schema: {
      summary: 'One alert with its notifications and comments (404 when missing or outside your scope); accounts and IDs masked',
      tags: ['alerts'],
      params: z.object({ id: z.string().max(200) }),
      response: {
        200: z.object({
          alert: AlertSummarySchema.extend({ payload: Alert }),
          notifications: z.array(NotificationSchema),
          comments: z.array(CommentSchema),
          legalBasis: LegalBasisSchema,
          actions: z.array(z.enum(ALERT_ACTIONS)).describe('the case actions you may take on this alert now (its kind and state decide; the console offers only these)'),
        }),
        401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse,
      },
    },
  }, async (req) => {
    const p = requireRole(req, ...AUDIT_ROLES);
    const alert = await getAlert(db, req.params.id, scopeOf(p));
    // Out of scope and missing are the same answer: whether another province has an alert is itself information.
    if (!alert) throw COMMON_ERRORS.notFound('alert');
    const [notifications, comments] = await Promise.all([notificationsOfAlert(db, alert.alertId), commentsOf(db, alert.alertId)]);
    return {
      alert: { ...withName(alert), payload: maskAlert(alert.payload).masked }, notifications: notifications.map((n) => notificationView(n, true)), comments,
      legalBasis: alertLegalBasis(alert.ruleIds, router.lao(alert.laoCode)?.type ?? null),
      actions: applicableActions(alert, p),
    };
  });

  app.get('/v1/notifications', {
    schema: {
      summary: 'The notification outbox: delivery state for ops (no payment data), with recipients for central',
      tags: ['notifications'],
      querystring: z.object({ status: z.enum(NOTIFICATION_STATUSES).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
      response: {
        200: z.object({ counts: z.object({ pending: z.number().int(), sent: z.number().int(), dead: z.number().int() }), items: z.array(NotificationSchema) }),
        400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse,
      },
    },
  }, async (req) => {
    const p = requireRole(req, ...OUTBOX_ROLES);
    const [counts, items] = await Promise.all([
      countNotificationsByStatus(db),
      listNotifications(db, { status: req.query.status, provinces: null, limit: req.query.limit }),
    ]);
    return { counts, items: items.map((n) => notificationView(n, p.role !== 'ops')) };
  });
}
