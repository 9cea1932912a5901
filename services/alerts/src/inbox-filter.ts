/**
 * The inbox filters of `GET /v1/alerts`, validated field by field so a bad value gets a 400 that names the field in
 * Thai and English (not zod's generic wording). Dates may be ISO (`2026-11-22`) or Thai: `22/11/2569`, or a BE year
 * in ISO order (`2569-11-22`) — any year ≥ 2400 is Buddhist Era, as everywhere in paywatch.
 */
import { HttpError } from '@paywatch/http-kit';
import { isRealDate, toCeYear } from '@paywatch/domain';

/** Filters as the store applies them: CE calendar dates and integer satang. */
export interface InboxFilter {
  province?: string | undefined;
  district?: string | undefined;
  rule?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  minAmountSatang?: number | undefined;
  maxAmountSatang?: number | undefined;
}

export const filterInvalid = (field: string, th: string, en: string, value?: string) => new HttpError(400, 'PW_ERR_FILTER_INVALID',
  { th: `ตัวกรอง "${field}" ไม่ถูกต้อง: ${th}`, en: `Filter "${field}" is not valid: ${en}` }, { field, ...(value === undefined ? {} : { value: value.slice(0, 40) }) });

/** `2026-11-22`, `2569-11-22`, `22/11/2569` or `22/11/2026` → CE `YYYY-MM-DD`; null when not a real date. */
export function parseFilterDate(text: string): string | null {
  const t = text.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  const thai = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  const [y, m, d] = iso ? [Number(iso[1]), Number(iso[2]), Number(iso[3])] : thai ? [Number(thai[3]), Number(thai[2]), Number(thai[1])] : [NaN, NaN, NaN];
  const ce = toCeYear(y);
  if (!Number.isInteger(ce) || ce < 1900 || ce > 2200 || !isRealDate(ce, m, d)) return null;
  return `${ce}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const DATE_TH = 'ต้องเป็นวันที่ เช่น 22/11/2569 (พ.ศ.) หรือ 2026-11-22 (ค.ศ.)';
const DATE_EN = 'must be a date such as 22/11/2569 (Buddhist Era) or 2026-11-22';

function satang(field: string, v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (!/^\d{1,15}$/.test(v) || !Number.isSafeInteger(Number(v))) throw filterInvalid(field, 'ต้องเป็นจำนวนเต็มสตางค์ที่ไม่ติดลบ (100 สตางค์ = 1 บาท)', 'must be a whole, non-negative number of satang (100 satang = 1 baht)', v);
  return Number(v);
}

/** Checks the raw query values; throws PW_ERR_FILTER_INVALID naming the first bad field. */
export function parseInboxFilter(q: Partial<Record<keyof InboxFilter, string | undefined>>): InboxFilter {
  const text = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());
  const province = text(q.province);
  if (province !== undefined && !/^(\d{2}|unknown)$/.test(province)) throw filterInvalid('province', 'ต้องเป็นรหัสจังหวัด 2 หลัก หรือ unknown', 'must be a two-digit province code or "unknown"', province);
  const district = text(q.district);
  if (district !== undefined && (district.length > 100 || /[<>]/.test(district))) throw filterInvalid('district', 'ต้องเป็นชื่ออำเภอ ไม่เกิน 100 ตัวอักษร', 'must be a district name of at most 100 characters', district);
  const rule = text(q.rule);
  if (rule !== undefined && !/^[a-z0-9-]{1,100}$/.test(rule)) throw filterInvalid('rule', 'ต้องเป็นรหัสกฎ เช่น split-payment', 'must be a rule id such as split-payment', rule);
  const date = (field: 'from' | 'to') => {
    const v = text(q[field]);
    if (v === undefined) return undefined;
    const d = parseFilterDate(v);
    if (!d) throw filterInvalid(field, DATE_TH, DATE_EN, v);
    return d;
  };
  const from = date('from'), to = date('to');
  if (from && to && from > to) throw filterInvalid('to', 'ต้องไม่ก่อนวันที่เริ่มต้น', 'must not be before "from"', q.to);
  const minAmountSatang = satang('minAmountSatang', text(q.minAmountSatang));
  const maxAmountSatang = satang('maxAmountSatang', text(q.maxAmountSatang));
  if (minAmountSatang !== undefined && maxAmountSatang !== undefined && minAmountSatang > maxAmountSatang) {
    throw filterInvalid('maxAmountSatang', 'ต้องไม่น้อยกว่าจำนวนเงินขั้นต่ำ', 'must not be below minAmountSatang', q.maxAmountSatang);
  }
  return { province, district, rule, from, to, minAmountSatang, maxAmountSatang };
}
