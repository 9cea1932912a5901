/**
 * Escalation: a critical alert that nobody has acknowledged within `afterMs` is re-sent to the province's head
 * (users flagged `head`, or every provincial auditor of the province when none is) and to the centre. Once per
 * alert: `escalated_at` is set in the same transaction as the outbox rows and the audit entry.
 */
import type { Db } from '@paywatch/db';
import type { Logger } from '@paywatch/observability';
import { Alert } from '@paywatch/domain';
import { appendAudit } from './audit-log.ts';
import { enqueueNotification } from './outbox.ts';
import type { AlertRouter, AlertUser } from './routing.ts';
import { renderAlertEmail } from './templates.ts';

export interface EscalationOptions {
  /** How long a critical alert may stay `new` before it is escalated. Default 4 hours. */
  afterMs?: number;
  /** How often to look. Default 60 s. */
  pollMs?: number;
}

/** Who hears about an escalated alert of a province. */
export function escalationRecipients(users: readonly (AlertUser & { head?: boolean })[], provinceCode: string): { sub: string; email: string }[] {
  const auditors = users.filter((u) => u.role === 'provincial-auditor' && u.provinces?.includes(provinceCode));
  const heads = auditors.filter((u) => u.head);
  const chosen = [...(heads.length ? heads : auditors), ...users.filter((u) => u.role === 'central')];
  return [...new Map(chosen.map((u) => [u.email, { sub: u.sub, email: u.email }])).values()];
}

/** Creates the escalator; `tick()` escalates what is due now and returns how many alerts it escalated. */
export function createEscalator(deps: { db: Db; router: AlertRouter; users: readonly AlertUser[]; logger: Logger; consoleBaseUrl: string; clock: () => Date; onQueued?: () => void } & EscalationOptions) {
  const afterMs = deps.afterMs ?? 4 * 3600_000;
  const log = deps.logger.child({ component: 'escalation' });
  async function tick(): Promise<number> {
    const now = deps.clock();
    const due = await deps.db.query<{ alert_id: string }>(
      `SELECT alert_id FROM alerts WHERE severity = 'critical' AND status = 'new' AND escalated_at IS NULL AND first_seen_at <= $1 ORDER BY first_seen_at LIMIT 100`,
      [new Date(now.getTime() - afterMs)],
    );
    let escalated = 0;
    for (const { alert_id } of due.rows) {
      const done = await deps.db.transaction(async (tx) => {
        // Re-check under the row lock: an auditor may have acknowledged it since the SELECT.
        const row = (await tx.query<{ payload: unknown; province_code: string; status: string; escalated_at: Date | null }>(
          'SELECT payload, province_code, status, escalated_at FROM alerts WHERE alert_id = $1 FOR UPDATE', [alert_id])).rows[0];
        if (!row || row.status !== 'new' || row.escalated_at) return false;
        const alert = Alert.parse(row.payload);
        const mail = renderAlertEmail(alert, deps.router.lao(alert.laoCode) ?? null, deps.consoleBaseUrl);
        const subject = `[ยกระดับ / escalated] ${mail.subject}`;
        const body = `การแจ้งเตือนระดับวิกฤตนี้ยังไม่มีผู้รับทราบภายใน ${Math.round(afterMs / 3600_000)} ชั่วโมง จึงส่งถึงหัวหน้าสำนักงานและส่วนกลาง\nThis critical alert was not acknowledged within ${Math.round(afterMs / 3600_000)} hours and is escalated to the province head and the centre.\n\n${mail.text}`;
        const recipients = escalationRecipients(deps.users, row.province_code);
        for (const r of recipients) await enqueueNotification(tx, { alertId: alert_id, channel: 'email', address: r.email, subject, body, now, purpose: 'escalation' });
        await tx.query('UPDATE alerts SET escalated_at = $2 WHERE alert_id = $1', [alert_id, now]);
        await appendAudit(tx, { at: now, actor: 'system', action: 'escalate', alertId: alert_id, payload: { afterMs, recipients: recipients.map((r) => r.sub) } });
        return true;
      });
      if (done) { escalated++; log.warn({ alertId: alert_id }, 'critical alert not acknowledged in time: escalated'); }
    }
    if (escalated) deps.onQueued?.();
    return escalated;
  }
  let timer: NodeJS.Timeout | null = null;
  return {
    tick,
    start() { timer ??= setInterval(() => { void tick().catch((err) => log.error({ err }, 'escalation tick failed')); }, deps.pollMs ?? 60_000); timer.unref(); },
    stop() { if (timer) clearInterval(timer); timer = null; },
  };
}
