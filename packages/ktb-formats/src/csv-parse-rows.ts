/**
 * CSV records read by csv-parse's core: the exact reference the fast reader (csv-rows.ts) hands every unusual
 * record to, from that record on. See {@link csvParseRows}.
 */
import { Parser } from 'csv-parse';
import { asTextSource, chunksFrom, type TextSource } from './text-source.ts';

/** One CSV record: its 1-based first line, its cells, its raw text (without the line end). */
export interface CsvRow { row: number; cells: string[]; raw: string }

const CHUNK_CHARS = 65_536;

/**
 * The records of `text` from character offset `offset`: csv-parse's core fed 64 KiB at a time, chunk by
 * chunk of the source, so nothing but the records of the current piece is held. A malformed end (an
 * unclosed quote, a record over `maxRecordChars`) is yielded as an error with the row it starts on and
 * the start of its first line (read from the current or previous chunk; a record that started further back
 * broke the size limit long before). `linesBefore`: lines between where the caller began reading and `offset`, added to
 * the line numbers in csv-parse's messages.
 */
export function* csvParseRows(input: string | TextSource, offset: number, firstRow: number, delimiter: string, maxRecordChars: number, linesBefore = 0): Generator<CsvRow | { row: number; error: string; raw: string }> {
  const parser = new Parser({ delimiter, relax_quotes: true, relax_column_count: true, raw: true, skip_empty_lines: false, record_delimiter: ['\r\n', '\n'], max_record_size: maxRecordChars });
  const api = (parser as unknown as { api: CsvApi }).api;
  let row = firstRow;
  // Offset in the text where the next record starts, and the chunks that may hold it.
  let at = offset;
  let current = { text: '', at: offset, start: 0 };
  let previous = current;
  const pending: Array<{ record: string[]; raw: string }> = [];
  const push = (r: { record: string[]; raw: string }) => { pending.push(r); };
  const startOfRecord = (): string => {
    const c = at >= current.at ? current : at >= previous.at ? previous : null;
    if (c === null) return '';
    const from = at - c.at;
    const nl = c.text.indexOf('\n', from);
    return c.text.slice(from, nl === -1 ? Math.min(c.text.length, from + 500) : Math.min(nl, from + 500)).replace(/\r$/, '');
  };
  // Feeds one piece (or the end, for undefined) and yields what it completed; false once the input is malformed.
  const feed = function* (piece: string | undefined): Generator<CsvRow | { row: number; error: string; raw: string }, boolean> {
    const err = piece === undefined ? api.parse(undefined, true, push, () => {}) : api.parse(Buffer.from(piece, 'utf8'), false, push, () => {});
    for (const r of pending) {
      // csv-parse's raw text holds a `\n` record end but only the `\r` of a `\r\n` one.
      const crlf = r.raw.endsWith('\r');
      yield { row, cells: r.record, raw: r.raw.replace(/\r?\n?$/, '') };
      at += r.raw.length + (crlf ? 1 : 0);
      if (crlf) row++;
      for (let i = r.raw.indexOf('\n'); i !== -1; i = r.raw.indexOf('\n', i + 1)) row++;
    }
    pending.length = 0;
    if (err === undefined) return true;
    // csv-parse counts lines from where it started: `linesBefore` makes them count from where the caller's reading began.
    yield { row, error: err.message.replace(/\bline (\d+)/g, (_, n: string) => `line ${Number(n) + linesBefore}`).replace(/\d{6,}/g, '…'), raw: startOfRecord() };
    return false;
  };
  for (const chunk of chunksFrom(asTextSource(input), offset)) {
    previous = current;
    current = chunk;
    const text = chunk.text;
    for (let pos = chunk.start; pos < text.length; ) {
      const end = Math.min(text.length, pos + CHUNK_CHARS);
      // Never split a surrogate pair between pieces.
      const cut = end < text.length && isHighSurrogate(text.charCodeAt(end - 1)) ? end - 1 : end;
      if (!(yield* feed(text.slice(pos, cut)))) return;
      pos = cut;
    }
  }
  yield* feed(undefined);
}

interface CsvApi { parse(buf: Buffer | undefined, end: boolean, push: (r: { record: string[]; raw: string }) => void, close: () => void): Error | undefined }
const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;

