/** KTB Corporate Online service types (ktb-formats.md §1). */
import type { Bilingual } from '@paywatch/domain';

/** Standard/Express service types: the payee banks elsewhere. */
export const STANDARD_SERVICE_TYPES = {
  '01': { th: 'เงินเดือน ค่าจ้าง บำเหน็จ บำนาญ', en: 'salary, wages, pensions' },
  '02': { th: 'เงินปันผล', en: 'dividends' },
  '03': { th: 'ดอกเบี้ย', en: 'interest' },
  '04': { th: 'ค่าสินค้าและบริการ', en: 'goods and services' },
  '05': { th: 'หลักทรัพย์', en: 'securities' },
  '06': { th: 'คืนภาษี', en: 'tax refund' },
  '07': { th: 'เงินกู้', en: 'loans' },
  '59': { th: 'อื่น ๆ', en: 'other' },
} as const satisfies Record<string, Bilingual>;

/** Direct service types: the payee banks at KTB. */
export const DIRECT_SERVICE_TYPES = {
  '02': { th: 'เงินเดือน', en: 'salary' },
  '04': { th: 'ดอกเบี้ยพันธบัตร', en: 'bond interest' },
  '09': { th: 'ประกัน', en: 'insurance' },
  '10': { th: 'ค่าโทรศัพท์', en: 'telephone' },
  '11': { th: 'ค่าไฟฟ้า', en: 'electricity' },
  '12': { th: 'ค่าน้ำประปา', en: 'water' },
  '14': { th: 'ค่าซื้อสินค้าและบริการ', en: 'purchase and service' },
  '15': { th: 'ธนาคารออมสิน', en: 'GSB' },
  '21': { th: 'หลักทรัพย์', en: 'securities' },
  '25': { th: 'ธนาคารผู้ให้บริการหักบัญชี', en: 'clearing bank' },
  '27': { th: 'ประกันสังคม', en: 'social security' },
  '28': { th: 'สำนักงานสลากกินแบ่งรัฐบาล', en: 'lottery office' },
  '37': { th: 'บัตรอิเล็กทรอนิกส์', en: 'electronic card' },
  '46': { th: 'กองทุนบำเหน็จบำนาญ', en: 'pension fund' },
} as const satisfies Record<string, Bilingual>;

/**
 * Every code a bulk line may carry. One file mixes Direct and Standard lines and the two lists
 * reuse 02 and 04 with different meanings, so a line is refused only for a code in neither list.
 */
export const SERVICE_TYPE_CODES: ReadonlySet<string> = new Set([...Object.keys(STANDARD_SERVICE_TYPES), ...Object.keys(DIRECT_SERVICE_TYPES)]);
