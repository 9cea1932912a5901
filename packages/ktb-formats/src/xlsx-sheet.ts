/** The first worksheet of an XLSX as rows of text cells, streamed with exceljs: shared by the transfer report and reference files. */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { entriesInReadingOrder, type ZipEntry } from './xlsx-zip.ts';

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * The text of a cell, never evaluated: a formula is kept as `=formula` (its cached result is not
 * trusted), rich text is joined, a hyperlink gives its text, a date cell its wall clock `DD/MM/YYYY HH:MM:SS`.
 */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return '';
    const time = `${pad2(v.getUTCHours())}:${pad2(v.getUTCMinutes())}:${pad2(v.getUTCSeconds())}`;
    return `${pad2(v.getUTCDate())}/${pad2(v.getUTCMonth() + 1)}/${v.getUTCFullYear()}${time === '00:00:00' ? '' : ` ${time}`}`;
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.formula === 'string') return `=${o.formula}`;
    if (typeof o.sharedFormula === 'string') return `=${o.sharedFormula}`;
    if (Array.isArray(o.richText)) return o.richText.map((t) => (typeof (t as { text?: unknown }).text === 'string' ? (t as { text: string }).text : '')).join('');
    if ('text' in o) return cellText(o.text);
    if (typeof o.error === 'string') return o.error;
  }
  return '';
}

/** One worksheet row: its sheet row number and its cells as text. */
export interface SheetRow { row: number; cells: string[] }

/** The rows of the first worksheet, as text cells (index 0 = column A). Empty rows are not stored in XLSX and so are not seen. */
export function firstSheetRows(bytes: Uint8Array, entries: readonly ZipEntry[], stallMs: number): AsyncGenerator<SheetRow> {
  const parts = entriesInReadingOrder(bytes, entries);
  if (parts === null) throw new Error('ZIP entry offsets out of range');
  const input = Readable.from(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
  return withStallTimeout(sheetRows(input), stallMs, () => input.destroy());
}

/**
 * The iterable's values, failing when the next one takes longer than `ms`: some damaged ZIPs make
 * the streaming reader wait forever instead of failing, which would hang the upload.
 */
async function* withStallTimeout<T>(source: AsyncIterable<T>, ms: number, onStall: () => void): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const next = it.next();
    next.catch(() => {}); // a late failure after a stall must not become an unhandled rejection
    const stall = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        onStall();
        reject(new Error(`no progress for ${ms} ms`));
      }, ms);
    });
    try {
      const r = await Promise.race([next, stall]);
      if (r.done) return;
      yield r.value;
    } finally {
      clearTimeout(timer);
    }
  }
}

async function* sheetRows(input: Readable): AsyncGenerator<SheetRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', entries: 'ignore',
  });
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = row.values as unknown[];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
      yield { row: row.number, cells };
    }
    return; // the first worksheet only
  }
}
