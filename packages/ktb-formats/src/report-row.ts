/** Maps one row of cells of a transfer report (CSV or XLSX) to a PaymentRecord or a reject code. */
import {
  addDays,
  BANKS,
  bankByCode,
  cleanText,
  isValidThaiId,
  normaliseAccount,
  normaliseThaiId,
  parseBahtToSatang,
  parseThaiDateTime,
  thaiDigitsToAscii,
  type Bilingual,
  type PaymentRecord,
  type TransferStatus,
} from '@paywatch/domain';
import { refusal, type Refusal } from './refusal-codes.ts';
import { REJECT_CODES, type RejectCode } from './reject-codes.ts';
import { headerKey, REQUIRED_REPORT_FIELDS, type ReportField } from './report-headers.ts';
import { SENDING_BANK_CODE } from './resolve-lao.ts';
import { DIRECT_SERVICE_TYPES, SERVICE_TYPE_CODES, STANDARD_SERVICE_TYPES } from './service-types.ts';

/** How people recognise a transfer report; named in every refusal. */
export const KTB_REPORT_EXPECTED: Bilingual = {
  th: 'รายงานการโอนเงินของ KTB Corporate Online (CSV หรือ Excel .xlsx มีแถวหัวตาราง เช่น วันที่ทำรายการ เลขที่บัญชีผู้รับ จำนวนเงิน สถานะ)',
  en: 'a KTB Corporate Online transfer report (CSV or Excel .xlsx with a header row such as Transaction Date, Receiving Account No., Amount, Status)',
};

/** Which column holds each field, and the header text of every other column (kept in `extra`). */
export interface ReportColumns {
  field: Partial<Record<ReportField, number>>;
  /** Column index → header name for unmapped columns. */
  extra: Array<[number, string]>;
  width: number;
}

/** Each report field's canonical header in Thai and English: messages name columns with it, the renderer writes it. */
export const FIELD_LABEL: Record<ReportField, Bilingual> = {
  executedAt: { th: 'วันที่ทำรายการ', en: 'Transaction Date' }, executedTime: { th: 'เวลาทำรายการ', en: 'Transaction Time' },
  effectiveDate: { th: 'วันที่มีผล', en: 'Effective Date' }, bankReference: { th: 'เลขที่อ้างอิง', en: 'Reference No.' },
  companyId: { th: 'รหัสบริษัท', en: 'Company ID' }, debitAccount: { th: 'บัญชีผู้โอน', en: 'Debit Account' },
  payeeBankCode: { th: 'รหัสธนาคารผู้รับ', en: 'Receiving Bank Code' }, payeeAccount: { th: 'เลขที่บัญชีผู้รับ', en: 'Receiving Account No.' },
  payeeName: { th: 'ชื่อบัญชีผู้รับ', en: 'Receiver Name' }, payeeId: { th: 'เลขประจำตัวผู้รับ', en: 'Receiver ID' },
  amount: { th: 'จำนวนเงิน', en: 'Amount' }, fee: { th: 'ค่าธรรมเนียม', en: 'Fee' }, serviceType: { th: 'ประเภทบริการ', en: 'Service Type' },
  voucherNo: { th: 'เลขที่ฎีกา', en: 'Voucher No.' }, batchNo: { th: 'เลขที่ชุด', en: 'Batch No.' }, makerId: { th: 'ผู้ทำรายการ', en: 'Maker' },
  authorizerId: { th: 'ผู้อนุมัติ', en: 'Authorizer' }, approvedAt: { th: 'วันเวลาอนุมัติ', en: 'Approved At' }, status: { th: 'สถานะ', en: 'Status' },
  remark: { th: 'หมายเหตุ', en: 'Remark' },
};

/** The number of distinct known fields a header row names (for sniffing). */
export function knownFieldCount(headers: readonly string[], index: ReadonlyMap<string, ReportField>): number {
  const seen = new Set<ReportField>();
  for (const h of headers) {
    const f = index.get(headerKey(h));
    if (f !== undefined) seen.add(f);
  }
  return seen.size;
}

/** The columns of a header row, or the refusal naming the required columns it lacks. The first column wins when a field appears twice. */
export function readColumns(headers: readonly string[], index: ReadonlyMap<string, ReportField>): ReportColumns | Refusal {
  const field: Partial<Record<ReportField, number>> = {};
  const extra: Array<[number, string]> = [];
  const names = new Set<string>();
  headers.forEach((raw, i) => {
    const f = index.get(headerKey(raw));
    if (f !== undefined && field[f] === undefined) {
      field[f] = i;
      return;
    }
    let name = cleanText(raw) || `column ${i + 1}`;
    for (let n = 2; names.has(name); n++) name = `${cleanText(raw) || `column ${i + 1}`} (${n})`;
    names.add(name);
    extra.push([i, name]);
  });
  const missing: ReportField[] = REQUIRED_REPORT_FIELDS.filter((f) => field[f] === undefined);
  if (field.executedAt === undefined && field.effectiveDate === undefined) missing.push('effectiveDate');
  if (missing.length > 0) {
    return refusal('PW_ERR_REPORT_MISSING_COLUMNS', { missingTh: missing.map((f) => FIELD_LABEL[f].th).join(', '), missingEn: missing.map((f) => FIELD_LABEL[f].en).join(', ') });
  }
  return { field, extra, width: headers.length };
}

const STATUS: ReadonlyMap<string, TransferStatus> = new Map([
  ['สำเร็จ', 'success'], ['success', 'success'], ['successful', 'success'], ['completed', 'success'], ['โอนสำเร็จ', 'success'],
  ['ไม่สำเร็จ', 'failed'], ['failed', 'failed'], ['fail', 'failed'], ['unsuccessful', 'failed'], ['โอนไม่สำเร็จ', 'failed'],
  ['ปฏิเสธ', 'rejected'], ['rejected', 'rejected'], ['reject', 'rejected'], ['ถูกปฏิเสธ', 'rejected'],
] as Array<[string, TransferStatus]>);

const lookupKey = (s: string): string => cleanText(thaiDigitsToAscii(s)).toLowerCase().replace(/\s/g, '');

/** Bank code, short name, Thai name (with or without ธนาคาร) or English name → code. */
const BANK_BY_NAME: ReadonlyMap<string, string> = new Map(
  BANKS.flatMap((b) => [b.short, b.nameTh, b.nameTh.replace(/^ธนาคาร/, ''), b.nameEn, `${b.code} ${b.short}`].map((n) => [lookupKey(n), b.code] as [string, string])),
);

/** Service type code (`4`, `04`, `04 - ค่าสินค้าและบริการ`) or its Thai / English label → code. Standard labels win where Direct reuses one. */
const SERVICE_BY_LABEL: ReadonlyMap<string, string> = new Map(
  [...Object.entries(DIRECT_SERVICE_TYPES), ...Object.entries(STANDARD_SERVICE_TYPES)].flatMap(([code, l]) => [[lookupKey(l.th), code], [lookupKey(l.en), code]] as Array<[string, string]>),
);

function serviceTypeOf(raw: string): string | null {
  const t = cleanText(thaiDigitsToAscii(raw));
  const m = /^(\d{1,2})(?:\s*[-–:.)]?\s*.*)?$/.exec(t);
  if (m) {
    const code = m[1]!.padStart(2, '0');
    return SERVICE_TYPE_CODES.has(code) ? code : null;
  }
  return SERVICE_BY_LABEL.get(lookupKey(t)) ?? null;
}

function bankCodeOf(raw: string): string | null {
  const t = cleanText(thaiDigitsToAscii(raw));
  if (/^\d{1,3}$/.test(t)) {
    const code = t.padStart(3, '0');
    return bankByCode(code) ? code : null;
  }
  const m = /^(\d{3})\b/.exec(t);
  if (m && bankByCode(m[1]!)) return m[1]!;
  return BANK_BY_NAME.get(lookupKey(t)) ?? null;
}

/** Digits of an account typed with dashes or spaces (Thai digits allowed), or null when anything else is in it. */
function accountDigits(raw: string): string | null {
  const t = thaiDigitsToAscii(raw).replace(/[\s-]/g, '');
  return /^\d+$/.test(t) ? t : null;
}

const MIN_YEAR = 1900;
const MAX_YEAR = 2199;
const plausible = (date: string): boolean => {
  const y = Number(date.slice(0, 4));
  return y >= MIN_YEAR && y <= MAX_YEAR;
};

const orNull = (s: string): string | null => cleanText(s) || null;

/** Reads rows of one report; keeps the running total of successful transfers and the last reject's details. */
export class ReportRowMapper {
  totalSatang = 0;
  rejectValue = '';
  rejectDetail = '';
  /** The field of the last reject when it differs from its code's (a date code for `approvedAt`). */
  rejectField: string | null = null;
  private readonly limitDate: string | null;

  constructor(private readonly columns: ReportColumns, private readonly laoCode: string | null, private readonly maxFutureDays: number, today: string | undefined) {
    this.limitDate = today === undefined ? null : addDays(today, maxFutureDays);
  }

  private reject(code: RejectCode, value = '', detail = '', field: string | null = null): RejectCode {
    this.rejectValue = value;
    this.rejectDetail = detail;
    this.rejectField = field;
    return code;
  }

  private cell(cells: readonly string[], f: ReportField): string {
    const i = this.columns.field[f];
    return i === undefined ? '' : (cells[i] ?? '');
  }

  /** The reject field of a code, honouring a per-row override. */
  fieldOf(code: RejectCode): string {
    return this.rejectField ?? REJECT_CODES[code].field;
  }

  map(cells: readonly string[]): PaymentRecord | RejectCode {
    const width = this.columns.width;
    if (cells.length !== width && !(cells.length > width && cells.slice(width).every((c) => c.trim() === ''))) {
      return this.reject('PW_ROW_REPORT_COLUMN_COUNT', String(cells.length), String(width));
    }
    const c = (f: ReportField) => this.cell(cells, f);

    // Dates: executedAt (date, date + time, or date and a separate time column), effectiveDate, approvedAt.
    let executedAt: string | null = null;
    let executedDate: string | null = null;
    const execRaw = c('executedAt').trim();
    if (this.columns.field.executedAt !== undefined && execRaw !== '') {
      const timeRaw = c('executedTime').trim();
      const dt = parseThaiDateTime(timeRaw === '' ? execRaw : `${execRaw} ${timeRaw}`);
      if (dt === null || !plausible(dt.date)) return this.reject('PW_ROW_REPORT_DATE_INVALID', timeRaw === '' ? execRaw : `${execRaw} ${timeRaw}`, FIELD_LABEL.executedAt.en, 'executedAt');
      executedDate = dt.date;
      executedAt = dt.instant;
    }
    let effectiveDate = executedDate;
    const effRaw = c('effectiveDate').trim();
    if (effRaw !== '') {
      const dt = parseThaiDateTime(effRaw);
      if (dt === null || !plausible(dt.date)) return this.reject('PW_ROW_REPORT_DATE_INVALID', effRaw, FIELD_LABEL.effectiveDate.en, 'effectiveDate');
      effectiveDate = dt.date;
    }
    if (effectiveDate === null) return this.reject('PW_ROW_REPORT_DATE_INVALID', '', `${FIELD_LABEL.executedAt.en} / ${FIELD_LABEL.effectiveDate.en}`, 'effectiveDate');
    if (this.limitDate !== null && effectiveDate > this.limitDate) return this.reject('PW_ROW_DATE_TOO_FAR', effectiveDate, String(this.maxFutureDays));
    let approvedAt: string | null = null;
    const apprRaw = c('approvedAt').trim();
    if (apprRaw !== '') {
      const dt = parseThaiDateTime(apprRaw);
      if (dt === null || !plausible(dt.date)) return this.reject('PW_ROW_REPORT_DATE_INVALID', apprRaw, FIELD_LABEL.approvedAt.en, 'approvedAt');
      approvedAt = dt.instant;
    }

    const bankRaw = c('payeeBankCode');
    const payeeBankCode = bankCodeOf(bankRaw);
    if (payeeBankCode === null) return this.reject('PW_ROW_REPORT_BANK_UNKNOWN', cleanText(bankRaw));
    const bank = bankByCode(payeeBankCode)!;
    const maxLen = Math.max(...bank.accountLengths);
    const accDigits = accountDigits(c('payeeAccount'));
    // Kept as the report wrote it (a 12- or 14-digit account whole): rules match accounts by `accountKey`.
    const payeeAccount = accDigits === null || accDigits.length > maxLen ? null : accDigits;
    if (payeeAccount === null || !/^\d{6,14}$/.test(payeeAccount) || /^0+$/.test(payeeAccount)) {
      return this.reject('PW_ROW_REPORT_ACCOUNT_INVALID', `${bank.code} ${bank.short}`, bank.accountLengths.join('/'));
    }

    let debitAccount: string | null = null;
    const debitRaw = c('debitAccount');
    if (debitRaw.trim() !== '') {
      const d = accountDigits(debitRaw);
      debitAccount = d === null || d.length > 11 ? null : normaliseAccount(SENDING_BANK_CODE, d);
      if (debitAccount === null || debitAccount.length < 6 || /^0+$/.test(debitAccount)) return this.reject('PW_ROW_REPORT_DEBIT_ACCOUNT_INVALID');
    }

    const serviceRaw = c('serviceType');
    const serviceType = serviceTypeOf(serviceRaw);
    if (serviceType === null) return this.reject('PW_ROW_REPORT_SERVICE_TYPE_UNKNOWN', cleanText(serviceRaw));

    const amountRaw = c('amount');
    const amount = parseBahtToSatang(amountRaw);
    if (!amount.ok) return this.reject(amount.error === 'negative' ? 'PW_ROW_AMOUNT_NEGATIVE' : 'PW_ROW_REPORT_AMOUNT_INVALID', cleanText(amountRaw));
    if (amount.satang === 0) return this.reject('PW_ROW_REPORT_AMOUNT_ZERO');

    let feeSatang: number | null = null;
    const feeRaw = c('fee');
    if (feeRaw.trim() !== '') {
      const fee = parseBahtToSatang(feeRaw);
      if (!fee.ok) return this.reject('PW_ROW_FEE_INVALID', cleanText(feeRaw));
      feeSatang = fee.satang;
    }

    const statusRaw = c('status');
    const status = STATUS.get(lookupKey(statusRaw));
    if (status === undefined) return this.reject('PW_ROW_STATUS_UNKNOWN', cleanText(statusRaw));

    const payeeName = cleanText(c('payeeName'));
    if (payeeName === '') return this.reject('PW_ROW_REPORT_PAYEE_NAME_EMPTY');

    if (status === 'success') {
      if (amount.satang + this.totalSatang > Number.MAX_SAFE_INTEGER) return this.reject('PW_ROW_REPORT_AMOUNT_INVALID', cleanText(amountRaw));
      this.totalSatang += amount.satang;
    }
    const idRaw = c('payeeId');
    const extra: Record<string, string> = {};
    for (const [i, name] of this.columns.extra) extra[name] = cells[i] ?? '';
    return {
      sourceFormat: 'ktb-report',
      laoCode: this.laoCode,
      companyId: orNull(c('companyId')),
      debitAccount,
      payeeBankCode,
      payeeAccount,
      payeeName,
      payeeId: idRaw.trim() !== '' && isValidThaiId(idRaw) ? normaliseThaiId(idRaw) : null,
      receiverId: orNull(cleanText(idRaw)),
      amountSatang: amount.satang,
      feeSatang,
      effectiveDate,
      executedAt,
      approvedAt,
      serviceType,
      voucherNo: orNull(c('voucherNo')),
      bankReference: orNull(c('bankReference')),
      batchNo: orNull(c('batchNo')),
      makerId: orNull(c('makerId')),
      authorizerId: orNull(c('authorizerId')),
      status,
      remark: orNull(c('remark')),
      extra,
    };
  }
}

/** The company ID and normalised debit account of a row, for finding and checking the LAO (null when absent or unreadable). */
export function laoKeysOfRow(columns: ReportColumns, cells: readonly string[]): { companyId: string | null; debitAccount: string | null } {
  const ci = columns.field.companyId;
  const di = columns.field.debitAccount;
  const companyId = ci === undefined ? null : orNull(cells[ci] ?? '');
  const d = di === undefined ? null : accountDigits(cells[di] ?? '');
  return { companyId, debitAccount: d === null || d === '' || d.length > 11 ? null : normaliseAccount(SENDING_BANK_CODE, d) };
}
