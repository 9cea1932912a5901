// ORACLE: a verbatim copy of src/fixed-width.ts as of d00af7d, for test/oracle/parse-ktb-bulk-v1.ts.
/**
 * Field readers for fixed-width lines, read at offsets of the decoded text. Each has a fast path for
 * the shape real files have (one slice, native trim, at most one regex test) and hands everything
 * else to the domain helper it stands in for; test/fixed-width.test.ts holds the two equal on
 * random input.
 */
import { cleanText, isValidThaiId, normaliseThaiId, thaiIdCheckDigit } from '@paywatch/domain';

/** True when `[from, to)` of `line` holds only ASCII digits (and the string is long enough). */
export function isDigitsField(line: string, from: number, to: number): boolean {
  if (line.length < to) return false;
  for (let i = from; i < to; i++) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

// Anything cleanText would change in a body without trailing white space: other white space, a
// double space, a leading space, a zero-width character (U+FEFF counts as white space for \s).
const NEEDS_CLEANING = /[^\S ]| {2}|[\u200B-\u200D\u00AD]|^ /;

/**
 * `cleanText(s.slice(from, to))` without cleanText's three passes when the field is already clean.
 * trimEnd first does not change cleanText's result (it trims the same white space, \s = trim's set).
 * Native trim beats char-by-char loops here: fields are mostly padding.
 */
export function cleanField(s: string, from: number, to: number): string {
  const body = s.slice(from, to).trimEnd();
  return NEEDS_CLEANING.test(body) ? cleanText(body) : body;
}

/** `s.slice(from, to).trim()`, or null when that is empty. */
export function trimmedField(s: string, from: number, to: number): string | null {
  const t = s.slice(from, to).trim();
  return t === '' ? null : t;
}

/** A 13-digit ASCII string with a valid check digit (the domain's check digit, without its regex normalising). */
const hasValidCheckDigit = (id: string): boolean => thaiIdCheckDigit(id) === id.charCodeAt(12) - 48;

/**
 * The valid Thai ID that `[from, to)` holds on its own (padding aside), or null. Fast path: exactly
 * 13 ASCII digits; anything else non-blank (Thai digits, dashes) goes through the domain normaliser.
 */
export function thaiIdField(s: string, from: number, to: number): string | null {
  const t = s.slice(from, to).trim();
  if (t.length < 13) return null;
  if (t.length === 13 && isDigitsField(t, 0, 13)) return hasValidCheckDigit(t) ? t : null;
  const id = normaliseThaiId(t);
  return id !== null && isValidThaiId(id) ? id : null;
}

// A run of exactly 13 digits: IDs written inside free text ("ผู้รับ 1101700203450").
const ID_IN_TEXT = /(?<![0-9])[0-9]{13}(?![0-9])/g;

/** The first run of exactly 13 ASCII digits in `text` that is a valid Thai ID, or null. */
export function thaiIdInText(text: string | null): string | null {
  if (text === null || text.length < 13) return null;
  ID_IN_TEXT.lastIndex = 0;
  for (let m = ID_IN_TEXT.exec(text); m !== null; m = ID_IN_TEXT.exec(text)) if (hasValidCheckDigit(m[0])) return m[0];
  return null;
}
