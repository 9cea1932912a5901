/** Header → field map of the KTB Corporate Online transfer report (`ktb-report`, ktb-formats.md §2). */
import { cleanText, thaiDigitsToAscii } from '@paywatch/domain';

/**
 * Every field of the report and the header spellings it is found under, Thai and English. Matching
 * ignores case, white space and dots (`Reference No.` = `reference no`). A new export version adds
 * spellings through `ParseContext.reportHeaderMap`, not code.
 */
export const REPORT_HEADERS = {
  executedAt: ['วันที่ทำรายการ', 'วันเวลาทำรายการ', 'วันที่และเวลาทำรายการ', 'Transaction Date', 'Transaction Date/Time', 'Transaction Date Time'],
  executedTime: ['เวลาทำรายการ', 'เวลา', 'Transaction Time', 'Time'],
  effectiveDate: ['วันที่มีผล', 'Effective Date', 'Value Date'],
  bankReference: ['เลขที่อ้างอิง', 'Reference No.', 'Ref No.', 'Reference Number'],
  companyId: ['รหัสบริษัท', 'Company ID', 'Company Code'],
  debitAccount: ['บัญชีผู้โอน', 'เลขที่บัญชีผู้โอน', 'Debit Account', 'Debit Account No.', 'From Account'],
  payeeBankCode: ['รหัสธนาคารผู้รับ', 'ธนาคารผู้รับ', 'Receiving Bank Code', 'Receiving Bank', 'Bank Code'],
  payeeAccount: ['เลขที่บัญชีผู้รับ', 'บัญชีผู้รับ', 'Receiving Account No.', 'Receiving Account', 'To Account'],
  payeeName: ['ชื่อบัญชีผู้รับ', 'ชื่อผู้รับ', 'Receiver Name', 'Beneficiary Name'],
  payeeId: ['เลขประจำตัวผู้รับ', 'เลขประจำตัวประชาชนผู้รับ', 'Receiver ID', 'Tax ID'],
  amount: ['จำนวนเงิน', 'จำนวนเงิน (บาท)', 'Amount', 'Amount (THB)'],
  fee: ['ค่าธรรมเนียม', 'Fee', 'Fee (THB)'],
  serviceType: ['ประเภทบริการ', 'Service Type', 'Service'],
  voucherNo: ['เลขที่ฎีกา', 'Voucher No.', 'Voucher'],
  batchNo: ['เลขที่ชุด', 'Batch No.', 'Batch Reference'],
  makerId: ['ผู้ทำรายการ', 'Maker', 'Maker ID'],
  authorizerId: ['ผู้อนุมัติ', 'Authorizer', 'Authorizer ID', 'Approver'],
  approvedAt: ['วันเวลาอนุมัติ', 'วันที่อนุมัติ', 'Approved At', 'Approval Date'],
  status: ['สถานะ', 'Status', 'Transfer Status'],
  remark: ['หมายเหตุ', 'Remark', 'Remarks'],
} as const satisfies Record<string, readonly string[]>;

/** A field of the report. */
export type ReportField = keyof typeof REPORT_HEADERS;

/** Fields every report must have a column for; the date comes from `executedAt` or `effectiveDate`. */
export const REQUIRED_REPORT_FIELDS: readonly ReportField[] = ['payeeBankCode', 'payeeAccount', 'payeeName', 'amount', 'serviceType', 'status'];

/** Headers compare without case, white space, dots, BOM or zero-width characters. */
export const headerKey = (header: string): string => cleanText(thaiDigitsToAscii(header)).toLowerCase().replace(/[\s.]/g, '');

/** Header key → field. Spellings from `override` come first and win over built-in ones; an unknown field name throws (a configuration error). */
export function headerIndex(override?: Readonly<Record<string, readonly string[]>>): Map<string, ReportField> {
  const index = new Map<string, ReportField>();
  if (override) {
    for (const [field, spellings] of Object.entries(override)) {
      if (!Object.hasOwn(REPORT_HEADERS, field)) throw new TypeError(`ctx.reportHeaderMap: unknown field ${JSON.stringify(field)}; fields are ${Object.keys(REPORT_HEADERS).join(', ')}`);
      for (const s of spellings) index.set(headerKey(s), field as ReportField);
    }
  }
  for (const [field, spellings] of Object.entries(REPORT_HEADERS) as Array<[ReportField, readonly string[]]>) {
    for (const s of spellings) if (!index.has(headerKey(s))) index.set(headerKey(s), field);
  }
  return index;
}

/** The built-in index, for sniffing (which sees no context). */
export const BUILT_IN_HEADER_INDEX: ReadonlyMap<string, ReportField> = headerIndex();

/** How many distinct known fields a header row must name to be taken for a report. */
export const MIN_KNOWN_HEADERS = 4;
