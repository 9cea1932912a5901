/**
 * One case (ADR 0016): what its alerts share, the baht at risk, who holds it and by when, its alerts, the timeline in
 * sentences, attachments, and the forms to assign, comment, attach and close. A refused form comes back on this page
 * with the service's message and what was typed.
 */
import { html, raw, type Raw } from './html.ts';
import { formatBaht, formatThaiDate } from './format.ts';
import { L, dispositionLabel, ruleLabel, severityLabel, statusLabel, DISPOSITIONS } from './i18n.ts';
import { page, type PageContext } from './layout.ts';
import type { CaseDetail } from './case-types.ts';
import { caseStatusLabel, caseTitle, dueCell } from './inbox-page.ts';

/** A form that came back refused: which one, the message, and the values as typed. */
export interface CaseFormError { form: 'assign' | 'comment' | 'attach' | 'close'; message: { th: string; en: string }; values: Record<string, string> }

const sizeText = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

export function casePage(ctx: PageContext, d: CaseDetail, o: { canDecide: boolean; canComment: boolean; error?: CaseFormError | null; notice?: string | null }): string {
  const { lang } = ctx;
  const c = d.case;
  const err = (form: CaseFormError['form']) => (o.error?.form === form ? html`<p class="error" role="alert" id="${form}-error">${lang === 'th' ? o.error.message.th : o.error.message.en}</p>` : '');
  const typed = (form: CaseFormError['form'], k: string) => (o.error?.form === form ? o.error.values[k] ?? '' : '');
  const csrf = html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;
  const open = c.status === 'open';
  const chosenAssignee = o.error?.form === 'assign' ? typed('assign', 'assignee') : c.assignee ?? '';
  const chosenDisposition = typed('close', 'disposition');

  const actions: Raw[] = [];
  if (o.canDecide && open) {
    actions.push(html`<form method="post" action="/cases/${c.caseId}/assign" id="assign-form" aria-labelledby="assign-h"><h3 id="assign-h">${L(lang, 'มอบหมายเรื่อง', 'Assign the case')}</h3>${err('assign')}${csrf}
<label for="assignee">${L(lang, 'ผู้รับผิดชอบ (ผู้ตรวจสอบในพื้นที่)', 'Assignee (an auditor of this area)')}</label>
<select id="assignee" name="assignee"><option value="">${L(lang, '— ยังไม่มอบหมาย —', '— unassigned —')}</option>${d.assignees.map((a) => html`<option value="${a.sub}"${chosenAssignee === a.sub ? raw(' selected') : ''}>${a.name}</option>`)}</select>
<p><button type="submit">${L(lang, 'มอบหมาย', 'Assign')}</button></p></form>`);
  }
  if (o.canComment) {
    actions.push(html`<form method="post" action="/cases/${c.caseId}/comment" id="comment-form" aria-labelledby="comment-h"><h3 id="comment-h">${L(lang, 'แสดงความเห็น', 'Comment')}</h3>${err('comment')}${csrf}
<label for="comment-text">${L(lang, 'ความเห็น', 'Comment')}</label><textarea id="comment-text" name="text" maxlength="4000" required>${typed('comment', 'text')}</textarea>
<p><button type="submit">${L(lang, 'บันทึกความเห็น', 'Add comment')}</button></p></form>`);
  }
  if (o.canDecide) {
    actions.push(html`<form method="post" action="/cases/${c.caseId}/attachments" enctype="multipart/form-data" id="attach-form" aria-labelledby="attach-h"><h3 id="attach-h">${L(lang, 'แนบเอกสาร', 'Attach a document')}</h3>${err('attach')}${csrf}
<label for="attachment">${L(lang, `ภาพสแกนฎีกาหรือรายการเดินบัญชี (PDF, PNG, JPEG ไม่เกิน ${Math.floor(d.attachmentLimits.maxBytes / 1024 / 1024)} MB)`, `Voucher scan or bank statement (PDF, PNG, JPEG, at most ${Math.floor(d.attachmentLimits.maxBytes / 1024 / 1024)} MB)`)}</label>
<input type="file" id="attachment" name="file" required accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg">
<p><button type="submit">${L(lang, 'แนบไฟล์', 'Attach')}</button></p></form>`);
  }
  if (o.canDecide && open) {
    actions.push(html`<form method="post" action="/cases/${c.caseId}/close" id="close-form" aria-labelledby="close-h"><h3 id="close-h">${L(lang, 'ปิดเรื่อง', 'Close the case')}</h3>${err('close')}${csrf}
<p><small>${L(lang, `การแจ้งเตือนที่ยังไม่ปิดทั้ง ${d.alerts.filter((a) => a.status !== 'resolved').length} รายการจะปิดด้วยผลเดียวกัน`, `All ${d.alerts.filter((a) => a.status !== 'resolved').length} open alerts are resolved with the same disposition`)}</small></p>
<label for="disposition">${L(lang, 'ผลการพิจารณา', 'Disposition')}</label>
<select id="disposition" name="disposition" required><option value="">${L(lang, '— เลือก —', '— choose —')}</option>${DISPOSITIONS.map((x) => html`<option value="${x}"${chosenDisposition === x ? raw(' selected') : ''}>${dispositionLabel(x, lang)}</option>`)}</select>
<label for="close-reason">${L(lang, 'เหตุผล', 'Reason')}</label><textarea id="close-reason" name="reason" maxlength="4000" required>${typed('close', 'reason')}</textarea>
<p><button type="submit">${L(lang, 'ปิดเรื่องและการแจ้งเตือนทั้งหมด', 'Close the case and its alerts')}</button></p></form>`);
  }

  return page(ctx, L(lang, `เรื่อง: ${caseTitle(c, lang)}`, `Case: ${caseTitle(c, lang)}`), html`
${o.notice ? html`<p class="notice" role="status" id="case-notice">${o.notice}</p>` : ''}
<section class="card" aria-labelledby="summary-h" id="case-summary"><h2 id="summary-h">${L(lang, 'สรุปเรื่อง', 'Summary')}</h2>
<dl class="kv">
<dt>${L(lang, 'อปท.', 'LAO')}</dt><dd>${c.laoName ?? c.laoCode} (${c.laoCode})${c.district ? html` · ${L(lang, 'อำเภอ', 'district')} ${c.district}` : ''}</dd>
<dt>${L(lang, 'สถานะ', 'Status')}</dt><dd id="case-status">${caseStatusLabel(c.status, lang)}${c.disposition ? html` — ${dispositionLabel(c.disposition, lang)}` : ''}</dd>
<dt>${L(lang, 'ความรุนแรงสูงสุด', 'Highest severity')}</dt><dd><span class="badge sev-${c.severity}">${severityLabel(c.severity, lang)}</span></dd>
<dt>${L(lang, 'ยอดเงินที่เสี่ยง', 'Baht at risk')}</dt><dd id="case-total">${formatBaht(c.totalSatang, lang)} <small>${L(lang, '(แต่ละรายการจ่ายนับครั้งเดียว)', '(each payment counted once)')}</small></dd>
<dt>${L(lang, 'จำนวนการแจ้งเตือน', 'Alerts')}</dt><dd>${c.alertCount}</dd>
<dt>${L(lang, 'ผู้รับผิดชอบ', 'Assignee')}</dt><dd id="case-assignee">${c.assigneeName ?? L(lang, 'ยังไม่มอบหมาย', 'Unassigned')}</dd>
<dt>${L(lang, 'เปิดเรื่องเมื่อ', 'Opened')}</dt><dd>${formatThaiDate(c.openedAt, { lang, withTime: true })}</dd>
<dt>${L(lang, 'ครบกำหนดติดตาม', 'Follow up by')}</dt><dd id="case-due">${dueCell(c.dueAt, c.overdue, ctx)}</dd>
${c.resolutionReason ? html`<dt>${L(lang, 'เหตุผลที่ปิด', 'Closing reason')}</dt><dd>${c.resolutionReason}</dd>` : ''}
</dl></section>
<h2 id="alerts-h">${L(lang, 'การแจ้งเตือนในเรื่องนี้', 'Alerts in this case')}</h2>
<table id="case-alerts" class="stack" aria-labelledby="alerts-h">
<thead><tr><th scope="col">${L(lang, 'ความรุนแรง', 'Severity')}</th><th scope="col">${L(lang, 'กฎ', 'Rule')}</th><th scope="col" class="num">${L(lang, 'จำนวนเงิน', 'Amount')}</th><th scope="col">${L(lang, 'วันที่จ่าย', 'Paid on')}</th><th scope="col">${L(lang, 'สถานะ', 'Status')}</th></tr></thead>
<tbody>${d.alerts.map((a) => html`<tr><td data-label="${L(lang, 'ความรุนแรง', 'Severity')}"><span class="badge sev-${a.severity}">${severityLabel(a.severity, lang)}</span></td>
<td data-label="${L(lang, 'กฎ', 'Rule')}"><a href="/alerts/${a.alertId}">${a.ruleIds.map((r) => ruleLabel(r, lang)).join(', ')}</a></td>
<td data-label="${L(lang, 'จำนวนเงิน', 'Amount')}" class="num">${formatBaht(a.amountSatang, lang)}</td>
<td data-label="${L(lang, 'วันที่จ่าย', 'Paid on')}">${formatThaiDate(a.occurredOn, { lang })}</td>
<td data-label="${L(lang, 'สถานะ', 'Status')}">${statusLabel(a.status, lang)}${a.disposition ? html` — ${dispositionLabel(a.disposition, lang)}` : ''}</td></tr>`)}</tbody></table>
${actions.length ? html`<h2>${L(lang, 'ดำเนินการ', 'Actions')}</h2><div class="actions">${actions}</div>` : ''}
<section class="card" aria-labelledby="attachments-h" id="attachments"><h2 id="attachments-h">${L(lang, 'เอกสารแนบ', 'Attachments')}</h2>
${d.attachments.length ? html`<ul>${d.attachments.map((a) => html`<li><a href="/cases/${c.caseId}/attachments/${a.attachmentId}">${a.fileName}</a> · ${sizeText(a.sizeBytes)} · ${formatThaiDate(a.uploadedAt, { lang, withTime: true })}</li>`)}</ul>` : html`<p>${L(lang, 'ยังไม่มีเอกสารแนบ', 'No attachments yet')}</p>`}
</section>
<section class="card" aria-labelledby="timeline-h"><h2 id="timeline-h">${L(lang, 'ลำดับเหตุการณ์', 'Timeline')}</h2>
<ol class="timeline" id="timeline">${d.timeline.map((t) => html`<li><time datetime="${t.at}">${formatThaiDate(t.at, { lang, withTime: true })}</time> ${lang === 'th' ? t.text.th : t.text.en}</li>`)}</ol>
</section>
<p><a href="/inbox?view=cases">${L(lang, 'กลับไปกล่องแจ้งเตือน', 'Back to the inbox')}</a></p>`);
}
