/** Seeded, realistic KTB bulk batches with the records a correct parser must read back from them. */
import { BANKS, cleanText, isValidThaiId, normaliseAccount, normaliseThaiId, thaiIdCheckDigit, type Bank, type PaymentRecord } from '@paywatch/domain';
import { SeededRandom } from './seeded-random.ts';
import type { KtbBulkDetailSpec, KtbBulkSpec } from './render-ktb-bulk.ts';
import { SENDING_BANK_CODE } from './resolve-lao.ts';

/** What to generate. Same options (seed included) ⇒ same batch ⇒ same bytes. */
export interface GenerateBulkBatchOptions {
  seed: number;
  laoCode: string;
  companyId: string;
  /** The LAO's KTB account the batch debits. */
  debitAccount: string;
  rows: number;
  /** `YYYY-MM-DD` (CE). */
  effectiveDate: string;
  /** 6 characters; derived from the seed when absent. */
  batchNo?: string;
  /** The maker's KTB user ID. */
  userId?: string;
  /** The sender name written on every line (the LAO's name). */
  senderName?: string;
}

/** A generated batch: the file's spec, and the records parsing its rendering must give, in line order. */
export interface GeneratedBulkBatch { spec: KtbBulkSpec; records: PaymentRecord[] }

const COMPANY_FORMS = [
  { prefix: 'บริษัท ', suffix: ' จำกัด' },
  { prefix: 'ห้างหุ้นส่วนจำกัด ', suffix: '' },
  { prefix: 'ร้าน', suffix: '' },
] as const;
const COMPANY_CORES = [
  'สมชาย ก่อสร้าง', 'รุ่งเรืองวัสดุ', 'พิจิตรการโยธา', 'ศรีสุข เครื่องเขียน', 'ทรัพย์ทวี การค้า', 'ชัยมงคล ปิโตรเลียม',
  'เจริญผล เกษตรภัณฑ์', 'นครไทย คอมพิวเตอร์', 'บึงนาราง ค้าวัสดุ', 'สามง่าม ซัพพลาย', 'วังทรายพูน ออกแบบ', 'ตะพานหิน ไฟฟ้า',
] as const;
const MALE_FIRST = ['สมชาย', 'วิชัย', 'ประเสริฐ', 'สุรเชษฐ์', 'อนุชา', 'ธนากร', 'บุญเลิศ', 'ณัฐวุฒิ'] as const;
const FEMALE_FIRST = ['สมศรี', 'มาลี', 'วันเพ็ญ', 'กาญจนา', 'สุภาพร', 'อรุณี', 'ประไพ', 'ศิริรัตน์'] as const;
const LAST_NAMES = ['ใจดี', 'ทองดี', 'ศรีสวัสดิ์', 'แก้วมณี', 'บุญมา', 'พึ่งทอง', 'มีสุข', 'รักษาวงศ์', 'อินทร์แก้ว', 'เพชรรัตน์'] as const;
const REMARKS = {
  '04': ['ค่าวัสดุสำนักงาน', 'ค่าจ้างเหมาซ่อมแซมถนน', 'ค่าอาหารเสริม (นม) โรงเรียน', 'ค่าน้ำมันเชื้อเพลิง', 'ค่าจ้างเหมาก่อสร้างรางระบายน้ำ'],
  '01': ['เงินเดือนพนักงานจ้าง', 'ค่าตอบแทนผู้ปฏิบัติงาน', 'ค่าจ้างลูกจ้างประจำ'],
  '59': ['เบี้ยยังชีพผู้สูงอายุ', 'เบี้ยความพิการ', 'เบี้ยยังชีพผู้ป่วยเอดส์'],
} as const;
/** Elderly allowance tiers, baht a month. */
const ALLOWANCE_BAHT = [600, 700, 800, 1000] as const;

const KTB = BANKS.find((b) => b.code === SENDING_BANK_CODE)!;

/** A 13-digit ID with a valid check digit: citizen IDs start 1–8, juristic (tax) IDs start 0. */
function thaiId(dice: SeededRandom, juristic: boolean): string {
  const first12 = (juristic ? '0' : String(dice.int(1, 8))) + dice.digits(11);
  return first12 + thaiIdCheckDigit(first12);
}

/**
 * An account number as the bank issues it, kept only if its shortened form fits the 11-digit field
 * and reads back the same from it (so a change in the domain's shortening rules cannot make the
 * generator write a batch whose records it mispredicts).
 */
function accountFor(dice: SeededRandom, bank: Bank): string {
  const length = bank.accountLengths[0]!;
  for (;;) {
    const account = dice.digits(length, true);
    const short = normaliseAccount(bank.code, account);
    if (short.length <= 11 && normaliseAccount(bank.code, short.padStart(11, '0')) === short) return account;
  }
}

function personName(dice: SeededRandom): string {
  const title = dice.pick(['นาย', 'นาง', 'นางสาว'] as const);
  const first = title === 'นาย' ? dice.pick(MALE_FIRST) : dice.pick(FEMALE_FIRST);
  return `${title}${first} ${dice.pick(LAST_NAMES)}`;
}

function companyName(dice: SeededRandom): string {
  const form = dice.pick(COMPANY_FORMS);
  return `${form.prefix}${dice.pick(COMPANY_CORES)}${form.suffix}`;
}

/** Goods and services: log-uniform between 500 and 500,000 baht, often whole baht. */
function goodsAmountSatang(dice: SeededRandom): number {
  const baht = Math.floor(Math.exp(Math.log(500) + dice.float() * (Math.log(500_000) - Math.log(500))));
  return baht * 100 + (dice.chance(0.6) ? 0 : dice.int(1, 99));
}

function detail(dice: SeededRandom, o: GenerateBulkBatchOptions, index: number, beYear: number): KtbBulkDetailSpec {
  const roll = dice.float();
  const serviceType = roll < 0.6 ? '04' : roll < 0.8 ? '01' : '59';
  const isCompany = serviceType === '04';
  const bank = dice.chance(0.3) ? KTB : dice.pick(BANKS);
  const amountSatang =
    serviceType === '04' ? goodsAmountSatang(dice)
    : serviceType === '01' ? dice.int(900, 4_500) * 1_000
    : dice.pick(ALLOWANCE_BAHT) * 100;
  return {
    payeeBankCode: bank.code,
    payeeBranch: dice.digits(4),
    payeeAccount: accountFor(dice, bank),
    debitAccount: o.debitAccount,
    effectiveDate: o.effectiveDate,
    serviceType,
    amountSatang,
    payeeName: isCompany ? companyName(dice) : personName(dice),
    payeeId: dice.chance(isCompany ? 0.6 : 0.8) ? thaiId(dice, isCompany) : null,
    remark: dice.chance(0.7) ? dice.pick(REMARKS[serviceType]) : null,
    voucherNo: dice.chance(0.85) ? `ฎ${dice.int(1, 999)}/${beYear}` : null,
    bankReference: String(index + 1).padStart(6, '0'),
    senderName: o.senderName ?? 'องค์การบริหารส่วนตำบลตัวอย่าง',
    payeeMobile: !isCompany && dice.chance(0.3) ? `0${dice.int(6, 9)}${dice.digits(8)}` : '',
  };
}

const orNull = (s: string | null | undefined): string | null => s?.trim() || null;

/** What the renderer leaves in receiver info + receiver ID (18 characters, left-aligned) as a parser reads it back. */
function writtenReceiverId(payeeId: string | null | undefined): string | null {
  const span = (payeeId ?? '').slice(0, 18);
  if (normaliseThaiId(span.trim()) !== null) return span.trim() || null;
  return span.padEnd(18).slice(8).trim() || null;
}

/** The record a correct parser reads from each detail of a spec (the oracle of the round-trip tests). */
export function recordsOfSpec(spec: KtbBulkSpec, laoCode: string): PaymentRecord[] {
  const h = spec.header;
  return spec.details.map((d) => ({
    sourceFormat: 'ktb-bulk',
    laoCode,
    companyId: orNull(h.companyId),
    debitAccount: normaliseAccount(SENDING_BANK_CODE, d.debitAccount),
    payeeBankCode: d.payeeBankCode,
    payeeAccount: normaliseAccount(d.payeeBankCode, d.payeeAccount),
    payeeName: cleanText(d.payeeName),
    payeeId: d.payeeId && isValidThaiId(d.payeeId) ? normaliseThaiId(d.payeeId) : null,
    receiverId: writtenReceiverId(d.payeeId),
    amountSatang: d.amountSatang,
    feeSatang: null,
    effectiveDate: d.effectiveDate,
    executedAt: null,
    approvedAt: null,
    serviceType: d.serviceType,
    voucherNo: orNull(d.voucherNo),
    bankReference: orNull(d.bankReference),
    batchNo: orNull(d.batchNo ?? h.batchNo),
    makerId: orNull(h.userId),
    authorizerId: null,
    status: 'instructed',
    remark: orNull(d.remark),
    extra: {},
  }));
}

/** A realistic batch: Thai vendor and person names, real bank codes and account lengths, service types 04/01/59, integer satang, ฎีกา numbers. */
export function generateBulkBatch(o: GenerateBulkBatchOptions): GeneratedBulkBatch {
  const dice = new SeededRandom(o.seed);
  const beYear = Number(o.effectiveDate.slice(0, 4)) + 543;
  const details: KtbBulkDetailSpec[] = [];
  for (let i = 0; i < o.rows; i++) details.push(detail(dice, o, i, beYear));
  const spec: KtbBulkSpec = {
    header: {
      batchNo: o.batchNo ?? String((o.seed >>> 0) % 1_000_000).padStart(6, '0'),
      effectiveDate: o.effectiveDate,
      companyId: o.companyId,
      userId: o.userId ?? 'MAKER01',
    },
    details,
  };
  return { spec, records: recordsOfSpec(spec, o.laoCode) };
}
