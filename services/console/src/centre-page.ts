/**
 * The centre page — where to send inspectors: provinces and LAOs ranked by open baht at risk then severity (each
 * linking to the inbox filtered to it), the 12-month trend, ageing against the follow-up deadlines, follow-up
 * times and per-rule outcomes. Everything comes aggregated and scoped from alerts' `/v1/reports/centre`.
 */
import { THAI_MONTHS_SHORT, provinceNameTh } from '@paywatch/domain';
import { html, type Raw } from './html.ts';
import { formatBaht, formatThaiDate } from './format.ts';
import { L, dispositionLabel, ruleLabel, severityLabel, DISPOSITIONS, SEVERITIES, type Lang } from './i18n.ts';
import { page, type PageContext } from './layout.ts';
import { svgBarChart } from './svg-bar-chart.ts';
import type { CentreRankRow, CentreReport } from './types.ts';

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** How many LAOs the page lists (the export has all of them). */
export const CENTRE_PAGE_LAOS = 20;

/** `2026-11` → [`พ.ย.`, `2569`] (Thai, BE) or [`Nov`, `2026`]. */
export function monthLabel(month: string, lang: Lang): [string, string] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return lang === 'th' ? [THAI_MONTHS_SHORT[m - 1]!, String(y + 543)] : [EN_MONTHS[m - 1]!, String(y)];
}

/** Whole numbers with thousands separators. */
const int = (n: number) => n.toLocaleString('en-US');
/** Baht on a chart axis: whole baht with separators, millions as `ล้าน`. */
const axisBaht = (lang: Lang) => (baht: number) => (baht >= 1_000_000 ? `${int(Math.round((baht / 1_000_000) * 10) / 10)} ${L(lang, 'ล้าน', 'M')}` : int(Math.round(baht)));
const days = (d: number | null, lang: Lang) => (d === null ? '—' : `${d.toFixed(1)} ${L(lang, 'วัน', 'd')}`);
const pct = (r: number | null | undefined) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(1)}%`);

function provinceName(r: Pick<CentreRankRow, 'provinceCode' | 'provinceNameTh'>, lang: Lang): string {
  const th = r.provinceNameTh ?? provinceNameTh(r.provinceCode);
  return lang === 'th' || r.provinceCode === 'unknown' ? th : `${th} (${r.provinceCode})`;
}

const sevCells = (r: CentreRankRow) => SEVERITIES.map((s) => html`<td class="num">${int(r.bySeverity[s])}</td>`);
const sevHeads = (lang: Lang) => SEVERITIES.map((s) => html`<th scope="col" class="num">${severityLabel(s, lang)}</th>`);

/** A table that scrolls inside itself on a narrow screen, so the page never scrolls sideways. */
const wrap = (label: string, table: Raw) => html`<div class="table-scroll" role="region" aria-label="${label}" tabindex="0">${table}</div>`;

function exportLinks(ctx: PageContext, name: 'ranking' | 'rules'): Raw {
  const { lang } = ctx;
  return html`<p class="exports">${L(lang, 'ส่งออก:', 'Export:')} <a href="/centre/${name}.csv" download>CSV</a> · <a href="/centre/${name}.xlsx" download>XLSX (Excel)</a></p>`;
}

/** The centre page for one scope. */
export function centrePage(ctx: PageContext, r: CentreReport): string {
  const { lang } = ctx;
  const baht = (s: number) => formatBaht(s, lang);
  const provinceRows = r.provinces.map((p, i) => html`<tr><td class="num">${i + 1}</td><th scope="row"><a href="/inbox?province=${p.provinceCode}">${provinceName(p, lang)}</a></th><td class="num">${baht(p.openSatang)}</td>${sevCells(p)}<td class="num">${int(p.openCount)}</td><td class="num">${int(p.overdueCount)}</td></tr>`);
  const laos = r.laos.slice(0, CENTRE_PAGE_LAOS);
  const laoRows = laos.map((x, i) => html`<tr><td class="num">${i + 1}</td><th scope="row"><a href="/inbox?lao=${x.laoCode}">${x.laoNameTh ?? x.laoCode}</a> <small>(${x.laoCode})</small></th><td>${x.district ?? '—'}</td><td>${provinceName(x, lang)}</td><td class="num">${baht(x.openSatang)}</td>${sevCells(x)}<td class="num">${int(x.overdueCount)}</td></tr>`);
  const months = r.trend.map((m) => monthLabel(m.month, lang));
  const xTitle = L(lang, 'เดือนที่พบ (พ.ศ.)', 'Month raised');
  const raisedChart = svgBarChart({
    id: 'trend-raised', title: L(lang, 'การแจ้งเตือนที่เกิดขึ้นรายเดือน 12 เดือนล่าสุด', 'Alerts raised per month, last 12 months'), labels: months, values: r.trend.map((m) => m.raised),
    xTitle, yTitle: L(lang, 'จำนวนการแจ้งเตือน', 'Alerts'), logNote: L(lang, ' (สเกลลอการิทึม)', ' (log scale)'), format: int, scale: 'linear',
  });
  const bahtChart = svgBarChart({
    id: 'trend-baht', title: L(lang, 'ยอดเงินที่ถูกแจ้งเตือนรายเดือน (บาท, นับแต่ละรายการจ่ายครั้งเดียว)', 'Baht named by the alerts raised per month (each payment once)'), labels: months,
    values: r.trend.map((m) => m.amountSatang / 100), xTitle, yTitle: L(lang, 'บาท', 'Baht'), logNote: L(lang, ' (สเกลลอการิทึม)', ' (log scale)'), format: axisBaht(lang),
  });
  const ageingHead = [L(lang, 'ยังไม่เกินกำหนด', 'Within deadline'), L(lang, 'เกิน 1–7 วัน', '1–7 days over'), L(lang, 'เกิน 8–30 วัน', '8–30 days over'), L(lang, 'เกินกว่า 30 วัน', 'Over 30 days over')];
  const t = r.total;
  const overdueShare = t.openCount ? t.overdueCount / t.openCount : null;
  return page(ctx, L(lang, 'ศูนย์เฝ้าระวัง: จะส่งผู้ตรวจไปที่ใด', 'Monitoring centre: where to send inspectors'), html`
<p class="notice">${L(lang, 'ยอดเงินเสี่ยง คือยอดรวมของรายการจ่ายที่การแจ้งเตือนซึ่งยังไม่ปิดระบุถึง โดยนับรายการจ่ายแต่ละรายการครั้งเดียวแม้หลายการแจ้งเตือนจะระบุถึงรายการเดียวกัน', 'Baht at risk is the total of the payments named by alerts still open, each payment counted once even when several alerts name it.')}
${L(lang, 'ข้อมูล ณ', 'As of')} ${formatThaiDate(r.generatedAt, { lang, withTime: true })}</p>
<ul class="counts" aria-label="${L(lang, 'สรุป', 'Summary')}" id="centre-summary">
<li><strong>${baht(t.openSatang)}</strong>${L(lang, 'ยอดเงินเสี่ยงที่ยังเปิด', 'Open baht at risk')}</li>
<li><strong>${int(t.openCount)}</strong>${L(lang, 'การแจ้งเตือนที่ยังเปิด', 'Open alerts')}</li>
<li><strong>${int(t.bySeverity.critical)}</strong>${L(lang, 'วิกฤตที่ยังเปิด', 'Open critical')}</li>
<li><strong>${int(t.overdueCount)}</strong>${L(lang, 'เกินกำหนดติดตาม', 'Past follow-up deadline')} ${overdueShare === null ? '' : html`(${pct(overdueShare)})`}</li>
</ul>
<section class="card" aria-labelledby="prov-h"><h2 id="prov-h">${L(lang, 'จังหวัดเรียงตามยอดเงินเสี่ยงที่ยังเปิด แล้วตามความรุนแรง', 'Provinces by open baht at risk, then severity')}</h2>
${r.provinces.length ? wrap(L(lang, 'ตารางจังหวัด', 'Provinces table'), html`<table id="province-ranking">
<thead><tr><th scope="col" class="num">${L(lang, 'อันดับ', 'Rank')}</th><th scope="col">${L(lang, 'จังหวัด', 'Province')}</th><th scope="col" class="num">${L(lang, 'ยอดเงินเสี่ยง', 'Baht at risk')}</th>${sevHeads(lang)}<th scope="col" class="num">${L(lang, 'ยังเปิด', 'Open')}</th><th scope="col" class="num">${L(lang, 'เกินกำหนด', 'Overdue')}</th></tr></thead>
<tbody>${provinceRows}</tbody></table>`) : html`<p>${L(lang, 'ไม่มีการแจ้งเตือนที่ยังเปิด', 'No open alerts')}</p>`}
${exportLinks(ctx, 'ranking')}
</section>
<section class="card" aria-labelledby="lao-h"><h2 id="lao-h">${L(lang, `อปท. ${CENTRE_PAGE_LAOS} อันดับแรกตามยอดเงินเสี่ยงที่ยังเปิด`, `Top ${CENTRE_PAGE_LAOS} LAOs by open baht at risk`)}</h2>
${laos.length ? wrap(L(lang, 'ตาราง อปท.', 'LAOs table'), html`<table id="lao-ranking">
<thead><tr><th scope="col" class="num">${L(lang, 'อันดับ', 'Rank')}</th><th scope="col">${L(lang, 'อปท.', 'LAO')}</th><th scope="col">${L(lang, 'อำเภอ', 'District')}</th><th scope="col">${L(lang, 'จังหวัด', 'Province')}</th><th scope="col" class="num">${L(lang, 'ยอดเงินเสี่ยง', 'Baht at risk')}</th>${sevHeads(lang)}<th scope="col" class="num">${L(lang, 'เกินกำหนด', 'Overdue')}</th></tr></thead>
<tbody>${laoRows}</tbody></table>`) : html`<p>${L(lang, 'ไม่มีการแจ้งเตือนที่ยังเปิด', 'No open alerts')}</p>`}
${r.laos.length > CENTRE_PAGE_LAOS || r.laosTruncated ? html`<p>${L(lang, 'รายชื่อ อปท. ทั้งหมดอยู่ในไฟล์ส่งออก', 'Every LAO is in the export')}</p>` : ''}
</section>
<section class="card" aria-labelledby="trend-h"><h2 id="trend-h">${L(lang, 'แนวโน้มรายเดือน', 'Monthly trend')}</h2>
<div class="chart-pair">${raisedChart}${bahtChart}</div>
</section>
<section class="card" aria-labelledby="ageing-h"><h2 id="ageing-h">${L(lang, 'อายุของการแจ้งเตือนที่ยังเปิด เทียบกับกำหนดติดตาม', 'Open alerts against the follow-up deadline')}</h2>
${wrap(L(lang, 'ตารางอายุการแจ้งเตือน', 'Ageing table'), html`<table id="ageing">
<thead><tr><th scope="col">${L(lang, 'ความรุนแรง', 'Severity')}</th><th scope="col" class="num">${L(lang, 'กำหนดติดตาม', 'Deadline')}</th>${ageingHead.map((h) => html`<th scope="col" class="num">${h}</th>`)}</tr></thead>
<tbody>${r.ageing.map((a) => html`<tr><th scope="row">${severityLabel(a.severity, lang)}</th><td class="num">${a.followUpDays} ${L(lang, 'วัน', 'days')}</td><td class="num">${int(a.counts.within)}</td><td class="num">${int(a.counts.overdue1to7)}</td><td class="num">${int(a.counts.overdue8to30)}</td><td class="num">${int(a.counts.overdueOver30)}</td></tr>`)}</tbody></table>`)}
</section>
<section class="card" aria-labelledby="follow-h"><h2 id="follow-h">${L(lang, 'ระยะเวลาติดตาม (นับจากวันที่พบ)', 'Follow-up times (from when raised)')}</h2>
${wrap(L(lang, 'ตารางระยะเวลาติดตาม', 'Follow-up table'), html`<table id="follow-up">
<thead><tr><th scope="col">${L(lang, 'จังหวัด', 'Province')}</th><th scope="col" class="num">${L(lang, 'รับทราบแล้ว (เรื่อง)', 'Acknowledged (alerts)')}</th><th scope="col" class="num">${L(lang, 'ถึงรับทราบ มัธยฐาน', 'To acknowledge, median')}</th><th scope="col" class="num">${L(lang, 'ถึงรับทราบ P90', 'To acknowledge, p90')}</th><th scope="col" class="num">${L(lang, 'ปิดแล้ว (เรื่อง)', 'Resolved (alerts)')}</th><th scope="col" class="num">${L(lang, 'ถึงปิดเรื่อง มัธยฐาน', 'To resolve, median')}</th><th scope="col" class="num">${L(lang, 'ถึงปิดเรื่อง P90', 'To resolve, p90')}</th></tr></thead>
<tbody>${r.followUp.map((f) => html`<tr><th scope="row">${f.provinceCode === null ? L(lang, 'รวมทุกจังหวัดในขอบเขต', 'All in scope') : provinceName({ provinceCode: f.provinceCode, provinceNameTh: f.provinceNameTh }, lang)}</th><td class="num">${int(f.acknowledged.count)}</td><td class="num">${days(f.acknowledged.medianDays, lang)}</td><td class="num">${days(f.acknowledged.p90Days, lang)}</td><td class="num">${int(f.resolved.count)}</td><td class="num">${days(f.resolved.medianDays, lang)}</td><td class="num">${days(f.resolved.p90Days, lang)}</td></tr>`)}</tbody></table>`)}
</section>
<section class="card" aria-labelledby="rules-h"><h2 id="rules-h">${L(lang, 'ผลการตรวจสอบรายกฎ (จากเรื่องที่ปิดแล้ว)', 'Outcomes per rule (from resolved alerts)')}</h2>
${r.rules.length ? wrap(L(lang, 'ตารางผลรายกฎ', 'Rules table'), html`<table id="rule-outcomes">
<thead><tr><th scope="col">${L(lang, 'กฎ', 'Rule')}</th><th scope="col" class="num">${L(lang, 'ยังเปิด', 'Open')}</th><th scope="col" class="num">${L(lang, 'ปิดแล้ว', 'Resolved')}</th>${DISPOSITIONS.map((d) => html`<th scope="col" class="num">${dispositionLabel(d, lang)}</th>`)}</tr></thead>
<tbody>${r.rules.map((x) => html`<tr><th scope="row">${ruleLabel(x.ruleId, lang)}</th><td class="num">${int(x.open)}</td><td class="num">${int(x.resolved)}</td>${DISPOSITIONS.map((d) => html`<td class="num">${int(x.counts[d] ?? 0)} <small>(${pct(x.rates[d])})</small></td>`)}</tr>`)}</tbody></table>`) : html`<p>${L(lang, 'ยังไม่มีการแจ้งเตือน', 'No alerts yet')}</p>`}
${exportLinks(ctx, 'rules')}
</section>`);
}
