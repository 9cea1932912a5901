/** Thai bank codes (3 digits, Bank of Thailand clearing codes) and the account lengths each uses. */

/** One bank of the maintained table. `accountLengths` are the lengths its real account numbers have. */
export interface Bank { code: string; short: string; nameTh: string; nameEn: string; accountLengths: readonly number[] }

export const BANKS: readonly Bank[] = [
  { code: '002', short: 'BBL', nameTh: 'ธนาคารกรุงเทพ', nameEn: 'Bangkok Bank', accountLengths: [10] },
  { code: '004', short: 'KBANK', nameTh: 'ธนาคารกสิกรไทย', nameEn: 'Kasikornbank', accountLengths: [10] },
  { code: '006', short: 'KTB', nameTh: 'ธนาคารกรุงไทย', nameEn: 'Krungthai Bank', accountLengths: [10] },
  { code: '011', short: 'TTB', nameTh: 'ธนาคารทหารไทยธนชาต', nameEn: 'TMBThanachart Bank', accountLengths: [10] },
  { code: '014', short: 'SCB', nameTh: 'ธนาคารไทยพาณิชย์', nameEn: 'Siam Commercial Bank', accountLengths: [10] },
  { code: '017', short: 'CITI', nameTh: 'ธนาคารซิตี้แบงก์', nameEn: 'Citibank', accountLengths: [10] },
  { code: '022', short: 'CIMBT', nameTh: 'ธนาคารซีไอเอ็มบี ไทย', nameEn: 'CIMB Thai Bank', accountLengths: [10] },
  { code: '024', short: 'UOBT', nameTh: 'ธนาคารยูโอบี', nameEn: 'UOB Thailand', accountLengths: [10] },
  { code: '025', short: 'BAY', nameTh: 'ธนาคารกรุงศรีอยุธยา', nameEn: 'Bank of Ayudhya', accountLengths: [10] },
  { code: '030', short: 'GSB', nameTh: 'ธนาคารออมสิน', nameEn: 'Government Savings Bank', accountLengths: [12] },
  { code: '031', short: 'HSBC', nameTh: 'ธนาคารฮ่องกงและเซี่ยงไฮ้', nameEn: 'HSBC', accountLengths: [12] },
  { code: '033', short: 'GHB', nameTh: 'ธนาคารอาคารสงเคราะห์', nameEn: 'Government Housing Bank', accountLengths: [12] },
  { code: '034', short: 'BAAC', nameTh: 'ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร', nameEn: 'BAAC', accountLengths: [12] },
  { code: '066', short: 'IBANK', nameTh: 'ธนาคารอิสลามแห่งประเทศไทย', nameEn: 'Islamic Bank of Thailand', accountLengths: [12] },
  { code: '067', short: 'TISCO', nameTh: 'ธนาคารทิสโก้', nameEn: 'TISCO Bank', accountLengths: [14] },
  { code: '069', short: 'KKP', nameTh: 'ธนาคารเกียรตินาคินภัทร', nameEn: 'Kiatnakin Phatra Bank', accountLengths: [14] },
  { code: '070', short: 'ICBCT', nameTh: 'ธนาคารไอซีบีซี (ไทย)', nameEn: 'ICBC Thai', accountLengths: [10] },
  { code: '071', short: 'TCD', nameTh: 'ธนาคารไทยเครดิต', nameEn: 'Thai Credit Bank', accountLengths: [10] },
  { code: '073', short: 'LHBANK', nameTh: 'ธนาคารแลนด์ แอนด์ เฮ้าส์', nameEn: 'Land and Houses Bank', accountLengths: [10] },
] as const;

const byCode = new Map(BANKS.map((b) => [b.code, b]));

/** The bank with this 3-digit code, or undefined when the code is not in the table. */
export const bankByCode = (code: string): Bank | undefined => byCode.get(code);

/**
 * The form of an account number that bulk files carry (11 digits) and that rules compare:
 * GSB 12 → last 11; BAAC/HSBC 12 → drop the first; Islamic Bank 12 → drop the first two;
 * TISCO/KKP 14 → last 10; others as they are. Both sides of a comparison go through this.
 */
export function normaliseAccount(bankCode: string, account: string): string {
  const digits = account.replace(/\D/g, '');
  switch (bankCode) {
    case '030': return digits.length === 12 ? digits.slice(1) : stripPad(digits);
    case '034': case '031': return digits.length === 12 ? digits.slice(1) : stripPad(digits);
    case '066': return digits.length === 12 ? digits.slice(2) : stripPad(digits);
    case '067': case '069': return digits.length === 14 ? digits.slice(4) : stripPad(digits);
    default: return stripPad(digits);
  }
}

/** Fixed-width files zero-pad 10-digit accounts to 11; the significant part is the last 10 unless longer. */
function stripPad(digits: string): string {
  return digits.length === 11 && digits.startsWith('0') ? digits.slice(1) : digits;
}
