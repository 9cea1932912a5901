/** Thai 13-digit citizen / tax identification numbers. */
import { thaiDigitsToAscii } from './thai-text.ts';

/** Check digit = (11 − Σ dᵢ·(14−i) for i=1..12 mod 11) mod 10. */
export function thaiIdCheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (13 - i);
  return (11 - (sum % 11)) % 10;
}

/** Normalises `1-2345-67890-12-1` or Thai digits to 13 ASCII digits, or null if it has another shape. */
export function normaliseThaiId(text: string): string | null {
  const t = thaiDigitsToAscii(text).replace(/[\s-]/g, '');
  return /^\d{13}$/.test(t) ? t : null;
}

/** True when the text is a 13-digit ID whose check digit is right. */
export function isValidThaiId(text: string): boolean {
  const id = normaliseThaiId(text);
  return id !== null && thaiIdCheckDigit(id.slice(0, 12)) === Number(id[12]);
}
