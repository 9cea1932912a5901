/**
 * Reference data files (ktb-formats.md §3): registered payees, staff and officials, approved vouchers and welfare
 * beneficiaries, with an LAO code column, Thai or English headers in any order. Each row becomes an item of its
 * LAO's list, or a reject with a reason in Thai and English. This module holds the column logic and the CSV reader
 * (UTF-8 or Windows-874; comma, semicolon or tab); parse-reference-file.ts adds XLSX.
 */
import {
  ApprovedVoucher, RegisteredPayee, StaffMember, WelfareBeneficiary, bankByCode, cleanText, normaliseAccount, normaliseThaiId, isValidThaiId,
  parseBahtToSatang, parseThaiDateTime, thaiDigitsToAscii, type ReferenceKind, type RowReject,
} from '@paywatch/domain';
import { fieldReason } from './reference-field-reasons.ts';
import { decodeBytes } from './decode-bytes.ts';
import { isBlankLine } from './line-cursor.ts';
import { csvRows, DEFAULT_LIMITS } from './parse-ktb-report.ts';
import type { Refusal } from './refusal-codes.ts';
import { rejectMessage } from './reject-codes.ts';
import { headerKey } from './report-headers.ts';

type Column = 'laoCode' | 'name' | 'id' | 'bankCode' | 'account' | 'date' | 'status' | 'position' | 'voucherNo' | 'amount' | 'budgetItem' | 'allowanceType';

/** Accepted headers per column, as in the department's layouts (compared after `headerKey`). */
const HEADERS: Record<Column, readonly string[]> = {
  laoCode: ['LAO Code', 'รหัส อปท.', 'รหัสอปท'],
  name: ['Payee Name', 'Name', 'ชื่อผู้รับเงิน', 'ชื่อ-สกุล', 'ชื่อ'],
  id: ['Citizen/Tax ID', 'Citizen ID', 'Tax ID', 'เลขประจำตัวผู้เสียภาษี/ประชาชน', 'เลขประจำตัวประชาชน', 'เลขประจำตัวผู้เสียภาษี'],
  bankCode: ['Bank Code', 'Payee Bank Code', 'รหัสธนาคาร'],
  account: ['Account No.', 'Payee Account', 'เลขที่บัญชี'],
  date: ['Registered On', 'Voucher Date', 'วันที่ลงทะเบียน', 'วันที่ฎีกา'],
  status: ['Status', 'สถานะ'],
  position: ['Position', 'ตำแหน่ง'],
  voucherNo: ['Voucher No.', 'เลขที่ฎีกา'],
  amount: ['Amount', 'Monthly Amount', 'จำนวนเงิน', 'จำนวนเงินต่อเดือน'],
  budgetItem: ['Budget Item', 'รายการงบประมาณ'],
  allowanceType: ['Allowance Type', 'ประเภทเบี้ยยังชีพ'],
};
const INDEX = new Map<string, Column>(Object.entries(HEADERS).flatMap(([c, hs]) => hs.map((h) => [headerKey(h), c as Column] as const)));

/**
 * The items of one kind, per LAO, and the rows that could not be read; `flagged`: rows kept as items but worth a
 * look (a beneficiary whose citizen ID fails its check digit); `refusal` when the whole file was refused (nothing read).
 */
export interface ReferenceParse { kind: ReferenceKind; byLao: Map<string, unknown[]>; rejects: RowReject[]; flagged: RowReject[]; rowsRead: number; refusal: Refusal | null }

/** What the caller knows about a reference file. */
export interface ReferenceOptions {
  /** The LAO of a file without an LAO code column (one sub-folder per LAO). */
  laoCode?: string;
}

/** The column an item field is read from, where the names differ. */
const FIELD_COLUMN: Readonly<Record<string, Column>> = {
  payeeId: 'id', citizenId: 'id', payeeBankCode: 'bankCode', payeeAccount: 'account', payeeName: 'name',
  registeredOn: 'date', voucherDate: 'date', amountSatang: 'amount', monthlyAmountSatang: 'amount',
};

/** Why a kept beneficiary row is flagged. */
const BAD_BENEFICIARY_ID = {
  th: 'เก็บไว้แต่ควรตรวจสอบ: เลขประจำตัวประชาชนของผู้มีสิทธิรายนี้ตรวจหลักสุดท้ายไม่ผ่าน (อาจเป็นบุคคลที่ไม่มีตัวตน) การจ่ายเบี้ยให้ผู้นี้จะถูกแจ้งเตือน',
  en: 'Kept, but check it: this beneficiary\'s citizen ID fails its check digit (possibly an invented person); payments to them are flagged',
};

const reject = (row: number, field: string, th: string, en: string, raw: string): RowReject => ({ row, field, code: 'PW_ROW_REFERENCE_INVALID', message: { th, en }, raw });

const isBlankCells = (cells: readonly string[]): boolean => cells.every((c) => isBlankLine(c));

/**
 * Turns rows of cells into items, whatever file they came from: the first non-blank row is the header, blank
 * rows are skipped, every other row is read (`rowsRead`) and becomes an item or a reject.
 */
export class ReferenceReader {
  readonly result: ReferenceParse;
  private col: Map<Column, number> | null = null;

  constructor(kind: ReferenceKind, private readonly options: ReferenceOptions = {}) {
    this.result = { kind, byLao: new Map(), rejects: [], flagged: [], rowsRead: 0, refusal: null };
  }

  /** True once a header row has been seen. */
  get hasHeader(): boolean { return this.col !== null; }

  row(row: number, cells: readonly string[], raw: string): void {
    if (isBlankCells(cells)) return;
    if (this.col === null) {
      const col = new Map<Column, number>();
      cells.forEach((h, i) => { const c = INDEX.get(headerKey(h)); if (c && !col.has(c)) col.set(c, i); });
      this.col = col;
      return;
    }
    this.result.rowsRead++;
    const item = this.item(row, cells, raw);
    if (item === null) return;
    const list = this.result.byLao.get(item.laoCode) ?? [];
    list.push(item.value);
    this.result.byLao.set(item.laoCode, list);
  }

  /** A row the file's syntax does not let us read (an unclosed quote): reading stops there, and says so. */
  malformed(row: number, error: string, raw: string): void {
    this.result.rowsRead++;
    const m = rejectMessage('PW_ROW_REPORT_MALFORMED', error);
    this.result.rejects.push(reject(row, 'line', m.th, m.en, raw));
  }

  private item(row: number, cells: readonly string[], raw: string): { laoCode: string; value: unknown } | null {
    const { kind } = this.result;
    const col = this.col!;
    const rejects = this.result.rejects;
    const get = (c: Column) => { const at = col.get(c); return at === undefined ? '' : cleanText(thaiDigitsToAscii(cells[at] ?? '')); };
    const laoCode = get('laoCode') || this.options.laoCode || '';
    if (!/^\d{7}$/.test(laoCode)) { rejects.push(reject(row, 'laoCode', `รหัส อปท. "${laoCode}" ต้องเป็นตัวเลข 7 หลัก`, `LAO code "${laoCode}" must be 7 digits`, raw)); return null; }
    const bank = get('bankCode').padStart(3, '0');
    const account = get('account') ? normaliseAccount(bank, get('account')) : '';
    const id = get('id') ? normaliseThaiId(get('id')) : null;
    const date = get('date') ? (/^\d{4}-\d{2}-\d{2}$/.test(get('date')) ? get('date') : parseThaiDateTime(get('date'))?.date ?? null) : null;
    const amount = get('amount') ? parseBahtToSatang(get('amount')) : null;
    let item: unknown;
    let parsed: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } };
    switch (kind) {
      case 'payees':
        item = { name: get('name'), payeeId: id, bankCode: bank, account, registeredOn: date, status: /inactive|ยกเลิก|ไม่ใช้งาน/i.test(get('status')) ? 'inactive' : 'active' };
        parsed = RegisteredPayee.safeParse(item); break;
      case 'staff':
        item = { name: get('name'), citizenId: id, position: get('position') || null, bankCode: bank, account };
        parsed = StaffMember.safeParse(item); break;
      case 'vouchers':
        item = { voucherNo: get('voucherNo'), voucherDate: date, payeeName: get('name') || null, payeeBankCode: get('bankCode') ? bank : null, payeeAccount: account || null, amountSatang: amount?.ok ? amount.satang : null, budgetItem: get('budgetItem') || null };
        parsed = ApprovedVoucher.safeParse(item); break;
      case 'beneficiaries': {
        const t = get('allowanceType');
        const allowanceType = /ผู้สูงอายุ|elder/i.test(t) ? 'elderly' : /พิการ|disab/i.test(t) ? 'disability' : /เอดส์|aids/i.test(t) ? 'aids' : 'other';
        item = { citizenId: id, name: get('name'), allowanceType, monthlyAmountSatang: amount?.ok ? amount.satang : null, bankCode: get('bankCode') ? bank : null, account: account || null };
        parsed = WelfareBeneficiary.safeParse(item); break;
      }
    }
    const refuse = (field: string): null => {
      const column = FIELD_COLUMN[field] ?? (field in HEADERS ? (field as Column) : null);
      const m = fieldReason(field, column === null ? (item as Record<string, unknown>)[field] : get(column));
      rejects.push(reject(row, field, m.th, m.en, raw));
      return null;
    };
    // An ID that is there must be a real one (check digit); an unknown bank cannot receive a transfer. A beneficiary
    // whose 13-digit ID fails its check digit is the exception: an invented person is exactly what the welfare
    // check looks for, so the row is kept (and flagged) rather than dropped, which would hide the person.
    const badCheckDigit = id !== null && !isValidThaiId(id);
    if (kind === 'beneficiaries' && badCheckDigit && parsed.success) {
      this.result.flagged.push({ ...reject(row, 'citizenId', BAD_BENEFICIARY_ID.th, BAD_BENEFICIARY_ID.en, raw), code: 'PW_ROW_REFERENCE_FLAGGED' });
      return { laoCode, value: item };
    }
    if (kind !== 'vouchers' && get('id') && !isValidThaiId(get('id'))) return refuse(kind === 'payees' ? 'payeeId' : 'citizenId');
    if (get('bankCode') && !bankByCode(bank)) return refuse(kind === 'vouchers' ? 'payeeBankCode' : 'bankCode');
    if (!parsed.success) return refuse(String(parsed.error!.issues[0]?.path[0] ?? 'row'));
    return { laoCode, value: item };
  }
}

/** The delimiter of a header line: the one of `,` `;` tab that cuts it into the most cells (comma on a tie). */
/** The delimiter of a CSV sample: the one that splits its first line most. */
export function delimiterOf(text: string): ',' | ';' | '\t' {
  const line = /^[^\S\n]*\S[^\n]*/m.exec(text)?.[0] ?? '';
  return ([',', ';', '\t'] as const).map((d) => [d, line.split(d).length] as const).reduce((a, b) => (b[1] > a[1] ? b : a))[0];
}

/**
 * Parses one reference CSV of `kind`. Never throws on content: a row the CSV syntax makes unreadable (an
 * unclosed quote, a record longer than 100,000 characters) is rejected and ends the reading, so the rejects
 * say where the list stops.
 */
export function parseReferenceCsv(bytes: Uint8Array, kind: ReferenceKind, options: ReferenceOptions = {}): ReferenceParse {
  return parseReferenceText(decodeBytes(bytes).text, kind, options);
}

/** {@link parseReferenceCsv} on text already decoded. */
export function parseReferenceText(text: string, kind: ReferenceKind, options: ReferenceOptions = {}): ReferenceParse {
  const reader = new ReferenceReader(kind, options);
  const offset = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (const r of csvRows(text, offset, 1, delimiterOf(text.slice(offset, offset + 65_536)), DEFAULT_LIMITS.maxLineChars)) {
    if ('cells' in r) reader.row(r.row, r.cells, r.raw);
    else reader.malformed(r.row, r.error, r.raw);
  }
  return reader.result;
}
