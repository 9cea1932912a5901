/** The demo inbox: one self-contained Thai HTML page (no external assets). The real console comes later. */
import type { Principal } from '@paywatch/http-kit';
import type { AlertSummary } from './alert-store.ts';
import type { NotificationStatus, NotificationView } from './outbox.ts';
import { formatThaiDate } from '@paywatch/domain';
import { SEVERITY_TH, bahtText, formatBangkokDateTime, ruleLabelTh } from './templates.ts';

/** Escapes text for HTML element content and attribute values. */
export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STATUS_TH: Record<NotificationStatus, string> = { pending: 'รอส่ง', sent: 'ส่งแล้ว', dead: 'ส่งไม่สำเร็จ' };

/** What the page shows; null sections are left out (ops see the outbox but no alerts). */
export interface InboxPageModel {
  publicBaseUrl: string;
  principal: Principal | null;
  /** A message for the reader when the token was refused or the role has no access. */
  notice?: string;
  alerts: AlertSummary[] | null;
  notifications: NotificationView[] | null;
  counts: Record<NotificationStatus, number> | null;
  laoName: (laoCode: string) => string | undefined;
  /** Whether recipients and subjects may be shown (not to ops: subjects carry payment data). */
  showRecipients: boolean;
}

const STYLE = `body{font-family:"Sarabun","Noto Sans Thai",Tahoma,sans-serif;margin:2rem;color:#1a1a1a;max-width:72rem}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}th{background:#f4f4f4}
td.num{text-align:right;white-space:nowrap}.sev-critical{color:#fff;background:#8b0000}.sev-high{color:#8b0000;font-weight:bold}
.notice{background:#fff4e5;border:1px solid #f0b36b;padding:.6rem}code,pre{background:#f4f4f4;padding:.1rem .3rem}small{color:#555}`;

function alertsTable(m: InboxPageModel, alerts: AlertSummary[]): string {
  if (alerts.length === 0) return '<p>ยังไม่มีการแจ้งเตือนในขอบเขตของท่าน (no alerts in your scope yet)</p>';
  const rows = alerts.map((a) => `<tr>
<td>${escapeHtml(formatBangkokDateTime(a.firstSeenAt))}</td>
<td>${escapeHtml(m.laoName(a.laoCode) ?? `อปท. รหัส ${a.laoCode}`)}<br><small>${escapeHtml(a.laoCode)} · จังหวัด ${escapeHtml(a.provinceCode)}</small></td>
<td class="sev-${escapeHtml(a.severity)}">${escapeHtml(SEVERITY_TH[a.severity])}</td>
<td>${a.ruleIds.map((r) => escapeHtml(ruleLabelTh(r))).join('<br>')}</td>
<td class="num">${escapeHtml(bahtText(a.amountSatang))}</td>
<td>${escapeHtml(formatThaiDate(a.occurredOn))}</td>
<td>${escapeHtml(a.status)}</td>
<td><code>${escapeHtml(a.alertId)}</code></td>
</tr>`).join('\n');
  return `<table><thead><tr><th>พบเมื่อ</th><th>อปท.</th><th>ระดับ</th><th>เหตุ</th><th>จำนวนเงิน</th><th>วันที่จ่าย</th><th>สถานะ</th><th>รหัส</th></tr></thead><tbody>
${rows}</tbody></table>`;
}

function outboxTable(m: InboxPageModel, items: NotificationView[]): string {
  if (items.length === 0) return '<p>กล่องขาออกว่าง (the outbox is empty)</p>';
  const rows = items.map((n) => `<tr>
<td>${escapeHtml(formatBangkokDateTime(n.createdAt))}</td>
${m.showRecipients ? `<td>${escapeHtml(n.recipient)}</td><td>${escapeHtml(n.subject)}</td>` : ''}
<td>${escapeHtml(STATUS_TH[n.status])}</td>
<td class="num">${n.attempts}</td>
<td>${n.sentAt ? escapeHtml(formatBangkokDateTime(n.sentAt)) : ''}</td>
<td>${escapeHtml(n.lastError ?? '')}</td>
<td><code>${escapeHtml(n.alertId)}</code></td>
</tr>`).join('\n');
  return `<table><thead><tr><th>สร้างเมื่อ</th>${m.showRecipients ? '<th>ผู้รับ</th><th>หัวเรื่อง</th>' : ''}<th>สถานะ</th><th>ครั้งที่ส่ง</th><th>ส่งเมื่อ</th><th>ข้อผิดพลาดล่าสุด</th><th>การแจ้งเตือน</th></tr></thead><tbody>
${rows}</tbody></table>`;
}

function howTo(base: string): string {
  return `<h2>วิธีใช้งาน (how to use)</h2>
<p>หน้านี้เป็นหน้าตัวอย่าง ใส่โทเค็นใน URL เพื่อดูกล่องแจ้งเตือนของท่าน: <code>${escapeHtml(base)}/?token=&lt;JWT&gt;</code></p>
<p>หรือเรียก API โดยตรง (or call the API with a bearer token):</p>
<pre>curl -H "Authorization: Bearer &lt;JWT&gt;" ${escapeHtml(base)}/v1/alerts
curl -H "Authorization: Bearer &lt;JWT&gt;" ${escapeHtml(base)}/v1/alerts/&lt;alertId&gt;</pre>
<p>เอกสาร API (OpenAPI): <a href="/docs">/docs</a></p>`;
}

/** Renders the page. Everything from the database is escaped. */
export function renderInboxPage(m: InboxPageModel): string {
  const base = m.publicBaseUrl.replace(/\/+$/, '');
  const who = m.principal ? `<p>ผู้ใช้: ${escapeHtml(m.principal.name ?? m.principal.sub)} <small>(${escapeHtml(m.principal.role)})</small></p>` : '';
  const parts = [
    m.notice ? `<p class="notice">${escapeHtml(m.notice)}</p>` : '',
    m.alerts ? `<h2>การแจ้งเตือนล่าสุด (recent alerts)</h2>${alertsTable(m, m.alerts)}` : '',
    m.counts ? `<h2>กล่องขาออก (outbox)</h2><p>รอส่ง ${m.counts.pending} · ส่งแล้ว ${m.counts.sent} · ส่งไม่สำเร็จ ${m.counts.dead}</p>` : '',
    m.notifications ? (m.counts ? '' : '<h2>กล่องขาออก (outbox)</h2>') + outboxTable(m, m.notifications) : '',
    m.principal ? '' : howTo(base),
    '<p><small>การแจ้งเตือนเป็นเหตุให้ควรตรวจสอบ ไม่ใช่ข้อสรุปว่ามีการกระทำผิด · An alert is a reason to look, not a finding of wrongdoing.</small></p>',
  ];
  return `<!doctype html>
<html lang="th">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>paywatch — กล่องแจ้งเตือน</title>
<style>${STYLE}</style>
</head>
<body>
<h1>paywatch — กล่องแจ้งเตือนสำหรับผู้ตรวจสอบ</h1>
${who}
${parts.join('\n')}
</body>
</html>
`;
}
