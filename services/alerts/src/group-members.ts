/**
 * The payments of group alerts (ADR 0019): a group alert's payload lists the first few, every version on alerts.v1
 * carries the members it added, and this table keeps them all, idempotently (a replayed version inserts nothing new).
 */
import { z } from 'zod';
import { PaymentRef, Severity, Subject, type GroupMember } from '@paywatch/domain';
import type { Db, Queryable } from '@paywatch/db';
import { COMMON_ERRORS, ErrorResponse, requireRole, type HttpApp } from '@paywatch/http-kit';
import { getAlert } from './alert-store.ts';
import { AUDIT_ROLES, scopeOf } from './routes.ts';

/** Stores members of a group alert (the alert row exists); returns how many were new. */
export async function insertGroupMembers(tx: Queryable, alertId: string, members: readonly GroupMember[]): Promise<number> {
  if (members.length === 0) return 0;
  const r = await tx.query(
    `INSERT INTO alert_group_members (alert_id, record_id, batch_id, file, row_no, effective_date, amount_satang, payee_name, payee_bank_code, payee_account_masked, severity, subject, payments)
     SELECT $1, m."recordId", m."batchId", m.file, m.row, m."effectiveDate", m."amountSatang", m."payeeName", m."payeeBankCode", m."payeeAccountMasked", m.severity, m.subject, m.payments
       FROM jsonb_to_recordset($2::jsonb) AS m("recordId" text, "batchId" text, file text, row integer, "effectiveDate" text, "amountSatang" bigint,
            "payeeName" text, "payeeBankCode" text, "payeeAccountMasked" text, severity text, subject jsonb, payments jsonb)
     ON CONFLICT (alert_id, record_id) DO NOTHING`,
    [alertId, JSON.stringify(members)],
  );
  return r.rowCount;
}

interface MemberRow {
  record_id: string; batch_id: string; file: string; row_no: number; effective_date: string; amount_satang: string | number;
  payee_name: string; payee_bank_code: string; payee_account_masked: string; severity: GroupMember['severity']; subject: GroupMember['subject']; payments: GroupMember['payments'];
}

/** One page of a group alert's members in file order, with the full count and total. */
export async function listGroupMembers(db: Queryable, alertId: string, page: { offset: number; limit: number }): Promise<{ total: number; totalSatang: number; items: GroupMember[] }> {
  const [rows, sums] = await Promise.all([
    db.query<MemberRow>(
      `SELECT record_id, batch_id, file, row_no, effective_date, amount_satang, payee_name, payee_bank_code, payee_account_masked, severity, subject, payments
         FROM alert_group_members WHERE alert_id = $1 ORDER BY batch_id, row_no, record_id OFFSET $2 LIMIT $3`,
      [alertId, page.offset, page.limit]),
    db.query<{ n: number | string; s: number | string | null }>('SELECT count(*)::int AS n, sum(amount_satang) AS s FROM alert_group_members WHERE alert_id = $1', [alertId]),
  ]);
  return {
    total: Number(sums.rows[0]?.n ?? 0),
    totalSatang: Number(sums.rows[0]?.s ?? 0),
    items: rows.rows.map((r) => ({
      recordId: r.record_id, batchId: r.batch_id, file: r.file, row: r.row_no, effectiveDate: r.effective_date, amountSatang: Number(r.amount_satang),
      payeeName: r.payee_name, payeeBankCode: r.payee_bank_code, payeeAccountMasked: r.payee_account_masked, severity: r.severity, subject: r.subject, payments: r.payments,
    })),
  };
}

const MemberSchema = z.object({
  recordId: z.string(), batchId: z.string(), file: z.string(), row: z.number().int(), effectiveDate: z.string(), amountSatang: z.number().int(),
  payeeName: z.string(), payeeBankCode: z.string(), payeeAccountMasked: z.string().describe('masked: the audited reveal covers the listed ones'),
  severity: Severity, subject: Subject, payments: z.array(PaymentRef),
});

/** `GET /v1/alerts/:id/payments`: every payment a group alert stands for, a page at a time (404 out of scope). */
export function registerGroupMemberRoutes(app: HttpApp, deps: { db: Db }): void {
  app.get('/v1/alerts/:id/payments', {
    schema: {
      summary: 'Every payment of a group alert (ADR 0019), in file order, a page at a time, with the full count and total; accounts masked. An alert that is not a group has none.',
      tags: ['alerts'],
      params: z.object({ id: z.string().max(200) }),
      querystring: z.object({ offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(1000).default(200) }),
      response: {
        200: z.object({ alertId: z.string(), total: z.number().int(), totalSatang: z.number().int().describe('integer satang'), items: z.array(MemberSchema) }),
        401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse,
      },
    },
  }, async (req) => {
    const p = requireRole(req, ...AUDIT_ROLES);
    const alert = await getAlert(deps.db, req.params.id, scopeOf(p));
    if (!alert) throw COMMON_ERRORS.notFound('alert');
    return { alertId: alert.alertId, ...(await listGroupMembers(deps.db, alert.alertId, req.query)) };
  });
}

// The wire schema and the stored one must agree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameMember: Same<z.infer<typeof MemberSchema>, GroupMember> = true;
void sameMember;
