// Writes the sample transfer reports under examples/ (never overwriting a file already there):
// ktb-report-th.csv (Windows-874, Thai headers, BE dates, two bad rows) and ktb-report-en.xlsx.
// Run: pnpm tsx packages/ktb-formats/scripts/write-report-examples.ts
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeBytes, encodeText, generateReportBatch, renderKtbReportCsv, renderKtbReportXlsx } from '../src/index.ts';

const examples = resolve(import.meta.dirname, '../../../examples');
const lao = { laoCode: '6600101', companyId: 'GMIS660101', debitAccount: '9800012345' };
const { records } = generateReportBatch({ seed: 660101, ...lao, rows: 12, date: '2024-10-28' });

// Two bad rows (lines 6 and 11 of the file): a negative amount and an unknown bank.
const csvText = decodeBytes(renderKtbReportCsv(records, { encoding: 'utf-8', thaiHeaders: true, beYears: true })).text;
const lines = csvText.split('\r\n');
const amountAt = lines[0]!.split(',').indexOf('จำนวนเงิน');
const bankAt = lines[0]!.split(',').indexOf('รหัสธนาคารผู้รับ');
const cellsOf = (line: string): string[] => line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '')).slice(0, lines[0]!.split(',').length);
const edit = (row: number, col: number, value: string) => {
  const cells = cellsOf(lines[row - 1]!);
  cells[col] = value;
  lines[row - 1] = cells.join(',');
};
edit(6, amountAt, '"(1,500.00)"'); // → PW_ROW_AMOUNT_NEGATIVE
edit(11, bankAt, '999'); // → PW_ROW_REPORT_BANK_UNKNOWN

const files: Array<[string, () => Promise<Uint8Array> | Uint8Array]> = [
  ['ktb-report-th.csv', () => encodeText(lines.join('\r\n'), 'windows-874')],
  ['ktb-report-en.xlsx', () => renderKtbReportXlsx(records, { thaiHeaders: false, beYears: false })],
];
mkdirSync(examples, { recursive: true });
for (const [name, make] of files) {
  const path = resolve(examples, name);
  if (existsSync(path)) {
    console.log(`skipped ${path}: it exists`);
    continue;
  }
  writeFileSync(path, await make());
  console.log(`wrote ${path}`);
}
