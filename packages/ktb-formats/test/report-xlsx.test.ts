import fc from 'fast-check';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { generateReportBatch, parseFile, parseFileAsync, renderKtbReportXlsx, zipEntries, type ParseContext, type ParseEvent } from '../src/index.ts';
import { LAO, REGISTRY, collect } from './helpers.ts';

async function events(bytes: Uint8Array, ctx: ParseContext): Promise<ParseEvent[]> {
  const out: ParseEvent[] = [];
  for await (const e of parseFileAsync(bytes, ctx)) out.push(e);
  return out;
}

/** The bytes with the declared uncompressed size of `name` in the central directory set to `size`. */
function withDeclaredSize(bytes: Uint8Array, name: string, size: number): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  const enc = new TextEncoder().encode(name);
  for (let i = 0; i + 46 < out.length; i++) {
    if (view.getUint32(i, true) !== 0x02014b50) continue;
    const len = view.getUint16(i + 28, true);
    if (len === enc.length && enc.every((b, k) => out[i + 46 + k] === b)) view.setUint32(i + 24, size, true);
  }
  return out;
}

/**
 * The same ZIP with its entries stored in the order `rank` gives (lowest first), central directory
 * rewritten to match. ZIP leaves the order open; Excel, LibreOffice and exceljs's writer differ.
 */
function reordered(bytes: Uint8Array, rank: (name: string) => number): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = bytes.length - 22;
  while (view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  const cdStart = view.getUint32(eocd + 16, true);
  const records: Array<{ name: string; cd: Uint8Array; offset: number }> = [];
  for (let at = cdStart; at < eocd;) {
    const len = 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    records.push({ name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + view.getUint16(at + 28, true))), cd: bytes.slice(at, at + len), offset: view.getUint32(at + 42, true) });
    at += len;
  }
  const starts = records.map((r) => r.offset).sort((a, b) => a - b);
  const local = (r: (typeof records)[number]) => bytes.subarray(r.offset, starts.find((o) => o > r.offset) ?? cdStart);
  const order = [...records].sort((a, b) => rank(a.name) - rank(b.name));
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (const r of order) {
    new DataView(r.cd.buffer).setUint32(42, at, true);
    chunks.push(local(r));
    at += local(r).length;
  }
  const end = bytes.slice(eocd);
  new DataView(end.buffer).setUint32(16, at, true);
  const out = new Uint8Array(at + order.reduce((n, r) => n + r.cd.length, 0) + end.length);
  let w = 0;
  for (const c of [...chunks, ...order.map((r) => r.cd), end]) { out.set(c, w); w += c.length; }
  return out;
}

async function sheet(rows: unknown[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('รายงาน');
  for (const r of rows) ws.addRow(r);
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

const HEADER = ['วันที่ทำรายการ', 'บัญชีผู้โอน', 'จำนวนเงิน', 'ชื่อบัญชีผู้รับ', 'เลขที่บัญชีผู้รับ', 'รหัสธนาคารผู้รับ', 'ประเภทบริการ', 'สถานะ', 'ลิงก์'];

describe('ktb-report XLSX', () => {
  it('when generated records are written as a workbook in either header language and era, then parseFileAsync gives exactly those records with sheet row numbers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ seed: fc.integer(), rows: fc.integer({ min: 1, max: 15 }), thaiHeaders: fc.boolean(), beYears: fc.boolean(), splitDateTime: fc.boolean(), numericAmounts: fc.boolean(), withRegistry: fc.boolean() }),
        async (p) => {
          const { records } = generateReportBatch({ seed: p.seed, ...LAO, rows: p.rows, date: '2024-10-28' });
          const bytes = await renderKtbReportXlsx(records, p);
          const got = collect(await events(bytes, p.withRegistry ? { registry: REGISTRY } : { laoCode: LAO.laoCode }));
          expect(got.rejects).toEqual([]);
          expect(got.records.map((r) => r.record)).toEqual(records);
          expect(got.records.map((r) => r.row)).toEqual(records.map((_, i) => i + 2));
          expect(got.manifest).toMatchObject({ format: 'ktb-report', encoding: null, rowsRead: p.rows, refusal: null });
        },
      ),
      { numRuns: 25 },
    );
  });

  it('when the worksheet is stored in the ZIP after the shared strings but before the workbook, then the rows are read all the same', async () => {
    const { records } = generateReportBatch({ seed: 11, ...LAO, rows: 4, date: '2024-10-28' });
    const bytes = await renderKtbReportXlsx(records, { numericAmounts: true });
    // exceljs's streaming reader met this order one run in a few hundred and failed with "reading 'sheets'".
    const order = ['xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/worksheets/sheet1.xml'];
    const sheetsFirst = reordered(bytes, (n) => (order.includes(n) ? order.indexOf(n) : order.length));
    expect(zipEntries(sheetsFirst)!.map((e) => e.name).indexOf('xl/workbook.xml')).toBeGreaterThan(zipEntries(sheetsFirst)!.findIndex((e) => e.name.startsWith('xl/worksheets/')));
    const got = collect(await events(sheetsFirst, { registry: REGISTRY }));
    expect(got.manifest.refusal).toBeNull();
    expect(got.records.map((r) => r.record)).toEqual(records);
  });

  it('when a cell holds a formula, then its formula is kept as text and never its computed result; numbers and dates read as text', async () => {
    const bytes = await sheet([
      HEADER,
      [new Date(Date.UTC(2024, 10, 1, 9, 30, 0)), '980-0-01234-5', 1234.5, { formula: 'HYPERLINK("http://evil.example","นาย ก")', result: 'นาย ก' }, '1234567890', 6, '04', 'Success', { formula: '1+1', result: 2 }],
    ]);
    const { records, rejects } = collect(await events(bytes, { laoCode: LAO.laoCode }));
    expect(rejects).toEqual([]);
    expect(records[0]!.record).toMatchObject({ payeeName: '=HYPERLINK("http://evil.example","นาย ก")', amountSatang: 123450, payeeBankCode: '006', executedAt: '2024-11-01T02:30:00.000Z', extra: { 'ลิงก์': '=1+1' } });
  });

  it('when a workbook row breaks a rule, then it is rejected with its sheet row and the rest are read', async () => {
    const ok = ['01/11/2567 10:00', '9800012345', '100', 'ก', '1234567890', '006', '04', 'สำเร็จ', ''];
    const bytes = await sheet([HEADER, ok, ok.map((c, i) => (i === 2 ? '(100)' : c)), ok.map((c, i) => (i === 7 ? 'ไม่สำเร็จ' : c))]);
    const { records, rejects, manifest } = collect(await events(bytes, { laoCode: LAO.laoCode }));
    expect(rejects.map((r) => [r.row, r.code])).toEqual([[3, 'PW_ROW_AMOUNT_NEGATIVE']]);
    expect(records.map((r) => [r.row, r.record.status])).toEqual([[2, 'success'], [4, 'failed']]);
    expect(manifest.totalSatang).toBe(10000);
  });

  it('when a workbook debits another LAO\'s account, then it is refused whole', async () => {
    const bytes = await sheet([HEADER, ['01/11/2567', '9800099999', '100', 'ก', '1234567890', '006', '04', 'สำเร็จ', '']]);
    expect(collect(await events(bytes, { laoCode: LAO.laoCode, registry: REGISTRY })).manifest.refusal?.code).toBe('PW_ERR_FOREIGN_ACCOUNT');
  });

  it('when the worksheet declares more uncompressed bytes than the limit (a zip bomb), then the file is refused before it is inflated', async () => {
    const { records } = generateReportBatch({ seed: 7, ...LAO, rows: 3, date: '2024-10-28' });
    const bytes = await renderKtbReportXlsx(records);
    const sheetName = zipEntries(bytes)!.find((e) => e.name.startsWith('xl/worksheets/'))!.name;
    const bomb = withDeclaredSize(bytes, sheetName, 300 * 1024 * 1024);
    const got = collect(await events(bomb, { laoCode: LAO.laoCode }));
    expect(got.manifest).toMatchObject({ format: 'ktb-report', refusal: { code: 'PW_ERR_XLSX_TOO_LARGE' } });
    expect(got.manifest.refusal?.message.en).toMatch(/expands to 3145\d{5} bytes, above the 209715200-byte limit/);
    expect(collect(await events(bytes, { laoCode: LAO.laoCode, limits: { maxXlsxUncompressedBytes: 100 } })).manifest.refusal?.code).toBe('PW_ERR_XLSX_TOO_LARGE');
  });

  it('when the workbook has more rows than limits.maxRows, then it is refused before any row event', async () => {
    const { records } = generateReportBatch({ seed: 8, ...LAO, rows: 5, date: '2024-10-28' });
    const bytes = await renderKtbReportXlsx(records);
    const got = collect(await events(bytes, { laoCode: LAO.laoCode, limits: { maxRows: 4 } }));
    expect(got.manifest.refusal?.code).toBe('PW_ERR_TOO_MANY_ROWS');
  });

  it('when a workbook is cut short or its bytes are damaged, then it is refused or read row by row, never thrown', async () => {
    const { records } = generateReportBatch({ seed: 9, ...LAO, rows: 5, date: '2024-10-28' });
    const bytes = await renderKtbReportXlsx(records);
    const cut = collect(await events(bytes.slice(0, Math.floor(bytes.length * 0.6)), { laoCode: LAO.laoCode }));
    expect(cut.manifest.refusal).not.toBeNull();
    // The central directory is intact, the compressed entries are not.
    const scrambled = bytes.slice();
    for (let i = 30; i < Math.floor(bytes.length * 0.7); i++) scrambled[i] = (scrambled[i]! * 31 + 7) & 0xff;
    const damaged = collect(await events(scrambled, { laoCode: LAO.laoCode, limits: { xlsxStallMs: 500 } }));
    expect(damaged.manifest).toMatchObject({ format: 'ktb-report', refusal: { code: 'PW_ERR_XLSX_DAMAGED' } });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 8 }), async (muts) => {
        const b = bytes.slice();
        for (const m of muts) b[m.at % b.length] = m.byte;
        collect(await events(b, { laoCode: LAO.laoCode, limits: { xlsxStallMs: 500 } }));
      }),
      { numRuns: 40 },
    );
  });

  it('when a workbook has only a header, no report header, or a title above its header, then it is refused with the reason or read from the header on', async () => {
    expect(collect(await events(await sheet([HEADER]), { laoCode: LAO.laoCode })).manifest.refusal?.code).toBe('PW_ERR_REPORT_NO_ROWS');
    expect(collect(await events(await sheet([['a', 'b'], [1, 2]]), { laoCode: LAO.laoCode })).manifest.refusal?.code).toBe('PW_ERR_UNKNOWN_FORMAT');
    const titled = collect(await events(await sheet([['Transfer report'], [], HEADER, ['01/11/2567', '9800012345', '5', 'ก', '1234567890', '006', '04', 'สำเร็จ', '']]), { laoCode: LAO.laoCode }));
    expect(titled.records.map((r) => r.row)).toEqual([4]);
  });

  it('when the synchronous parseFile gets a workbook, then it refuses it as a binary file (XLSX needs parseFileAsync)', async () => {
    const { records } = generateReportBatch({ seed: 10, ...LAO, rows: 1, date: '2024-10-28' });
    expect(collect(parseFile(await renderKtbReportXlsx(records), { laoCode: LAO.laoCode })).manifest.refusal?.code).toBe('PW_ERR_BINARY_FILE');
  });
});
