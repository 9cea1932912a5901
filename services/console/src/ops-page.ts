/** The ops page: readiness, consumer lag per group and partition, throughput, notifications per channel, dead letters. */
import { formatThaiDate } from './format.ts';
import { html, type Raw } from './html.ts';
import { L, type Lang } from './i18n.ts';
import { page, type PageContext } from './layout.ts';
import type { Answer, LagGroup, OpsData } from './ops-data.ts';

const csrfField = (ctx: PageContext) => html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;
const date = (d: string, ctx: PageContext) => formatThaiDate(d, { lang: ctx.lang, withTime: true });
const unavailable = (lang: Lang, status: number) => html`<p class="error">${L(lang, 'อ่านค่าไม่ได้', 'Unavailable')} (${status})</p>`;
const rate = (n: number | null) => (n === null ? '—' : n >= 10 ? n.toFixed(0) : n.toFixed(2));

/** Dead letters: where, why, when, how big, a masked shape — and a Replay button (a CSRF-protected form) for open ones. */
function deadLetterSection(ctx: PageContext, o: OpsData): Raw {
  const { lang } = ctx;
  const d = o.deadLetters.ok;
  const body = o.deadLetters.err !== null ? unavailable(lang, o.deadLetters.err)
    : !d?.items.length ? html`<p>${L(lang, 'ไม่มีข้อความค้างในคิวข้อความเสีย', 'No dead letters')}</p>`
      : html`<table id="dead-letters"><thead><tr><th scope="col">${L(lang, 'หัวข้อ / ออฟเซ็ต', 'Topic / offset')}</th><th scope="col">${L(lang, 'ต้นทาง', 'Source')}</th><th scope="col">${L(lang, 'เหตุผล', 'Reason')}</th><th scope="col">${L(lang, 'รหัส', 'Code')}</th><th scope="col">${L(lang, 'เวลา', 'When')}</th><th scope="col" class="num">${L(lang, 'ขนาด (ไบต์)', 'Size (bytes)')}</th><th scope="col">${L(lang, 'ตัวอย่าง (ปิดบัง)', 'Preview (masked)')}</th><th scope="col">${L(lang, 'ส่งกลับเข้าคิว', 'Replay')}</th></tr></thead>
<tbody>${d.items.map((x) => html`<tr id="dead-letter-${x.id}"><td>${x.dlqTopic} #${x.dlqPartition}/${x.dlqOffset}</td><td>${x.sourceTopic} #${x.sourcePartition}/${x.sourceOffset}${x.replayOf ? html`<br><small>${L(lang, 'ส่งซ้ำจาก', 'replay of')} ${x.replayOf}</small>` : ''}</td><td class="raw">${x.reason}</td><td>${x.code ?? '—'}</td><td>${date(x.deadAt, ctx)}</td><td class="num">${x.sizeBytes}</td><td class="raw">${x.preview}</td>
<td>${x.replayedAt ? html`${L(lang, 'ส่งแล้ว', 'Replayed')} ${date(x.replayedAt, ctx)} ${L(lang, 'โดย', 'by')} ${x.replayedBy ?? '—'}`
  : o.canReplay ? html`<form method="post" action="/ops/dead-letters/${x.id}/replay">${csrfField(ctx)}<button type="submit">${L(lang, 'ส่งกลับเข้าคิว', 'Replay')}</button></form>` : L(lang, 'ยังไม่ได้ส่ง', 'Open')}</td></tr>`)}</tbody></table>`;
  return html`<section class="card" aria-labelledby="dlq-h" id="dead-letter-section"><h2 id="dlq-h">${L(lang, 'ข้อความที่ประมวลผลไม่ได้ (dead letters)', 'Dead letters')}</h2>
${o.replayedId ? html`<p class="notice" role="status" id="replay-notice">${L(lang, `ส่งข้อความหมายเลข ${o.replayedId} กลับเข้าคิวต้นทางแล้ว และบันทึกในประวัติการดำเนินการ`, `Dead letter ${o.replayedId} was replayed to its source topic and recorded in the audit log`)}</p>` : ''}
${d?.counts.length ? html`<ul class="counts" id="dlq-counts">${d.counts.map((c) => html`<li><strong>${c.open}</strong>${c.topic} ${L(lang, 'ค้าง', 'open')} · ${c.replayed} ${L(lang, 'ส่งแล้ว', 'replayed')}</li>`)}</ul>` : ''}
<p>${L(lang, 'แสดงเฉพาะตำแหน่ง เหตุผล ขนาด และรูปแบบของข้อมูล ไม่แสดงข้อมูลการจ่ายเงิน การส่งกลับเข้าคิวทำได้ครั้งเดียวต่อข้อความ', 'Positions, reasons, sizes and the shape of the data only — no payment data. Each dead letter replays once.')}</p>
${body}</section>`;
}

/** Every consumer group's total, then one row per partition (a stuck partition shows even when the total looks small). */
function lagSection(ctx: PageContext, groups: LagGroup[], errors: OpsData['lagErrors']): Raw {
  const { lang } = ctx;
  const total = (g: LagGroup) => g.partitions.reduce((s, p) => s + p.lag, 0);
  return html`<section class="card" aria-labelledby="lag-h"><h2 id="lag-h">${L(lang, 'ความล่าช้าของผู้บริโภคข้อความ ตามกลุ่มและพาร์ทิชัน', 'Consumer lag per group and partition')}</h2>
${errors.map((e) => html`<p class="error">${e.service}: ${L(lang, 'อ่านค่าไม่ได้', 'unavailable')} (${e.status})</p>`)}
<ul class="counts" id="lag-groups">${groups.map((g) => html`<li><strong>${total(g)}</strong>${g.groupId} <small>(${g.service} · ${lang === 'th' ? g.stage.th : g.stage.en})</small></li>`)}</ul>
<table id="lag"><thead><tr><th scope="col">${L(lang, 'กลุ่ม (บริการ)', 'Group (service)')}</th><th scope="col">${L(lang, 'หัวข้อ (topic)', 'Topic')}</th><th scope="col" class="num">${L(lang, 'พาร์ทิชัน', 'Partition')}</th><th scope="col" class="num">${L(lang, 'ออฟเซ็ตที่ยืนยัน', 'Committed')}</th><th scope="col" class="num">${L(lang, 'ออฟเซ็ตล่าสุด', 'End')}</th><th scope="col" class="num">${L(lang, 'ค้าง (lag)', 'Lag')}</th></tr></thead>
<tbody>${groups.flatMap((g) => (g.partitions.length ? g.partitions : [null]).map((p) => p
    ? html`<tr><td>${g.groupId} <small>(${g.service})</small></td><td>${p.topic}</td><td class="num">${p.partition}</td><td class="num">${p.committedOffset ?? '—'}</td><td class="num">${p.endOffset}</td><td class="num">${p.lag}</td></tr>`
    : html`<tr><td>${g.groupId} <small>(${g.service})</small></td><td colspan="5">${L(lang, 'ยังไม่ได้รับมอบพาร์ทิชัน', 'No partitions assigned yet')}</td></tr>`))}</tbody></table></section>`;
}

function referenceLine(lang: Lang, r: Answer<{ enabled: boolean; lists: number; laos: number; caughtUp: boolean }>): Raw {
  if (r.err !== null) return unavailable(lang, r.err);
  const t = r.ok;
  if (!t.enabled) return html`<p id="reference-table">${L(lang, 'detector ไม่ได้เปิดใช้ตารางรายการอ้างอิง', 'The detector runs without a reference table')}</p>`;
  return html`<p id="reference-table">${L(lang, `ตารางรายการอ้างอิงใน detector: ${t.lists} รายการ ของ ${t.laos} อปท.`, `Reference table in the detector: ${t.lists} lists of ${t.laos} LAOs`)} —
${t.caughtUp ? html`<span class="ok">${L(lang, 'อ่านครบแล้ว', 'caught up')}</span>` : html`<span class="bad">${L(lang, 'ยังอ่านไม่ครบ', 'still reading')}</span>`}</p>`;
}

function notificationSection(ctx: PageContext, o: OpsData): Raw {
  const { lang } = ctx;
  const n = o.notifications;
  const channels = o.channels.ok;
  const names = [...new Set([...(channels ?? []).map((c) => c.channel), ...Object.keys(o.failedAttempts)])].sort();
  return html`<section class="card" aria-labelledby="notif-h"><h2 id="notif-h">${L(lang, 'การส่งการแจ้งเตือน', 'Notifications')}</h2>
${n.err !== null ? unavailable(lang, n.err) : html`<ul class="counts" id="notif-counts"><li><strong>${n.ok.counts.pending}</strong>${L(lang, 'รอส่ง', 'pending')}</li><li><strong>${n.ok.counts.sent}</strong>${L(lang, 'ส่งแล้ว', 'sent')}</li><li><strong>${n.ok.counts.dead}</strong>${L(lang, 'ส่งไม่สำเร็จ', 'dead')}</li></ul>`}
<h3 id="channels-h">${L(lang, 'ความล้มเหลวตามช่องทาง', 'Failures by channel')}</h3>
${o.channels.err !== null ? unavailable(lang, o.channels.err) : !names.length ? html`<p>${L(lang, 'ยังไม่มีการส่งในช่องทางใด', 'Nothing sent on any channel yet')}</p>`
    : html`<table id="channels" aria-labelledby="channels-h"><thead><tr><th scope="col">${L(lang, 'ช่องทาง', 'Channel')}</th><th scope="col" class="num">${L(lang, 'กำลังลองส่งใหม่', 'Retrying now')}</th><th scope="col" class="num">${L(lang, 'ส่งไม่สำเร็จ (เลิกส่ง)', 'Dead (gave up)')}</th><th scope="col" class="num">${L(lang, 'ครั้งที่ล้มเหลวตั้งแต่เริ่มบริการ', 'Failed attempts since start')}</th><th scope="col">${L(lang, 'ล้มเหลวตั้งแต่', 'Failing since')}</th><th scope="col">${L(lang, 'ส่งสำเร็จล่าสุด', 'Last sent')}</th><th scope="col">${L(lang, 'สัญญาณเตือน', 'Alarm')}</th></tr></thead>
<tbody>${names.map((name) => {
    const c = channels?.find((x) => x.channel === name);
    return html`<tr><th scope="row">${name}</th><td class="num">${c?.failingPending ?? 0}</td><td class="num">${c?.dead ?? 0}</td><td class="num">${o.failedAttempts[name] ?? 0}</td><td>${c?.failingSince ? date(c.failingSince, ctx) : '—'}</td><td>${c?.lastSentAt ? date(c.lastSentAt, ctx) : '—'}</td><td>${c?.alarm ? html`<span class="bad">${L(lang, 'ล้มเหลวนานเกินเกณฑ์', 'failing too long')}</span>` : html`<span class="ok">${L(lang, 'ปกติ', 'ok')}</span>`}</td></tr>`;
  })}</tbody></table>`}
</section>`;
}

export function opsPage(ctx: PageContext, o: OpsData): string {
  const { lang } = ctx;
  const checks = (b: unknown) => Object.entries(((b as { checks?: Record<string, boolean> } | null)?.checks) ?? {});
  return page(ctx, L(lang, 'สถานะระบบ', 'Operations'), html`
<section class="card" aria-labelledby="ready-h"><h2 id="ready-h">${L(lang, 'ความพร้อมของบริการ', 'Service readiness')}</h2>
<table id="ready"><thead><tr><th scope="col">${L(lang, 'บริการ', 'Service')}</th><th scope="col">${L(lang, 'สถานะ', 'State')}</th><th scope="col">${L(lang, 'ส่วนประกอบ', 'Dependencies')}</th><th scope="col">${L(lang, 'ตัวชี้วัด', 'Metrics')}</th></tr></thead>
<tbody>${o.ready.map((r) => html`<tr><th scope="row">${r.name}</th><td>${r.ok ? html`<span class="ok">${L(lang, 'พร้อม', 'ready')}</span>` : html`<span class="bad">${L(lang, 'ไม่พร้อม', 'not ready')} (${r.status})</span>`}</td><td>${checks(r.body).map(([k, v]) => html`${k}: ${v ? '✓' : '✗'} `)}</td><td><a href="${r.url}/metrics">${r.url}/metrics</a></td></tr>`)}</tbody></table>
${referenceLine(lang, o.reference)}</section>
${lagSection(ctx, o.lagGroups, o.lagErrors)}
<section class="card" aria-labelledby="thru-h"><h2 id="thru-h">${L(lang, 'ปริมาณงานตั้งแต่เริ่มบริการ', 'Throughput since start')}</h2>
<table id="throughput"><thead><tr><th scope="col">${L(lang, 'ตัวนับ', 'Counter')}</th><th scope="col" class="num">${L(lang, 'จำนวน', 'Count')}</th><th scope="col" class="num">${L(lang, 'เฉลี่ยต่อนาที', 'Per minute (average)')}</th></tr></thead><tbody>
${o.throughput.map((t) => html`<tr><th scope="row">${lang === 'th' ? t.th : t.en}</th><td class="num">${t.value === null ? '—' : t.value}</td><td class="num">${rate(t.perMinute)}</td></tr>`)}
</tbody></table></section>
${deadLetterSection(ctx, o)}
${notificationSection(ctx, o)}`);
}
