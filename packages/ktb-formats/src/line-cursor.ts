/** Walks the lines of a text in place: no split, no array of lines, and no substring unless asked. */
export class LineCursor {
  /** Offset of the current line's first character. */
  start = 0;
  /** Offset just after the current line's last character (before its CR/LF). */
  end = 0;
  /** 1-based line number of the current line in the whole text. */
  row: number;
  private pos: number;

  constructor(readonly text: string, start = 0, rowBeforeStart = 0) {
    this.pos = start;
    this.row = rowBeforeStart;
  }

  /** Moves to the next line; false at the end. A final newline does not start an extra empty line. */
  next(): boolean {
    const text = this.text;
    if (this.pos >= text.length) return false;
    let end = text.indexOf('\n', this.pos);
    if (end === -1) end = text.length;
    this.start = this.pos;
    this.end = end > this.pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    this.pos = end + 1;
    this.row++;
    return true;
  }

  /** The current line, without its CR/LF (a new substring on each call). */
  get line(): string {
    return this.text.slice(this.start, this.end);
  }

  /** Offset where the next line starts. */
  get offset(): number {
    return this.pos;
  }
}

/** True when `text[start, end)` holds only spaces, tabs, control characters (e.g. a DOS Ctrl-Z) or nothing. */
export function isBlankRange(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) > 32) return false;
  return true;
}

/** True when the line holds only spaces, tabs, control characters or nothing. */
export const isBlankLine = (line: string): boolean => isBlankRange(line, 0, line.length);
