/** Server-rendered pages. Every interpolation goes through `html` (escaped); charts get JSON data blocks. */
import { html, jsonForScript, raw, type Raw } from './html.ts';
import { formatBaht, formatThaiDate, toBeInput } from './format.ts';
import { L, batchStatusLabel, dispositionLabel, ruleLabel, severityLabel, statusLabel, DISPOSITIONS, RULE_IDS, SEVERITIES, STATUSES } from './i18n.ts';
import { actionLabel, auditActionLabel, auditSentence, evidenceKeyLabel, evidenceValueText, fieldLabel, provinceName } from './labels.ts';
import { page, type PageContext } from './layout.ts';
import { referenceSection, type ReferenceRefusal } from './reference-pages.ts';
import { chartBlock, chartFor, payeeHistoryChart, paymentTimeline } from './charts.ts';
import type { AlertDetail, AlertSummary, AuditItem, Batch, Finding, PaymentDetail, ReferenceUpload, Reject, Revealed } from './types.ts';

const csrfField = (ctx: PageContext) => html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;
const sev = (s: string, ctx: PageContext) => html`<span class="badge sev-${s}">${severityLabel(s, ctx.lang)}</span>`;
const baht = (n: number, ctx: PageContext) => formatBaht(n, ctx.lang);
const date = (d: string, ctx: PageContext, withTime = false) => formatThaiDate(d, { lang: ctx.lang, withTime });

/** The sign-in form; `message` (the service's, e.g. how long a throttled login must wait) replaces the default error. */
export function loginPage(ctx: PageContext, o: { error?: boolean; username?: string; message?: { th: string; en: string }; next?: string | null } = {}): string {
  const { lang } = ctx;
  return page(ctx, L(lang, 'เข้าสู่ระบบ', 'Sign in'), html`<section class="card login">
${o.error ? html`<p class="error" role="alert">${o.message ? o.message[lang] : L(lang, 'ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง', 'Wrong username or password')}</p>` : ''}
${o.next ? html`<p class="notice" role="status">${L(lang, 'กรุณาเข้าสู่ระบบ แล้วระบบจะพาไปยังหน้าที่เปิดไว้', 'Sign in and you will be taken to the page you opened')}</p>` : ''}
<form method="post" action="${o.next ? `/login?next=${encodeURIComponent(o.next)}` : '/login'}">
${csrfField(ctx)}
<label for="username">${L(lang, 'ชื่อผู้ใช้', 'Username')}</label>
<input type="text" id="username" name="username" autocomplete="username" required value="${o.username ?? ''}">
<label for="password">${L(lang, 'รหัสผ่าน', 'Password')}</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<p><button type="submit">${L(lang, 'เข้าสู่ระบบ', 'Sign in')}</button></p>
</form>
</section>`);
}

function batchRows(ctx: PageContext, batches: Batch[]): Raw {
  const { lang } = ctx;
  if (!batches.length) return html`<p>${L(lang, 'ยังไม่มีไฟล์ที่อัปโหลด', 'No uploads yet')}</p>`;
  return html`<div class="scroll" tabindex="0" role="region" aria-label="${L(lang, 'ประวัติการอัปโหลด', 'Upload history')}"><table>
<caption class="skip">${L(lang, 'ประวัติการอัปโหลด', 'Upload history')}</caption>
<thead><tr><th scope="col">${L(lang, 'รับไฟล์เมื่อ', 'Received')}</th><th scope="col">${L(lang, 'ไฟล์', 'File')}</th><th scope="col">${L(lang, 'สถานะ', 'Status')}</th><th scope="col" class="num">${L(lang, 'รายการที่รับ', 'Accepted')}</th><th scope="col" class="num">${L(lang, 'รายการที่ไม่รับ', 'Rejected')}</th><th scope="col" class="num">${L(lang, 'ยอดรวม', 'Total')}</th></tr></thead>
<tbody>${batches.map((b) => html`<tr><td>${date(b.receivedAt, ctx, true)}</td><td><a href="/batches/${b.batchId}">${b.fileName}</a></td><td>${batchStatusLabel(b.status, lang)}</td><td class="num">${b.rowsAccepted}</td><td class="num">${b.rowsRejected}</td><td class="num">${baht(b.totalSatang, ctx)}</td></tr>`)}</tbody>
</table></div>`;
}

/** The finance page: a KTB payment file (progress, preview), the LAO's reference lists, and the upload history. */
export function uploadPage(ctx: PageContext, batches: Batch[], reference: { lists: readonly ReferenceUpload[]; refusal?: ReferenceRefusal | null } = { lists: [] }): string {
  const { lang } = ctx;
  const messages = {
    chosen: L(lang, 'เลือกไฟล์:', 'Chosen:'), noFile: L(lang, 'กรุณาเลือกไฟล์ก่อน', 'Choose a file first'),
    uploading: L(lang, 'กำลังส่งไฟล์…', 'Uploading…'), processing: L(lang, 'ส่งไฟล์แล้ว กำลังตรวจรายการ…', 'Uploaded; checking the rows…'),
    duplicate: L(lang, 'ไฟล์นี้เคยอัปโหลดแล้ว', 'This file was uploaded before'), failed: L(lang, 'อัปโหลดไม่สำเร็จ', 'Upload failed'),
    format: L(lang, 'รูปแบบ', 'Format'), encoding: L(lang, 'การเข้ารหัสอักษร', 'Encoding'), bulk: L(lang, 'KTB bulk (ความยาวคงที่)', 'KTB bulk (fixed width)'),
    report: L(lang, 'รายงาน KTB (CSV)', 'KTB report (CSV)'), xlsx: L(lang, 'รายงาน KTB (XLSX)', 'KTB report (XLSX)'), unknown: L(lang, 'ไม่ทราบ', 'unknown'), guess: L(lang, 'ตรวจเบื้องต้นในเบราว์เซอร์ ระบบจะตรวจซ้ำเมื่ออัปโหลด', 'first look in the browser; the server checks again'),
  };
  return page(ctx, L(lang, 'อัปโหลดไฟล์การจ่ายเงิน KTB', 'Upload a KTB payment file'), html`<section class="card">
<form id="upload-form" method="post" action="/upload" enctype="multipart/form-data">
${csrfField(ctx)}
<div class="drop" id="drop">
<label for="file">${L(lang, 'ไฟล์ KTB Corporate Online (ลากไฟล์มาวางที่นี่ หรือเลือกไฟล์)', 'KTB Corporate Online file (drop it here or choose it)')}</label>
<input type="file" id="file" name="file" required accept=".txt,.csv,.xlsx,text/plain,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby="file-preview">
<p id="file-preview" aria-live="polite"></p>
</div>
<p><button type="submit">${L(lang, 'อัปโหลด', 'Upload')}</button></p>
<progress id="upload-progress" max="100" value="0" hidden aria-label="${L(lang, 'ความคืบหน้า', 'Progress')}"></progress>
<p id="upload-state" role="status" aria-live="polite"></p>
</form>
<script type="application/json" id="upload-messages">${jsonForScript(messages)}</script>
</section>
${referenceSection(ctx, reference.lists, reference.refusal ?? null)}
<h2>${L(lang, 'ประวัติการอัปโหลดของ อปท.', "This LAO's uploads")}</h2>
${batchRows(ctx, batches)}`, { scripts: ['/assets/console.js'] });
}

export function batchPage(ctx: PageContext, b: Batch, rejects: Reject[], duplicate: boolean): string {
  const { lang } = ctx;
  return page(ctx, L(lang, `ผลการตรวจไฟล์ ${b.fileName}`, `File check: ${b.fileName}`), html`
${duplicate ? html`<p class="notice warn" role="status">${L(lang, 'ไฟล์นี้เคยอัปโหลดแล้ว ระบบไม่ได้บันทึกซ้ำ — แสดงผลของการอัปโหลดครั้งก่อน', 'This file was uploaded before; nothing was duplicated. Showing the earlier upload.')}</p>` : ''}
<section class="card">
<dl class="kv">
<dt>${L(lang, 'สถานะ', 'Status')}</dt><dd>${batchStatusLabel(b.status, lang)}</dd>
<dt>${L(lang, 'รูปแบบไฟล์', 'Format')}</dt><dd>${b.format ? evidenceValueText('sourceFormat', b.format, lang) : '—'} · ${b.encoding ?? '—'}</dd>
<dt>${L(lang, 'รับไฟล์เมื่อ', 'Received')}</dt><dd>${date(b.receivedAt, ctx, true)}</dd>
<dt>${L(lang, 'จำนวนแถวที่อ่าน', 'Rows read')}</dt><dd>${b.rowsRead}</dd>
<dt>${L(lang, 'รายการที่รับ', 'Rows accepted')}</dt><dd>${b.rowsAccepted}</dd>
<dt>${L(lang, 'รายการที่ไม่รับ', 'Rows rejected')}</dt><dd>${b.rowsRejected}</dd>
<dt>${L(lang, 'ยอดรวมรายการที่รับ', 'Total accepted')}</dt><dd>${baht(b.totalSatang, ctx)}</dd>
${b.header ? html`<dt>${L(lang, 'ยอดตามหัวไฟล์', 'Header total')}</dt><dd>${baht(b.header.declaredTotalSatang, ctx)} (${b.header.declaredCount} ${L(lang, 'รายการ', 'rows')}) ${b.header.matches ? html`<span class="ok">${L(lang, 'ตรงกัน', 'matches')}</span>` : html`<span class="bad">${L(lang, 'ไม่ตรงกับรายการ', 'does not match the rows')}</span>`}</dd>` : ''}
${b.refusal ? html`<dt>${L(lang, 'เหตุที่ไม่รับไฟล์', 'Refused because')}</dt><dd>${b.refusal.message ? (lang === 'th' ? b.refusal.message.th : b.refusal.message.en) : b.refusal.code}</dd>` : ''}
</dl>
</section>
<h2>${L(lang, 'รายการที่ไม่รับ', 'Rejected rows')}</h2>
${rejects.length ? html`<p><a href="/batches/${b.batchId}/rejects.csv" download>${L(lang, 'ดาวน์โหลด CSV', 'Download CSV')}</a></p>
<div class="scroll" tabindex="0" role="region" aria-label="${L(lang, 'รายการที่ไม่รับ', 'Rejected rows')}"><table id="rejects">
<thead><tr><th scope="col" class="num">${L(lang, 'แถว', 'Row')}</th><th scope="col">${L(lang, 'ช่องข้อมูล', 'Field')}</th><th scope="col">${L(lang, 'เหตุผล', 'Reason')}</th><th scope="col">${L(lang, 'ข้อความในไฟล์', 'Raw text')}</th></tr></thead>
<tbody>${rejects.map((r) => html`<tr><td class="num">${r.row}</td><td>${fieldLabel(r.field, lang)}</td><td>${lang === 'th' ? r.message.th : r.message.en}</td><td class="raw">${r.raw}</td></tr>`)}</tbody>
</table></div>` : html`<p>${L(lang, 'ไม่มีรายการที่ถูกปฏิเสธ', 'No rejected rows')}</p>`}
<p><a href="/upload">${L(lang, 'กลับไปหน้าอัปโหลด', 'Back to upload')}</a></p>`);
}

export interface InboxFilters { severity?: string; status?: string; lao?: string; province?: string; rule?: string; district?: string; from?: string; to?: string; minBaht?: string; maxBaht?: string }

/**
 * The inbox: a GET form whose fields the alerts API filters on (works without JS), counts by status of the filtered
 * set from the API, and the matching alerts. Dates are typed and shown in the Buddhist Era (`22/11/2569`).
 */
export function inboxPage(ctx: PageContext, shown: AlertSummary[], f: InboxFilters, counts: Record<string, number> | null, error: { th: string; en: string } | null, scopeProvinces?: string[]): string {
  const { lang } = ctx;
  const provinces = [...new Set([...(scopeProvinces ?? shown.map((a) => a.provinceCode)), ...(f.province ? [f.province] : [])])].sort();
  const rules = [...new Set([...RULE_IDS, ...shown.flatMap((a) => a.ruleIds)])].sort((a, b) => ruleLabel(a, lang).localeCompare(ruleLabel(b, lang), lang));
  const districts = [...new Set(shown.map((a) => a.district).filter((d): d is string => !!d))].sort();
  const opt = (v: string, label: string, cur?: string) => html`<option value="${v}"${cur === v ? raw(' selected') : ''}>${label}</option>`;
  const statusHref = (st: string) => { const u = new URLSearchParams(Object.entries({ ...f, status: st }).filter((e): e is [string, string] => !!e[1])); return `/inbox?${u}`; };
  return page(ctx, L(lang, 'กล่องแจ้งเตือน', 'Alert inbox'), html`
<h2 id="counts-h">${L(lang, 'จำนวนตามสถานะ (ตามตัวกรอง)', 'Counts by status (for these filters)')}</h2>
<ul class="counts" aria-labelledby="counts-h" id="status-counts">${STATUSES.map((st) => html`<li><a href="${statusHref(st)}"${f.status === st ? raw(' aria-current="true"') : ''}><strong>${counts ? counts[st] ?? 0 : '—'}</strong>${statusLabel(st, lang)}</a></li>`)}</ul>
${error ? html`<p class="error" role="alert" id="filter-error">${lang === 'th' ? error.th : error.en}</p>` : ''}
<form method="get" action="/inbox" class="filters card" aria-label="${L(lang, 'ตัวกรอง', 'Filters')}">
<div><label for="f-severity">${L(lang, 'ความรุนแรง', 'Severity')}</label><select id="f-severity" name="severity">${opt('', L(lang, 'ทั้งหมด', 'All'))}${SEVERITIES.map((x) => opt(x, severityLabel(x, lang), f.severity))}</select></div>
<div><label for="f-status">${L(lang, 'สถานะ', 'Status')}</label><select id="f-status" name="status">${opt('', L(lang, 'ทั้งหมด', 'All'))}${STATUSES.map((x) => opt(x, statusLabel(x, lang), f.status))}</select></div>
<div><label for="f-province">${L(lang, 'จังหวัด (รหัส)', 'Province (code)')}</label><select id="f-province" name="province">${opt('', L(lang, 'ทั้งหมด', 'All'))}${provinces.map((p) => opt(p, p, f.province))}</select></div>
<div><label for="f-rule">${L(lang, 'กฎ', 'Rule')}</label><select id="f-rule" name="rule">${opt('', L(lang, 'ทั้งหมด', 'All'))}${rules.map((r) => opt(r, ruleLabel(r, lang), f.rule))}</select></div>
<div><label for="f-district">${L(lang, 'อำเภอ', 'District')}</label><input type="text" id="f-district" name="district" list="f-districts" maxlength="100" size="12" value="${f.district ?? ''}"><datalist id="f-districts">${districts.map((d) => html`<option value="${d}">`)}</datalist></div>
<div><label for="f-from">${L(lang, 'จ่ายตั้งแต่วันที่ (วว/ดด/ปปปป พ.ศ.)', 'Paid from (dd/mm/yyyy, BE or CE)')}</label><input type="text" id="f-from" name="from" inputmode="numeric" placeholder="${L(lang, 'เช่น 1/10/2569', 'e.g. 1/10/2569')}" size="11" maxlength="10" value="${toBeInput(f.from)}"></div>
<div><label for="f-to">${L(lang, 'ถึงวันที่ (วว/ดด/ปปปป พ.ศ.)', 'Paid until (dd/mm/yyyy)')}</label><input type="text" id="f-to" name="to" inputmode="numeric" placeholder="${L(lang, 'เช่น 30/9/2570', 'e.g. 30/9/2570')}" size="11" maxlength="10" value="${toBeInput(f.to)}"></div>
<div><label for="f-min">${L(lang, 'จำนวนเงินตั้งแต่ (บาท)', 'Amount from (baht)')}</label><input type="text" id="f-min" name="minBaht" inputmode="decimal" size="12" value="${f.minBaht ?? ''}"></div>
<div><label for="f-max">${L(lang, 'ถึง (บาท)', 'Amount up to (baht)')}</label><input type="text" id="f-max" name="maxBaht" inputmode="decimal" size="12" value="${f.maxBaht ?? ''}"></div>
<div><label for="f-lao">${L(lang, 'รหัส อปท.', 'LAO code')}</label><input type="text" id="f-lao" name="lao" inputmode="numeric" pattern="\\d{7}" size="9" value="${f.lao ?? ''}"></div>
<div><button type="submit">${L(lang, 'กรอง', 'Filter')}</button> <a href="/inbox">${L(lang, 'ล้างตัวกรอง', 'Clear')}</a></div>
</form>
${shown.length ? html`<table id="alerts">
<thead><tr><th scope="col">${L(lang, 'ความรุนแรง', 'Severity')}</th><th scope="col">${L(lang, 'กฎ', 'Rule')}</th><th scope="col">${L(lang, 'อปท.', 'LAO')}</th><th scope="col">${L(lang, 'จังหวัด', 'Province')}</th><th scope="col" class="num">${L(lang, 'จำนวนเงิน', 'Amount')}</th><th scope="col">${L(lang, 'วันที่จ่าย', 'Paid on')}</th><th scope="col">${L(lang, 'สถานะ', 'Status')}</th><th scope="col">${L(lang, 'พบเมื่อ', 'First seen')}</th></tr></thead>
<tbody>${shown.map((a) => html`<tr><td>${sev(a.severity, ctx)}</td><td><a href="/alerts/${a.alertId}">${a.ruleIds.map((r) => ruleLabel(r, lang)).join(', ')}</a></td><td>${a.laoName ?? a.laoCode}</td><td>${a.provinceCode}</td><td class="num">${baht(a.amountSatang, ctx)}</td><td>${date(a.occurredOn, ctx)}</td><td>${statusLabel(a.status, lang)}</td><td>${date(a.firstSeenAt, ctx, true)}</td></tr>`)}</tbody>
</table>` : html`<p>${L(lang, 'ไม่มีการแจ้งเตือนตามเงื่อนไข', 'No alerts match')}</p>`}`);
}

/** Evidence arrays of objects shown elsewhere on the page (the payments table, the payee chart) or as a chart. */
const EVIDENCE_SHOWN_ELSEWHERE = new Set(['paymentDetails', 'payeeHistory', 'firstDigitShares']);

/**
 * The evidence as rows a person reads: every key by its Thai label (the code small beside it, for the rule's
 * documentation), satang as baht, dates in the Buddhist Era, nested objects flattened (`lao.robustZ`), lists of
 * scalars joined, lists of records (other LAOs' payments) one row per field.
 */
function evidenceRows(e: Record<string, unknown>, ctx: PageContext): Raw[] {
  const rows: Raw[] = [];
  const { lang } = ctx;
  const row = (path: string, text: string) => rows.push(html`<tr><th scope="row">${evidenceKeyLabel(path, lang)} <small lang="en">(${path})</small></th><td class="num">${text}</td></tr>`);
  const walk = (path: string, v: unknown, depth: number) => {
    if (v === undefined) return;
    if (Array.isArray(v)) {
      if (v.every((x) => x === null || typeof x !== 'object')) { if (v.length) row(path, evidenceValueText(path, v, lang)); return; }
      if (depth < 3) v.slice(0, 20).forEach((x, i) => walk(`${path}[${i}]`, x, depth + 1));
      return;
    }
    if (v && typeof v === 'object') { if (depth < 3) for (const [k, x] of Object.entries(v)) walk(`${path}.${k}`, x, depth + 1); return; }
    row(path, evidenceValueText(path, v, lang));
  };
  for (const [k, v] of Object.entries(e)) if (!EVIDENCE_SHOWN_ELSEWHERE.has(k)) walk(k, v, 0);
  return rows;
}

/** What the auditor can do, and under which authority: the LAO's supervisor, then one step per rule. */
function legalSection(ctx: PageContext, d: AlertDetail): Raw | string {
  const b = d.legalBasis;
  if (!b) return '';
  const { lang } = ctx;
  const t = (x: { th: string; en: string }) => (lang === 'th' ? x.th : x.en);
  return html`<section class="card" aria-labelledby="legal-h" id="legal-basis"><h2 id="legal-h">${L(lang, 'ฐานอำนาจและสิ่งที่ดำเนินการได้', 'Legal basis and what you can do')}</h2>
<p>${t(b.supervision)}</p>
<table id="legal-rules"><thead><tr><th scope="col">${L(lang, 'กฎ', 'Rule')}</th><th scope="col">${L(lang, 'สิ่งที่ดำเนินการได้', 'What you can do')}</th><th scope="col">${L(lang, 'อ้างอิง', 'Authority')}</th></tr></thead>
<tbody>${b.rules.map((r) => html`<tr><th scope="row">${ruleLabel(r.ruleId, lang)}</th><td>${t(r.action)}</td><td>${t(r.authority)}</td></tr>`)}</tbody></table>
<p><small>${L(lang, 'การแจ้งเตือนเป็นเหตุให้ควรตรวจสอบ ไม่ใช่ข้อสรุปว่ามีการกระทำผิด', 'An alert is a reason to look, not a finding of wrongdoing.')}</small></p></section>`;
}

/** Where a revealed value sits, in words (the API names fields like `evidence.payeeAccount`). */
const revealedFieldLabel = (field: string, lang: 'th' | 'en') => (field === 'subject.key'
  ? L(lang, 'ผู้รับเงินที่ถูกแจ้งเตือน (ธนาคาร:บัญชี)', 'Payee of the alert (bank:account)')
  : /citizen|payeeid|idcard|taxid/i.test(field) ? L(lang, 'เลขประจำตัวประชาชน/ผู้เสียภาษี', 'Citizen / tax ID')
    : /reasons|fileName/.test(field) ? L(lang, 'ตัวเลขในข้อความหรือชื่อไฟล์', 'Digits in a text or file name') : L(lang, 'เลขบัญชี', 'Account number'));

/** An auditor who may hold the case (alerts' `GET /v1/alerts/:id/assignees`). */
export interface Assignable { sub: string; name: string | null; role: string }

/** A refused action, shown inside its own form with what the auditor typed (never a bare error page). */
export interface ActionError { action: string; message: { th: string; en: string }; values: Record<string, string> }

/** What the alert page shows besides the alert: values just revealed, the assign picker's people, a refused action. */
export interface AlertPageExtras { assignees?: readonly Assignable[] | null; actionError?: ActionError | null }

const errorIn = (ctx: PageContext, err: ActionError | null | undefined, action: string): Raw | string =>
  err && err.action === action ? html`<p class="error" role="alert" id="action-error">${actionLabel(action, ctx.lang)}: ${ctx.lang === 'th' ? err.message.th : err.message.en}</p>` : '';
const typed = (err: ActionError | null | undefined, action: string, field: string, fallback = ''): string => (err && err.action === action ? err.values[field] ?? fallback : fallback);

/** The reveal: a form for the auditor in scope (POST + CSRF, audited upstream), or the values just revealed. */
function revealSection(ctx: PageContext, alertId: string, canReveal: boolean, revealed: Revealed | null, err: ActionError | null | undefined): Raw | string {
  const { lang } = ctx;
  if (revealed) {
    return html`<section class="card" aria-labelledby="reveal-h" id="revealed"><h2 id="reveal-h">${L(lang, 'เลขบัญชีและเลขประจำตัวที่เปิดดู', 'Revealed accounts and IDs')}</h2>
<p class="notice warn" role="status">${L(lang, `การเปิดดูครั้งนี้บันทึกในประวัติการดำเนินการแล้ว (${formatThaiDate(revealed.revealedAt, { lang, withTime: true })}) ข้อมูลจะไม่แสดงอีกเมื่อโหลดหน้าใหม่`, `This reveal is recorded in the audit trail (${formatThaiDate(revealed.revealedAt, { lang, withTime: true })}); the values are not shown again when the page reloads.`)}</p>
<div class="scroll"><table id="revealed-values"><thead><tr><th scope="col">${L(lang, 'ข้อมูล', 'What')}</th><th scope="col">${L(lang, 'แบบปิดบัง', 'Masked')}</th><th scope="col">${L(lang, 'ค่าจริง', 'Value')}</th></tr></thead>
<tbody>${revealed.values.map((v) => html`<tr><th scope="row">${revealedFieldLabel(v.field, lang)}</th><td>${v.masked}</td><td class="revealed">${v.value}</td></tr>`)}</tbody></table></div></section>`;
  }
  if (!canReveal) return '';
  return html`<section class="card" aria-labelledby="reveal-h"><h2 id="reveal-h">${L(lang, 'เปิดดูเลขบัญชีเต็ม', 'Reveal full account numbers')}</h2>
<p>${L(lang, 'เลขบัญชีและเลขประจำตัวถูกปิดบังไว้ การเปิดดูจะถูกบันทึกชื่อผู้ดู เวลา และการแจ้งเตือนนี้ไว้ในประวัติการดำเนินการ', 'Accounts and IDs are masked. Revealing them records who, when and this alert in the audit trail.')}</p>
<form method="post" action="/alerts/${alertId}/reveal" id="action-reveal">${csrfField(ctx)}${errorIn(ctx, err, 'reveal')}
<label for="reveal-purpose">${L(lang, 'วัตถุประสงค์ (ไม่บังคับ)', 'Purpose (optional)')}</label>
<input type="text" id="reveal-purpose" name="purpose" maxlength="500" value="${typed(err, 'reveal', 'purpose')}">
<p><button type="submit" class="secondary">${L(lang, 'เปิดดูเลขบัญชี', 'Reveal accounts')}</button></p></form></section>`;
}

/** The actions the alerts service says apply (or, from an older service, what the role may do on an open alert). */
function offeredActions(d: AlertDetail, canAct: boolean, role: string | undefined): Set<string> {
  if (Array.isArray(d.actions)) return new Set(d.actions);
  const open = d.alert.status !== 'resolved';
  const out = new Set<string>();
  if (canAct) { out.add('reveal'); out.add('comment'); if (open) { out.add('assign'); out.add('resolve'); out.add('snooze'); } if (d.alert.status === 'new') out.add('acknowledge'); }
  if (role === 'central') out.add('comment');
  return out;
}

/** The assign form: a picker of the auditors the alert's scope covers (a text field only when the list is unavailable). */
function assignForm(ctx: PageContext, a: AlertDetail['alert'], assignees: readonly Assignable[] | null | undefined, err: ActionError | null | undefined): Raw {
  const { lang } = ctx;
  const chosen = typed(err, 'assign', 'assignee', a.assignee ?? ctx.viewer?.sub ?? '');
  const who = (u: Assignable) => `${u.name ?? u.sub} (${u.sub}${u.role === 'district-auditor' ? L(lang, ', ท้องถิ่นอำเภอ', ', district') : ''})`;
  const field = assignees
    ? html`<select id="assignee" name="assignee">${assignees.map((u) => html`<option value="${u.sub}"${u.sub === chosen ? raw(' selected') : ''}>${who(u)}</option>`)}${a.assignee ? html`<option value=""${chosen === '' ? raw(' selected') : ''}>${L(lang, '— ยกเลิกการมอบหมาย —', '— unassign —')}</option>` : ''}</select>`
    : html`<input type="text" id="assignee" name="assignee" maxlength="200" value="${chosen}">`;
  return html`<form method="post" action="/alerts/${a.alertId}/assign" id="action-assign">${csrfField(ctx)}${errorIn(ctx, err, 'assign')}
<label for="assignee">${L(lang, 'ผู้รับผิดชอบเรื่อง', 'Assignee')}</label>
${field}
<p><button type="submit" class="secondary">${L(lang, 'มอบหมาย', 'Assign')}</button></p></form>`;
}

/**
 * One alert: summary, evidence per finding (labels in Thai, values in baht and BE dates), charts, payments, the legal
 * basis, and only the actions the alerts service says apply to this alert's kind and state (`d.actions`). A refused
 * action comes back here with its message inside its form and the form as typed.
 */
export function alertPage(ctx: PageContext, d: AlertDetail, audit: AuditItem[], canAct: boolean, revealed: Revealed | null = null, extras: AlertPageExtras = {}): string {
  const { lang } = ctx;
  const a = d.alert;
  const err = extras.actionError ?? null;
  const offered = offeredActions(d, canAct, ctx.viewer?.role);
  const has = (x: string) => offered.has(x);
  const findings = a.payload.findings;
  const payments: PaymentDetail[] = findings.flatMap((f) => (Array.isArray(f.evidence.paymentDetails) ? f.evidence.paymentDetails as PaymentDetail[] : f.payments.map((p) => ({ row: p.row, file: p.file }))));
  const seen = new Set<string>();
  const uniquePayments = payments.filter((p) => { const k = `${p.file}:${p.row}`; if (seen.has(k)) return false; seen.add(k); return true; });
  // The payee's history when the detector sent it; else the alert's own payments over time.
  const timeline = payeeHistoryChart(a.payload.evidence?.payeeHistory, new Set(findings.flatMap((f) => f.payments.map((p) => p.recordId))), lang) ?? paymentTimeline(uniquePayments, a.occurredOn, lang);
  const snoozeRule = typed(err, 'snooze', 'ruleId');
  const ruleOptions = a.ruleIds.map((r) => html`<option value="${r}"${r === snoozeRule ? raw(' selected') : ''}>${ruleLabel(r, lang)}</option>`);
  const disposition = typed(err, 'resolve', 'disposition');
  const anyAction = ['acknowledge', 'assign', 'resolve', 'snooze'].some(has);
  return page(ctx, L(lang, `การแจ้งเตือน: ${a.ruleIds.map((r) => ruleLabel(r, lang)).join(', ')}`, `Alert: ${a.ruleIds.map((r) => ruleLabel(r, lang)).join(', ')}`), html`
<section class="card" aria-labelledby="summary-h">
<h2 id="summary-h">${L(lang, 'สรุป', 'Summary')}</h2>
<dl class="kv">
<dt>${L(lang, 'ความรุนแรง', 'Severity')}</dt><dd>${sev(a.severity, ctx)}</dd>
<dt>${L(lang, 'สถานะ', 'Status')}</dt><dd id="alert-status">${statusLabel(a.status, lang)}${a.disposition ? html` — ${dispositionLabel(a.disposition, lang)}` : ''}</dd>
<dt>${L(lang, 'อปท.', 'LAO')}</dt><dd id="alert-lao">${a.laoName ?? ''} (${a.laoCode})${a.district ? html` ${L(lang, 'อำเภอ', 'district')}${a.district}` : ''} ${L(lang, 'จังหวัด', 'province ')}${provinceName(a.provinceCode, lang)}</dd>
<dt>${L(lang, 'จำนวนเงิน', 'Amount')}</dt><dd>${baht(a.amountSatang, ctx)}</dd>
<dt>${L(lang, 'วันที่จ่าย', 'Paid on')}</dt><dd>${date(a.occurredOn, ctx)}</dd>
<dt>${L(lang, 'ผู้รับผิดชอบ', 'Assignee')}</dt><dd id="alert-assignee">${a.assignee ? (extras.assignees?.find((u) => u.sub === a.assignee)?.name ?? a.assignee) : '—'}</dd>
<dt>${L(lang, 'พบครั้งแรก', 'First seen')}</dt><dd>${date(a.firstSeenAt, ctx, true)}</dd>
${a.resolutionReason ? html`<dt>${L(lang, 'เหตุผลการปิดเรื่อง', 'Resolution reason')}</dt><dd>${a.resolutionReason}</dd>` : ''}
</dl>
</section>
${findings.map((f, i) => {
    const chart = chartFor(f, lang);
    return html`<section class="card" aria-labelledby="finding-${i}">
<h2 id="finding-${i}">${ruleLabel(f.ruleId, lang)} ${sev(f.severity, ctx)}</h2>
<p class="reason">${lang === 'th' ? f.reasons.th : f.reasons.en}</p>
${chart ? chartBlock(`chart-${i}`, chart) : ''}
<h3>${L(lang, 'หลักฐานเป็นตัวเลข', 'Evidence')}</h3>
<div class="scroll"><table class="evidence"><tbody>${evidenceRows(f.evidence, ctx)}</tbody></table></div>
</section>`;
  })}
<section class="card" aria-labelledby="payments-h">
<h2 id="payments-h">${L(lang, 'รายการจ่ายที่เกี่ยวข้อง', 'Payments involved')}</h2>
${timeline ? chartBlock('chart-payments', timeline) : ''}
<div class="scroll" tabindex="0" role="region" aria-labelledby="payments-h"><table id="payments"><thead><tr><th scope="col">${L(lang, 'ไฟล์ / แถว', 'File / row')}</th><th scope="col">${L(lang, 'ผู้รับเงิน', 'Payee')}</th><th scope="col">${L(lang, 'บัญชี (ปิดบัง)', 'Account (masked)')}</th><th scope="col" class="num">${L(lang, 'จำนวนเงิน', 'Amount')}</th><th scope="col">${L(lang, 'วันที่มีผล', 'Effective')}</th><th scope="col">${L(lang, 'เลขที่ฎีกา', 'Voucher')}</th></tr></thead>
<tbody>${uniquePayments.map((p) => html`<tr><td class="wrap">${p.file} #${p.row}</td><td>${p.payeeName ?? '—'}</td><td>${p.payeeBankCode ? `${p.payeeBankCode} ` : ''}${p.payeeAccountMasked ?? '—'}</td><td class="num">${p.amountSatang === undefined ? '—' : baht(p.amountSatang, ctx)}</td><td>${p.effectiveDate ? date(p.effectiveDate, ctx) : '—'}</td><td>${p.voucherNo ?? '—'}</td></tr>`)}</tbody></table></div>
</section>
${legalSection(ctx, d)}
${revealSection(ctx, a.alertId, has('reveal'), revealed, err)}
${anyAction ? html`<section aria-labelledby="actions-h" id="actions">
<h2 id="actions-h">${L(lang, 'ดำเนินการ', 'Actions')}</h2>
<div class="actions">
${has('acknowledge') ? html`<form method="post" action="/alerts/${a.alertId}/acknowledge" id="action-acknowledge">${csrfField(ctx)}${errorIn(ctx, err, 'acknowledge')}<p>${L(lang, 'รับทราบการแจ้งเตือนนี้', 'Acknowledge this alert')}</p><button type="submit">${L(lang, 'รับทราบ', 'Acknowledge')}</button></form>` : ''}
${has('assign') ? assignForm(ctx, a, extras.assignees, err) : ''}
${has('resolve') ? html`<form method="post" action="/alerts/${a.alertId}/resolve" id="action-resolve">${csrfField(ctx)}${errorIn(ctx, err, 'resolve')}
<label for="disposition">${L(lang, 'ผลการตรวจสอบ', 'Disposition')}</label>
<select id="disposition" name="disposition" required>${DISPOSITIONS.map((x) => html`<option value="${x}"${x === disposition ? raw(' selected') : ''}>${dispositionLabel(x, lang)}</option>`)}</select>
<label for="resolve-reason">${L(lang, 'เหตุผล', 'Reason')}</label>
<textarea id="resolve-reason" name="reason" required maxlength="4000">${typed(err, 'resolve', 'reason')}</textarea>
<p><button type="submit">${L(lang, 'ปิดเรื่อง', 'Resolve')}</button></p></form>` : ''}
${has('snooze') ? html`<form method="post" action="/alerts/${a.alertId}/snooze" id="action-snooze">${csrfField(ctx)}${errorIn(ctx, err, 'snooze')}
<p>${L(lang, 'พักการแจ้งเตือนของกฎหนึ่งสำหรับผู้รับเงินรายนี้ใน อปท. นี้ (ระบบยังบันทึกการแจ้งเตือน แต่ไม่ส่งแจ้ง)', 'Stop one rule notifying about this payee in this LAO (alerts are still stored, not sent)')}</p>
<label for="snooze-rule">${L(lang, 'กฎที่จะพักการแจ้งเตือน', 'Rule to snooze')}</label><select id="snooze-rule" name="ruleId">${ruleOptions}</select>
<label for="snooze-days">${L(lang, 'จำนวนวัน (1–180)', 'Days (1–180)')}</label><input type="number" id="snooze-days" name="days" min="1" max="180" value="${typed(err, 'snooze', 'days', '30')}" required>
<label for="snooze-reason">${L(lang, 'เหตุผล', 'Reason')}</label><textarea id="snooze-reason" name="reason" required maxlength="2000">${typed(err, 'snooze', 'reason')}</textarea>
<p><button type="submit" class="secondary">${L(lang, 'พักการแจ้งเตือน', 'Snooze')}</button></p></form>` : ''}
</div></section>` : ''}
${has('comment') ? html`<section class="card" aria-labelledby="comment-h"><h2 id="comment-h">${L(lang, 'ความเห็น', 'Comments')}</h2>
${d.comments.length ? html`<ul id="comments">${d.comments.map((c) => html`<li><strong>${c.author}</strong> (${date(c.createdAt, ctx, true)}): ${c.text}</li>`)}</ul>` : ''}
<form method="post" action="/alerts/${a.alertId}/comment" id="action-comment">${csrfField(ctx)}${errorIn(ctx, err, 'comment')}
<label for="comment-text">${L(lang, 'เพิ่มความเห็น', 'Add a comment')}</label><textarea id="comment-text" name="text" required maxlength="4000">${typed(err, 'comment', 'text')}</textarea>
<p><button type="submit" class="secondary">${L(lang, 'บันทึกความเห็น', 'Save comment')}</button></p></form></section>` : ''}
<section class="card" aria-labelledby="audit-h">
<h2 id="audit-h">${L(lang, 'ประวัติการดำเนินการ', 'Audit trail')}</h2>
${audit.length ? html`<ol id="audit" class="trail">${audit.map((x) => html`<li><time datetime="${x.at}">${date(x.at, ctx, true)}</time> · <strong>${x.actor === 'system' ? L(lang, 'ระบบ', 'the system') : x.actor}</strong> · <span class="action">${auditActionLabel(x.action, lang)}</span>: ${auditSentence(x, lang)}</li>`)}</ol>` : html`<p>${L(lang, 'ยังไม่มีการดำเนินการ', 'Nothing done yet')}</p>`}
</section>
<p><a href="/inbox">${L(lang, 'กลับไปกล่องแจ้งเตือน', 'Back to the inbox')}</a></p>`, { scripts: ['/assets/chart.umd.js', '/assets/console.js'] });
}
