/**
 * Evidence charts of the alert page, as data for Chart.js (drawn by assets/console.js from a JSON block). Each
 * chart also gets a text description for its `aria-label`, so a screen reader hears the same numbers.
 */
import { html, jsonForScript, type Raw } from './html.ts';
import { formatThaiDate } from './format.ts';
import { L, type Lang } from './i18n.ts';
import type { Finding, PaymentDetail } from './types.ts';

export interface ChartDataset {
  label: string;
  data: (number | null)[];
  backgroundColor: string | string[];
  /** Chart.js dataset type inside a bar chart (`line` for an expected curve). */
  type?: 'bar' | 'line';
  borderColor?: string;
  /** false: bars of this dataset share the category's slot instead of standing side by side. */
  grouped?: boolean;
}
export interface ChartSpec {
  title: string; labels: string[]; datasets: ChartDataset[]; stacked?: boolean;
  /** Axis titles with their units (`บาท`, `%`). */
  yTitle?: string; xTitle?: string;
  /** `logarithmic` when the values span orders of magnitude (amountScale). */
  yScale?: 'linear' | 'logarithmic';
}

/** How many times the largest positive value may exceed the smallest before a linear axis hides the smaller bars. */
export const LOG_SCALE_RATIO = 10;

/**
 * The y axis for a set of amounts: logarithmic when they span at least an order of magnitude (a 985,000-baht
 * payment beside a 25,240-baht median would leave the median a sliver), else linear from zero. Zero and negative
 * values cannot sit on a log axis, so they keep it linear; stacked charts (the split payment) stay linear too,
 * since a log axis does not add up.
 */
export function amountScale(values: readonly (number | null | undefined)[], stacked = false): 'linear' | 'logarithmic' {
  const v = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  if (stacked || v.length < 2 || v.some((x) => x <= 0)) return 'linear';
  return Math.max(...v) / Math.min(...v) >= LOG_SCALE_RATIO ? 'logarithmic' : 'linear';
}

/** Puts the amount axis (its unit and, when the amounts span orders of magnitude, a log scale) on a baht chart. */
function withAmountAxis(c: ChartSpec, lang: Lang): ChartSpec {
  const values = c.datasets.flatMap((d) => d.data);
  const yScale = amountScale(values, !!c.stacked);
  return { ...c, yTitle: yScale === 'logarithmic' ? L(lang, 'บาท (มาตราส่วนลอการิทึม)', 'baht (log scale)') : L(lang, 'บาท', 'baht'), yScale };
}

const ORANGE = '#a63c00';
const BLUE = '#0b4f8a';
const GREY = '#6b6b6b';

/** The numbers behind a chart, in words: `title: dataset: label value, …; dataset: …`. */
export function describeChart(c: ChartSpec): string {
  const num = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: Number.isInteger(v) ? 0 : 2 });
  const parts = c.datasets.map((d) => `${c.datasets.length > 1 ? `${d.label}: ` : ''}${c.labels.map((l, j) => (d.data[j] === null || d.data[j] === undefined ? null : `${l} ${num(d.data[j]!)}`)).filter(Boolean).join(', ')}`);
  return `${c.title}: ${parts.join('; ')}`;
}

/** A canvas Chart.js draws into, with its data next to it and its numbers in the aria-label. */
export function chartBlock(id: string, c: ChartSpec): Raw {
  return html`<div class="chart-box"><canvas data-chart="${id}" role="img" aria-label="${describeChart(c)}"></canvas></div>
<script type="application/json" id="${id}">${jsonForScript(c)}</script>`;
}

/**
 * Benford: the LAO's first-digit shares (bars) against the law's expected shares (line), in percent, from the
 * rule's evidence `firstDigitShares: [{ digit, observed, expected }]`.
 */
function benfordChart(e: Record<string, unknown>, lang: Lang): ChartSpec | null {
  const shares = e.firstDigitShares;
  if (!Array.isArray(shares) || shares.length !== 9) return null;
  const rows = shares as { digit?: unknown; observed?: unknown; expected?: unknown }[];
  if (!rows.every((r) => typeof r.digit === 'number' && typeof r.observed === 'number' && typeof r.expected === 'number')) return null;
  const pct = (x: unknown) => Math.round((x as number) * 1000) / 10;
  return {
    title: L(lang, 'สัดส่วนตัวเลขหลักแรกของยอดจ่าย เทียบกับกฎของเบนฟอร์ด (%)', "First-digit shares of the LAO's amounts against Benford's law (%)"),
    labels: rows.map((r) => String(r.digit)),
    yTitle: '%',
    datasets: [
      { label: L(lang, 'ของ อปท.', 'This LAO'), data: rows.map((r) => pct(r.observed)), backgroundColor: ORANGE },
      { type: 'line', label: L(lang, 'ตามกฎของเบนฟอร์ด', "Benford's law"), data: rows.map((r) => pct(r.expected)), backgroundColor: BLUE, borderColor: BLUE },
    ],
  };
}

/**
 * Split payment: the payments stacked into one bar next to the threshold they avoided one by one, so the auditor
 * sees both the parts and their sum. Without the payments' amounts, the sum alone.
 */
function splitChart(f: Finding, lang: Lang): ChartSpec | null {
  const e = f.evidence;
  const sum = typeof e.sumSatang === 'number' ? e.sumSatang / 100 : null;
  const threshold = typeof e.thresholdSatang === 'number' ? e.thresholdSatang / 100 : null;
  if (sum === null || threshold === null) return null;
  const title = L(lang, 'ยอดรวมของรายการที่แบ่งจ่าย เทียบกับวงเงิน', 'Sum of the split payments against the threshold');
  const labels = [L(lang, 'ยอดรวม', 'Sum'), L(lang, 'วงเงิน', 'Threshold')];
  const parts = (Array.isArray(e.paymentDetails) ? (e.paymentDetails as PaymentDetail[]) : []).filter((p) => typeof p.amountSatang === 'number');
  if (parts.length < 2) return withAmountAxis({ title, labels, datasets: [{ label: L(lang, 'บาท', 'baht'), data: [sum, threshold], backgroundColor: [ORANGE, BLUE] }] }, lang);
  return {
    yTitle: L(lang, 'บาท', 'baht'), yScale: 'linear',
    title, labels, stacked: true,
    datasets: [
      ...parts.map((p, i) => ({ label: `${L(lang, 'รายการ', 'Payment')} ${i + 1}${p.effectiveDate ? ` (${formatThaiDate(p.effectiveDate, { lang })})` : ''}`, data: [p.amountSatang! / 100, null], backgroundColor: i % 2 ? '#c75a1a' : ORANGE })),
      { label: L(lang, 'วงเงิน', 'Threshold'), data: [null, threshold], backgroundColor: BLUE },
    ],
  };
}

/** The evidence chart of one finding, when its rule has numbers worth comparing (amounts in baht). */
export function chartFor(f: Finding, lang: Lang): ChartSpec | null {
  const e = f.evidence;
  const n = (v: unknown) => (typeof v === 'number' ? v / 100 : null);
  const mk = (title: string, a: [string, number | null], b: [string, number | null]): ChartSpec | null =>
    a[1] === null || b[1] === null ? null : withAmountAxis({ title, labels: [a[0], b[0]], datasets: [{ label: L(lang, 'บาท', 'baht'), data: [a[1], b[1]], backgroundColor: [ORANGE, BLUE] }] }, lang);
  switch (f.ruleId) {
    case 'split-payment': return splitChart(f, lang);
    case 'benford': return benfordChart(e, lang);
    case 'amount-outlier': return mk(L(lang, 'จำนวนเงิน เทียบกับค่ามัธยฐานของ อปท.', "Amount against the LAO's median"), [L(lang, 'จำนวนเงิน', 'Amount'), n(e.amountSatang)], [L(lang, 'มัธยฐาน', 'Median'), n(e.medianSatang ?? (e.lao as Record<string, unknown> | null | undefined)?.medianSatang)]);
    case 'new-payee-large': return mk(L(lang, 'จำนวนเงิน เทียบกับเปอร์เซ็นไทล์ที่ 95', 'Amount against the 95th percentile'), [L(lang, 'จำนวนเงิน', 'Amount'), n(e.amountSatang)], [L(lang, 'เปอร์เซ็นไทล์', 'Percentile'), n(e.quantileSatang)]);
    case 'near-threshold': return mk(L(lang, 'จำนวนเงิน เทียบกับวงเงิน', 'Amount against the threshold'), [L(lang, 'จำนวนเงิน', 'Amount'), n(e.amountSatang)], [L(lang, 'วงเงิน', 'Threshold'), n(e.thresholdSatang)]);
    default: return null;
  }
}

/**
 * The alert's payments over time (amount per payment, oldest first), the flagged ones — paid on the alert's date —
 * in orange. This is what the alert carries; the payee's whole history with the LAO needs a payments API.
 */
export function paymentTimeline(payments: readonly PaymentDetail[], occurredOn: string, lang: Lang): ChartSpec | null {
  const dated = payments.filter((p): p is PaymentDetail & { effectiveDate: string; amountSatang: number } => typeof p.effectiveDate === 'string' && typeof p.amountSatang === 'number')
    .sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate) || a.row - b.row);
  if (dated.length < 2) return null;
  const flagged = dated.some((p) => p.effectiveDate === occurredOn) ? (p: PaymentDetail) => p.effectiveDate === occurredOn : (p: PaymentDetail) => p === dated.at(-1);
  return withAmountAxis({
    title: L(lang, 'รายการจ่ายในการแจ้งเตือนนี้ตามวันที่ (บาท)', 'The payments of this alert over time (baht)'),
    xTitle: L(lang, 'วันที่จ่าย (พ.ศ.) และแถวในไฟล์', 'Paid on, and row in the file'),
    labels: dated.map((p) => `${formatThaiDate(p.effectiveDate, { lang })} #${p.row}`),
    datasets: [
      { label: L(lang, 'รายการที่ถูกแจ้งเตือน', 'Flagged payment'), data: dated.map((p) => (flagged(p) ? p.amountSatang / 100 : null)), backgroundColor: ORANGE, grouped: false },
      { label: L(lang, 'รายการอื่นในการแจ้งเตือนนี้', 'Other payments of this alert'), data: dated.map((p) => (flagged(p) ? null : p.amountSatang / 100)), backgroundColor: GREY, grouped: false },
    ],
  }, lang);
}

/** `evidence.payeeHistory` as the detector writes it: the payee's latest payments from this LAO in its window. */
export interface PayeeHistory { windowDays: number; payments: Array<{ recordId: string; effectiveDate: string; amountSatang: number }> }

/**
 * The payee's payment history with this LAO (what the detector still holds, its last `windowDays` days), oldest
 * first, the alert's own payments in orange: the flagged payment against the payee's usual ones.
 */
export function payeeHistoryChart(history: unknown, flaggedRecordIds: ReadonlySet<string>, lang: Lang): ChartSpec | null {
  const h = history as Partial<PayeeHistory> | null | undefined;
  if (!h || !Array.isArray(h.payments)) return null;
  const dated = h.payments.filter((p) => typeof p?.recordId === 'string' && typeof p.effectiveDate === 'string' && Number.isInteger(p.amountSatang));
  if (dated.length < 2 || !dated.some((p) => flaggedRecordIds.has(p.recordId))) return null;
  const days = typeof h.windowDays === 'number' ? h.windowDays : null;
  return withAmountAxis({
    xTitle: L(lang, 'วันที่จ่าย (พ.ศ.)', 'Paid on'),
    title: L(lang, `ประวัติการจ่ายให้ผู้รับรายนี้ของ อปท.${days ? ` (${days} วันล่าสุดที่ระบบเก็บไว้)` : ''} (บาท)`, `This payee's payments from the LAO${days ? ` (the last ${days} days the detector keeps)` : ''} (baht)`),
    labels: dated.map((p) => formatThaiDate(p.effectiveDate, { lang })),
    datasets: [
      { label: L(lang, 'รายการที่ถูกแจ้งเตือน', 'Flagged payment'), data: dated.map((p) => (flaggedRecordIds.has(p.recordId) ? p.amountSatang / 100 : null)), backgroundColor: ORANGE, grouped: false },
      { label: L(lang, 'รายการอื่นของผู้รับรายนี้', 'Other payments to this payee'), data: dated.map((p) => (flaggedRecordIds.has(p.recordId) ? null : p.amountSatang / 100)), backgroundColor: GREY, grouped: false },
    ],
  }, lang);
}

