/** Walks the lines of a text in place: no split, no array of lines, one substring per line. */
export class LineCursor {
  /** The current line, without its CR/LF. */
  line = '';
  /** 1-based line number of `line` in the whole text. */
  row: number;
  private pos: number;

  constructor(private readonly text: string, start = 0, rowBeforeStart = 0) {
    this.pos = start;
    this.row = rowBeforeStart;
  }

  /** Moves to the next line; false at the end. A final newline does not start an extra empty line. */
  next(): boolean {
    const text = this.text;
    if (this.pos >= text.length) return false;
    let end = text.indexOf('\n', this.pos);
    if (end === -1) end = text.length;
    const lineEnd = end > this.pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    this.line = text.slice(this.pos, lineEnd);
    this.pos = end + 1;
    this.row++;
    return true;
  }

  /** Offset where the next line starts. */
  get offset(): number {
    return this.pos;
  }
}

/** True when the line holds only spaces, tabs, control characters (e.g. a DOS Ctrl-Z) or nothing. */
export function isBlankLine(line: string): boolean {
  for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) > 32) return false;
  return true;
}
