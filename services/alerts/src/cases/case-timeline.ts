/**
 * A case's timeline in sentences, Thai and English (ADR 0016): the alerts' first sightings, the notifications sent
 * about them, and every audit entry of the case or of its alerts (actions, comments, reveals, attachments, closing).
 * Pure: it is given the rows and a way to name users; the route reads them.
 */
import type { AuditEntry } from '../audit-log.ts';
import type { AlertSummary } from '../alert-store.ts';
import type { NotificationView } from '../outbox.ts';
import { bahtText, ruleLabelTh, SEVERITY_TH } from '../templates.ts';

/** One line of the timeline. */
export interface TimelineEntry { at: string; kind: string; actor: string | null; text: { th: string; en: string } }

const STATUS_TH: Record<string, string> = { new: 'ใหม่', acknowledged: 'รับทราบแล้ว', investigating: 'กำลังตรวจสอบ', resolved: 'ปิดแล้ว' };
const DISPOSITION_TH: Record<string, string> = { confirmed: 'ยืนยันว่าผิดปกติ', 'false-positive': 'แจ้งเตือนผิดพลาด', explained: 'มีคำชี้แจงที่รับได้', referred: 'ส่งต่อหน่วยงานอื่น' };
const CHANNEL_TH: Record<string, string> = { email: 'อีเมล', webhook: 'เว็บฮุก', line: 'LINE' };

const str = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
const quote = (t: string) => `“${t.length > 300 ? `${t.slice(0, 300)}…` : t}”`;
const sizeText = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

/** Builds the timeline, oldest first. `nameOf` turns a user's sub into the name people know them by. */
export function caseTimeline(input: {
  alerts: readonly AlertSummary[]; audit: readonly AuditEntry[]; notifications: readonly NotificationView[]; nameOf: (sub: string) => string;
}): TimelineEntry[] {
  const rulesOf = new Map(input.alerts.map((a) => [a.alertId, a.ruleIds]));
  const rulesTh = (alertId: string | null) => (alertId ? (rulesOf.get(alertId) ?? []).map(ruleLabelTh).join(', ') || alertId : '');
  const rulesEn = (alertId: string | null) => (alertId ? (rulesOf.get(alertId) ?? []).join(', ') || alertId : '');
  const who = (sub: string) => (sub === 'system' ? 'ระบบ' : input.nameOf(sub));
  const whoEn = (sub: string) => (sub === 'system' ? 'The system' : input.nameOf(sub));
  const out: TimelineEntry[] = [];

  input.alerts.forEach((a, i) => {
    out.push({ at: a.firstSeenAt, kind: 'alert-raised', actor: null, text: {
      th: `ระบบพบการแจ้งเตือน "${a.ruleIds.map(ruleLabelTh).join(', ')}" ความรุนแรง${SEVERITY_TH[a.severity]} ยอด ${bahtText(a.amountSatang)}`,
      en: `The system raised a ${a.severity} alert "${a.ruleIds.join(', ')}" for ${(a.amountSatang / 100).toFixed(2)} baht`,
    } });
    // The first alert opens the case; later ones join it (case_alerts, in the order they joined).
    out.push({ at: a.firstSeenAt, kind: i === 0 ? 'case-opened' : 'case-joined', actor: null, text: i === 0
      ? { th: `ระบบเปิดเรื่องนี้จากการแจ้งเตือน "${a.ruleIds.map(ruleLabelTh).join(', ')}"`, en: `The system opened this case from alert "${a.ruleIds.join(', ')}"` }
      : { th: `ระบบรวมการแจ้งเตือน "${a.ruleIds.map(ruleLabelTh).join(', ')}" เข้าในเรื่องนี้`, en: `The system added alert "${a.ruleIds.join(', ')}" to this case` } });
  });
  for (const n of input.notifications) {
    const ch = CHANNEL_TH[n.channel] ?? n.channel;
    const text = n.status === 'sent'
      ? { th: `ส่ง${ch}แจ้งการแจ้งเตือน "${rulesTh(n.alertId)}" ถึง ${n.recipient} แล้ว`, en: `Sent the ${n.channel} about "${rulesEn(n.alertId)}" to ${n.recipient}` }
      : n.status === 'dead'
        ? { th: `ส่ง${ch}ถึง ${n.recipient} ไม่สำเร็จหลังพยายาม ${n.attempts} ครั้ง`, en: `The ${n.channel} to ${n.recipient} failed after ${n.attempts} attempts` }
        : { th: `${ch}ถึง ${n.recipient} รอส่ง`, en: `The ${n.channel} to ${n.recipient} is waiting to be sent` };
    out.push({ at: n.sentAt ?? n.createdAt, kind: `notification-${n.status}`, actor: null, text });
  }
  for (let e of input.audit) {
    const p = e.payload;
    // Case entries about one alert name it in the payload (their alertId is null: the alert's trail is its own).
    if (!e.alertId && typeof p['alertId'] === 'string') e = { ...e, alertId: p['alertId'] };
    const actor = who(e.actor), actorEn = whoEn(e.actor);
    const onAlert = e.alertId ? { th: ` ของการแจ้งเตือน "${rulesTh(e.alertId)}"`, en: ` of alert "${rulesEn(e.alertId)}"` } : { th: '', en: '' };
    let text: { th: string; en: string } | null;
    switch (e.action) {
      case 'case-reopen': text = { th: `ระบบเปิดเรื่องนี้อีกครั้ง เพราะมีการแจ้งเตือนใหม่ "${rulesTh(e.alertId)}"`, en: `The system reopened this case: a new alert "${rulesEn(e.alertId)}" arrived` }; break;
      case 'case-assign': text = p['to']
        ? { th: `${actor} มอบหมายเรื่องนี้ให้ ${input.nameOf(str(p['to']))}`, en: `${actorEn} assigned this case to ${input.nameOf(str(p['to']))}` }
        : { th: `${actor} ยกเลิกการมอบหมายเรื่องนี้`, en: `${actorEn} unassigned this case` }; break;
      // An assignment made through the case is told once, by its case-assign entry.
      case 'assign': text = p['caseId'] ? null : p['to']
        ? { th: `${actor} มอบหมายการแจ้งเตือน "${rulesTh(e.alertId)}" ให้ ${input.nameOf(str(p['to']))}`, en: `${actorEn} assigned alert "${rulesEn(e.alertId)}" to ${input.nameOf(str(p['to']))}` }
        : { th: `${actor} ยกเลิกการมอบหมายการแจ้งเตือน "${rulesTh(e.alertId)}"`, en: `${actorEn} unassigned alert "${rulesEn(e.alertId)}"` }; break;
      case 'transition': {
        const to = str(p['to']), from = str(p['from']);
        const base = { th: `${actor} เปลี่ยนสถานะการแจ้งเตือน "${rulesTh(e.alertId)}" จาก "${STATUS_TH[from] ?? from}" เป็น "${STATUS_TH[to] ?? to}"`, en: `${actorEn} moved alert "${rulesEn(e.alertId)}" from ${from} to ${to}` };
        text = to === 'resolved'
          ? { th: `${base.th} ผลการพิจารณา "${DISPOSITION_TH[str(p['disposition'])] ?? str(p['disposition'])}" เหตุผล ${quote(str(p['reason']))}`, en: `${base.en}, disposition ${str(p['disposition'])}, reason ${quote(str(p['reason']))}` }
          : base;
        break;
      }
      case 'comment': text = { th: `${actor} แสดงความเห็น${onAlert.th}: ${quote(str(p['text']))}`, en: `${actorEn} commented${onAlert.en}: ${quote(str(p['text']))}` }; break;
      case 'case-comment': text = { th: `${actor} แสดงความเห็น: ${quote(str(p['text']))}`, en: `${actorEn} commented: ${quote(str(p['text']))}` }; break;
      case 'reveal': text = {
        th: `${actor} เปิดดูเลขบัญชีหรือเลขประจำตัวที่ปิดบังไว้${onAlert.th}${p['purpose'] ? ` เพื่อ ${quote(str(p['purpose']))}` : ''}`,
        en: `${actorEn} revealed the masked accounts or IDs${onAlert.en}${p['purpose'] ? ` for ${quote(str(p['purpose']))}` : ''}`,
      }; break;
      case 'snooze': text = { th: `${actor} พักการแจ้งเตือนกฎ "${ruleLabelTh(str(p['ruleId']))}" ของผู้รับเงินนี้ ${str(p['days'])} วัน เหตุผล ${quote(str(p['reason']))}`, en: `${actorEn} snoozed rule ${str(p['ruleId'])} for this payee for ${str(p['days'])} days: ${quote(str(p['reason']))}` }; break;
      case 'notification-suppressed': text = { th: `ระบบไม่ส่งแจ้งการแจ้งเตือน "${rulesTh(e.alertId)}" เพราะอยู่ในช่วงพักการแจ้งเตือน`, en: `The system sent no notification for "${rulesEn(e.alertId)}": it is snoozed` }; break;
      case 'escalate': text = { th: `ระบบส่งการแจ้งเตือน "${rulesTh(e.alertId)}" ต่อถึงผู้บังคับบัญชา เพราะยังไม่มีผู้รับทราบ`, en: `The system escalated "${rulesEn(e.alertId)}": nobody had acknowledged it` }; break;
      case 'case-attach': text = { th: `${actor} แนบไฟล์ "${str(p['fileName'])}" (${sizeText(Number(p['sizeBytes']))})`, en: `${actorEn} attached "${str(p['fileName'])}" (${sizeText(Number(p['sizeBytes']))})` }; break;
      case 'case-attachment-download': text = { th: `${actor} ดาวน์โหลดไฟล์แนบ "${str(p['fileName'])}"`, en: `${actorEn} downloaded the attachment "${str(p['fileName'])}"` }; break;
      case 'case-close': text = {
        th: `${actor} ปิดเรื่องด้วยผลการพิจารณา "${DISPOSITION_TH[str(p['disposition'])] ?? str(p['disposition'])}" เหตุผล ${quote(str(p['reason']))}`,
        en: `${actorEn} closed the case as ${str(p['disposition'])}: ${quote(str(p['reason']))}`,
      }; break;
      default: text = { th: `${actor} ดำเนินการ ${e.action}${onAlert.th}`, en: `${actorEn}: ${e.action}${onAlert.en}` };
    }
    if (text) out.push({ at: e.at, kind: e.action, actor: e.actor, text });
  }
  // Stable: equal instants keep the order above (sighting, notification, then the audit entries in chain order).
  return out.map((x, i) => ({ x, i })).sort((a, b) => a.x.at.localeCompare(b.x.at) || a.i - b.i).map(({ x }) => x);
}
