// Inputs the fuzzer found that broke a parser, kept as regressions (pnpm paywatch fuzz).
import { describe, expect, it } from 'vitest';
import { encodeText, generateReportBatch, parseFileAsync, parseReferenceCsv, renderKtbReportXlsx, unzipParts, zipParts, type ParseEvent } from '../src/index.ts';
import { LAO, collect } from './helpers.ts';

describe('fuzz findings', () => {
  it('when a reference CSV has a stray or unclosed quote, then the row is read or rejected and parsing never throws', () => {
    const head = 'LAO Code,Name,Citizen ID,Position,Bank Code,Account No.\r\n';
    const stray = parseReferenceCsv(encodeText(`${head}6600101,นาย ก "ดี",,ปลัด,006,1234567890\r\n`, 'utf-8'), 'staff');
    expect(stray.rejects).toEqual([]);
    expect(stray.byLao.get('6600101')).toMatchObject([{ name: 'นาย ก "ดี"' }]);
    const unclosed = parseReferenceCsv(encodeText(`${head}6600101,นาย ข,,ปลัด,006,1234567890\r\n6600101,"นาย ค,,ปลัด,006,1234567891\r\n`, 'utf-8'), 'staff');
    expect(unclosed.rowsRead).toBe(2);
    expect(unclosed.byLao.get('6600101')).toHaveLength(1);
    expect(unclosed.rejects.map((r) => [r.row, r.field])).toEqual([[3, 'line']]);
    expect(unclosed.rejects[0]!.message.th).toMatch(/เครื่องหมายคำพูด/);
  });

  it('when a worksheet repeats a row number, then the workbook is refused as damaged rather than giving two payments one row', async () => {
    const { records } = generateReportBatch({ seed: 3, ...LAO, rows: 3, date: '2024-10-28' });
    const parts = unzipParts(await renderKtbReportXlsx(records))!;
    const withRepeat = parts.map((p) => {
      if (!/^xl\/worksheets\/sheet\d+\.xml$/.test(p.name)) return p;
      const xml = new TextDecoder().decode(p.data);
      const row = /<row r="3"[\s\S]*?<\/row>/.exec(xml)![0];
      return { name: p.name, data: new TextEncoder().encode(xml.replace(row, row + row)) };
    });
    const events: ParseEvent[] = [];
    for await (const e of parseFileAsync(zipParts(withRepeat), { laoCode: LAO.laoCode })) events.push(e);
    expect(collect(events).manifest.refusal?.code).toBe('PW_ERR_XLSX_DAMAGED');
    // the same parts zipped again without the repeat read as before: the refusal is about the row, not the ZIP
    const fine: ParseEvent[] = [];
    for await (const e of parseFileAsync(zipParts(parts), { laoCode: LAO.laoCode })) fine.push(e);
    expect(collect(fine).records.map((r) => r.row)).toEqual([2, 3, 4]);
  });
});
