import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { encodeText, generateReferenceList, parseReferenceFile, renderReferenceXlsx, unzipParts, zipEntries, zipParts } from '../src/index.ts';

async function sheet(rows: unknown[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('ผู้รับเงิน');
  for (const r of rows) ws.addRow(r);
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

/** The bytes with the declared uncompressed size of every worksheet in the central directory set to `size`. */
function withDeclaredSheetSize(bytes: Uint8Array, size: number): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  for (let i = 0; i + 46 < out.length; i++) {
    if (view.getUint32(i, true) !== 0x02014b50) continue;
    const name = new TextDecoder().decode(out.subarray(i + 46, i + 46 + view.getUint16(i + 28, true)));
    if (name.startsWith('xl/worksheets/sheet')) view.setUint32(i + 24, size, true);
  }
  return out;
}

describe('reference data file (CSV or XLSX)', () => {
  it('when a workbook keeps amounts as numbers, dates as dates and a title-less header in Thai, then the cells read as in the CSV', async () => {
    const bytes = await sheet([
      ['รหัส อปท.', 'เลขที่ฎีกา', 'วันที่ฎีกา', 'ชื่อผู้รับเงิน', 'รหัสธนาคาร', 'เลขที่บัญชี', 'จำนวนเงิน', 'รายการงบประมาณ'],
      [6600101, 'ฎ12/2568', new Date(Date.UTC(2025, 9, 28)), 'ร้านรุ่งเรืองวัสดุ', '014', '4071234567', 1234.5, 'ค่าวัสดุ'],
      [],
      ['6600101', 'ฎ13/2568', '29/10/2568', null, null, null, '(100.00)', null],
    ]);
    const r = await parseReferenceFile(bytes, 'vouchers');
    expect(r.refusal).toBeNull();
    expect(r.rowsRead).toBe(2);
    expect(r.byLao.get('6600101')).toEqual([
      { voucherNo: 'ฎ12/2568', voucherDate: '2025-10-28', payeeName: 'ร้านรุ่งเรืองวัสดุ', payeeBankCode: '014', payeeAccount: '4071234567', amountSatang: 123450, budgetItem: 'ค่าวัสดุ' },
    ]);
    // the reject points at the sheet's own row number (the blank row 3 is skipped, not counted)
    expect(r.rejects.map((x) => [x.row, x.field])).toEqual([[4, 'amountSatang']]);
  });

  it('when a workbook declares worksheets larger than the limit (a zip bomb), then it is refused before anything is inflated', async () => {
    const bytes = await renderReferenceXlsx('staff', generateReferenceList({ seed: 2, kind: 'staff', laoCodes: ['6600101'], rows: 3 }));
    const bomb = await parseReferenceFile(withDeclaredSheetSize(bytes, 300 * 1024 * 1024), 'staff');
    expect(bomb).toMatchObject({ rowsRead: 0, rejects: [], refusal: { code: 'PW_ERR_XLSX_TOO_LARGE' } });
    expect(bomb.byLao.size).toBe(0);
    expect((await parseReferenceFile(bytes, 'staff', { limits: { maxXlsxUncompressedBytes: 100 } })).refusal?.code).toBe('PW_ERR_XLSX_TOO_LARGE');
  });

  it('when the worksheet is stored before the workbook in the ZIP, then the rows are read all the same', async () => {
    const rows = generateReferenceList({ seed: 4, kind: 'payees', laoCodes: ['6600101'], rows: 5 });
    const parts = unzipParts(await renderReferenceXlsx('payees', rows))!;
    const sheetFirst = zipParts([...parts].sort((a, b) => Number(b.name.startsWith('xl/worksheets/')) - Number(a.name.startsWith('xl/worksheets/'))));
    const names = zipEntries(sheetFirst)!.map((e) => e.name);
    expect(names.findIndex((n) => n.startsWith('xl/worksheets/sheet'))).toBeLessThan(names.indexOf('xl/workbook.xml'));
    expect((await parseReferenceFile(sheetFirst, 'payees')).byLao.get('6600101')).toEqual(rows.map((r) => r.item));
  });

  it('when a workbook is damaged inside, then it is refused whole rather than read in part', async () => {
    const rows = generateReferenceList({ seed: 5, kind: 'payees', laoCodes: ['6600101'], rows: 6 });
    const parts = unzipParts(await renderReferenceXlsx('payees', rows))!;
    const cut = parts.map((p) => (p.name === 'xl/worksheets/sheet1.xml' ? { name: p.name, data: p.data.subarray(0, Math.floor(p.data.length * 0.7)) } : p));
    const r = await parseReferenceFile(zipParts(cut), 'payees', { limits: { xlsxStallMs: 1_000 } });
    expect(r).toMatchObject({ rowsRead: 0, rejects: [], refusal: { code: 'PW_ERR_XLSX_DAMAGED' } });
  });

  it('when the file is empty, UTF-16, a PDF or another archive, then it is refused naming what was expected', async () => {
    expect((await parseReferenceFile(new Uint8Array(), 'staff')).refusal?.code).toBe('PW_ERR_EMPTY_FILE');
    expect((await parseReferenceFile(Uint8Array.of(0xff, 0xfe, 0x41, 0), 'staff')).refusal?.code).toBe('PW_ERR_UNSUPPORTED_ENCODING');
    const pdf = await parseReferenceFile(encodeText('%PDF-1.7\n…', 'utf-8'), 'staff');
    expect(pdf.refusal).toMatchObject({ code: 'PW_ERR_BINARY_FILE', message: { en: expect.stringMatching(/a PDF document.*reference data file/) } });
    expect((await parseReferenceFile(zipParts([{ name: 'a.txt', data: encodeText('x', 'utf-8') }]), 'staff')).refusal?.code).toBe('PW_ERR_BINARY_FILE');
  });
});
