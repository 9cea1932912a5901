/** Thai-first formatting: Buddhist-era short dates and baht amounts from integer satang; CSV export. */
import { formatThaiDate as formatThaiDateTh, toBangkok } from '@paywatch/domain';

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * `2026-11-22` → `22 พ.ย. 2569` (BE = CE + 543). A calendar date (YYYY-MM-DD) is taken as is; an instant is shown
 * in Asia/Bangkok (UTC+7, no DST) with the time when `withTime`.
 */
export function formatThaiDate(value: string | Date, opts: { withTime?: boolean; lang?: 'th' | 'en' } = {}): string {
  const lang = opts.lang ?? 'th';
  let iso: string, hh = 0, mm = 0;
  const cal = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
  if (cal) iso = value as string; else {
    const t = typeof value === 'string' ? new Date(value) : value;
    if (Number.isNaN(t.getTime())) return String(value);
    const bkk = toBangkok(t);
    iso = bkk.date; hh = bkk.hour; mm = bkk.minute;
  }
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const date = lang === 'th' ? formatThaiDateTh(iso) : `${d} ${EN_MONTHS[m - 1]} ${y}`;
  if (!opts.withTime || cal) return date;
  return `${date} ${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
}

/** Integer satang → `1,234,567.50 บาท` (exact: no floating point on the amount). */
export function formatBaht(satang: number | bigint, lang: 'th' | 'en' = 'th'): string {
  const s = BigInt(satang);
  const neg = s < 0n;
  const abs = neg ? -s : s;
  const baht = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = (abs % 100n).toString().padStart(2, '0');
  return `${neg ? '-' : ''}${baht}.${frac} ${lang === 'th' ? 'บาท' : 'baht'}`;
}

/** Defuses spreadsheet formula injection: a cell starting with = + - @ tab or CR gets a leading apostrophe. */
export function neutraliseCsvCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One CSV document (RFC 4180 quoting, CRLF, UTF-8 BOM so spreadsheet software reads Thai), every cell neutralised. */
export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  const cell = (v: string | number | null | undefined) => {
    const s = neutraliseCsvCell(v === null || v === undefined ? '' : String(v));
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return '\uFEFF' + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
