/** File-level refusals: the whole file is refused and nothing from it is accepted. */
import type { Bilingual } from '@paywatch/domain';

/**
 * Every refusal code with its message. `{name}` placeholders are filled by {@link refusal};
 * `{expected}` is always the list of formats paywatch reads, so the uploader knows what to send instead.
 */
export const REFUSAL_CODES = {
  PW_ERR_EMPTY_FILE: {
    th: 'แฟ้มว่าง ไม่มีข้อมูล — ต้องส่ง{expected}',
    en: 'The file is empty — expected {expected}.',
  },
  PW_ERR_BINARY_FILE: {
    th: 'แฟ้มนี้ไม่ใช่แฟ้มข้อความ ({kindTh}) — ต้องส่ง{expected}',
    en: 'This is not a text file ({kindEn}) — expected {expected}.',
  },
  PW_ERR_UNSUPPORTED_ENCODING: {
    th: 'แฟ้มเข้ารหัสแบบ {kindEn} ซึ่งระบบไม่รองรับ — บันทึกใหม่เป็น UTF-8 หรือ TIS-620 (Windows-874) แล้วส่ง{expected}',
    en: 'The file is encoded as {kindEn}, which is not supported — save it as UTF-8 or TIS-620 (Windows-874) and send {expected}.',
  },
  PW_ERR_UNKNOWN_FORMAT: {
    th: 'ไม่รู้จักรูปแบบแฟ้ม (บรรทัดแรกขึ้นต้นว่า "{firstLine}") — ต้องส่ง{expected}',
    en: 'Unknown file format (the first line starts "{firstLine}") — expected {expected}.',
  },
  PW_ERR_NO_DETAILS: {
    th: 'แฟ้มมีแต่บรรทัดหัว (101) ไม่มีรายการโอนเงิน (102) — ส่งแฟ้มที่มีรายการโอนเงินครบ',
    en: 'The file has a header line (101) but no payment lines (102) — send the file with its payment lines.',
  },
  PW_ERR_BAD_HEADER: {
    th: 'บรรทัดหัวแฟ้ม (101) เสียหาย: {fieldTh} (ตำแหน่ง {positions}) ไม่ใช่ตัวเลข — สร้างแฟ้มใหม่จากโปรแกรมที่ใช้ส่งธนาคาร',
    en: 'The header line (101) is damaged: {fieldEn} (positions {positions}) is not a number — export the file again from the program that makes the bank file.',
  },
  PW_ERR_INVALID_LAO_CODE: {
    th: 'รหัส อปท. "{laoCode}" ไม่ถูกต้อง — ต้องเป็นตัวเลข 7 หลัก',
    en: 'LAO code "{laoCode}" is not valid — it must be 7 digits.',
  },
  PW_ERR_UNKNOWN_LAO: {
    th: 'ไม่ทราบว่าแฟ้มนี้เป็นของ อปท. ใด (รหัสบริษัท "{companyId}") — ระบุรหัส อปท. หรือส่งทะเบียน อปท. ที่มีรหัสบริษัทหรือบัญชีผู้โอนของแฟ้มนี้',
    en: 'Cannot tell which LAO this file belongs to (company ID "{companyId}") — pass the LAO code, or a LAO registry that lists this company ID or sending account.',
  },
  PW_ERR_FOREIGN_ACCOUNT: {
    th: 'แฟ้มนี้เป็นของ อปท. อื่น: บัญชีผู้โอน {account} (บรรทัด {row}) ไม่ใช่บัญชีของ อปท. {laoCode} และรหัสบริษัท "{companyId}" ก็ไม่ใช่ของ อปท. นี้ — ไม่รับทั้งแฟ้ม ให้ อปท. เจ้าของบัญชีเป็นผู้ส่ง',
    en: 'This file belongs to another LAO: sending account {account} (line {row}) is not an account of LAO {laoCode}, nor is company ID "{companyId}" — the whole file is refused; the LAO that owns the account must upload it.',
  },
  PW_ERR_REPORT_MISSING_COLUMNS: {
    th: 'รายงานการโอนเงินไม่มีคอลัมน์ที่จำเป็น: {missingTh} — ส่งออกรายงานใหม่จาก KTB Corporate Online ให้มีคอลัมน์ครบ หรือเพิ่มชื่อหัวคอลัมน์ใหม่ในการตั้งค่า',
    en: 'The transfer report lacks required columns: {missingEn} — export the report again from KTB Corporate Online with every column, or add the new header names to the configuration.',
  },
  PW_ERR_REPORT_NO_ROWS: {
    th: 'รายงานการโอนเงินมีแต่หัวตาราง ไม่มีรายการโอนเงิน — ส่งรายงานที่มีรายการ',
    en: 'The transfer report has a header row but no transfers — send the report with its rows.',
  },
  PW_ERR_TOO_MANY_ROWS: {
    th: 'แฟ้มมีมากกว่า {max} แถว ซึ่งเกินขีดจำกัด — แบ่งแฟ้มเป็นหลายแฟ้มแล้วส่งทีละแฟ้ม',
    en: 'The file has more than {max} rows, above the limit — split it into several files and upload them one by one.',
  },
  PW_ERR_LINE_TOO_LONG: {
    th: 'บรรทัด {row} ยาวเกิน {max} ตัวอักษร ซึ่งเกินขีดจำกัด — แฟ้มอาจเสียหายหรือไม่ใช่รายงานการโอนเงิน',
    en: 'Line {row} is longer than {max} characters, above the limit — the file may be damaged or not a transfer report.',
  },
  PW_ERR_XLSX_TOO_LARGE: {
    th: 'แฟ้ม Excel เมื่อขยายแล้วมีขนาด {size} ไบต์ เกินขีดจำกัด {max} ไบต์ (อาจเป็น zip bomb) — ส่งออกรายงานเป็น CSV หรือแบ่งเป็นหลายแฟ้ม',
    en: 'The Excel workbook expands to {size} bytes, above the {max}-byte limit (possibly a zip bomb) — export the report as CSV or split it.',
  },
  PW_ERR_XLSX_DAMAGED: {
    th: 'เปิดแฟ้ม Excel ไม่ได้ ({detail}) — บันทึกแฟ้มใหม่เป็น .xlsx หรือส่งออกเป็น CSV',
    en: 'The Excel workbook cannot be opened ({detail}) — save it again as .xlsx or export it as CSV.',
  },
} as const satisfies Record<string, Bilingual>;

/** A refusal code. */
export type RefusalCode = keyof typeof REFUSAL_CODES;

/** Why a whole file was refused (the `refusal` of a manifest). */
export interface Refusal { code: RefusalCode; message: Bilingual }

const fill = (template: string, vars: Readonly<Record<string, string>>): string =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);

/** Builds a refusal, filling the message's placeholders. */
export function refusal(code: RefusalCode, vars: Readonly<Record<string, string>> = {}): Refusal {
  const t = REFUSAL_CODES[code];
  return { code, message: { th: fill(t.th, vars), en: fill(t.en, vars) } };
}
