/**
 * The centre's ranking and per-rule outcomes as tables with Thai headers, written as CSV (UTF-8 with BOM, via
 * `toCsv`) or XLSX (exceljs, the library ingest already reads KTB reports with). Both come from one table, so
 * the two files always say the same; baht is exact text in CSV and a 2-decimal number in XLSX, next to satang.
 */
import ExcelJS from 'exceljs';
import { formatSatangAsBaht } from '@paywatch/domain';
import { toCsv, neutraliseCsvCell } from './format.ts';
import { dispositionLabel, ruleLabel, DISPOSITIONS } from './i18n.ts';
import type { CentreRankRow, CentreReport } from './types.ts';

/** A typed cell: text, a whole number, satang (shown as baht), or a rate (0–1; null = nothing resolved yet). */
export type ExportCell = { text: string } | { int: number } | { satang: number } | { rate: number | null };
/** A sheet: its name, Thai headers and typed rows. */
export interface ExportTable { sheet: string; headers: string[]; rows: ExportCell[][] }

const t = (text: string | null | undefined): ExportCell => ({ text: text ?? '' });
const bahtText = (satang: number) => formatSatangAsBaht(satang).replace(/,/g, '');

/** Provinces then LAOs, each in ranking order, with their rank. */
export function rankingTable(r: Pick<CentreReport, 'provinces' | 'laos'>): ExportTable {
  const row = (level: string, rank: number, x: CentreRankRow): ExportCell[] => [
    t(level), { int: rank }, t(x.provinceCode), t(x.provinceNameTh), t(x.laoCode), t(x.laoNameTh), t(x.district),
    { satang: x.openSatang }, { int: x.openSatang }, { int: x.openCount },
    { int: x.bySeverity.critical }, { int: x.bySeverity.high }, { int: x.bySeverity.medium }, { int: x.bySeverity.low }, { int: x.overdueCount },
  ];
  return {
    sheet: 'อันดับ',
    headers: ['ระดับ', 'อันดับ', 'รหัสจังหวัด', 'จังหวัด', 'รหัส อปท.', 'ชื่อ อปท.', 'อำเภอ', 'ยอดเงินเสี่ยงที่ยังเปิด (บาท)', 'ยอดเงินเสี่ยงที่ยังเปิด (สตางค์)',
      'การแจ้งเตือนที่ยังเปิด', 'วิกฤต', 'สูง', 'ปานกลาง', 'ต่ำ', 'เกินกำหนดติดตาม'],
    rows: [...r.provinces.map((x, i) => row('จังหวัด', i + 1, x)), ...r.laos.map((x, i) => row('อปท.', i + 1, x))],
  };
}

/** Per rule: open and resolved alerts, each disposition's count, then each disposition's rate. */
export function ruleOutcomesTable(r: Pick<CentreReport, 'rules'>): ExportTable {
  return {
    sheet: 'ผลการตรวจรายกฎ',
    headers: ['รหัสกฎ', 'กฎ', 'ยังเปิด', 'ปิดแล้ว', ...DISPOSITIONS.map((d) => dispositionLabel(d, 'th')), ...DISPOSITIONS.map((d) => `อัตรา${dispositionLabel(d, 'th')} (%)`)],
    rows: r.rules.map((x) => [t(x.ruleId), t(ruleLabel(x.ruleId, 'th')), { int: x.open }, { int: x.resolved },
      ...DISPOSITIONS.map((d): ExportCell => ({ int: x.counts[d] ?? 0 })), ...DISPOSITIONS.map((d): ExportCell => ({ rate: x.rates[d] ?? null }))]),
  };
}

/** A rate as a percentage with one decimal (`33.3`), empty when there is none. */
const pct = (rate: number | null) => (rate === null ? '' : (Math.round(rate * 1000) / 10).toFixed(1));

/** The table as CSV: UTF-8 with BOM, CRLF, every cell defused against formula injection. */
export function tableCsv(table: ExportTable): string {
  const text = (c: ExportCell) => ('text' in c ? c.text : 'int' in c ? String(c.int) : 'satang' in c ? bahtText(c.satang) : pct(c.rate));
  return toCsv([table.headers, ...table.rows.map((r) => r.map(text))]);
}

/** The table as an XLSX workbook of one sheet: numbers as numbers (baht `#,##0.00`, rates `0.0%`), text defused. */
export async function tableXlsx(table: ExportTable): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'paywatch';
  const ws = wb.addWorksheet(table.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(table.headers).font = { bold: true };
  for (const r of table.rows) {
    const row = ws.addRow(r.map((c) => ('text' in c ? neutraliseCsvCell(c.text) : 'int' in c ? c.int : 'satang' in c ? Number(bahtText(c.satang)) : c.rate)));
    r.forEach((c, i) => {
      if ('satang' in c) row.getCell(i + 1).numFmt = '#,##0.00';
      if ('rate' in c) row.getCell(i + 1).numFmt = '0.0%';
    });
  }
  table.headers.forEach((h, i) => { ws.getColumn(i + 1).width = Math.max(10, Math.min(40, h.length + 4)); });
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}
