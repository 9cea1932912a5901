/**
 * The floor the XLSX parser is measured against (`pnpm bench xlsx`): exceljs's streaming reader over the same
 * bytes with the same options, every row's values touched, nothing else — no ZIP checks, no re-ordering, no
 * header, LAO or row logic, one pass. Lives here because only this package depends on exceljs.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';

/** Rows of the first worksheet, counted by a bare exceljs streaming read. */
export async function bareExcelJsRowCount(bytes: Uint8Array): Promise<number> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]), {
    worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', entries: 'ignore',
  });
  let rows = 0;
  for await (const sheet of reader) {
    for await (const row of sheet) if ((row.values as unknown[]).length > 0) rows++;
    break;
  }
  return rows;
}
