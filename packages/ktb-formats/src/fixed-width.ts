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
 * True for a character that is neither white space (trim's and \s's set) nor one cleanText removes: printable
 * ASCII and the Thai block. Fields made only of these (and single inner spaces) need no trimming beyond spaces and
 * no cleaning, which the fast paths below check by char codes instead of slicing, trimming and testing a regex.
 */
const isPlainChar = (c: number): boolean => (c > 32 && c < 127) || (c >= 0x0e01 && c <= 0x0e5b);

/**
 * `cleanText(s.slice(from, to))` without cleanText's three passes when the field is already clean.
 * Fast path, by char codes: trailing spaces dropped, then every character plain with no leading or double space:
 * the field is already what cleanText makes of it. Anything else (tabs, zero-width marks, other scripts)
 * takes the exact path: trimEnd first does not change cleanText's result (it trims the same white space, \s =
 * trim's set), and the regex sends only bodies cleanText would change through it.
 */
export function cleanField(s: string, from: number, to: number): string {
  let end = to;
  while (end > from && s.charCodeAt(end - 1) === 32) end--;
  let plain = end === from || s.charCodeAt(from) !== 32;
  for (let i = from, prevSpace = false; plain && i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      plain = !prevSpace;
      prevSpace = true;
    } else {
      plain = isPlainChar(c);
      prevSpace = false;
    }
  }
  if (plain) return s.slice(from, end);
  const body = s.slice(from, to).trimEnd();
  return NEEDS_CLEANING.test(body) ? cleanText(body) : body;
}

/**
 * `s.slice(from, to).trim()`, or null when that is empty. Fast path: spaces stepped over by char codes and one
 * slice, when the characters they stop at are plain (so trim would stop there too).
 */
export function trimmedField(s: string, from: number, to: number): string | null {
  let a = from;
  let b = to;
  while (b > a && s.charCodeAt(b - 1) === 32) b--;
  if (b === a && s.length >= to) return null;
  while (a < b && s.charCodeAt(a) === 32) a++;
  if (isPlainChar(s.charCodeAt(a)) && isPlainChar(s.charCodeAt(b - 1))) return s.slice(a, b);
  const t = s.slice(from, to).trim();
  return t === '' ? null : t;
}

/** A 13-digit ASCII string with a valid check digit (the domain's check digit, without its regex normalising). */
export const hasValidCheckDigit = (id: string): boolean => thaiIdCheckDigit(id) === id.charCodeAt(12) - 48;

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
