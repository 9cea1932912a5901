/** The input formats paywatch reads, in the order they are tried. `ktb-report` (CSV/XLSX) plugs in here. */
import type { BinaryFormat, FormatPlugin, TextFormat } from './format-plugin.ts';
import { parseKtbReportXlsx } from './parse-ktb-report-xlsx.ts';
import { isPkZip, isXlsx } from './xlsx-zip.ts';
import { KTB_BULK_EXPECTED, parseKtbBulk } from './parse-ktb-bulk.ts';
import { sniffKtbBulk } from './sniff-ktb-bulk.ts';
import { parseKtbReportCsv, sniffKtbReportCsv } from './parse-ktb-report.ts';
import { KTB_REPORT_EXPECTED } from './report-row.ts';

/** The KTB bulk-payment file as a format plugin. */
export const ktbBulkFormat: TextFormat = {
  kind: 'text',
  format: 'ktb-bulk',
  expected: KTB_BULK_EXPECTED,
  sniff(head) {
    const s = sniffKtbBulk(head);
    return s === null ? 'no-match' : 'code' in s ? s : 'match';
  },
  parse: parseKtbBulk,
};

/** The KTB Corporate Online transfer report as CSV (comma, semicolon or tab; headers in Thai or English). */
export const ktbReportCsvFormat: TextFormat = {
  kind: 'text',
  format: 'ktb-report',
  expected: KTB_REPORT_EXPECTED,
  sniff: (head) => (sniffKtbReportCsv(head) === null ? 'no-match' : 'match'),
  parse: parseKtbReportCsv,
};

/** The transfer report as an Excel workbook (a ZIP holding `xl/workbook.xml`); read by `parseFileAsync`. */
export const ktbReportXlsxFormat: BinaryFormat = {
  kind: 'binary',
  format: 'ktb-report',
  expected: KTB_REPORT_EXPECTED,
  mayMatch: isPkZip,
  sniff: (bytes) => (isXlsx(bytes) ? 'match' : 'no-match'),
  parse: parseKtbReportXlsx,
};

/** Every format `parseFile` / `parseFileAsync` and `detectFormat` try by default (binary ones by `parseFileAsync` only). */
export const FORMATS: readonly FormatPlugin[] = [ktbBulkFormat, ktbReportCsvFormat, ktbReportXlsxFormat];
