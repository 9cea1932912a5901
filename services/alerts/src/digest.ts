/**
 * Daily digests: alerts below a recipient's immediate threshold are listed in one e-mail a day (sent from
 * `sendHour` Bangkok time, covering every earlier day not yet sent). Items are marked in the same transaction as
 * the digest's outbox row, so each alert appears in exactly one digest per recipient.
 */
import { Alert, formatSatangAsBaht, toBangkok } from '@paywatch/domain';
import type { Db, Queryable } from '@paywatch/db';
import type { Logger } from '@paywatch/observability';
import { enqueueNotification } from './outbox.ts';
import { bangkokDay } from './preferences.ts';
import type { AlertRouter } from './routing.ts';
import { alertLink } from './templates.ts';

/** Puts an alert on a recipient's digest list (idempotent). */
export async function queueForDigest(tx: Queryable, recipient: string, alertId: string, now: Date): Promise<void> {
  await tx.query(
    'INSERT INTO digest_items (recipient, alert_id, day, queued_at) VALUES ($1, $2, $3, $4) ON CONFLICT (recipient, alert_id) DO NOTHING',
    [recipient, alertId, bangkokDay(now), now],
  );
}

export interface DigestOptions { sendHour?: number; pollMs?: number }

/** Creates the digester; `tick()` sends what is due and returns how many digests it queued. */
export function createDigester(deps: { db: Db; router: AlertRouter; logger: Logger; consoleBaseUrl: string; clock: () => Date; onQueued?: () => void } & DigestOptions) {
  const sendHour = deps.sendHour ?? 7;
  const log = deps.logger.child({ component: 'digest' });
  async function tick(): Promise<number> {
    const now = deps.clock();
    const today = bangkokDay(now);
    if (toBangkok(now).hour < sendHour) return 0;
    const due = await deps.db.query<{ recipient: string }>('SELECT DISTINCT recipient FROM digest_items WHERE included_at IS NULL AND day < $1 ORDER BY recipient', [today]);
    let queued = 0;
    for (const { recipient } of due.rows) {
      queued += await deps.db.transaction(async (tx) => {
        const items = (await tx.query<{ alert_id: string; payload: unknown }>(
          `SELECT d.alert_id, a.payload FROM digest_items d JOIN alerts a USING (alert_id)
            WHERE d.recipient = $1 AND d.included_at IS NULL AND d.day < $2 ORDER BY a.first_seen_at, d.alert_id FOR UPDATE OF d`, [recipient, today])).rows;
        if (items.length === 0) return 0;
        const alerts = items.map((i) => Alert.parse(i.payload));
        const lines = alerts.map((a, n) => {
          const lao = deps.router.lao(a.laoCode);
          return `${n + 1}. [${a.severity}] ${lao?.nameTh ?? a.laoCode} — ${formatSatangAsBaht(a.amountSatang)} บาท — ${a.reasons.th.split(':')[0]}\n   ${alertLink(deps.consoleBaseUrl, a.alertId)}`;
        });
        const subject = `[paywatch] สรุปการแจ้งเตือนประจำวัน ${alerts.length} รายการ / daily digest (${today})`;
        const body = `สรุปการแจ้งเตือนที่มีความรุนแรงต่ำกว่าเกณฑ์แจ้งทันทีของท่าน — เป็นเหตุให้ตรวจสอบ ไม่ใช่ข้อสรุปว่ามีการกระทำผิด\nAlerts below your immediate-notification threshold — a reason to look, not a finding of wrongdoing.\n\n${lines.join('\n')}\n`;
        const n = await enqueueNotification(tx, { alertId: alerts[0]!.alertId, channel: 'email', address: recipient, subject, body, now, purpose: `digest-${today}` });
        await tx.query('UPDATE digest_items SET included_at = $3 WHERE recipient = $1 AND alert_id = ANY($2::text[])', [recipient, items.map((i) => i.alert_id), now]);
        return n;
      });
    }
    if (queued) { log.info({ digests: queued }, 'daily digests queued'); deps.onQueued?.(); }
    return queued;
  }
  let timer: NodeJS.Timeout | null = null;
  return {
    tick,
    start() { timer ??= setInterval(() => { void tick().catch((err) => log.error({ err }, 'digest tick failed')); }, deps.pollMs ?? 300_000); timer.unref(); },
    stop() { if (timer) clearInterval(timer); timer = null; },
  };
}
