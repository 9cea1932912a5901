/** Money is integer satang (1 baht = 100 satang) everywhere; these helpers never touch floating point. */
import { z } from 'zod';
import { thaiDigitsToAscii } from './thai-text.ts';

/** A non-negative or negative whole number of satang, within JS's exact-integer range. */
export const Satang = z.number().int().refine(Number.isSafeInteger, 'amount exceeds the exact integer range');
export type Satang = z.infer<typeof Satang>;

/** Why a baht text could not become satang. */
export type MoneyParseError = 'empty' | 'negative' | 'malformed' | 'too-many-decimals' | 'too-large';

const BAHT_TEXT = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/;

/**
 * Parses a baht amount such as `1,234,567.50`, `๑,๒๓๔.๕๐` or `600` into satang, by string
 * arithmetic only. Negative (`-5`, `(5.00)`) amounts are refused: a payment file never carries them.
 */
export function parseBahtToSatang(text: string): { ok: true; satang: number } | { ok: false; error: MoneyParseError } {
  const t = thaiDigitsToAscii(text).trim().replace(/\s+/g, '');
  if (t === '') return { ok: false, error: 'empty' };
  if (t.startsWith('-') || (t.startsWith('(') && t.endsWith(')')) || t.endsWith('-')) return { ok: false, error: 'negative' };
  const m = BAHT_TEXT.exec(t);
  if (!m) return /^[\d,]+\.\d{3,}$/.test(t) ? { ok: false, error: 'too-many-decimals' } : { ok: false, error: 'malformed' };
  const whole = m[1]!.replace(/,/g, '');
  const frac = (m[2] ?? '').padEnd(2, '0');
  const digits = (whole + frac).replace(/^0+(?=\d)/, '');
  if (!fitsSafeInteger(digits)) return { ok: false, error: 'too-large' };
  return { ok: true, satang: Number(digits) };
}

/** Parses a string of digits that already is satang (fixed-width files), e.g. `00000000000123450`. */
export function parseSatangDigits(text: string): number | null {
  const t = thaiDigitsToAscii(text).trim();
  if (!/^\d+$/.test(t)) return null;
  const digits = t.replace(/^0+(?=\d)/, '');
  return fitsSafeInteger(digits) ? Number(digits) : null;
}

const MAX_SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER);
/** Compares digit strings, so the check itself cannot lose precision. */
function fitsSafeInteger(digits: string): boolean {
  return digits.length < MAX_SAFE_DIGITS.length || (digits.length === MAX_SAFE_DIGITS.length && digits <= MAX_SAFE_DIGITS);
}

/** Formats satang as Thai-style baht text: 123456750 → `1,234,567.50`. */
export function formatSatangAsBaht(satang: number): string {
  const negative = satang < 0;
  const abs = String(Math.abs(satang)).padStart(3, '0');
  const whole = abs.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${whole}.${abs.slice(-2)}`;
}

/** Whole baht to satang, for thresholds written in baht in configuration. */
export const bahtToSatang = (baht: number): number => Math.round(baht) * 100;
