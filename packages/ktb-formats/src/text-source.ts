/**
 * Decoded text that can be read more than once, in chunks that end at line ends, plus its head: the first
 * lines, which is all that format sniffing looks at. A string is a source with one chunk; a file is decoded a
 * chunk at a time (see decode-source.ts), so a parser over a TextSource never holds a whole large file.
 */
import { LineCursor } from './line-cursor.ts';

export interface TextSource {
  /** The text's first {@link HEAD_CHARS} characters, carried on to the end of that line (the whole text when shorter). */
  readonly head: string;
  /** The whole text from the start, in chunks that each end just after a `\n` (the last one may not); each call starts over. */
  chunks(): Iterable<string>;
}

/** How much of a file format sniffing sees. Far more than any header or preamble; the same for strings and streams. */
export const HEAD_CHARS = 1 << 20;

/** The head of a text: its first {@link HEAD_CHARS} characters carried on to the end of that line. */
export function headOf(text: string): string {
  if (text.length <= HEAD_CHARS) return text;
  const nl = text.indexOf('\n', HEAD_CHARS - 1);
  return nl === -1 ? text : text.slice(0, nl + 1);
}

/** A string as a source. */
export function textSource(text: string): TextSource {
  return { head: headOf(text), chunks: () => [text] };
}

/** A source, or a string taken as one. */
export const asTextSource = (input: string | TextSource): TextSource => (typeof input === 'string' ? textSource(input) : input);

/**
 * The chunks of a source that hold text from character offset `from` on: each with `at`, the offset of its first
 * character in the whole text, and `start`, where reading begins in it (`from - at` in the first, else 0). Chunks
 * are not sliced: the parsers' char-by-char reads are fastest on the flat strings the decoder made.
 */
export function* chunksFrom(source: TextSource, from: number): Generator<{ text: string; at: number; start: number }, void, undefined> {
  let at = 0;
  for (const text of source.chunks()) {
    if (at + text.length > from) yield { text, at, start: Math.max(0, from - at) };
    at += text.length;
  }
}

/**
 * Every line of a source from character offset `from` (counted from the start of the text), as a cursor over
 * the chunk holding it: read `cursor.text` between `cursor.start` and `cursor.end`. Row numbers continue from
 * `rowBefore` (the row of the line that ends just before `from`). The cursor is reused within a chunk.
 */
export function* linesFrom(source: TextSource, from: number, rowBefore: number): Generator<LineCursor, void, undefined> {
  let row = rowBefore;
  for (const chunk of chunksFrom(source, from)) {
    const cursor = new LineCursor(chunk.text, chunk.start, row);
    while (cursor.next()) yield cursor;
    row = cursor.row;
  }
}
