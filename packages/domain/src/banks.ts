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

/** How a bank's full-length accounts are shortened to fit the 11-digit field of bulk files (ktb-formats.md §1). */
const SHORTENING: Record<string, { full: number; keep: (d: string) => string }> = {
  '030': { full: 12, keep: (d) => d.slice(-11) }, // GSB: last 11
  '034': { full: 12, keep: (d) => d.slice(1) }, // BAAC: drop the first
  '031': { full: 12, keep: (d) => d.slice(1) }, // HSBC: drop the first
  '033': { full: 12, keep: (d) => d.slice(1) }, // GHB: not in the spec; treated like BAAC
  '066': { full: 12, keep: (d) => d.slice(2) }, // Islamic Bank: drop the first two
  '067': { full: 14, keep: (d) => d.slice(-10) }, // TISCO: last 10
  '069': { full: 14, keep: (d) => d.slice(-10) }, // KKP: last 10
};

/** The number of significant digits an account of this bank has once shortened (10 for most banks). */
function significantLength(bankCode: string): number {
  const rule = SHORTENING[bankCode];
  return rule ? rule.keep('0'.repeat(rule.full)).length : 10;
}
/** `significantLength` per bank code, worked out once: it is asked for on every account comparison. */
const significantLengths = new Map<string, number>();

/**
 * The form of an account number that rules compare: digits only, long accounts shortened the way bulk files
 * shorten them, and the zero-padding of the 11-digit field removed down to the bank's significant length
 * (`00123456789` at a 10-digit bank is `0123456789`). Idempotent, so both sides of a comparison agree
 * whichever form each came in.
 */
export function normaliseAccount(bankCode: string, account: string): string {
  let digits = account.replace(/\D/g, '');
  const rule = SHORTENING[bankCode];
  if (rule && digits.length === rule.full) digits = rule.keep(digits);
  let keep = significantLengths.get(bankCode);
  if (keep === undefined) significantLengths.set(bankCode, (keep = significantLength(bankCode)));
  if (digits.length > keep && /^0+$/.test(digits.slice(0, digits.length - keep))) digits = digits.slice(digits.length - keep);
  return digits;
}

/**
 * The key a (bank, account) pair is matched by wherever accounts are compared: the bank code and the account's
 * comparison form (`normaliseAccount`). A record keeps its account as its file wrote it (a bank report's 12- or
 * 14-digit account whole, which is what an auditor quotes to the bank); only this key is shortened, so the bulk
 * line and the report line of one transfer meet.
 */
export function accountKey(bankCode: string, account: string): string {
  // The rules ask for the key of the record being evaluated several times in a row: remember the last one.
  if (bankCode === lastKeyed.bankCode && account === lastKeyed.account) return lastKeyed.key;
  const key = `${bankCode}:${normaliseAccount(bankCode, account)}`;
  lastKeyed.bankCode = bankCode; lastKeyed.account = account; lastKeyed.key = key;
  return key;
}
const lastKeyed = { bankCode: '', account: '', key: '' };
