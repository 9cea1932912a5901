/**
 * Large generated inputs for the memory and XLSX benchmarks. A 1,000,000-row file is one generated chunk
 * repeated: parsing cost does not depend on rows being distinct, and generating a million distinct rows would
 * take longer than the benchmark itself. Files are written chunk by chunk, never held whole.
 */
import { open } from 'node:fs/promises';
import { generateBulkBatch, generateReportBatch, renderKtbBulk, renderKtbReportCsv, renderKtbReportXlsx, unzipParts, zipParts, type KtbBulkSpec } from '@paywatch/ktb-formats';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';

const CHUNK_ROWS = 10_000;
const LAO = SEED_LAO_REGISTRY.find((l) => l.laoCode === '6600101')!;
const GEN = { laoCode: LAO.laoCode, companyId: LAO.companyIds[0]!, debitAccount: LAO.accounts[0]! };
/** A Windows-874 bulk line with its CRLF: 498 one-byte characters + 2. */
const BULK_LINE_BYTES = 500;

/** How many whole chunks and the rows left over. */
const chunksOf = (rows: number) => ({ whole: Math.floor(rows / CHUNK_ROWS), rest: rows % CHUNK_ROWS });

/** Writes a KTB bulk file of `rows` details (Windows-874, CRLF) whose header count and total agree with them. */
export async function writeBulkFile(path: string, rows: number): Promise<number> {
  const { spec } = generateBulkBatch({ seed: 1, ...GEN, rows: Math.min(rows, CHUNK_ROWS), effectiveDate: '2026-10-05', batchNo: '000001' });
  const render = (s: KtbBulkSpec) => renderKtbBulk(s, { encoding: 'windows-874', eol: '\r\n' });
  const chunk = render(spec).subarray(BULK_LINE_BYTES);
  const chunkTotal = spec.details.reduce((s, d) => s + d.amountSatang, 0);
  const { whole, rest } = chunksOf(rows);
  const restTotal = spec.details.slice(0, rest).reduce((s, d) => s + d.amountSatang, 0);
  const header = render({ header: { ...spec.header, detailCount: rows, totalSatang: whole * chunkTotal + restTotal }, details: [] });
  const fh = await open(path, 'w');
  try {
    await fh.write(header);
    for (let i = 0; i < whole; i++) await fh.write(chunk);
    await fh.write(chunk.subarray(0, rest * BULK_LINE_BYTES));
    return (await fh.stat()).size;
  } finally {
    await fh.close();
  }
}

const afterFirstLine = (b: Uint8Array): Uint8Array => b.subarray(b.indexOf(0x0a) + 1);

/** Writes a transfer report CSV of `rows` rows (UTF-8, Thai headers, BE dates, CRLF, as the bank exports it). */
export async function writeReportCsvFile(path: string, rows: number): Promise<number> {
  const { records } = generateReportBatch({ seed: 1, ...GEN, rows: Math.min(rows, CHUNK_ROWS), date: '2026-10-05' });
  const full = renderKtbReportCsv(records);
  const { whole, rest } = chunksOf(rows);
  const fh = await open(path, 'w');
  try {
    await fh.write(full.subarray(0, full.indexOf(0x0a) + 1));
    const body = afterFirstLine(full);
    for (let i = 0; i < whole; i++) await fh.write(body);
    if (rest > 0) await fh.write(afterFirstLine(renderKtbReportCsv(records.slice(0, rest))));
    return (await fh.stat()).size;
  } finally {
    await fh.close();
  }
}

/**
 * A transfer report workbook of `rows` rows as exceljs writes it (shared strings, numeric amounts): one rendered
 * chunk whose worksheet rows are repeated with their row numbers moved on, zipped again.
 */
export async function reportWorkbook(rows: number): Promise<Uint8Array> {
  const chunkRows = Math.min(rows, CHUNK_ROWS);
  const { records } = generateReportBatch({ seed: 1, ...GEN, rows: chunkRows, date: '2026-10-05' });
  const parts = unzipParts(await renderKtbReportXlsx(records))!;
  const sheet = parts.find((p) => /^xl\/worksheets\/sheet\d+\.xml$/.test(p.name))!;
  const xml = new TextDecoder().decode(sheet.data);
  const dataStart = xml.indexOf('<row r="2"');
  const dataEnd = xml.indexOf('</sheetData>');
  const data = xml.slice(dataStart, dataEnd);
  const rowXml = [...data.matchAll(/<row\b[\s\S]*?<\/row>/g)].map((m) => m[0]);
  const shifted = (row: string, by: number) => row.replace(/ r="([A-Z]*)(\d+)"/g, (_, col: string, n: string) => ` r="${col}${Number(n) + by}"`);
  const out: string[] = [xml.slice(0, dataStart).replace(/<dimension ref="A1:([A-Z]+)\d+"\/>/, `<dimension ref="A1:$1${rows + 1}"/>`)];
  for (let done = 0; done < rows; done += chunkRows) {
    const take = Math.min(chunkRows, rows - done);
    for (let i = 0; i < take; i++) out.push(done === 0 ? rowXml[i]! : shifted(rowXml[i]!, done));
  }
  out.push(xml.slice(dataEnd));
  const data2 = new TextEncoder().encode(out.join(''));
  return zipParts(parts.map((p) => (p === sheet ? { name: p.name, data: data2 } : p)));
}
