/** Row-level rejects of the KTB bulk file: one line is refused, the rest of the file is still read. */

/**
 * Every row reject code, the PaymentRecord field it concerns, and a message a finance clerk can act
 * on. Positions are 1-based, as in the bank's layout. `{value}` is the offending text, `{detail}`
 * extra context; both are filled by {@link rejectMessage}. Messages never quote account numbers
 * (rejects are logged and listed); the raw line travels separately for the uploader.
 */
export const REJECT_CODES = {
  PW_ROW_RECORD_TYPE: {
    field: 'recordType',
    th: 'บรรทัดนี้ไม่ใช่รายการโอนเงิน: ต้องขึ้นต้นด้วย 102 แต่ขึ้นต้นด้วย "{value}" — ลบบรรทัดนี้ หรือแก้ให้เป็นรายการ 102',
    en: 'This line is not a payment line: it must start with 102 but starts with "{value}" — remove it or make it a 102 detail line.',
  },
  PW_ROW_BLANK_LINE: {
    field: 'line',
    th: 'บรรทัดว่างอยู่ระหว่างรายการโอนเงิน — ลบบรรทัดว่างออก',
    en: 'A blank line sits between payment lines — remove it.',
  },
  PW_ROW_LINE_TOO_LONG: {
    field: 'line',
    th: 'บรรทัดยาว {value} ตัวอักษร เกิน 498 ตัวอักษร ข้อมูลแต่ละช่องจึงเลื่อนตำแหน่ง — สร้างแฟ้มใหม่จากโปรแกรมที่ใช้ส่งธนาคาร',
    en: 'The line is {value} characters long, more than 498, so its fields are shifted — export the file again from the program that makes the bank file.',
  },
  PW_ROW_BATCH_MISMATCH: {
    field: 'batchNo',
    th: 'เลขที่ชุด "{value}" (ตำแหน่ง 4–9) ไม่ตรงกับเลขที่ชุด "{detail}" ในบรรทัดหัวแฟ้ม — รายการนี้อาจมาจากแฟ้มอื่น',
    en: 'Batch number "{value}" (positions 4–9) differs from the header\'s "{detail}" — this line may come from another file.',
  },
  PW_ROW_BANK_UNKNOWN: {
    field: 'payeeBankCode',
    th: 'รหัสธนาคารผู้รับ "{value}" (ตำแหน่ง 10–12) ไม่ใช่รหัสธนาคารที่รู้จัก — ตรวจรหัสธนาคาร 3 หลักของบัญชีผู้รับ เช่น 002 กรุงเทพ 004 กสิกรไทย 006 กรุงไทย',
    en: 'Receiving bank code "{value}" (positions 10–12) is not a known Thai bank — check the payee\'s 3-digit bank code, e.g. 002 BBL, 004 KBANK, 006 KTB.',
  },
  PW_ROW_ACCOUNT_NOT_DIGITS: {
    field: 'payeeAccount',
    th: 'เลขที่บัญชีผู้รับ (ตำแหน่ง 17–27) ต้องเป็นตัวเลข 11 หลัก เติม 0 ข้างหน้า ห้ามมีช่องว่างหรือขีด',
    en: 'The payee account (positions 17–27) must be 11 digits, zero-padded on the left, with no spaces or dashes.',
  },
  PW_ROW_ACCOUNT_LENGTH: {
    field: 'payeeAccount',
    th: 'เลขที่บัญชีผู้รับมีจำนวนหลักไม่ถูกต้องสำหรับธนาคาร {value} (ไม่เกิน {detail} หลัก และไม่ใช่ 0 ทั้งหมด) — ตรวจกับสมุดบัญชีของผู้รับ',
    en: 'The payee account has the wrong number of digits for bank {value} (at most {detail} significant digits, not all zeros) — check it against the payee\'s passbook.',
  },
  PW_ROW_DEBIT_ACCOUNT_NOT_DIGITS: {
    field: 'debitAccount',
    th: 'เลขที่บัญชีผู้โอน (ตำแหน่ง 35–45) ต้องเป็นตัวเลข 11 หลัก เติม 0 ข้างหน้า — ตรวจบัญชีของ อปท. ที่ใช้จ่ายเงิน',
    en: 'The sending account (positions 35–45) must be 11 digits, zero-padded on the left — check the LAO account the money is paid from.',
  },
  PW_ROW_DATE_INVALID: {
    field: 'effectiveDate',
    th: 'วันที่มีผล "{value}" (ตำแหน่ง 46–53) ไม่ใช่วันที่จริง — ใช้รูปแบบ วันเดือนปี (DDMMYYYY) เช่น 28102567 หรือ 28102024',
    en: 'Effective date "{value}" (positions 46–53) is not a real date — use DDMMYYYY, e.g. 28102567 (BE) or 28102024 (CE).',
  },
  PW_ROW_DATE_TOO_FAR: {
    field: 'effectiveDate',
    th: 'วันที่มีผล {value} อยู่ไกลเกิน {detail} วันข้างหน้า — ตรวจปีของวันที่ (พ.ศ. หรือ ค.ศ.)',
    en: 'Effective date {value} is more than {detail} days ahead — check the year (Buddhist Era or CE).',
  },
  PW_ROW_SERVICE_TYPE_UNKNOWN: {
    field: 'serviceType',
    th: 'ประเภทบริการ "{value}" (ตำแหน่ง 54–55) ไม่มีในรายการของธนาคาร — เช่น 01 เงินเดือน 04 ค่าสินค้าและบริการ 59 อื่น ๆ',
    en: 'Service type "{value}" (positions 54–55) is not one of the bank\'s codes — e.g. 01 salary, 04 goods and services, 59 other.',
  },
  PW_ROW_AMOUNT_NOT_DIGITS: {
    field: 'amountSatang',
    th: 'จำนวนเงิน "{value}" (ตำแหน่ง 58–74) ต้องเป็นตัวเลขหน่วยสตางค์ 17 หลัก ไม่มีจุดหรือจุลภาค เช่น 1,234.50 บาท เขียนเป็น 00000000000123450',
    en: 'Amount "{value}" (positions 58–74) must be 17 digits of satang with no point or comma, e.g. 1,234.50 baht is 00000000000123450.',
  },
  PW_ROW_AMOUNT_TOO_LARGE: {
    field: 'amountSatang',
    th: 'จำนวนเงิน "{value}" (ตำแหน่ง 58–74) สูงเกินกว่าที่ตรวจได้อย่างแม่นยำ — ตรวจว่าไม่ได้ใส่ตัวเลขผิดช่อง',
    en: 'Amount "{value}" (positions 58–74) is too large to check exactly — make sure no other number was typed into the field.',
  },
  PW_ROW_AMOUNT_ZERO: {
    field: 'amountSatang',
    th: 'จำนวนเงินเป็นศูนย์ (ตำแหน่ง 58–74) — ใส่จำนวนเงินที่จะโอน หรือลบรายการนี้',
    en: 'The amount is zero (positions 58–74) — enter the amount to transfer or remove the line.',
  },
  PW_ROW_PAYEE_NAME_EMPTY: {
    field: 'payeeName',
    th: 'ไม่มีชื่อบัญชีผู้รับ (ตำแหน่ง 93–192) — ใส่ชื่อบัญชีผู้รับเงินให้ตรงกับสมุดบัญชี',
    en: 'The payee name is empty (positions 93–192) — enter the account name exactly as on the payee\'s passbook.',
  },
  // ktb-report (CSV / XLSX): fields are found by column header, so messages name the column, not positions.
  PW_ROW_REPORT_COLUMN_COUNT: {
    field: 'line',
    th: 'แถวนี้มี {value} ช่อง แต่หัวตารางมี {detail} ช่อง ข้อมูลจึงอาจเลื่อนคอลัมน์ — ตรวจเครื่องหมายคั่นหรือเครื่องหมายคำพูดในแถวนี้',
    en: 'This row has {value} cells but the header has {detail}, so its values may sit in the wrong columns — check the delimiters and quotes in this row.',
  },
  PW_ROW_REPORT_MALFORMED: {
    field: 'line',
    th: 'อ่านแถวนี้ไม่ได้: {value} — ตรวจเครื่องหมายคำพูด (") ที่เปิดแล้วไม่ได้ปิด แล้วบันทึกแฟ้มใหม่',
    en: 'This row cannot be read: {value} — check for a quote (") that is opened and never closed, then save the file again.',
  },
  PW_ROW_REPORT_BANK_UNKNOWN: {
    field: 'payeeBankCode',
    th: 'ธนาคารผู้รับ "{value}" ไม่ใช่ธนาคารที่รู้จัก — ใส่รหัสธนาคาร 3 หลัก (เช่น 002 กรุงเทพ 006 กรุงไทย) หรือชื่อธนาคาร',
    en: 'Receiving bank "{value}" is not a known Thai bank — use the 3-digit bank code (e.g. 002 BBL, 006 KTB) or the bank\'s name.',
  },
  PW_ROW_REPORT_ACCOUNT_INVALID: {
    field: 'payeeAccount',
    th: 'เลขที่บัญชีผู้รับไม่ถูกต้องสำหรับธนาคาร {value} (ต้องเป็นตัวเลข {detail} หลัก มีขีดคั่นได้) — ตรวจกับสมุดบัญชีของผู้รับ',
    en: 'The receiving account is not valid for bank {value} (it must be {detail} digits, dashes allowed) — check it against the payee\'s passbook.',
  },
  PW_ROW_REPORT_DEBIT_ACCOUNT_INVALID: {
    field: 'debitAccount',
    th: 'บัญชีผู้โอนต้องเป็นเลขที่บัญชีกรุงไทย 10 หลัก (มีขีดคั่นได้) — ตรวจบัญชีของ อปท. ที่ใช้จ่ายเงิน',
    en: 'The debit account must be a 10-digit Krungthai account (dashes allowed) — check the LAO account the money is paid from.',
  },
  PW_ROW_REPORT_DATE_INVALID: {
    field: 'executedAt',
    th: 'วันที่ "{value}" ในคอลัมน์ {detail} ไม่ใช่วันเวลาจริง — ใช้รูปแบบ วว/ดด/ปปปป [ชช:นน[:วว]] เช่น 28/10/2567 14:05',
    en: 'Date "{value}" in column {detail} is not a real date and time — use DD/MM/YYYY [HH:MM[:SS]], e.g. 28/10/2567 14:05 (BE) or 28/10/2024 (CE).',
  },
  PW_ROW_REPORT_SERVICE_TYPE_UNKNOWN: {
    field: 'serviceType',
    th: 'ประเภทบริการ "{value}" ไม่มีในรายการของธนาคาร — ใส่รหัส 2 หลักหรือชื่อ เช่น 01 เงินเดือน 04 ค่าสินค้าและบริการ 59 อื่น ๆ',
    en: 'Service type "{value}" is not one of the bank\'s — use the 2-digit code or its Thai name, e.g. 01 salary, 04 goods and services, 59 other.',
  },
  PW_ROW_AMOUNT_NEGATIVE: {
    field: 'amountSatang',
    th: 'จำนวนเงิน "{value}" ติดลบหรืออยู่ในวงเล็บ — รายงานการโอนเงินต้องมีจำนวนเงินที่โอนเป็นบวกเท่านั้น',
    en: 'Amount "{value}" is negative or in parentheses — a transfer report only carries positive amounts transferred.',
  },
  PW_ROW_REPORT_AMOUNT_INVALID: {
    field: 'amountSatang',
    th: 'จำนวนเงิน "{value}" ไม่ใช่จำนวนเงินบาท — ใช้ตัวเลข ทศนิยมไม่เกิน 2 ตำแหน่ง เช่น 1,234.50',
    en: 'Amount "{value}" is not an amount in baht — use digits with at most 2 decimals, e.g. 1,234.50.',
  },
  PW_ROW_REPORT_AMOUNT_ZERO: {
    field: 'amountSatang',
    th: 'จำนวนเงินเป็นศูนย์ — รายการโอนเงินต้องมีจำนวนเงิน',
    en: 'The amount is zero — a transfer must have an amount.',
  },
  PW_ROW_FEE_INVALID: {
    field: 'feeSatang',
    th: 'ค่าธรรมเนียม "{value}" ไม่ใช่จำนวนเงินบาทที่ไม่ติดลบ — ใช้ตัวเลข เช่น 10.00 หรือเว้นว่าง',
    en: 'Fee "{value}" is not a non-negative amount in baht — use digits such as 10.00, or leave it empty.',
  },
  PW_ROW_STATUS_UNKNOWN: {
    field: 'status',
    th: 'สถานะ "{value}" ไม่รู้จัก — ต้องเป็น สำเร็จ ไม่สำเร็จ หรือ ปฏิเสธ (Success, Failed, Rejected)',
    en: 'Status "{value}" is not known — it must be Success, Failed or Rejected (สำเร็จ, ไม่สำเร็จ, ปฏิเสธ).',
  },
  PW_ROW_REPORT_PAYEE_NAME_EMPTY: {
    field: 'payeeName',
    th: 'ไม่มีชื่อบัญชีผู้รับ — ใส่ชื่อบัญชีผู้รับเงินให้ตรงกับสมุดบัญชี',
    en: 'The receiver name is empty — enter the account name exactly as on the payee\'s passbook.',
  },
} as const;

/** A row reject code. */
export type RejectCode = keyof typeof REJECT_CODES;

/** Codes only the transfer report (`ktb-report`) gives; it also gives PW_ROW_BLANK_LINE and PW_ROW_DATE_TOO_FAR. */
export const REPORT_ONLY_REJECT_CODES: ReadonlySet<RejectCode> = new Set<RejectCode>([
  'PW_ROW_REPORT_COLUMN_COUNT', 'PW_ROW_REPORT_MALFORMED', 'PW_ROW_REPORT_BANK_UNKNOWN', 'PW_ROW_REPORT_ACCOUNT_INVALID',
  'PW_ROW_REPORT_DEBIT_ACCOUNT_INVALID', 'PW_ROW_REPORT_DATE_INVALID', 'PW_ROW_REPORT_SERVICE_TYPE_UNKNOWN', 'PW_ROW_AMOUNT_NEGATIVE',
  'PW_ROW_REPORT_AMOUNT_INVALID', 'PW_ROW_REPORT_AMOUNT_ZERO', 'PW_ROW_FEE_INVALID', 'PW_ROW_STATUS_UNKNOWN', 'PW_ROW_REPORT_PAYEE_NAME_EMPTY',
]);

/** The bilingual message of a reject, with `{value}` and `{detail}` filled in. */
export function rejectMessage(code: RejectCode, value = '', detail = ''): { th: string; en: string } {
  const t = REJECT_CODES[code];
  return { th: fill(t.th, value, detail), en: fill(t.en, value, detail) };
}

// split/join rather than replace: a raw value may hold `$&`, which String#replace would expand.
const fill = (template: string, value: string, detail: string): string =>
  template.split('{value}').join(value).split('{detail}').join(detail);
