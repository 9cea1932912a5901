/**
 * A reproducible synthetic world for `paywatch gen` and `pnpm quality`: LAOs across provinces with staff, vendors,
 * utilities and welfare recipients; realistic clean monthly payments written as real KTB bulk files; injected
 * irregularities of each typology the detector covers, at low rates; and hard negatives that must stay quiet
 * (monthly utilities of the same amount, salaries to staff, a vendor paid twice on two vouchers).
 * The labels say which rows each injected event is; nothing in the files marks them. Files come in upload order:
 * month by month, every LAO's files of a month before the next month's.
 */
import { bankByCode, fiscalYear, thaiIdCheckDigit, type LaoRegistryEntry } from '@paywatch/domain';
import { recordsOfSpec, renderKtbBulk, renderKtbReportCsv, type KtbBulkDetailSpec, type KtbBulkSpec } from '@paywatch/ktb-formats';
import type { PaymentRecord } from '@paywatch/domain';
import { THAI_HOLIDAYS } from '@paywatch/rules';
import { WorldRandom } from './world-random.ts';

/**
 * One injected event: which typology, and the (file, row) pairs it consists of. An event about an LAO's whole period
 * (fabricated amounts over a fiscal year) also names that period as the detector keys it (`fy-2026`).
 */
export interface WorldLabel {
  typology: string; laoCode: string; payments: { file: string; row: number }[]; note: string; period?: string;
  /** The event is the period as a whole (every purchase of a year of invented amounts): its rows are listed for the record, and only an alert about the period finds it. */
  periodOnly?: true;
}
export interface WorldFile { name: string; laoCode: string; bytes: Uint8Array }
/** Reference files (ktb-formats.md §3), flat with an LAO code column: payees.csv, staff.csv, vouchers.csv, beneficiaries.csv. */
export interface ReferenceFile { name: string; bytes: Uint8Array }
export interface World { registry: LaoRegistryEntry[]; files: WorldFile[]; labels: WorldLabel[]; cleanPayments: number; reference: ReferenceFile[] }

export interface WorldOptions { seed: number; laos?: number; months?: number; startMonth?: string /* YYYY-MM */ }

const PROVINCES = [
  { code: '66', name: 'พิจิตร', districts: ['เมืองพิจิตร', 'ตะพานหิน', 'บางมูลนาก'] },
  { code: '60', name: 'นครสวรรค์', districts: ['ลาดยาว', 'ชุมแสง', 'พยุหะคีรี'] },
  { code: '19', name: 'สระบุรี', districts: ['หนองแซง', 'เสาไห้', 'แก่งคอย'] },
  { code: '80', name: 'นครศรีธรรมราช', districts: ['เมืองนครศรีธรรมราช', 'ทุ่งสง', 'ปากพนัง'] },
] as const;
const SUBDISTRICTS = ['ป่ามะคาบ', 'หนองหัวโพ', 'นาเคียน', 'สร้อยละคร', 'ท่าฬ่อ', 'วังกรด', 'ดงป่าคำ', 'โรงช้าง', 'ไผ่ขวาง', 'คลองคะเชนทร์'] as const;
const VENDOR_CORES = ['สมชาย ก่อสร้าง', 'รุ่งเรืองวัสดุ', 'พิจิตรการโยธา', 'ศรีสุข เครื่องเขียน', 'ทรัพย์ทวี การค้า', 'ชัยมงคล ปิโตรเลียม', 'เจริญผล เกษตรภัณฑ์', 'นครไทย คอมพิวเตอร์', 'สามง่าม ซัพพลาย', 'ตะพานหิน ไฟฟ้า'] as const;
const FIRST = ['สมชาย', 'วิชัย', 'ประเสริฐ', 'สุภาพร', 'มาลี', 'วันเพ็ญ', 'อนุชา', 'กาญจนา', 'ธนากร', 'อรุณี', 'สมศักดิ์', 'บุญเรือน', 'ทองใบ', 'จำเนียร', 'สายสุนีย์', 'ปราณี'] as const;
const LAST = ['ใจดี', 'ทองดี', 'ศรีสวัสดิ์', 'แก้วมณี', 'บุญมา', 'พึ่งทอง', 'มีสุข', 'รักษาวงศ์'] as const;
const LAST_SUFFIX = ['', 'กุล', 'วงศ์', 'ศักดิ์', 'ชัย', 'สกุล', 'พันธ์', 'เจริญ', 'รัตน์', 'ทวี'] as const;
const PAYEE_BANKS = ['002', '004', '006', '006', '006', '014', '025', '030', '034'] as const;
const UTILITIES = [
  { name: 'การไฟฟ้าส่วนภูมิภาค', bank: '006', serviceType: '11', medianBaht: 18_000 },
  { name: 'การประปาส่วนภูมิภาค', bank: '006', serviceType: '12', medianBaht: 6_500 },
  { name: 'บริษัท ทีโอที จำกัด (มหาชน)', bank: '006', serviceType: '10', medianBaht: 2_400 },
] as const;

interface Party { name: string; bank: string; account: string; id: string | null }
interface Lao { entry: LaoRegistryEntry; staff: Party[]; vendors: (Party & { medianBaht: number })[]; utilities: (Party & { serviceType: string; amountBaht: number })[]; elders: (Party & { tierBaht: number })[] }

function account(r: WorldRandom, bank: string): string { return r.digits(bankByCode(bank)?.accountLengths[0] ?? 10, true); }
function citizenId(r: WorldRandom, juristic = false): string { const f = (juristic ? '0' : String(r.int(1, 8))) + r.digits(11, true); return f + thaiIdCheckDigit(f); }
/**
 * A person with a name no one else in the world has: Thai surnames are registered per family, so two people of one
 * sub-district sharing a full name is rare — and a collision would make an insider-by-name match out of chance.
 */
function person(r: WorldRandom): Party {
  const bank = r.pick(PAYEE_BANKS);
  let core: string;
  do core = `${r.pick(FIRST)} ${r.pick(LAST)}${r.pick(LAST_SUFFIX)}`; while (r.usedNames.has(core));
  r.usedNames.add(core);
  return { name: `${r.pick(['นาย', 'นาง', 'นางสาว'] as const)}${core}`, bank, account: account(r, bank), id: citizenId(r) };
}

/** A supplier: a shop, partnership or company, with its usual invoice size (1,000–50,000 baht, log-uniform). */
function vendor(r: WorldRandom): Lao['vendors'][number] {
  const bank = r.pick(PAYEE_BANKS);
  return { name: `${r.pick(['บริษัท ', 'ห้างหุ้นส่วนจำกัด ', 'ร้าน'] as const)}${r.pick(VENDOR_CORES)}${r.chance(0.4) ? ' จำกัด' : ''}`, bank, account: account(r, bank), id: citizenId(r, true), medianBaht: Math.round(10 ** (3 + 1.7 * r.float())) };
}

function makeLao(r: WorldRandom, i: number): Lao {
  const p = PROVINCES[i % PROVINCES.length]!;
  const code = `${p.code}${String(900 + i).padStart(5, '0')}`;
  const sub = SUBDISTRICTS[i % SUBDISTRICTS.length]!;
  const entry: LaoRegistryEntry = {
    laoCode: code, nameTh: `องค์การบริหารส่วนตำบล${sub}${i >= SUBDISTRICTS.length ? ` ${i}` : ''}`, type: 'sao', provinceCode: p.code, provinceNameTh: p.name,
    districtTh: p.districts[i % p.districts.length]!, companyIds: [`GMIS${code.slice(0, 2)}${String(9000 + i).padStart(4, '0')}`], accounts: [`98${r.digits(8, true)}`],
  };
  const vendors = Array.from({ length: r.int(12, 20) }, () => vendor(r));
  return {
    entry,
    staff: Array.from({ length: r.int(8, 20) }, () => person(r)),
    vendors,
    utilities: UTILITIES.map((u) => ({ name: u.name, bank: u.bank, account: account(r, u.bank), id: null, serviceType: u.serviceType, amountBaht: Math.round(u.medianBaht * (0.6 + r.float() * 0.8)) })),
    elders: Array.from({ length: r.int(40, 90) }, () => ({ ...person(r), tierBaht: r.pick([600, 700, 800, 1000] as const) })),
  };
}

/**
 * What sets an LAO apart over the whole run, drawn from a random source of its own so that the rest of the world
 * (and its figures) stays what it was: more purchases a run for a larger LAO (a town municipality buys more than a
 * small SAO: the digit tests need hundreds of amounts a year), a clerk inventing vendor amounts from some month on,
 * and a favoured contractor paid just under the procurement limits month after month.
 */
interface LaoTraits { extraPurchasesPerRun: number; extraVendors: Lao['vendors']; inventsAmountsFrom: number | null; hugsThresholdsFrom: { vendor: number; month: number } | null }
function laoTraits(x: WorldRandom, lao: Lao, months: number): LaoTraits {
  const large = x.chance(0.35);
  return {
    // A larger LAO buys more, and from more suppliers: the same dozen vendors would each be paid every few days.
    extraPurchasesPerRun: large ? x.int(6, 12) : 0,
    extraVendors: large ? Array.from({ length: x.int(12, 24) }, () => vendor(x)) : [],
    inventsAmountsFrom: x.chance(0.2) ? x.int(0, Math.max(0, Math.min(2, months - 1))) : null,
    hugsThresholdsFrom: x.chance(0.2) ? { vendor: x.int(0, lao.vendors.length - 1), month: x.int(1, Math.max(1, Math.min(2, months - 1))) } : null,
  };
}
/**
 * An invented vendor amount, of the vendor's usual size: people making numbers up pick leading digits about evenly,
 * where genuine invoice amounts follow Benford's law (1 leads three times in ten, 9 not one in twenty). Whole baht.
 */
function inventedBaht(x: WorldRandom, medianBaht: number): number {
  const scale = 10 ** Math.max(2, Math.floor(Math.log10(medianBaht)));
  return x.int(1, 9) * scale + x.int(0, scale - 1);
}

const HOLIDAYS = new Set(THAI_HOLIDAYS.map((h) => h.date));
/** LAO offices pay on working days: a weekend or public holiday moves to the next working day. */
function workingDay(date: string): string {
  let d = date;
  for (;;) {
    const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !HOLIDAYS.has(d)) return d;
    d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  }
}

/** Generates the world. */
export function generateWorld(options: WorldOptions): World {
  const r = new WorldRandom(options.seed);
  const laoCount = options.laos ?? 6, months = options.months ?? 6;
  const [y0, m0] = (options.startMonth ?? '2025-10').split('-').map(Number) as [number, number];
  const csvLine = (cells: (string | number | null)[]) => cells.map((c) => { const t = c === null ? '' : String(c); return /[",\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t; }).join(',');
  const refRows = {
    payees: ['LAO Code,Payee Name,Citizen/Tax ID,Bank Code,Account No.,Registered On,Status'],
    staff: ['LAO Code,Name,Citizen ID,Position,Bank Code,Account No.'],
    vouchers: ['LAO Code,Voucher No.,Voucher Date,Payee Name,Payee Bank Code,Payee Account,Amount,Budget Item'],
    beneficiaries: ['LAO Code,Citizen ID,Name,Allowance Type,Monthly Amount,Bank Code,Account No.'],
  };
  const baht = (satang: number) => `${Math.floor(satang / 100)}.${String(satang % 100).padStart(2, '0')}`;
  const laos = Array.from({ length: laoCount }, (_, i) => makeLao(r, i));
  // The traits' own random source: the main one draws exactly what it drew before they existed.
  const x = new WorldRandom((options.seed ^ 0x5bd1e995) >>> 0);
  const traits = laos.map((lao) => laoTraits(x, lao, months));
  // A person on one LAO's elderly-allowance list also paid by another LAO for the same month (registered twice, or
  // an ID card lent out): decided up front, because the first LAO's row is only known once its files are written.
  const paidTwice = new Map<string, { elder: Lao['elders'][number]; registeredIn: string }[]>();
  if (laos.length > 1) for (let j = 0; j < laos.length; j++) for (let m = 1; m < months; m++) {
    if (!x.chance(0.06)) continue;
    const other = laos[(j + x.int(1, laos.length - 1)) % laos.length]!;
    paidTwice.set(`${j}|${m}`, [{ elder: x.pick(other.elders), registeredIn: other.entry.laoCode }]);
  }
  /** Where each ordinary allowance row landed: `${laoCode}|${month}|${citizenId}` → its row. */
  const allowanceRows = new Map<string, { file: string; row: number }>();
  const twiceLabels: { label: WorldLabel; other: string }[] = [];
  const registeredOn = `${y0 - 1}-09-01`;
  for (const [laoIndex, lao] of laos.entries()) {
    const c = lao.entry.laoCode;
    // Everyone the LAO pays by transfer fills in the KTB payee form: vendors, staff, utilities, allowance recipients.
    for (const p of [...lao.vendors, ...lao.staff, ...lao.utilities, ...lao.elders, ...traits[laoIndex]!.extraVendors]) refRows.payees.push(csvLine([c, p.name, p.id, p.bank, p.account, registeredOn, 'active']));
    for (const p of lao.staff) refRows.staff.push(csvLine([c, p.name, p.id, 'พนักงานส่วนตำบล', p.bank, p.account]));
    for (const e of lao.elders) if (e.id) refRows.beneficiaries.push(csvLine([c, e.id, e.name, 'เบี้ยยังชีพผู้สูงอายุ', `${e.tierBaht}.00`, e.bank, e.account]));
  }
  const files: WorldFile[] = [];
  /** The month index of each file, to hand files over in the order they would be uploaded (month by month, all LAOs). */
  const monthOfFile = new Map<WorldFile, number>();
  const labels: WorldLabel[] = [];
  // An event can span two batches of a month (a duplicate paid in the second): labels are found by event key.
  const labelsByKey = new Map<string, WorldLabel>();
  let cleanPayments = 0;
  const beYear = (date: string) => Number(date.slice(0, 4)) + 543;

  for (const [laoIndex, lao] of laos.entries()) {
    const trait = traits[laoIndex]!;
    let batchNo = 0, voucherSeq = 0;
    const voucher = (date: string) => `ฎ${++voucherSeq}/${beYear(date)}`;
    for (let m = 0; m < months; m++) {
      const month = new Date(Date.UTC(y0, m0 - 1 + m, 1)).toISOString().slice(0, 7);
      // Each batch is one file; `lines` keep the injected-event bookkeeping next to the row it lands on.
      const batch = (day: number) => ({ date: workingDay(`${month}-${String(day).padStart(2, '0')}`), lines: [] as { d: KtbBulkDetailSpec; label?: { key: string; typology: string; note: string; period?: string; periodOnly?: true; other?: string }; unlistedVoucher?: boolean; rand?: WorldRandom }[] });
      const line = (p: Party, date: string, serviceType: string, baht: number, extra: Partial<KtbBulkDetailSpec> = {}, rand: WorldRandom = r): KtbBulkDetailSpec => ({
        payeeBankCode: p.bank, payeeAccount: p.account, debitAccount: lao.entry.accounts[0]!, effectiveDate: date, serviceType,
        amountSatang: baht * 100 + (serviceType === '04' && rand.chance(0.5) ? rand.int(1, 99) : 0), payeeName: p.name, payeeId: p.id, voucherNo: serviceType === '04' ? voucher(date) : null, ...extra,
      });
      const salary = batch(25), welfare = batch(10), vendors1 = batch(r.int(2, 9)), vendors2 = batch(r.int(12, 19)), vendors3 = batch(r.int(21, 26)), utilities = batch(r.int(5, 8));
      for (const s of lao.staff) salary.lines.push({ d: line(s, salary.date, '01', r.int(12, 40) * 1000) });
      for (const e of lao.elders) welfare.lines.push({ d: line(e, welfare.date, '59', e.tierBaht, { remark: 'เบี้ยยังชีพผู้สูงอายุ' }) });
      for (const { elder, registeredIn } of paidTwice.get(`${laoIndex}|${m}`) ?? []) {
        // Half the time into the person's own account (registered in both), half into someone else's (a borrowed card).
        const bank = x.pick(PAYEE_BANKS), into = x.chance(0.5) ? { bank: elder.bank, account: elder.account } : { bank, account: account(x, bank) };
        welfare.lines.push({ d: line({ ...elder, ...into }, welfare.date, '59', elder.tierBaht, { remark: 'เบี้ยยังชีพผู้สูงอายุ' }, x), label: { key: `twice-${lao.entry.laoCode}-${month}-${elder.id}`, typology: 'welfare-two-laos', note: `elderly allowance to a citizen ID that LAO ${registeredIn} pays the same month`, other: `${registeredIn}|${month}|${elder.id}` }, rand: x });
      }
      for (const u of lao.utilities) utilities.lines.push({ d: line(u, utilities.date, u.serviceType, u.amountBaht) });
      // From the month a clerk starts inventing amounts, every ordinary purchase of the LAO carries an invented amount.
      const invents = trait.inventsAmountsFrom !== null && m >= trait.inventsAmountsFrom;
      const inventedLabel = { key: `benford-${lao.entry.laoCode}-${fiscalYear(`${month}-01`)}`, typology: 'benford', note: 'vendor amounts invented: leading digits about even', period: `fy-${fiscalYear(`${month}-01`)}`, periodOnly: true as const };
      // `rand` marks lines drawn from the traits' source: whatever else is drawn for them (report times) comes from it too.
      const purchase = (b: ReturnType<typeof batch>, v: Lao['vendors'][number], d: KtbBulkDetailSpec, rand?: WorldRandom) =>
        b.lines.push({ ...(invents ? { d: { ...d, amountSatang: inventedBaht(x, v.medianBaht) * 100 }, label: inventedLabel } : { d }), ...(rand ? { rand } : {}) });
      for (const b of [vendors1, vendors2, vendors3]) for (let k = r.int(5, 12); k > 0; k--) { const v = r.pick(lao.vendors); purchase(b, v, line(v, b.date, '04', r.logNormalBaht(v.medianBaht, 0.8))); }
      for (const b of [vendors1, vendors2, vendors3]) for (let k = trait.extraPurchasesPerRun; k > 0; k--) { const v = x.pick([...lao.vendors, ...trait.extraVendors]); purchase(b, v, line(v, b.date, '04', x.logNormalBaht(v.medianBaht, 0.8), {}, x), x); }
      // A favoured contractor paid just under the 100,000-baht (now and then the 500,000-baht) limit, a few times a month.
      if (trait.hugsThresholdsFrom && m >= trait.hugsThresholdsFrom.month) {
        const v = lao.vendors[trait.hugsThresholdsFrom.vendor]!, fy = fiscalYear(`${month}-01`);
        for (let k = x.int(3, 5); k > 0; k--) {
          const b = x.pick([vendors1, vendors2, vendors3]);
          const amount = x.chance(0.15) ? x.int(450_000, 499_900) : x.int(90_000, 99_900);
          b.lines.push({ d: line(v, b.date, '04', amount, {}, x), label: { key: `near-${lao.entry.laoCode}-${fy}`, typology: 'near-threshold', note: 'one contractor paid just under a procurement limit, month after month', period: `fy-${fy}` }, rand: x });
        }
      }
      // Hard negative: a vendor legitimately paid the same amount twice, on two vouchers.
      if (r.chance(0.3)) { const v = r.pick(lao.vendors); const first = line(v, vendors1.date, '04', r.logNormalBaht(v.medianBaht, 0.3)); vendors1.lines.push({ d: first }); vendors2.lines.push({ d: line(v, vendors2.date, '04', 0, { amountSatang: first.amountSatang }) }); }

      // Injected events, at low rates.
      if (r.chance(0.35)) { // paid twice, no voucher on the second
        const v = r.pick(lao.vendors), first = line(v, vendors1.date, '04', r.logNormalBaht(v.medianBaht, 0.3)), key = `dup-${lao.entry.laoCode}-${month}`;
        vendors1.lines.push({ d: first, label: { key, typology: 'duplicate-payment', note: 'same payee, same amount to the satang, second without voucher' } });
        vendors2.lines.push({ d: line(v, vendors2.date, '04', 0, { amountSatang: first.amountSatang, voucherNo: null }), label: { key, typology: 'duplicate-payment', note: '' } });
      }
      if (r.chance(0.3)) { // a purchase split under the 100,000-baht threshold
        const v = r.pick(lao.vendors), key = `split-${lao.entry.laoCode}-${month}`;
        for (let k = 0; k < 3; k++) vendors1.lines.push({ d: line(v, vendors1.date, '04', r.int(38_000, 49_000)), label: { key, typology: 'split-payment', note: '3 payments under 100,000 baht summing above it' } });
      }
      if (m >= 2 && r.chance(0.2)) { // an inflated wage
        const s = r.pick(lao.staff), key = `outlier-${lao.entry.laoCode}-${month}`;
        salary.lines.push({ d: line(s, salary.date, '01', r.int(600, 2_000) * 1000), label: { key, typology: 'amount-outlier', note: 'wage 20-100x the usual' } });
      }
      if (m >= 1 && r.chance(0.15)) { // a vendor's account paid under someone else's name
        const v = r.pick(lao.vendors), key = `names-${lao.entry.laoCode}-${month}`;
        vendors2.lines.push({ d: line({ ...v, name: person(r).name, id: null }, vendors2.date, '04', r.logNormalBaht(v.medianBaht, 0.3)), label: { key, typology: 'account-many-names', note: 'vendor account, a person\'s name' } });
      }
      if (m >= 1 && r.chance(0.15)) { // many small transfers to one private account
        const p = person(r), key = `siphon-${lao.entry.laoCode}-${month}`;
        for (let k = 0; k < 8; k++) (k % 2 ? vendors2 : vendors1).lines.push({ d: line(p, (k % 2 ? vendors2 : vendors1).date, '04', r.int(2_000, 9_500)), label: { key, typology: 'repeat-siphon', note: '8 transfers in a month to one private account' } });
      }
      if (m >= 3 && r.chance(0.15)) { // a first-time payee receives a large sum
        const bank = r.pick(PAYEE_BANKS), key = `newpayee-${lao.entry.laoCode}-${month}`;
        const p: Party = { name: `บริษัท ${r.pick(VENDOR_CORES)} อินเตอร์ จำกัด`, bank, account: account(r, bank), id: null };
        vendors2.lines.push({ d: line(p, vendors2.date, '04', r.int(420_000, 490_000)), label: { key, typology: 'new-payee-large', note: 'never paid before, above the LAO p95' } });
      }
      if (m >= 1 && r.chance(0.15)) { // a contractor's payment sent to an account nobody registered (a swapped account)
        const v = r.pick(lao.vendors), key = `swap-${lao.entry.laoCode}-${month}`;
        vendors3.lines.push({ d: line({ ...v, account: account(r, v.bank) }, vendors3.date, '04', r.logNormalBaht(v.medianBaht, 0.3)), label: { key, typology: 'payee-not-registered', note: 'vendor name, unregistered account' } });
      }
      if (m >= 1 && r.chance(0.15)) { // a purchase paid into a staff member's own account
        const st = r.pick(lao.staff), v = r.pick(lao.vendors), key = `staff-${lao.entry.laoCode}-${month}`;
        vendors3.lines.push({ d: line({ ...st, name: v.name, id: null }, vendors3.date, '04', r.logNormalBaht(v.medianBaht, 0.3)), label: { key, typology: 'staff-account', note: 'goods payment to a staff account' } });
      }
      if (m >= 1 && r.chance(0.15)) { // a payment whose voucher number is in no approved voucher
        const v = r.pick(lao.vendors), key = `novoucher-${lao.entry.laoCode}-${month}`;
        vendors3.lines.push({ d: line(v, vendors3.date, '04', r.logNormalBaht(v.medianBaht, 0.3), { voucherNo: `ฎ${r.int(5000, 9999)}/${beYear(vendors3.date)}` }), unlistedVoucher: true, label: { key, typology: 'no-voucher', note: 'voucher not approved' } });
      }
      if (m >= 1 && r.chance(0.15)) { // an allowance at an amount no tier has
        const e = r.pick(lao.elders), key = `welfare-${lao.entry.laoCode}-${month}`;
        welfare.lines.push({ d: line({ ...e, account: account(r, e.bank) }, welfare.date, '59', 650, { remark: 'เบี้ยยังชีพผู้สูงอายุ' }), label: { key, typology: 'welfare-anomaly', note: '650 baht is no elderly allowance tier' } });
      }
      const surge = m >= 4 && r.chance(0.12) ? batch(28) : null; // a day of outflow far above the LAO's rhythm
      if (surge) {
        const key = `surge-${lao.entry.laoCode}-${month}`;
        // Where the clerk invents amounts, the surge's amounts are invented too.
        const amountOf = (d: KtbBulkDetailSpec, v: Lao['vendors'][number]): KtbBulkDetailSpec => (invents ? { ...d, amountSatang: inventedBaht(x, v.medianBaht) * 100 } : d);
        for (let k = 0; k < 80; k++) { const v = r.pick(lao.vendors); surge.lines.push({ d: amountOf(line(v, surge.date, '04', r.logNormalBaht(v.medianBaht, 0.4)), v), label: { key, typology: 'velocity-spike', note: 'about nine runs\' worth of payments in one day' } }); }
        // A surge is relative to the LAO's rhythm: a larger LAO's is larger in proportion (about nine runs' worth).
        for (let k = 9 * trait.extraPurchasesPerRun; k > 0; k--) { const v = x.pick([...lao.vendors, ...trait.extraVendors]); surge.lines.push({ d: amountOf(line(v, surge.date, '04', x.logNormalBaht(v.medianBaht, 0.4), {}, x), v), label: { key, typology: 'velocity-spike', note: '' }, rand: x }); }
      }
      const padded = r.chance(0.15) ? vendors2 : null; // header total differs from the details
      for (const [i, b] of [salary, welfare, vendors1, vendors2, vendors3, utilities, ...(surge ? [surge] : [])].entries()) {
        if (b.lines.length === 0) continue;
        const name = `bulk-${lao.entry.laoCode}-${month}-${i + 1}.txt`;
        const details = b.lines.map((l) => l.d);
        const total = details.reduce((s, d) => s + d.amountSatang, 0);
        const spec: KtbBulkSpec = {
          header: { batchNo: String(++batchNo).padStart(6, '0'), effectiveDate: b.date, companyId: lao.entry.companyIds[0]!, userId: 'MAKER01', ...(b === padded ? { totalSatang: total + r.int(1, 50) * 100_000 } : {}) },
          details,
        };
        const file = { name, laoCode: lao.entry.laoCode, bytes: renderKtbBulk(spec, { encoding: r.chance(0.5) ? 'windows-874' : 'utf-8', eol: '\r\n', beYears: r.chance(0.3) }) };
        files.push(file);
        monthOfFile.set(file, m);
        for (const l of b.lines) {
          if (l.d.voucherNo && !l.unlistedVoucher) refRows.vouchers.push(csvLine([lao.entry.laoCode, l.d.voucherNo, b.date, l.d.payeeName, l.d.payeeBankCode, l.d.payeeAccount, baht(l.d.amountSatang), 'ค่าวัสดุ']));
        }
        b.lines.forEach((l, idx) => {
          if (b === welfare && !l.label && l.d.payeeId) allowanceRows.set(`${lao.entry.laoCode}|${month}|${l.d.payeeId}`, { file: name, row: idx + 2 });
          if (!l.label) { cleanPayments++; return; }
          let label = labelsByKey.get(l.label.key);
          if (!label) { label = { typology: l.label.typology, laoCode: lao.entry.laoCode, payments: [], note: l.label.note, ...(l.label.period ? { period: l.label.period } : {}), ...(l.label.periodOnly ? { periodOnly: true as const } : {}) }; labelsByKey.set(l.label.key, label); labels.push(label); if (l.label.other) twiceLabels.push({ label, other: l.label.other }); }
          label.payments.push({ file: name, row: idx + 2 }); // row 1 is the header line
        });
        if (b === padded) labels.push({ typology: 'batch-padded', laoCode: lao.entry.laoCode, payments: [{ file: name, row: 1 }], note: 'header total above the detail lines' });
      }
      // The bank's transfer report for the month's second vendor run: what was actually executed, with times,
      // maker and authorizer — where night transfers and self-approval show (bulk files carry neither).
      const executed = recordsOfSpec({ header: { batchNo: '000000', effectiveDate: vendors2.date, companyId: lao.entry.companyIds[0]!, userId: 'MAKER01' }, details: vendors2.lines.map((l) => l.d) }, lao.entry.laoCode);
      const at = (date: string, hh: number, mm: number) => new Date(Date.parse(`${date}T00:00:00Z`) + ((hh - 7) * 60 + mm) * 60_000).toISOString();
      // `sameTransferAs`: the event whose bulk line this report line executes — the same transfer, so the same event.
      const report: { r: PaymentRecord; label?: { typology: string; note: string }; sameTransferAs?: string }[] = executed.map((rec, k) => {
        const rand = vendors2.lines[k]!.rand ?? r, hh = rand.int(9, 15), mm = rand.int(0, 59);
        return { r: { ...rec, sourceFormat: 'ktb-report', status: 'success', executedAt: at(rec.effectiveDate, hh, mm), approvedAt: at(rec.effectiveDate, hh - 1, mm), makerId: 'MAKER01', authorizerId: 'AUTH01', bankReference: `R${month.replace('-', '')}${String(k + 1).padStart(5, '0')}`, batchNo: null }, ...(vendors2.lines[k]!.label ? { sameTransferAs: vendors2.lines[k]!.label!.key } : {}) };
      });
      if (m >= 1 && r.chance(0.2)) { // a transfer at night to a private account
        const p = person(r);
        const [rec] = recordsOfSpec({ header: { batchNo: '000000', effectiveDate: vendors2.date, companyId: lao.entry.companyIds[0]!, userId: 'MAKER01' }, details: [line(p, vendors2.date, '04', r.int(20_000, 90_000))] }, lao.entry.laoCode);
        report.push({ r: { ...rec!, sourceFormat: 'ktb-report', status: 'success', executedAt: at(vendors2.date, r.int(1, 4), r.int(0, 59)), approvedAt: at(vendors2.date, 0, r.int(0, 30)), makerId: 'MAKER01', authorizerId: 'AUTH01', bankReference: `N${month.replace('-', '')}`, batchNo: null }, label: { typology: 'off-hours', note: 'executed between 01:00 and 05:00 Bangkok' } });
      }
      if (m >= 1 && report.length > 0 && r.chance(0.2)) { // the maker approved their own transfer
        const k = r.int(0, report.length - 1);
        if (!report[k]!.label) report[k] = { ...report[k]!, r: { ...report[k]!.r, authorizerId: report[k]!.r.makerId }, label: { typology: 'self-approval', note: 'maker = authorizer' } };
      }
      if (report.length > 0) {
        const name = `report-${lao.entry.laoCode}-${month}.csv`;
        const file = { name, laoCode: lao.entry.laoCode, bytes: renderKtbReportCsv(report.map((x) => x.r), { encoding: r.chance(0.5) ? 'windows-874' : 'utf-8', thaiHeaders: r.chance(0.7), beYears: r.chance(0.7) }) };
        files.push(file);
        monthOfFile.set(file, m);
        report.forEach((x, k) => {
          if (x.label) labels.push({ typology: x.label.typology, laoCode: lao.entry.laoCode, payments: [{ file: name, row: k + 2 }], note: x.label.note });
          if (x.sameTransferAs) labelsByKey.get(x.sameTransferAs)!.payments.push({ file: name, row: k + 2 });
          if (!x.label && !x.sameTransferAs) cleanPayments++;
        });
      }
    }
  }
  // The other LAO's ordinary allowance row is the event's other half: no longer a clean payment.
  for (const { label, other } of twiceLabels) {
    const row = allowanceRows.get(other);
    if (row) { label.payments.push(row); cleanPayments--; }
  }
  const reference = (Object.entries(refRows) as [string, string[]][]).map(([kind, rows]) => ({ name: `${kind}.csv`, bytes: new TextEncoder().encode(rows.join('\n') + '\n') }));
  // Upload order: month by month across LAOs (a stable sort keeps each LAO's files of a month in their order). Each
  // LAO's own files keep their order either way; what changes is what a cross-LAO stage sees first.
  files.sort((a, b) => monthOfFile.get(a)! - monthOfFile.get(b)!);
  return { registry: laos.map((l) => l.entry), files, labels, cleanPayments, reference };
}
