/** Writes reference lists (ktb-formats.md §3) as CSV or XLSX, with the department's Thai or English headers: tests and the fuzzer. */
import { formatSatangAsBaht, type ReferenceKind } from '@paywatch/domain';
import ExcelJS from 'exceljs';
import { encodeText, type TextEncoding } from './decode-bytes.ts';
import type { ReferenceItem, ReferenceRow } from './generate-reference-list.ts';

/** How to write a reference file. */
export interface RenderReferenceOptions {
  encoding?: TextEncoding;
  delimiter?: ',' | ';' | '\t';
  /** Thai headers and words (default), or English. */
  thaiHeaders?: boolean;
  /** Dates as Thai `DD/MM/YYYY` with BE years (default) or ISO `YYYY-MM-DD`. */
  thaiDates?: boolean;
  eol?: '\r\n' | '\n';
}

type Cell = (item: never, o: Required<RenderReferenceOptions>) => string;
interface Column { th: string; en: string; cell: Cell }

const date = (d: string | null, o: Required<RenderReferenceOptions>): string =>
  d === null ? '' : o.thaiDates ? `${d.slice(8, 10)}/${d.slice(5, 7)}/${Number(d.slice(0, 4)) + 543}` : d;
const ALLOWANCE_WORD = { elderly: { th: 'เบี้ยยังชีพผู้สูงอายุ', en: 'Elderly' }, disability: { th: 'เบี้ยความพิการ', en: 'Disability' }, aids: { th: 'เบี้ยยังชีพผู้ป่วยเอดส์', en: 'AIDS' }, other: { th: 'อื่น ๆ', en: 'Other' } } as const;
const STATUS_WORD = { active: { th: 'ใช้งาน', en: 'Active' }, inactive: { th: 'ยกเลิก', en: 'Inactive' } } as const;
const lang = (o: Required<RenderReferenceOptions>) => (o.thaiHeaders ? 'th' : 'en');

const col = <K extends ReferenceKind>(th: string, en: string, cell: (item: ReferenceItem<K>, o: Required<RenderReferenceOptions>) => string): Column => ({ th, en, cell: cell as Cell });

/** The columns of each kind after the LAO code, in the order of the spec's table. */
const COLUMNS: { [K in ReferenceKind]: Column[] } = {
  payees: [
    col<'payees'>('ชื่อผู้รับเงิน', 'Payee Name', (x) => x.name), col<'payees'>('เลขประจำตัวผู้เสียภาษี/ประชาชน', 'Citizen/Tax ID', (x) => x.payeeId ?? ''),
    col<'payees'>('รหัสธนาคาร', 'Bank Code', (x) => x.bankCode), col<'payees'>('เลขที่บัญชี', 'Account No.', (x) => x.account),
    col<'payees'>('วันที่ลงทะเบียน', 'Registered On', (x, o) => date(x.registeredOn, o)), col<'payees'>('สถานะ', 'Status', (x, o) => STATUS_WORD[x.status][lang(o)]),
  ],
  staff: [
    col<'staff'>('ชื่อ-สกุล', 'Name', (x) => x.name), col<'staff'>('เลขประจำตัวประชาชน', 'Citizen ID', (x) => x.citizenId ?? ''),
    col<'staff'>('ตำแหน่ง', 'Position', (x) => x.position ?? ''), col<'staff'>('รหัสธนาคาร', 'Bank Code', (x) => x.bankCode), col<'staff'>('เลขที่บัญชี', 'Account No.', (x) => x.account),
  ],
  vouchers: [
    col<'vouchers'>('เลขที่ฎีกา', 'Voucher No.', (x) => x.voucherNo), col<'vouchers'>('วันที่ฎีกา', 'Voucher Date', (x, o) => date(x.voucherDate, o)),
    col<'vouchers'>('ชื่อผู้รับเงิน', 'Payee Name', (x) => x.payeeName ?? ''), col<'vouchers'>('รหัสธนาคาร', 'Payee Bank Code', (x) => x.payeeBankCode ?? ''),
    col<'vouchers'>('เลขที่บัญชี', 'Payee Account', (x) => x.payeeAccount ?? ''), col<'vouchers'>('จำนวนเงิน', 'Amount', (x) => formatSatangAsBaht(x.amountSatang)),
    col<'vouchers'>('รายการงบประมาณ', 'Budget Item', (x) => x.budgetItem ?? ''),
  ],
  beneficiaries: [
    col<'beneficiaries'>('เลขประจำตัวประชาชน', 'Citizen ID', (x) => x.citizenId), col<'beneficiaries'>('ชื่อ-สกุล', 'Name', (x) => x.name),
    col<'beneficiaries'>('ประเภทเบี้ยยังชีพ', 'Allowance Type', (x, o) => ALLOWANCE_WORD[x.allowanceType][lang(o)]),
    col<'beneficiaries'>('จำนวนเงินต่อเดือน', 'Monthly Amount', (x) => formatSatangAsBaht(x.monthlyAmountSatang)),
    col<'beneficiaries'>('รหัสธนาคาร', 'Bank Code', (x) => x.bankCode ?? ''), col<'beneficiaries'>('เลขที่บัญชี', 'Account No.', (x) => x.account ?? ''),
  ],
};

const withDefaults = (o: RenderReferenceOptions): Required<RenderReferenceOptions> => ({ encoding: 'utf-8', delimiter: ',', thaiHeaders: true, thaiDates: true, eol: '\r\n', ...o });

/** The header row and the cell rows of a reference file, LAO code first. */
export function referenceTable<K extends ReferenceKind>(kind: K, rows: ReadonlyArray<ReferenceRow<K>>, options: RenderReferenceOptions = {}): string[][] {
  const o = withDefaults(options);
  const columns = COLUMNS[kind];
  return [
    [o.thaiHeaders ? 'รหัส อปท.' : 'LAO Code', ...columns.map((c) => c[lang(o)])],
    ...rows.map((r) => [r.laoCode, ...columns.map((c) => c.cell(r.item as never, o))]),
  ];
}

const quote = (cell: string, delimiter: string): string =>
  cell.includes(delimiter) || cell.includes('"') || cell.includes('\n') || cell.includes('\r') ? `"${cell.replace(/"/g, '""')}"` : cell;

/** A reference list as a CSV file. */
export function renderReferenceCsv<K extends ReferenceKind>(kind: K, rows: ReadonlyArray<ReferenceRow<K>>, options: RenderReferenceOptions = {}): Uint8Array {
  const o = withDefaults(options);
  const lines = referenceTable(kind, rows, o).map((cells) => cells.map((c) => quote(c, o.delimiter)).join(o.delimiter));
  return encodeText(lines.join(o.eol) + o.eol, o.encoding);
}

/** A reference list as a workbook: one worksheet, every cell text (as the department's templates keep IDs and accounts). */
export async function renderReferenceXlsx<K extends ReferenceKind>(kind: K, rows: ReadonlyArray<ReferenceRow<K>>, options: Pick<RenderReferenceOptions, 'thaiHeaders' | 'thaiDates'> = {}): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(kind);
  for (const cells of referenceTable(kind, rows, options)) ws.addRow(cells);
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}
