// The centre's exports read back: the report of the real alerts service (PostgreSQL peer, seeded across three
// provinces) written as CSV and XLSX, parsed again (csv-parse; the XLSX with ingest's own reader) and compared.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { firstSheetRows, zipEntries } from '@paywatch/ktb-formats';
import { seededCentre } from '../../alerts/test/centre-seed.ts';
import type { PgService } from '../../alerts/test/helpers.ts';
import { rankingTable, ruleOutcomesTable, tableCsv, tableXlsx } from '../src/centre-export.ts';
import type { CentreReport } from '../src/types.ts';

let s: PgService;
let report: CentreReport;

beforeAll(async () => {
  ({ s } = await seededCentre());
  const r = await s.service.app.inject({ url: '/v1/reports/centre?laoLimit=10000', headers: { authorization: `Bearer ${s.token({ sub: 'central-1', role: 'central' })}` } });
  expect(r.statusCode).toBe(200);
  report = r.json();
}, 120_000);
afterAll(async () => { await s?.close(); });

const csvRows = (text: string): string[][] => parse(text.replace(/^\uFEFF/, ''), { relaxColumnCount: false }) as string[][];
async function xlsxRows(bytes: Uint8Array): Promise<string[][]> {
  const out: string[][] = [];
  for await (const r of firstSheetRows(bytes, zipEntries(bytes)!, 5_000)) out.push(r.cells);
  return out;
}

describe('centre exports', () => {
  it('when the ranking is exported to CSV, then it is UTF-8 with a BOM, Thai headers, and the report\'s rows in rank order', async () => {
    const csv = tableCsv(rankingTable(report));
    expect([...Buffer.from(csv, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [head, ...rows] = csvRows(csv);
    expect(head!.slice(0, 4)).toEqual(['ระดับ', 'อันดับ', 'รหัสจังหวัด', 'จังหวัด']);
    expect(head).toContain('ยอดเงินเสี่ยงที่ยังเปิด (บาท)');
    expect(rows).toHaveLength(report.provinces.length + report.laos.length);
    const col = (name: string) => head!.indexOf(name);
    expect(rows.filter((r) => r[0] === 'จังหวัด').map((r) => r[col('จังหวัด')])).toEqual(['พิจิตร', 'นครสวรรค์', 'สระบุรี']);
    const top = rows[0]!;
    expect([top[col('ยอดเงินเสี่ยงที่ยังเปิด (บาท)')], top[col('ยอดเงินเสี่ยงที่ยังเปิด (สตางค์)')], top[col('วิกฤต')]]).toEqual(['1001400.00', '100140000', '1']);
    const firstLao = rows.find((r) => r[0] === 'อปท.')!;
    expect([firstLao[col('รหัส อปท.')], firstLao[col('ชื่อ อปท.')], firstLao[col('อำเภอ')]]).toEqual(['6600101', 'เทศบาลเมืองพิจิตร', 'เมืองพิจิตร']);
  });

  it('when the ranking and the rule outcomes are exported to XLSX, then reading the workbook back gives the CSV\'s values', async () => {
    for (const table of [rankingTable(report), ruleOutcomesTable(report)]) {
      const fromCsv = csvRows(tableCsv(table));
      const fromXlsx = await xlsxRows(await tableXlsx(table));
      expect(fromXlsx.length).toBe(fromCsv.length);
      expect(fromXlsx[0]).toEqual(fromCsv[0]);
      fromCsv.slice(1).forEach((row, i) => {
        const x = fromXlsx[i + 1]!;
        row.forEach((cell, j) => {
          const h = fromCsv[0]![j]!;
          // XLSX keeps numbers as numbers: baht 1001400.00 reads back as 1001400, a rate 33.3 % as 0.333…
          if (h.endsWith('(%)')) expect(cell === '' ? '' : Number(cell)).toEqual(x[j] === '' || x[j] === undefined ? '' : Math.round(Number(x[j]) * 1000) / 10);
          else if (/^-?\d+(\.\d+)?$/.test(cell)) expect(Number(x[j]), `${h} row ${i + 1}`).toBe(Number(cell));
          else expect(x[j] ?? '', `${h} row ${i + 1}`).toBe(cell);
        });
      });
    }
  });

  it('when the rule outcomes are exported, then each rule has its counts and rates in percent from the dispositions', async () => {
    const [head, ...rows] = csvRows(tableCsv(ruleOutcomesTable(report)));
    expect(head).toEqual(['รหัสกฎ', 'กฎ', 'ยังเปิด', 'ปิดแล้ว', 'ยืนยันว่าผิดปกติ', 'แจ้งเตือนผิดพลาด', 'มีคำชี้แจงที่รับได้', 'ส่งต่อหน่วยงานอื่น',
      'อัตรายืนยันว่าผิดปกติ (%)', 'อัตราแจ้งเตือนผิดพลาด (%)', 'อัตรามีคำชี้แจงที่รับได้ (%)', 'อัตราส่งต่อหน่วยงานอื่น (%)']);
    expect(rows.find((r) => r[0] === 'duplicate-payment')).toEqual(['duplicate-payment', 'จ่ายซ้ำ', '2', '3', '1', '1', '1', '0', '33.3', '33.3', '33.3', '0.0']);
    expect(rows.find((r) => r[0] === 'split-payment')!.slice(8)).toEqual(['', '', '', '']); // nothing resolved: no rate
  });

  it('when a name starts like a formula, then neither file lets a spreadsheet evaluate it', async () => {
    const table = rankingTable({ provinces: [], laos: [{ ...report.laos[0]!, laoNameTh: '=HYPERLINK("http://x")' }] });
    expect(csvRows(tableCsv(table))[1]).toContain('\'=HYPERLINK("http://x")');
    expect((await xlsxRows(await tableXlsx(table)))[1]).toContain('\'=HYPERLINK("http://x")');
  });
});
