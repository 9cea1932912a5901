/** `GET /v1/reports/centre`: where to send inspectors, for the caller's scope (central: the country; an auditor: their province). */
import { z } from 'zod';
import type { Db } from '@paywatch/db';
import { Severity, provinceNameTh } from '@paywatch/domain';
import { ErrorResponse, requireRole, type HttpApp } from '@paywatch/http-kit';
import { AGEING_BANDS, centreReport, type RankRow } from './centre-report.ts';
import { DISPOSITIONS } from './case-store.ts';
import { AUDIT_ROLES, scopeOf } from './routes.ts';
import type { AlertRouter } from './routing.ts';

const Count = z.number().int();
const BySeverity = z.object({ critical: Count, high: Count, medium: Count, low: Count });
const RankRowSchema = z.object({
  provinceCode: z.string().describe('two-digit code, "unknown" for LAOs missing from the registry, "*" on the total'),
  provinceNameTh: z.string().nullable(),
  laoCode: z.string().nullable(), laoNameTh: z.string().nullable(), district: z.string().nullable(),
  openSatang: Count.describe('integer satang of the distinct payments the open alerts name (each payment once)'),
  openCount: Count, bySeverity: BySeverity, overdueCount: Count.describe('open alerts past their follow-up deadline'),
});
const Durations = z.object({ count: Count, medianDays: z.number().nullable(), p90Days: z.number().nullable() });
const ByDisposition = <T extends z.ZodType>(t: T) => z.object(Object.fromEntries(DISPOSITIONS.map((d) => [d, t])) as Record<(typeof DISPOSITIONS)[number], T>);

/** The centre report as the API answers it. */
export const CentreReportSchema = z.object({
  generatedAt: z.string(),
  total: RankRowSchema,
  provinces: z.array(RankRowSchema).describe('ranked by open baht, then open critical, high, medium, low'),
  laos: z.array(RankRowSchema).describe('ranked like provinces, at most laoLimit'),
  laosTruncated: z.boolean(),
  trend: z.array(z.object({ month: z.string().describe('YYYY-MM (CE), Bangkok'), raised: Count, amountSatang: Count })).describe('the last 12 months, oldest first'),
  ageing: z.array(z.object({ severity: Severity, followUpDays: Count, counts: z.object(Object.fromEntries(AGEING_BANDS.map((b) => [b, Count])) as Record<(typeof AGEING_BANDS)[number], typeof Count>) })),
  followUp: z.array(z.object({ provinceCode: z.string().nullable().describe('null: the whole scope'), provinceNameTh: z.string().nullable(), acknowledged: Durations, resolved: Durations })),
  rules: z.array(z.object({ ruleId: z.string(), open: Count, resolved: Count, counts: ByDisposition(Count), rates: ByDisposition(z.number().nullable()) })),
});

/** Adds the centre report route. */
export function registerCentreRoutes(app: HttpApp, deps: { db: Db; router: AlertRouter; clock: () => Date }): void {
  const named = (r: RankRow) => ({
    ...r, provinceNameTh: r.provinceCode === '*' ? null : provinceNameTh(r.provinceCode),
    laoNameTh: r.laoCode ? deps.router.lao(r.laoCode)?.nameTh ?? null : null,
  });
  app.get('/v1/reports/centre', {
    schema: {
      summary: 'Where to send inspectors, within your scope: open baht at risk and severities per province and LAO (ranked), monthly trend, ageing against the follow-up deadlines, follow-up times, per-rule outcomes',
      tags: ['reports'],
      querystring: z.object({ laoLimit: z.coerce.number().int().min(1).max(10_000).default(100) }),
      response: { 200: CentreReportSchema, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse },
    },
  }, async (req, reply) => {
    const p = requireRole(req, ...AUDIT_ROLES);
    const report = await centreReport(deps.db, scopeOf(p), deps.clock(), { laoLimit: req.query.laoLimit });
    reply.header('cache-control', 'no-store');
    return {
      ...report, total: named(report.total), provinces: report.provinces.map(named), laos: report.laos.map(named),
      followUp: report.followUp.map((f) => ({ ...f, provinceNameTh: f.provinceCode ? provinceNameTh(f.provinceCode) : null })),
    };
  });
}
