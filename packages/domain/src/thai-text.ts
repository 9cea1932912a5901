/** Small text helpers for Thai input. */

/** Replaces Thai digits ๐–๙ (U+0E50–U+0E59) with ASCII digits. */
export function thaiDigitsToAscii(text: string): string {
  return text.replace(/[\u0E50-\u0E59]/g, (d) => String(d.charCodeAt(0) - 0x0e50));
}

/** Removes zero-width characters and collapses white space (names copied from Word or PDFs carry both). */
export function cleanText(text: string): string {
  return text.replace(/[\u200B-\u200D\uFEFF\u00AD]/g, '').replace(/\s+/g, ' ').trim();
}
