/**
 * CSV records of a decoded text, read straight from the string: bank exports are plain (unquoted cells, or quoted
 * cells closed before the next delimiter), and for those a loop over char codes gives exactly csv-parse's records
 * at a fraction of its cost (csv-parse re-encodes the text to bytes and decodes every cell back). The first record
 * that is not plain — a quote inside an unquoted cell, text after a closing quote, a lone CR, an unclosed quote,
 * a record that may be near the size limit — and everything after it go to csv-parse itself ({@link csvParseRows}), so
 * malformed input reads exactly as before (ADR 0015). A property test holds the two readers equal.
 */
import { csvParseRows, type CsvRow } from './csv-parse-rows.ts';
import { asTextSource, chunksFrom, type TextSource } from './text-source.ts';

export type { CsvRow } from './csv-parse-rows.ts';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** One plain record scanned from `s` at `p`: its cells, where its text ends (before the line end) and the next record starts. */
interface Scanned { cells: string[]; end: number; next: number }

/**
 * Scans one record starting at `p`. 'more': the record may continue past the end of `s` (not the last piece);
 * 'odd': not a plain record (csv-parse decides).
 */
function scanRecord(s: string, p: number, d: number, last: boolean, maxChars: number): Scanned | 'more' | 'odd' {
  // csv-parse's limit counts UTF-8 bytes (up to 3 per UTF-16 unit): a record that might come near it is left to it.
  const cells: string[] = [];
  const len = s.length;
  let i = p;
  for (;;) {
    if (i - p > maxChars) return 'odd';
    if (i < len && s.charCodeAt(i) === QUOTE) {
      // Quoted cell: up to the quote that is not doubled.
      let j = i + 1;
      let value = '';
      for (;;) {
        const k = s.indexOf('"', j);
        if (k === -1 || k - p > maxChars) return last || k !== -1 ? 'odd' : 'more';
        if (k + 1 >= len && !last) return 'more';
        if (s.charCodeAt(k + 1) === QUOTE) { value += s.slice(j, k + 1); j = k + 2; continue; }
        value += s.slice(j, k);
        i = k + 1;
        break;
      }
      cells.push(value);
      if (i >= len) return last ? { cells, end: i, next: i } : 'more';
      const c = s.charCodeAt(i);
      if (c === d) { i++; continue; }
      if (c === LF) return { cells, end: i, next: i + 1 };
      if (c === CR) {
        if (i + 1 >= len) return last ? 'odd' : 'more';
        return s.charCodeAt(i + 1) === LF ? { cells, end: i, next: i + 2 } : 'odd';
      }
      return 'odd';
    }
    // Unquoted cell: up to the delimiter or the line end.
    const from = i;
    for (;;) {
      if (i >= len) {
        if (!last) return 'more';
        cells.push(s.slice(from, i));
        return { cells, end: i, next: i };
      }
      const c = s.charCodeAt(i);
      if (c === d) { cells.push(s.slice(from, i)); i++; break; }
      if (c === LF) { cells.push(s.slice(from, i)); return { cells, end: i, next: i + 1 }; }
      if (c === CR) {
        if (i + 1 >= len) { if (last) return 'odd'; return 'more'; }
        if (s.charCodeAt(i + 1) !== LF) return 'odd';
        cells.push(s.slice(from, i));
        return { cells, end: i, next: i + 2 };
      }
      if (c === QUOTE) return 'odd';
      i++;
      if (i - p > maxChars) return 'odd';
    }
  }
}

/**
 * Line ends inside a record's text (a quoted cell may hold some), and how many lines csv-parse counts for them
 * (it counts the CR and the LF of a CRLF inside quotes as two); null when a CR stands alone in a quoted cell,
 * which is left to csv-parse.
 */
function newlinesIn(s: string, from: number, to: number): { lf: number; csvParseLines: number } | null {
  let lf = 0;
  for (let i = s.indexOf('\n', from); i !== -1 && i < to; i = s.indexOf('\n', i + 1)) lf++;
  let cr = 0;
  for (let i = s.indexOf('\r', from); i !== -1 && i < to; i = s.indexOf('\r', i + 1)) {
    if (s.charCodeAt(i + 1) !== LF) return null;
    cr++;
  }
  return { lf, csvParseLines: lf + cr };
}

/**
 * The records of `input` from character offset `offset` (the record starting there is on line `firstRow`), read a
 * chunk of the source at a time: a record cut by a chunk's end is carried into the next. Same events as
 * {@link csvParseRows}: `{ row, cells, raw }` per record, or one `{ row, error, raw }` where the input is malformed.
 */
export function* csvRows(input: string | TextSource, offset: number, firstRow: number, delimiter: string, maxRecordChars: number): Generator<CsvRow | { row: number; error: string; raw: string }> {
  const d = delimiter.charCodeAt(0);
  const maxChars = Math.floor(maxRecordChars / 3);
  if (delimiter.length !== 1) { yield* csvParseRows(input, offset, firstRow, delimiter, maxRecordChars); return; }
  const source = asTextSource(input);
  let row = firstRow;
  // Lines csv-parse would have counted so far: its messages name lines, and a hand-over must name the same ones.
  let csvParseLines = 0;
  // The text not yet read (the carried start of a record, then the current chunk) and its offset in the whole.
  let s = '';
  let sAt = offset;
  const chunks = chunksFrom(source, offset);
  let pending = chunks.next();
  while (!pending.done) {
    const chunk = pending.value;
    pending = chunks.next();
    const last = pending.done === true;
    const text = chunk.start > 0 ? chunk.text.slice(chunk.start) : chunk.text;
    if (s.length === 0) { s = text; sAt = chunk.at + chunk.start; } else s += text;
    let p = 0;
    while (p < s.length) {
      const r = scanRecord(s, p, d, last, maxChars);
      if (r === 'more') break;
      const lines = r === 'odd' ? null : newlinesIn(s, p, r.end);
      if (r === 'odd' || lines === null) { yield* csvParseRows(source, sAt + p, row, delimiter, maxRecordChars, csvParseLines); return; }
      yield { row, cells: r.cells, raw: s.slice(p, r.end) };
      const ended = r.next > r.end ? 1 : 0;
      row += lines.lf + ended;
      csvParseLines += lines.csvParseLines + ended;
      p = r.next;
    }
    s = p < s.length ? s.slice(p) : '';
    sAt += p;
    if (last && s.length > 0) { yield* csvParseRows(source, sAt, row, delimiter, maxRecordChars, csvParseLines); return; }
  }
}
