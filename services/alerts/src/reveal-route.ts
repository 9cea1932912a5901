/**
 * The audited reveal: an auditor who holds an alert's scope may see its accounts and citizen IDs unmasked, and
 * every reveal is an entry (who, which alert, which fields, when) in the hash-chained audit log, committed before
 * the values are sent. Central, admin, ops and finance cannot: unmasking is for the supervising office's own case work.
 */
import { z } from 'zod';
import type { Db } from '@paywatch/db';
import { COMMON_ERRORS, ErrorResponse, requireRole, type HttpApp } from '@paywatch/http-kit';
import { getAlert } from './alert-store.ts';
import { appendAudit } from './audit-log.ts';
import { CASE_ROLES } from './case-routes.ts';
import { ALERTS_ERRORS } from './errors.ts';
import { maskAlert } from './pii.ts';
import { scopeOf } from './routes.ts';

export function registerRevealRoute(app: HttpApp, deps: { db: Db; clock: () => Date }): void {
  app.post('/v1/alerts/:id/reveal', {
    schema: {
      summary: 'Unmask the accounts and citizen IDs of an alert in your scope (auditors only; every reveal is written to the audit log)',
      tags: ['cases'],
      params: z.object({ id: z.string().max(200) }),
      body: z.object({ purpose: z.string().trim().max(500).optional().describe('why, for the audit log') }).nullish(),
      response: {
        200: z.object({
          alertId: z.string(), revealedAt: z.string(),
          values: z.array(z.object({ field: z.string().describe('where in the alert, e.g. subject.key or evidence.payeeAccount'), masked: z.string(), value: z.string() })),
        }),
        400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse,
      },
    },
  }, async (req, reply) => {
    const p = requireRole(req, ...CASE_ROLES);
    const now = deps.clock();
    const result = await deps.db.transaction(async (tx) => {
      const alert = await getAlert(tx, req.params.id, scopeOf(p));
      // Out of scope and missing are one answer (and http-kit logs the 404 with who asked).
      if (!alert) throw COMMON_ERRORS.notFound('alert');
      const { hidden } = maskAlert(alert.payload);
      if (hidden.length === 0) throw ALERTS_ERRORS.nothingToReveal();
      // The trail names the fields, never the values: central reads trails and must not learn the digits from them.
      await appendAudit(tx, {
        at: now, actor: p.sub, action: 'reveal', alertId: alert.alertId,
        payload: { fields: hidden.map((h) => h.field), ...(req.body?.purpose ? { purpose: req.body.purpose } : {}) },
      });
      return { alertId: alert.alertId, revealedAt: now.toISOString(), values: hidden };
    });
    req.log.info({ sub: p.sub, alertId: result.alertId, fields: result.values.length }, 'alert accounts revealed');
    reply.header('cache-control', 'no-store');
    return result;
  });
}
