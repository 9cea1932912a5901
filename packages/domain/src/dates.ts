/** Calendar dates (YYYY-MM-DD, CE) and Bangkok wall-clock instants. Thailand has no DST: UTC+7 all year. */
import { thaiDigitsToAscii } from './thai-text.ts';

/** Years at or above this are Buddhist Era (BE = CE + 543). */
export const BE_YEAR_THRESHOLD = 2400;
export const BE_OFFSET = 543;
const BANGKOK_OFFSET_MS = 7 * 3600_000;

/** True when y-m-d exists in the proleptic Gregorian calendar (rejects 31/02). */
export function isRealDate(y: number, m: number, d: number): boolean {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return false;
  if (m < 1 || m > 12 || d < 1) return false;
  const dim = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= dim[m - 1]!;
}

const iso = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** Converts a BE or CE year to CE. */
export const toCeYear = (y: number): number => (y >= BE_YEAR_THRESHOLD ? y - BE_OFFSET : y);

/** `DDMMYYYY` (fixed-width files), BE or CE → `YYYY-MM-DD` (CE), or null when not a real date. */
export function parseDdMmYyyyCompact(text: string): string | null {
  const t = thaiDigitsToAscii(text).trim();
  if (!/^\d{8}$/.test(t)) return null;
  const d = Number(t.slice(0, 2)), m = Number(t.slice(2, 4)), y = toCeYear(Number(t.slice(4)));
  return isRealDate(y, m, d) ? iso(y, m, d) : null;
}

/** `DD/MM/YYYY[ HH:MM[:SS]]`, BE or CE, Bangkok wall clock → calendar date and UTC instant (null time → instant null). */
export function parseThaiDateTime(text: string): { date: string; instant: string | null } | null {
  const t = thaiDigitsToAscii(text).trim();
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (!m) return null;
  const d = Number(m[1]), mo = Number(m[2]), y = toCeYear(Number(m[3]));
  if (!isRealDate(y, mo, d)) return null;
  const date = iso(y, mo, d);
  if (m[4] === undefined) return { date, instant: null };
  const hh = Number(m[4]), mm = Number(m[5]), ss = Number(m[6] ?? 0);
  if (hh > 23 || mm > 59 || ss > 59) return null;
  return { date, instant: bangkokWallClockToUtc(date, hh, mm, ss) };
}

/** A Bangkok wall-clock time on a calendar date as an ISO UTC instant. */
export function bangkokWallClockToUtc(date: string, hh: number, mm: number, ss = 0): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d, hh, mm, ss) - BANGKOK_OFFSET_MS).toISOString();
}

/** The Bangkok calendar date and wall-clock parts of a UTC instant. */
export function toBangkok(instant: string | Date): { date: string; hour: number; minute: number; weekday: number } {
  const t = new Date(new Date(instant).getTime() + BANGKOK_OFFSET_MS);
  return { date: iso(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()), hour: t.getUTCHours(), minute: t.getUTCMinutes(), weekday: t.getUTCDay() };
}

/** Whole days from calendar date a to b (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** Adds whole days to a calendar date. */
export function addDays(date: string, days: number): string {
  // The rules ask for the same few (date, offset) pairs for every record of a day: a bounded cache saves a Date per call,
  // keyed by date then offset (no key string to build per call).
  let byOffset = shiftedDates.get(date);
  const hit = byOffset?.get(days);
  if (hit !== undefined) return hit;
  const value = new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  if (shiftedCount >= 4_096) { shiftedDates.clear(); shiftedCount = 0; byOffset = undefined; }
  if (!byOffset) shiftedDates.set(date, (byOffset = new Map()));
  byOffset.set(days, value);
  shiftedCount++;
  return value;
}
const shiftedDates = new Map<string, Map<number, string>>();
let shiftedCount = 0;

/** Thai fiscal year (1 Oct – 30 Sep) of a calendar date, in CE: 2024-10-01 → 2025. */
export function fiscalYear(date: string): number {
  // Asked for the same date record after record: remember the last answer.
  if (date === lastFiscal.date) return lastFiscal.year;
  const y = Number(date.slice(0, 4)), m = Number(date.slice(5, 7));
  const year = m >= 10 ? y + 1 : y;
  lastFiscal.date = date; lastFiscal.year = year;
  return year;
}
const lastFiscal: { date: string | null; year: number } = { date: null, year: 0 };

/** Thai abbreviated month names, January first. */
export const THAI_MONTHS_SHORT = ['ม.ค.', 'ก.พ.', 'มี.ค.', 'เม.ย.', 'พ.ค.', 'มิ.ย.', 'ก.ค.', 'ส.ค.', 'ก.ย.', 'ต.ค.', 'พ.ย.', 'ธ.ค.'] as const;

/** A calendar date (YYYY-MM-DD, CE) as Thai people write it: `2026-11-22` → `22 พ.ย. 2569`. */
export function formatThaiDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${d} ${THAI_MONTHS_SHORT[m - 1] ?? '?'} ${y + 543}`;
}
