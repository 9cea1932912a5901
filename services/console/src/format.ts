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

/**
 * Baht typed by a person (`1500`, `1,500.50`, Thai digits) → integer satang, exactly (no floating point);
 * undefined when empty, null when it is not an amount.
 */
export function bahtToSatang(text: string | undefined): number | undefined | null {
  if (text === undefined || text.trim() === '') return undefined;
  const t = text.trim().replace(/[๐-๙]/g, (c) => String(c.charCodeAt(0) - 0x0e50)).replace(/,/g, '');
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** A date the user typed or the API echoes, shown as Thai users write it: `2026-11-22` → `22/11/2569`; other text unchanged. */
export function toBeInput(text: string | undefined): string {
  if (!text) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return text;
  const y = Number(m[1]);
  return `${m[3]}/${m[2]}/${y >= 2400 ? y : y + 543}`;
}
