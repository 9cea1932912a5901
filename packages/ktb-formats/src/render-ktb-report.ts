/** Writes transfer reports (`ktb-report`) as CSV: the generator behind the tests and the sample files. */
import { formatSatangAsBaht, toBangkok, type PaymentRecord } from '@paywatch/domain';
import ExcelJS from 'exceljs';
import { encodeText, type TextEncoding } from './decode-bytes.ts';
import type { ReportField } from './report-headers.ts';
import { FIELD_LABEL } from './report-row.ts';

/** How to write a report. */
export interface RenderKtbReportOptions {
  encoding?: TextEncoding;
  delimiter?: ',' | ';' | '\t';
  /** Thai headers and status words (default), or English. */
  thaiHeaders?: boolean;
  /** Buddhist Era years in dates (default true, as the bank writes them). */
  beYears?: boolean;
  /** Transaction date and time in two columns instead of one. */
  splitDateTime?: boolean;
  /** Line end (default CRLF, as Excel writes CSV). */
  eol?: '\r\n' | '\n';
}

/** The columns written, in order; `executedTime` only with `splitDateTime`. */
export const RENDERED_REPORT_FIELDS: readonly ReportField[] = [
  'executedAt', 'executedTime', 'effectiveDate', 'bankReference', 'companyId', 'debitAccount', 'payeeBankCode', 'payeeAccount', 'payeeName',
  'payeeId', 'amount', 'fee', 'serviceType', 'voucherNo', 'batchNo', 'makerId', 'authorizerId', 'approvedAt', 'status', 'remark',
];

// The same canonical headers the parser names columns with (report-row.ts), so both sides agree.
const HEADER = FIELD_LABEL;

const STATUS_WORD = { success: { th: 'สำเร็จ', en: 'Success' }, failed: { th: 'ไม่สำเร็จ', en: 'Failed' }, rejected: { th: 'ปฏิเสธ', en: 'Rejected' }, instructed: { th: 'รอดำเนินการ', en: 'Pending' } } as const;

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** `YYYY-MM-DD` → `DD/MM/YYYY` (BE when asked). */
export function formatReportDate(date: string, beYears: boolean): string {
  const y = Number(date.slice(0, 4)) + (beYears ? 543 : 0);
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${y}`;
}

/** A UTC instant → Bangkok `DD/MM/YYYY` and `HH:MM:SS`. */
export function formatReportInstant(instant: string, beYears: boolean): { date: string; time: string } {
  const b = toBangkok(instant);
  const seconds = new Date(instant).getUTCSeconds();
  return { date: formatReportDate(b.date, beYears), time: `${pad2(b.hour)}:${pad2(b.minute)}:${pad2(seconds)}` };
}

/** 10-digit accounts are written the way passbooks print them (`123-4-56789-0`); others as digits. */
const withDashes = (account: string): string => (account.length === 10 ? `${account.slice(0, 3)}-${account.slice(3, 4)}-${account.slice(4, 9)}-${account.slice(9)}` : account);

/** The cells of one record, in {@link RENDERED_REPORT_FIELDS} order (without `executedTime` unless split). */
export function reportCells(r: PaymentRecord, o: Required<Pick<RenderKtbReportOptions, 'thaiHeaders' | 'beYears' | 'splitDateTime'>>): string[] {
  const exec = r.executedAt === null ? null : formatReportInstant(r.executedAt, o.beYears);
  const appr = r.approvedAt === null ? null : formatReportInstant(r.approvedAt, o.beYears);
  const status = STATUS_WORD[r.status][o.thaiHeaders ? 'th' : 'en'];
  const v: Record<ReportField, string> = {
    executedAt: exec === null ? '' : o.splitDateTime ? exec.date : `${exec.date} ${exec.time}`,
    executedTime: exec === null ? '' : exec.time,
    effectiveDate: formatReportDate(r.effectiveDate, o.beYears),
    bankReference: r.bankReference ?? '',
    companyId: r.companyId ?? '',
    debitAccount: r.debitAccount === null ? '' : withDashes(r.debitAccount),
    payeeBankCode: r.payeeBankCode,
    payeeAccount: withDashes(r.payeeAccount),
    payeeName: r.payeeName,
    payeeId: r.payeeId ?? '',
    amount: formatSatangAsBaht(r.amountSatang),
    fee: r.feeSatang === null ? '' : formatSatangAsBaht(r.feeSatang),
    serviceType: r.serviceType,
    voucherNo: r.voucherNo ?? '',
    batchNo: r.batchNo ?? '',
    makerId: r.makerId ?? '',
    authorizerId: r.authorizerId ?? '',
    approvedAt: appr === null ? '' : `${appr.date} ${appr.time}`,
    status,
    remark: r.remark ?? '',
  };
  return [...fieldsOf(o.splitDateTime).map((f) => v[f]), ...Object.values(r.extra)];
}

const fieldsOf = (split: boolean): readonly ReportField[] => (split ? RENDERED_REPORT_FIELDS : RENDERED_REPORT_FIELDS.filter((f) => f !== 'executedTime'));

/** The header cells: known fields in Thai or English, then the `extra` keys of the first record. */
export function reportHeaderCells(records: readonly PaymentRecord[], thaiHeaders: boolean, splitDateTime: boolean): string[] {
  return [...fieldsOf(splitDateTime).map((f) => HEADER[f][thaiHeaders ? 'th' : 'en']), ...Object.keys(records[0]?.extra ?? {})];
}

const quote = (cell: string, delimiter: string): string =>
  cell.includes(delimiter) || cell.includes('"') || cell.includes('\n') || cell.includes('\r') ? `"${cell.replace(/"/g, '""')}"` : cell;

/** Renders records as a transfer report CSV. Every record should carry the same `extra` keys (the columns come from the first). */
export function renderKtbReportCsv(records: readonly PaymentRecord[], options: RenderKtbReportOptions = {}): Uint8Array {
  const o = { encoding: 'utf-8' as TextEncoding, delimiter: ',' as const, thaiHeaders: true, beYears: true, splitDateTime: false, eol: '\r\n' as const, ...options };
  const lines = [reportHeaderCells(records, o.thaiHeaders, o.splitDateTime), ...records.map((r) => reportCells(r, o))];
  return encodeText(lines.map((cells) => cells.map((c) => quote(c, o.delimiter)).join(o.delimiter)).join(o.eol) + o.eol, o.encoding);
}

/** XLSX options: the CSV ones that make sense in a workbook, and whether amounts are numbers (as Excel keeps them) or text. */
export type RenderKtbReportXlsxOptions = Pick<RenderKtbReportOptions, 'thaiHeaders' | 'beYears' | 'splitDateTime'> & { numericAmounts?: boolean; sheetName?: string };

/** Renders records as a transfer report workbook: one worksheet, a header row, one row per record. Cells are text unless `numericAmounts`. */
export async function renderKtbReportXlsx(records: readonly PaymentRecord[], options: RenderKtbReportXlsxOptions = {}): Promise<Uint8Array> {
  const o = { thaiHeaders: true, beYears: true, splitDateTime: false, numericAmounts: true, sheetName: 'Report', ...options };
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(o.sheetName);
  const fields = fieldsOf(o.splitDateTime);
  const amountAt = fields.indexOf('amount');
  const feeAt = fields.indexOf('fee');
  ws.addRow(reportHeaderCells(records, o.thaiHeaders, o.splitDateTime));
  for (const r of records) {
    const cells: Array<string | number> = reportCells(r, o);
    if (o.numericAmounts) {
      cells[amountAt] = r.amountSatang / 100;
      if (r.feeSatang !== null) cells[feeAt] = r.feeSatang / 100;
    }
    ws.addRow(cells);
  }
  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}
