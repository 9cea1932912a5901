/**
 * The inbox (ADR 0016): cases or alerts of the auditor's scope, sorted by severity, amount, age or due date, paged by
 * the API's keyset cursor; the server-side filters (a plain GET form), the user's saved filters, and bulk acknowledge
 * and assign on the rows ticked. On a phone each row becomes a block with its labels, so nothing scrolls sideways.
 */
import { html, raw, type Raw } from './html.ts';
import { formatBaht, formatThaiDate, toBeInput } from './format.ts';
import { L, ruleLabel, severityLabel, statusLabel, RULE_IDS, SEVERITIES, STATUSES, type Lang } from './i18n.ts';
import { page, type PageContext } from './layout.ts';
import { provinceName } from './labels.ts';
import type { CaseSummary, InboxAlert, Page, Person, SavedFilter } from './case-types.ts';

/** What the inbox form holds (as typed: dates and baht are the user's text). */
export interface InboxQuery {
  view: 'cases' | 'alerts'; sort: string; severity?: string | undefined; status?: string | undefined; lao?: string | undefined; province?: string | undefined;
  rule?: string | undefined; district?: string | undefined; from?: string | undefined; to?: string | undefined; minBaht?: string | undefined; maxBaht?: string | undefined;
  assignee?: string | undefined; cursor?: string | undefined;
}

/** Everything the page shows. */
export interface InboxData {
  query: InboxQuery;
  cases?: Page<CaseSummary> | undefined;
  alerts?: Page<InboxAlert> | undefined;
  counts?: Record<string, number> | null | undefined;
  saved: SavedFilter[];
  auditors: Person[];
  canAct: boolean;
  now: Date;
  error?: { th: string; en: string } | null;
  notice?: string | null;
  /** Ticked rows to keep ticked when the page comes back with an error. */
  selected?: ReadonlySet<string>;
  scopeProvinces?: string[] | undefined;
}

export const INBOX_SORT_LABELS: Record<string, [string, string]> = {
  newest: ['ใหม่ล่าสุดก่อน', 'Newest first'], severity: ['ความรุนแรงสูงสุดก่อน', 'Most severe first'], amount: ['จำนวนเงินมากที่สุดก่อน', 'Largest amount first'],
  age: ['ค้างนานที่สุดก่อน', 'Oldest first'], due: ['ใกล้ครบกำหนดก่อน', 'Due soonest first'],
};
const CASE_STATUS: Record<string, [string, string]> = { open: ['เปิดอยู่', 'Open'], closed: ['ปิดแล้ว', 'Closed'] };
export const caseStatusLabel = (s: string, lang: Lang) => (CASE_STATUS[s] ? CASE_STATUS[s]![lang === 'th' ? 0 : 1] : s);

/** The query string of the form (paging and view excluded unless asked for). */
export function inboxQueryString(q: Partial<InboxQuery>, extra: Record<string, string | undefined> = {}): string {
  const keys = ['view', 'sort', 'severity', 'status', 'province', 'district', 'lao', 'rule', 'from', 'to', 'minBaht', 'maxBaht', 'assignee'] as const;
  const u = new URLSearchParams();
  for (const k of keys) { const v = (extra[k] ?? q[k]) as string | undefined; if (v) u.set(k, v); }
  for (const [k, v] of Object.entries(extra)) if (!(keys as readonly string[]).includes(k) && v) u.set(k, v);
  return u.toString();
}

const ageDays = (since: string, now: Date) => Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 86_400_000));
/** The case label in words: a payee's masked account, a batch, or one alert's subject. */
export function caseTitle(c: Pick<CaseSummary, 'groupKind' | 'groupLabel'>, lang: Lang): string {
  if (c.groupKind === 'payee') return L(lang, `ผู้รับเงิน ${c.groupLabel}`, `Payee ${c.groupLabel}`);
  if (c.groupKind === 'batch') return L(lang, `ชุดไฟล์ ${c.groupLabel}`, `Batch ${c.groupLabel}`);
  return L(lang, `การแจ้งเตือนเดี่ยว ${c.groupLabel}`, `Single alert ${c.groupLabel}`);
}

export function dueCell(dueAt: string | null, overdue: boolean, ctx: PageContext): Raw {
  if (!dueAt) return html`—`;
  return html`${formatThaiDate(dueAt, { lang: ctx.lang })}${overdue ? html` <span class="badge overdue">${L(ctx.lang, 'เกินกำหนด', 'Overdue')}</span>` : ''}`;
}

function savedSection(ctx: PageContext, d: InboxData): Raw {
  const { lang } = ctx;
  const current = inboxQueryString(d.query);
  return html`<section class="card saved" aria-labelledby="saved-h"><h2 id="saved-h">${L(lang, 'ตัวกรองที่บันทึกไว้', 'Saved filters')}</h2>
${d.saved.length ? html`<ul class="saved-list" id="saved-filters">${d.saved.map((f) => html`<li><a href="/inbox?${f.query}">${f.name}</a>
<form method="post" action="/inbox/filters/${f.id}/delete" class="inline"><input type="hidden" name="_csrf" value="${ctx.csrf}"><input type="hidden" name="back" value="${current}"><button type="submit" class="secondary small">${L(lang, 'ลบ', 'Delete')}<span class="skip"> ${L(lang, `ชุดเงื่อนไข ${f.name}`, `saved filter ${f.name}`)}</span></button></form></li>`)}</ul>` : html`<p>${L(lang, 'ยังไม่มีตัวกรองที่บันทึกไว้', 'No saved filters yet')}</p>`}
<form method="post" action="/inbox/filters" class="save-filter">
<input type="hidden" name="_csrf" value="${ctx.csrf}"><input type="hidden" name="query" value="${current}">
<label for="saved-name">${L(lang, 'บันทึกเงื่อนไขที่ใช้อยู่เป็นชื่อ', 'Save the current filter as')}</label>
<input type="text" id="saved-name" name="name" maxlength="80" required> <button type="submit">${L(lang, 'บันทึกชุดเงื่อนไข', 'Save filter')}</button>
</form></section>`;
}

function filterForm(ctx: PageContext, d: InboxData): Raw {
  const { lang } = ctx;
  const q = d.query;
  const opt = (v: string, label: string, cur?: string) => html`<option value="${v}"${cur === v ? raw(' selected') : ''}>${label}</option>`;
  const provinces = [...new Set([...(d.scopeProvinces ?? []), ...(q.province ? [q.province] : [])])].sort();
  const statusOptions = q.view === 'cases' ? ['open', 'closed'].map((x) => opt(x, caseStatusLabel(x, lang), q.status)) : STATUSES.map((x) => opt(x, statusLabel(x, lang), q.status));
  return html`<form method="get" action="/inbox" class="filters card" aria-label="${L(lang, 'ตัวกรอง', 'Filters')}">
<input type="hidden" name="view" value="${q.view}">
<div><label for="f-sort">${L(lang, 'เรียงตาม', 'Sort by')}</label><select id="f-sort" name="sort">${Object.entries(INBOX_SORT_LABELS).map(([k, v]) => opt(k, v[lang === 'th' ? 0 : 1], q.sort))}</select></div>
<div><label for="f-severity">${L(lang, 'ความรุนแรง', 'Severity')}</label><select id="f-severity" name="severity">${opt('', L(lang, 'ทั้งหมด', 'All'))}${SEVERITIES.map((x) => opt(x, severityLabel(x, lang), q.severity))}</select></div>
<div><label for="f-status">${L(lang, 'สถานะ', 'Status')}</label><select id="f-status" name="status">${opt('', L(lang, 'ทั้งหมด', 'All'))}${statusOptions}</select></div>
<div><label for="f-assignee">${L(lang, 'ผู้รับผิดชอบ', 'Assignee')}</label><select id="f-assignee" name="assignee">${opt('', L(lang, 'ทุกคน', 'Anyone'))}${opt('me', L(lang, 'ของฉัน', 'Mine'), q.assignee)}${opt('none', L(lang, 'ยังไม่มอบหมาย', 'Unassigned'), q.assignee)}${d.auditors.map((a) => opt(a.sub, a.name, q.assignee))}</select></div>
<div><label for="f-province">${L(lang, 'จังหวัด', 'Province')}</label><select id="f-province" name="province">${opt('', L(lang, 'ทั้งหมด', 'All'))}${provinces.map((p) => opt(p, provinceName(p, lang), q.province))}</select></div>
<div><label for="f-rule">${L(lang, 'กฎ', 'Rule')}</label><select id="f-rule" name="rule">${opt('', L(lang, 'ทั้งหมด', 'All'))}${RULE_IDS.map((r) => opt(r, ruleLabel(r, lang), q.rule))}</select></div>
<div><label for="f-district">${L(lang, 'อำเภอ', 'District')}</label><input type="text" id="f-district" name="district" maxlength="100" size="12" value="${q.district ?? ''}"></div>
${q.view === 'alerts' ? html`<div><label for="f-from">${L(lang, 'จ่ายตั้งแต่วันที่ (วว/ดด/ปปปป พ.ศ.)', 'Paid from (dd/mm/yyyy, BE or CE)')}</label><input type="text" id="f-from" name="from" inputmode="numeric" placeholder="${L(lang, 'เช่น 1/10/2569', 'e.g. 1/10/2569')}" size="11" maxlength="10" value="${toBeInput(q.from)}"></div>
<div><label for="f-to">${L(lang, 'ถึงวันที่ (วว/ดด/ปปปป พ.ศ.)', 'Paid until (dd/mm/yyyy)')}</label><input type="text" id="f-to" name="to" inputmode="numeric" placeholder="${L(lang, 'เช่น 30/9/2570', 'e.g. 30/9/2570')}" size="11" maxlength="10" value="${toBeInput(q.to)}"></div>` : ''}
<div><label for="f-min">${L(lang, 'จำนวนเงินตั้งแต่ (บาท)', 'Amount from (baht)')}</label><input type="text" id="f-min" name="minBaht" inputmode="decimal" size="12" value="${q.minBaht ?? ''}"></div>
<div><label for="f-max">${L(lang, 'ถึง (บาท)', 'Amount up to (baht)')}</label><input type="text" id="f-max" name="maxBaht" inputmode="decimal" size="12" value="${q.maxBaht ?? ''}"></div>
<div><label for="f-lao">${L(lang, 'รหัส อปท.', 'LAO code')}</label><input type="text" id="f-lao" name="lao" inputmode="numeric" pattern="\\d{7}" size="9" value="${q.lao ?? ''}"></div>
<div><button type="submit">${L(lang, 'กรอง', 'Filter')}</button> <a href="/inbox?view=${q.view}">${L(lang, 'ล้างตัวกรอง', 'Clear')}</a></div>
</form>`;
}

function tick(ctx: PageContext, d: InboxData, id: string, label: string): Raw | string {
  if (!d.canAct) return '';
  return html`<td class="pick"><input type="checkbox" name="ids" value="${id}" form="bulk" id="pick-${id}" aria-label="${L(ctx.lang, `เลือก ${label}`, `Select ${label}`)}"${d.selected?.has(id) ? raw(' checked') : ''}></td>`;
}

function casesTable(ctx: PageContext, d: InboxData, items: CaseSummary[]): Raw {
  const { lang } = ctx;
  const h = (th: string, en: string, cls = '') => html`<th scope="col"${cls ? raw(` class="${cls}"`) : ''}>${L(lang, th, en)}</th>`;
  return html`<table id="cases" class="stack">
<caption class="skip">${L(lang, 'เรื่องตามตัวกรอง', 'Cases matching the filters')}</caption>
<thead><tr>${d.canAct ? html`<th scope="col"><span class="skip">${L(lang, 'เลือก', 'Select')}</span></th>` : ''}${h('ความรุนแรง', 'Severity')}${h('เรื่อง', 'Case')}${h('อปท.', 'LAO')}${h('การแจ้งเตือน', 'Alerts', 'num')}${h('ยอดเงินที่เสี่ยง', 'Baht at risk', 'num')}${h('ผู้รับผิดชอบ', 'Assignee')}${h('อายุ (วัน)', 'Age (days)', 'num')}${h('ครบกำหนด', 'Due')}${h('สถานะ', 'Status')}</tr></thead>
<tbody>${items.map((c) => html`<tr${c.overdue ? raw(' class="is-overdue"') : ''}>${tick(ctx, d, c.caseId, caseTitle(c, lang))}
<td data-label="${L(lang, 'ความรุนแรง', 'Severity')}"><span class="badge sev-${c.severity}">${severityLabel(c.severity, lang)}</span></td>
<td data-label="${L(lang, 'เรื่อง', 'Case')}"><a href="/cases/${c.caseId}">${caseTitle(c, lang)}</a></td>
<td data-label="${L(lang, 'อปท.', 'LAO')}">${c.laoName ?? c.laoCode}</td>
<td data-label="${L(lang, 'การแจ้งเตือน', 'Alerts')}" class="num">${c.alertCount}</td>
<td data-label="${L(lang, 'ยอดเงินที่เสี่ยง', 'Baht at risk')}" class="num">${formatBaht(c.totalSatang, lang)}</td>
<td data-label="${L(lang, 'ผู้รับผิดชอบ', 'Assignee')}">${c.assigneeName ?? L(lang, 'ยังไม่มอบหมาย', 'Unassigned')}</td>
<td data-label="${L(lang, 'อายุ (วัน)', 'Age (days)')}" class="num">${ageDays(c.openedAt, d.now)}</td>
<td data-label="${L(lang, 'ครบกำหนด', 'Due')}">${dueCell(c.dueAt, c.overdue, ctx)}</td>
<td data-label="${L(lang, 'สถานะ', 'Status')}">${caseStatusLabel(c.status, lang)}</td></tr>`)}</tbody></table>`;
}

function alertsTable(ctx: PageContext, d: InboxData, items: InboxAlert[]): Raw {
  const { lang } = ctx;
  const h = (th: string, en: string, cls = '') => html`<th scope="col"${cls ? raw(` class="${cls}"`) : ''}>${L(lang, th, en)}</th>`;
  return html`<table id="alerts" class="stack">
<caption class="skip">${L(lang, 'การแจ้งเตือนตามตัวกรอง', 'Alerts matching the filters')}</caption>
<thead><tr>${d.canAct ? html`<th scope="col"><span class="skip">${L(lang, 'เลือก', 'Select')}</span></th>` : ''}${h('ความรุนแรง', 'Severity')}${h('กฎ', 'Rule')}${h('จังหวัด', 'Province')}${h('อปท.', 'LAO')}${h('จำนวนเงิน', 'Amount', 'num')}${h('วันที่จ่าย', 'Paid on')}${h('สถานะ', 'Status')}${h('ผู้รับผิดชอบ', 'Assignee')}${h('อายุ (วัน)', 'Age (days)', 'num')}${h('ครบกำหนด', 'Due')}${h('เรื่อง', 'Case')}</tr></thead>
<tbody>${items.map((a) => {
    const overdue = a.status !== 'resolved' && !!a.dueAt && Date.parse(a.dueAt) < d.now.getTime();
    const rules = a.ruleIds.map((r) => ruleLabel(r, lang)).join(', ');
    return html`<tr${overdue ? raw(' class="is-overdue"') : ''}>${tick(ctx, d, a.alertId, rules)}
<td data-label="${L(lang, 'ความรุนแรง', 'Severity')}"><span class="badge sev-${a.severity}">${severityLabel(a.severity, lang)}</span></td>
<td data-label="${L(lang, 'กฎ', 'Rule')}"><a href="/alerts/${a.alertId}">${rules}</a></td>
<td data-label="${L(lang, 'จังหวัด', 'Province')}">${provinceName(a.provinceCode, lang)}</td>
<td data-label="${L(lang, 'อปท.', 'LAO')}">${a.laoName ?? a.laoCode}</td>
<td data-label="${L(lang, 'จำนวนเงิน', 'Amount')}" class="num">${formatBaht(a.amountSatang, lang)}</td>
<td data-label="${L(lang, 'วันที่จ่าย', 'Paid on')}">${formatThaiDate(a.occurredOn, { lang })}</td>
<td data-label="${L(lang, 'สถานะ', 'Status')}">${statusLabel(a.status, lang)}</td>
<td data-label="${L(lang, 'ผู้รับผิดชอบ', 'Assignee')}">${a.assigneeName ?? L(lang, 'ยังไม่มอบหมาย', 'Unassigned')}</td>
<td data-label="${L(lang, 'อายุ (วัน)', 'Age (days)')}" class="num">${ageDays(a.firstSeenAt, d.now)}</td>
<td data-label="${L(lang, 'ครบกำหนด', 'Due')}">${dueCell(a.dueAt, overdue, ctx)}</td>
<td data-label="${L(lang, 'เรื่อง', 'Case')}">${a.caseId ? html`<a href="/cases/${a.caseId}">${L(lang, 'ดูเรื่อง', 'Open case')}</a>` : '—'}</td></tr>`;
  })}</tbody></table>`;
}

/** The whole inbox page. */
export function inboxWorkbenchPage(ctx: PageContext, d: InboxData): string {
  const { lang } = ctx;
  const q = d.query;
  const list = q.view === 'cases' ? d.cases : d.alerts;
  const tab = (view: 'cases' | 'alerts', th: string, en: string) => html`<li><a href="/inbox?${inboxQueryString({ ...q, view, status: undefined, from: view === 'cases' ? undefined : q.from, to: view === 'cases' ? undefined : q.to })}"${q.view === view ? raw(' aria-current="page"') : ''}>${L(lang, th, en)}</a></li>`;
  const statusHref = (st: string) => `/inbox?${inboxQueryString({ ...q, status: st })}`;
  const back = inboxQueryString(q, { cursor: q.cursor });
  return page(ctx, L(lang, 'กล่องแจ้งเตือน', 'Alert inbox'), html`
<nav class="tabs" aria-label="${L(lang, 'มุมมอง', 'View')}"><ul>${tab('cases', 'เรื่อง (รวมการแจ้งเตือน)', 'Cases')}${tab('alerts', 'การแจ้งเตือนรายรายการ', 'Single alerts')}</ul></nav>
${q.view === 'alerts' ? html`<h2 id="counts-h">${L(lang, 'จำนวนตามสถานะ (ตามตัวกรอง)', 'Counts by status (for these filters)')}</h2>
<ul class="counts" aria-labelledby="counts-h" id="status-counts">${STATUSES.map((st) => html`<li><a href="${statusHref(st)}"${q.status === st ? raw(' aria-current="true"') : ''}><strong>${d.counts ? d.counts[st] ?? 0 : '—'}</strong>${statusLabel(st, lang)}</a></li>`)}</ul>` : ''}
${d.notice ? html`<p class="notice" role="status" id="bulk-notice">${d.notice}</p>` : ''}
${d.error ? html`<p class="error" role="alert" id="filter-error">${lang === 'th' ? d.error.th : d.error.en}</p>` : ''}
${filterForm(ctx, d)}
${savedSection(ctx, d)}
${list ? html`<p id="list-total">${L(lang, `พบ ${list.total.toLocaleString('th-TH')} ${q.view === 'cases' ? 'เรื่อง' : 'รายการ'}`, `${list.total.toLocaleString('en')} ${q.view === 'cases' ? 'cases' : 'alerts'} found`)}</p>` : ''}
${d.canAct && list && list.items.length ? html`<form method="post" action="/inbox/bulk" id="bulk" class="bulk card" aria-label="${L(lang, 'ดำเนินการกับรายการที่เลือก', 'Act on the selected rows')}">
<input type="hidden" name="_csrf" value="${ctx.csrf}"><input type="hidden" name="back" value="${back}">
<button type="submit" name="action" value="acknowledge">${L(lang, 'รับทราบรายการที่เลือก', 'Acknowledge selected')}</button>
<span class="assign-bulk"><label for="bulk-assignee">${L(lang, 'มอบหมายรายการที่เลือกให้', 'Assign selected to')}</label>
<select id="bulk-assignee" name="assignee">${d.auditors.map((a) => html`<option value="${a.sub}">${a.name}</option>`)}</select>
<button type="submit" name="action" value="assign" class="secondary">${L(lang, 'มอบหมาย', 'Assign')}</button></span>
</form>` : ''}
${list && list.items.length ? (q.view === 'cases' ? casesTable(ctx, d, d.cases!.items) : alertsTable(ctx, d, d.alerts!.items))
    : html`<p>${q.view === 'cases' ? L(lang, 'ไม่มีเรื่องตามเงื่อนไข', 'No cases match') : L(lang, 'ไม่มีการแจ้งเตือนตามเงื่อนไข', 'No alerts match')}</p>`}
<nav class="pager" aria-label="${L(lang, 'หน้า', 'Pages')}">${q.cursor ? html`<a href="/inbox?${inboxQueryString(q)}">${L(lang, 'หน้าแรก', 'First page')}</a> ` : ''}${list?.nextCursor ? html`<a href="/inbox?${inboxQueryString(q, { cursor: list.nextCursor })}" id="next-page" rel="next">${L(lang, 'หน้าถัดไป', 'Next page')}</a>` : ''}</nav>`);
}
