/**
 * Digests. Daily: alerts below a recipient's immediate threshold are listed in one e-mail a day (sent from
 * `sendHour` Bangkok time, covering every earlier day not yet sent). Window (storm control, ADR 0019): alerts over a
 * recipient's rate limit (notify-rate-limit.ts) are listed in one e-mail when the rate window ends. Items are marked
 * in the same transaction as the digest's outbox row, so each alert appears in exactly one digest per recipient,
 * and a restart neither resends nor loses one (the outbox row's idempotency key names the digest).
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

/** Puts an alert on a recipient's window digest, due when the rate window ends (idempotent). */
export async function queueForWindowDigest(tx: Queryable, recipient: string, alertId: string, now: Date, dueAt: Date): Promise<void> {
  await tx.query(
    `INSERT INTO digest_items (recipient, alert_id, day, queued_at, kind, due_at) VALUES ($1, $2, $3, $4, 'window', $5) ON CONFLICT (recipient, alert_id) DO NOTHING`,
    [recipient, alertId, bangkokDay(now), now, dueAt],
  );
}

/** Alerts a digest lists line by line; beyond, it gives the count and the inbox (a storm's digest stays readable). */
export const DIGEST_MAX_LINES = 200;

/** When daily digests go out (Bangkok hour) and how often the digester looks (window digests are due within a poll). */
export interface DigestOptions { sendHour?: number; pollMs?: number }

/** Creates the digester; `tick()` sends what is due and returns how many digests it queued. */
export function createDigester(deps: { db: Db; router: AlertRouter; logger: Logger; consoleBaseUrl: string; clock: () => Date; onQueued?: () => void } & DigestOptions) {
  const sendHour = deps.sendHour ?? 7;
  const log = deps.logger.child({ component: 'digest' });
  const base = deps.consoleBaseUrl.replace(/\/+$/, '');
  /** The lines of a digest: one per alert up to DIGEST_MAX_LINES, then how many more and where they are. */
  const linesOf = (alerts: Alert[]): string => {
    const lines = alerts.slice(0, DIGEST_MAX_LINES).map((a, n) => {
      const lao = deps.router.lao(a.laoCode);
      return `${n + 1}. [${a.severity}] ${lao?.nameTh ?? a.laoCode} — ${formatSatangAsBaht(a.amountSatang)} บาท — ${a.reasons.th.split(':')[0]}\n   ${alertLink(deps.consoleBaseUrl, a.alertId)}`;
    });
    const more = alerts.length - lines.length;
    if (more > 0) lines.push(`… และอีก ${more} รายการ ดูได้ในกล่องงาน / and ${more} more in the inbox: ${base}/inbox`);
    return lines.join('\n');
  };

  /** Window digests whose window has ended: one per (recipient, window). */
  async function windowTick(now: Date): Promise<number> {
    const due = await deps.db.query<{ recipient: string; due_at: Date | string }>(
      `SELECT DISTINCT recipient, due_at FROM digest_items WHERE kind = 'window' AND included_at IS NULL AND due_at <= $1 ORDER BY due_at, recipient`, [now]);
    let queued = 0;
    for (const { recipient, due_at } of due.rows) {
      const dueAt = new Date(due_at);
      queued += await deps.db.transaction(async (tx) => {
        const items = (await tx.query<{ alert_id: string; payload: unknown }>(
          `SELECT d.alert_id, a.payload FROM digest_items d JOIN alerts a USING (alert_id)
            WHERE d.recipient = $1 AND d.kind = 'window' AND d.included_at IS NULL AND d.due_at = $2 ORDER BY a.first_seen_at, d.alert_id FOR UPDATE OF d`, [recipient, dueAt])).rows;
        if (items.length === 0) return 0;
        const alerts = items.map((i) => Alert.parse(i.payload));
        const until = toBangkok(dueAt);
        const subject = `[paywatch] สรุปการแจ้งเตือนที่เกินอัตราแจ้งทันที ${alerts.length} รายการ / ${alerts.length} alerts over your immediate limit (ถึง ${until.date} ${String(until.hour).padStart(2, '0')}:${String(until.minute).padStart(2, '0')})`;
        const body = `มีการแจ้งเตือนมากกว่าที่ส่งทันทีได้ในช่วงเวลานี้ รายการที่เหลือรวมไว้ในฉบับนี้ — เป็นเหตุให้ตรวจสอบ ไม่ใช่ข้อสรุปว่ามีการกระทำผิด\nMore alerts than your immediate-notification limit arrived in this window; the rest are listed here — a reason to look, not a finding of wrongdoing.\n\n${linesOf(alerts)}\n`;
        const n = await enqueueNotification(tx, { alertId: alerts[0]!.alertId, channel: 'email', address: recipient, subject, body, now, purpose: `window-${dueAt.toISOString()}` });
        await tx.query(`UPDATE digest_items SET included_at = $3 WHERE recipient = $1 AND kind = 'window' AND alert_id = ANY($2::text[])`, [recipient, items.map((i) => i.alert_id), now]);
        return n;
      });
    }
    if (queued) log.info({ digests: queued }, 'rate-window digests queued');
    return queued;
  }

  async function tick(): Promise<number> {
    const now = deps.clock();
    const windowDigests = await windowTick(now);
    return windowDigests + await dailyTick(now);
  }

  async function dailyTick(now: Date): Promise<number> {
    const today = bangkokDay(now);
    if (toBangkok(now).hour < sendHour) return 0;
    const due = await deps.db.query<{ recipient: string }>(`SELECT DISTINCT recipient FROM digest_items WHERE kind = 'daily' AND included_at IS NULL AND day < $1 ORDER BY recipient`, [today]);
    let queued = 0;
    for (const { recipient } of due.rows) {
      queued += await deps.db.transaction(async (tx) => {
        const items = (await tx.query<{ alert_id: string; payload: unknown }>(
          `SELECT d.alert_id, a.payload FROM digest_items d JOIN alerts a USING (alert_id)
            WHERE d.recipient = $1 AND d.kind = 'daily' AND d.included_at IS NULL AND d.day < $2 ORDER BY a.first_seen_at, d.alert_id FOR UPDATE OF d`, [recipient, today])).rows;
        if (items.length === 0) return 0;
        const alerts = items.map((i) => Alert.parse(i.payload));
        const subject = `[paywatch] สรุปการแจ้งเตือนประจำวัน ${alerts.length} รายการ / daily digest (${today})`;
        const body = `สรุปการแจ้งเตือนที่มีความรุนแรงต่ำกว่าเกณฑ์แจ้งทันทีของท่าน — เป็นเหตุให้ตรวจสอบ ไม่ใช่ข้อสรุปว่ามีการกระทำผิด\nAlerts below your immediate-notification threshold — a reason to look, not a finding of wrongdoing.\n\n${linesOf(alerts)}\n`;
        const n = await enqueueNotification(tx, { alertId: alerts[0]!.alertId, channel: 'email', address: recipient, subject, body, now, purpose: `digest-${today}` });
        await tx.query(`UPDATE digest_items SET included_at = $3 WHERE recipient = $1 AND kind = 'daily' AND alert_id = ANY($2::text[])`, [recipient, items.map((i) => i.alert_id), now]);
        return n;
      });
    }
    if (queued) { log.info({ digests: queued }, 'daily digests queued'); deps.onQueued?.(); }
    return queued;
  }
  let timer: NodeJS.Timeout | null = null;
  return {
    tick,
    start() { timer ??= setInterval(() => { void tick().catch((err) => log.error({ err }, 'digest tick failed')); }, deps.pollMs ?? 60_000); timer.unref(); },
    stop() { if (timer) clearInterval(timer); timer = null; },
  };
}
