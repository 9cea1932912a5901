/**
 * The national benchmark's data, generated as a stream of KTB bulk files (one at a time on disk, never the whole
 * day in memory): first a month of ordinary payments for every LAO (October 2026: salaries, utilities and
 * suppliers), then the welfare day (10 November 2026: elderly and disability allowances, one line per person, each
 * with the person's citizen ID). Sizes follow the LAO's type (Bangkok pays the most, provincial administrative
 * organisations pay no allowances). A few irregularities are planted so both detector stages have something to
 * say: a person paid the allowance by two LAOs (welfare-anomaly's same-citizen-two-laos, stage 2) and duplicated supplier payments.
 * Same options ⇒ same files, byte for byte.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex, thaiIdCheckDigit } from '@paywatch/domain';
import { renderKtbBulk, type KtbBulkDetailSpec } from '@paywatch/ktb-formats';
import { nationalLaos, type NationalLao } from './thai-geography.ts';

export interface NationalDayOptions {
  /** LAOs of the country to include (a proportional sample below 7,850). */
  laos: number;
  /** Records of the whole run: the welfare day and, about 8 % of them, the month of ordinary payments before it. */
  records: number;
  /** Most detail lines per file (a large LAO uploads its day in several files). Default 20,000. */
  maxRowsPerFile?: number;
  /** The folder files are written to (a RAM disk keeps the disk out of the figures); the caller owns and removes it. */
  dir: string;
}

/** One generated file, on disk until the consumer calls `cleanup()`. */
export interface NationalFile { laoCode: string; fileName: string; path: string; rows: number; sizeBytes: number; sha256: string; kind: 'month' | 'welfare'; cleanup(): Promise<void> }

/** What the generated day holds, known before any file is written. */
export interface NationalPlan {
  laos: NationalLao[];
  monthRecords: number;
  welfareRecords: number;
  /** Distinct people paid an allowance (one citizen ID each). */
  beneficiaries: number;
  /** People planted as paid by two LAOs (stage 2's same-citizen-two-laos). */
  plantedTwoLaos: number;
}

/** The day the allowances are paid, and the month of ordinary payments before it. */
export const WELFARE_DAY = '2026-11-10';
const MONTH = '2026-10';
const MONTH_SHARE = 0.08;
const TWO_LAOS_EVERY = 5_000;
/** People of LAO i−1 planted on LAO i's list: one per TWO_LAOS_EVERY, at least one where both pay allowances. */
const plantedOf = (previous: number, own: number) => (own > 1 && previous > 0 ? Math.min(own - 1, Math.max(1, Math.floor(previous / TWO_LAOS_EVERY))) : 0);

const FIRST = ['สมชาย', 'วิชัย', 'ประเสริฐ', 'สมศรี', 'มาลี', 'วันเพ็ญ', 'อนุชา', 'กาญจนา', 'ทองใบ', 'จำเนียร', 'บุญเรือน', 'ปราณี', 'สายสุนีย์', 'คำปุ่น', 'บัวผัน', 'ทองคำ'] as const;
const LAST = ['ใจดี', 'ทองดี', 'ศรีสวัสดิ์', 'แก้วมณี', 'บุญมา', 'พึ่งทอง', 'มีสุข', 'รักษาวงศ์', 'อินทร์แก้ว', 'เพชรรัตน์', 'สุขเจริญ', 'นาคประเสริฐ'] as const;
const VENDORS = ['ร้านสมชาย ก่อสร้าง', 'ห้างหุ้นส่วนจำกัด รุ่งเรืองวัสดุ', 'บริษัท ทรัพย์ทวี การค้า จำกัด', 'ร้านศรีสุข เครื่องเขียน', 'บริษัท ชัยมงคล ปิโตรเลียม จำกัด', 'ร้านเจริญผล เกษตรภัณฑ์'] as const;

/** A cheap, well-mixed 32-bit hash: the generator's only source of variety, so files depend on indices alone. */
function mix(n: number): number {
  let x = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Citizen ID of person `k` (distinct for every k below 10^11), with its check digit. */
export function citizenIdOf(k: number): string {
  const first12 = `3${String(k).padStart(11, '0')}`;
  return first12 + thaiIdCheckDigit(first12);
}

const personName = (k: number) => `${['นาย', 'นาง', 'นางสาว'][mix(k) % 3]}${FIRST[mix(k + 1) % FIRST.length]} ${LAST[mix(k + 2) % LAST.length]}${k % 997}`;
// Krungthai accounts (10 digits) for people and suppliers, distinct per index.
const personAccount = (k: number) => `7${String(k % 1_000_000_000).padStart(9, '0')}`;
const vendorAccount = (laoIndex: number, v: number) => `4${String(laoIndex * 100 + v).padStart(9, '0')}`;

/** Splits `total` over weights with largest remainders, so the parts add up exactly. */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0) || 1;
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((s, n) => s + n, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let j = 0; left > 0; j = (j + 1) % order.length, left--) parts[order[j]![1]]!++;
  return parts;
}

/** Counts per LAO: ordinary payments in the month and allowances on the day. */
export function planNationalDay(options: Pick<NationalDayOptions, 'laos' | 'records'>): NationalPlan & { monthPerLao: number[]; welfarePerLao: number[] } {
  const laos = nationalLaos(options.laos);
  // Spread a little inside each type (±30 %), the same way every run.
  const jitter = (i: number) => 0.7 + (mix(i + 77) % 600) / 1000;
  const monthRecords = Math.round(options.records * MONTH_SHARE);
  const welfareRecords = options.records - monthRecords;
  const monthPerLao = apportion(monthRecords, laos.map((l, i) => l.ordinaryWeight * jitter(i)));
  const welfarePerLao = apportion(welfareRecords, laos.map((l, i) => l.welfareWeight * jitter(i + 1)));
  const planted = welfarePerLao.reduce((s, n, i) => s + (i > 0 ? plantedOf(welfarePerLao[i - 1]!, n) : 0), 0);
  return { laos, monthRecords, welfareRecords, beneficiaries: welfareRecords - planted, plantedTwoLaos: planted, monthPerLao, welfarePerLao };
}

/** One LAO's ordinary month: staff salaries at month end, three utilities, suppliers through the month (some paid twice). */
function monthDetails(lao: NationalLao, laoIndex: number, rows: number): KtbBulkDetailSpec[] {
  const debitAccount = lao.entry.accounts[0]!;
  const out: KtbBulkDetailSpec[] = [];
  const staff = Math.max(1, Math.round(rows * 0.45));
  const utilities = Math.min(3, Math.max(0, rows - staff));
  for (let i = 0; i < rows; i++) {
    const h = mix(laoIndex * 7919 + i);
    if (i < staff) {
      const k = 900_000_000 + laoIndex * 1_000 + i;
      out.push({ payeeBankCode: '006', payeeAccount: personAccount(k), debitAccount, effectiveDate: `${MONTH}-30`, serviceType: '01', amountSatang: (15_000 + (h % 25_000)) * 100, payeeName: personName(k), payeeId: citizenIdOf(k), remark: 'เงินเดือนพนักงานจ้าง', voucherNo: null });
    } else if (i < staff + utilities) {
      const u = i - staff;
      out.push({ payeeBankCode: '006', payeeAccount: `5${String(laoIndex * 10 + u).padStart(9, '0')}`, debitAccount, effectiveDate: `${MONTH}-25`, serviceType: ['11', '12', '10'][u]!, amountSatang: (2_000 + (h % 20_000)) * 100, payeeName: ['การไฟฟ้าส่วนภูมิภาค', 'การประปาส่วนภูมิภาค', 'บริษัท ทีโอที จำกัด (มหาชน)'][u]!, payeeId: null, remark: null, voucherNo: null });
    } else {
      const v = h % 40;
      const day = 1 + (h % 28);
      // Every 97th supplier line, and the LAO's last one, repeats the line before it (same payee, amount and date): a duplicate payment.
      const repeat = (i % 97 === 0 || i === rows - 1) && out.length > staff + utilities ? out[out.length - 1]! : null;
      out.push(repeat ? { ...repeat } : { payeeBankCode: '006', payeeAccount: vendorAccount(laoIndex, v), debitAccount, effectiveDate: `${MONTH}-${String(day).padStart(2, '0')}`, serviceType: '04', amountSatang: (500 + (mix(h) % 80_000)) * 100, payeeName: VENDORS[v % VENDORS.length]!, payeeId: null, remark: 'ค่าวัสดุ', voucherNo: `${100 + (h % 800)}/2569` });
    }
  }
  return out;
}

/** The files of the run, in upload order: every LAO's month, then every LAO's welfare day. */
export async function* nationalFiles(options: NationalDayOptions): AsyncGenerator<NationalFile> {
  const plan = planNationalDay(options);
  const maxRows = options.maxRowsPerFile ?? 20_000;
  const dir = options.dir;
  let fileNo = 0;
  const write = async (lao: NationalLao, kind: NationalFile['kind'], effectiveDate: string, details: KtbBulkDetailSpec[]): Promise<NationalFile> => {
    const n = fileNo++;
    const bytes = renderKtbBulk({ header: { batchNo: String(n % 1_000_000).padStart(6, '0'), effectiveDate, companyId: lao.entry.companyIds[0]!, userId: 'FIN01' }, details }, { encoding: 'windows-874', eol: '\r\n' });
    const fileName = `${lao.entry.laoCode}-${kind}-${n}.txt`;
    const path = join(dir, fileName);
    await writeFile(path, bytes);
    return { laoCode: lao.entry.laoCode, fileName, path, rows: details.length, sizeBytes: bytes.length, sha256: sha256Hex(bytes), kind, cleanup: () => rm(path, { force: true }) };
  };
  for (const [i, lao] of plan.laos.entries()) {
    const rows = plan.monthPerLao[i]!;
    if (rows > 0) yield await write(lao, 'month', `${MONTH}-30`, monthDetails(lao, i, rows));
  }
  // People are numbered across the country in LAO order; every TWO_LAOS_EVERY-th of an LAO is also on the next LAO's list.
  let person = 0;
  const firstPerson: number[] = [];
  for (const n of plan.welfarePerLao) { firstPerson.push(person); person += n; }
  for (const [i, lao] of plan.laos.entries()) {
    const rows = plan.welfarePerLao[i]!;
    const debitAccount = lao.entry.accounts[0]!;
    const previous = i > 0 ? plan.welfarePerLao[i - 1]! : 0;
    const planted = i > 0 ? plantedOf(previous, rows) : 0;
    // Only people the previous LAO pays itself: its first lines are people planted from the LAO before it.
    const previousOwnFrom = i > 1 ? plantedOf(plan.welfarePerLao[i - 2]!, previous) : 0;
    const stride = planted > 0 ? Math.floor((previous - previousOwnFrom) / planted) : 0;
    for (let from = 0; from < rows; from += maxRows) {
      const details: KtbBulkDetailSpec[] = [];
      for (let j = from; j < Math.min(rows, from + maxRows); j++) {
        // The first `planted` lines are people of the previous LAO (paid there too, to another account of theirs).
        const k = j < planted ? firstPerson[i - 1]! + previousOwnFrom + j * stride : firstPerson[i]! + j;
        const h = mix(k);
        const disability = h % 7 === 0;
        details.push({
          payeeBankCode: '006', payeeAccount: personAccount(j < planted ? k + 500_000_000 : k), debitAccount, effectiveDate: WELFARE_DAY, serviceType: '59',
          amountSatang: (disability ? 800 : [600, 700, 800, 1000][h % 4]!) * 100, payeeName: personName(k), payeeId: citizenIdOf(k),
          remark: disability ? 'เบี้ยความพิการ' : 'เบี้ยยังชีพผู้สูงอายุ', voucherNo: null,
        });
      }
      yield await write(lao, 'welfare', WELFARE_DAY, details);
    }
  }
}
