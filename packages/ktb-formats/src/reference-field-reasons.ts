/**
 * Why a field of a reference list or registry row was refused, in words a finance clerk can act on (Thai first),
 * instead of the schema library's English. One table for every list: the field's name and what it must hold.
 */
import { maskDigitsInText, type Bilingual } from '@paywatch/domain';

interface FieldRule { th: string; en: string; mustTh: string; mustEn: string }

const EMPTY = { mustTh: 'ต้องไม่ว่าง', mustEn: 'must not be empty' };
const ID13 = { mustTh: 'ต้องเป็นตัวเลข 13 หลัก (ตรวจหลักสุดท้ายแล้ว)', mustEn: 'must be 13 digits with a valid check digit' };
const BANK = { th: 'รหัสธนาคาร', en: 'bank code', mustTh: 'ต้องเป็นรหัสธนาคาร 3 หลักที่รู้จัก เช่น 006 (กรุงไทย)', mustEn: 'must be a known 3-digit bank code, e.g. 006 (Krungthai)' };
const ACCOUNT = { th: 'เลขที่บัญชี', en: 'account number', mustTh: 'ต้องเป็นตัวเลข 6–14 หลัก (ใส่ขีดได้)', mustEn: 'must be 6–14 digits (dashes allowed)' };
const DATE = { mustTh: 'ต้องเป็นวันที่จริงแบบ วว/ดด/ปปปป (พ.ศ. หรือ ค.ศ.)', mustEn: 'must be a real date DD/MM/YYYY (BE or CE)' };
const AMOUNT = { mustTh: 'ต้องเป็นจำนวนเงินมากกว่าศูนย์ เช่น 1,234.50', mustEn: 'must be an amount above zero, e.g. 1,234.50' };

const FIELDS: Readonly<Record<string, FieldRule>> = {
  name: { th: 'ชื่อ', en: 'name', ...EMPTY },
  payeeName: { th: 'ชื่อผู้รับเงิน', en: 'payee name', ...EMPTY },
  payeeId: { th: 'เลขประจำตัวประชาชน/ผู้เสียภาษี', en: 'citizen or tax ID', ...ID13 },
  citizenId: { th: 'เลขประจำตัวประชาชน', en: 'citizen ID', ...ID13 },
  bankCode: BANK,
  payeeBankCode: BANK,
  account: ACCOUNT,
  payeeAccount: ACCOUNT,
  registeredOn: { th: 'วันที่ลงทะเบียน', en: 'registration date', ...DATE },
  voucherDate: { th: 'วันที่ฎีกา', en: 'voucher date', ...DATE },
  voucherNo: { th: 'เลขที่ฎีกา', en: 'voucher number', ...EMPTY },
  amountSatang: { th: 'จำนวนเงิน', en: 'amount', ...AMOUNT },
  monthlyAmountSatang: { th: 'จำนวนเงินต่อเดือน', en: 'monthly amount', ...AMOUNT },
  allowanceType: { th: 'ประเภทเบี้ย', en: 'allowance type', mustTh: 'ต้องเป็นผู้สูงอายุ ผู้พิการ หรือผู้ป่วยเอดส์', mustEn: 'must be elderly, disability or AIDS' },
  status: { th: 'สถานะ', en: 'status', mustTh: 'ต้องเป็น ใช้งาน หรือ ยกเลิก', mustEn: 'must be active or inactive' },
  laoCode: { th: 'รหัส อปท.', en: 'LAO code', mustTh: 'ต้องเป็นตัวเลข 7 หลัก', mustEn: 'must be 7 digits' },
  nameTh: { th: 'ชื่อ อปท.', en: 'LAO name', ...EMPTY },
  provinceCode: { th: 'รหัสจังหวัด', en: 'province code', mustTh: 'ต้องเป็นตัวเลข 2 หลัก', mustEn: 'must be 2 digits' },
  provinceNameTh: { th: 'ชื่อจังหวัด', en: 'province name', ...EMPTY },
  districtTh: { th: 'อำเภอ', en: 'district', ...EMPTY },
  companyIds: { th: 'รหัสบริษัท KTB', en: 'KTB company ID', mustTh: 'ต้องเป็นรหัสบริษัท เช่น GMIS660101', mustEn: 'must be a company ID such as GMIS660101' },
  accounts: { th: 'เลขที่บัญชีของ อปท.', en: "LAO's account number", mustTh: 'ต้องเป็นเลขบัญชีกรุงไทย 10 หลัก', mustEn: 'must be a 10-digit Krungthai account' },
};

/**
 * The message for a refused field: its name, the value found (long digit runs masked: these are accounts and IDs)
 * and what it must hold. Unknown fields get a plain "not valid" with the field's key.
 */
export function fieldReason(field: string, value: unknown): Bilingual {
  const rule = FIELDS[field];
  const shown = value === null || value === undefined || value === '' ? null : maskDigitsInText(String(value).slice(0, 60));
  const th = rule?.th ?? field;
  const en = rule?.en ?? field;
  const foundTh = shown === null ? 'ไม่มีค่า' : `ได้ "${shown}"`;
  const foundEn = shown === null ? 'it is empty' : `found "${shown}"`;
  return {
    th: `ช่อง${th} ไม่ถูกต้อง: ${rule?.mustTh ?? 'ค่าไม่ถูกต้อง'} (${foundTh})`,
    en: `The ${en} is not valid: it ${rule?.mustEn ?? 'does not fit the list'} (${foundEn}).`,
  };
}
