/** Recognises a KTB bulk-payment file from its content. */
import { KTB_BULK_RECORD_TYPE } from './ktb-bulk-layout.ts';
import { LineCursor, isBlankLine } from './line-cursor.ts';
import { refusal, type Refusal } from './refusal-codes.ts';

/** Where a recognised file's header is and where its detail lines start. */
export interface KtbBulkStart { header: string; headerRow: number; bodyOffset: number }

/**
 * The header position when the first non-blank line starts with `101` and the next non-blank line
 * with `102`; a refusal when there is a header but no detail line; null when it is not this format.
 * Only the first detail line decides: a later bad line is a row reject, not another format.
 */
export function sniffKtbBulk(text: string): KtbBulkStart | Refusal | null {
  const cursor = new LineCursor(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  while (cursor.next() && isBlankLine(cursor.line));
  if (!cursor.line.startsWith(KTB_BULK_RECORD_TYPE.header)) return null;
  const start: KtbBulkStart = { header: cursor.line, headerRow: cursor.row, bodyOffset: cursor.offset };
  while (cursor.next()) {
    if (isBlankLine(cursor.line)) continue;
    return cursor.line.startsWith(KTB_BULK_RECORD_TYPE.detail) ? start : null;
  }
  return refusal('PW_ERR_NO_DETAILS');
}
