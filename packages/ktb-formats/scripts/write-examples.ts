// Writes the two sample bulk files under examples/ (never overwriting a file already there).
// Run: pnpm tsx packages/ktb-formats/scripts/write-examples.ts
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateBulkBatch, renderKtbBulk, type KtbBulkDetailSpec, type RenderKtbBulkOptions } from '../src/index.ts';

const examples = resolve(import.meta.dirname, '../../../examples');

// The phichit LAO of the seed registry: 12 lines, two of them bad (lines 6 and 11 of the file).
const { spec } = generateBulkBatch({ seed: 660101, laoCode: '6600101', companyId: 'GMIS660101', debitAccount: '9800012345', rows: 12, effectiveDate: '2024-10-28', batchNo: '000001', senderName: 'องค์การบริหารส่วนตำบลตัวอย่าง จังหวัดพิจิตร' });
const details: KtbBulkDetailSpec[] = spec.details.map((d, i) =>
  i === 4 ? { ...d, payeeBankCode: '999', payeeAccount: '4021187765' } // unknown bank → PW_ROW_BANK_UNKNOWN
  : i === 9 ? { ...d, effectiveDate: '2024-02-31' } // 31/02 → PW_ROW_DATE_INVALID
  : d,
);
const files: Array<[string, RenderKtbBulkOptions]> = [
  ['ktb-bulk-cp874.txt', { encoding: 'windows-874', eol: '\r\n', beYears: true }],
  ['ktb-bulk-utf8.txt', { encoding: 'utf-8', eol: '\r\n', beYears: false }],
];

mkdirSync(examples, { recursive: true });
for (const [name, options] of files) {
  const path = resolve(examples, name);
  if (existsSync(path)) {
    console.log(`skipped ${path}: it exists`);
    continue;
  }
  writeFileSync(path, renderKtbBulk({ ...spec, details }, options));
  console.log(`wrote ${path}`);
}
