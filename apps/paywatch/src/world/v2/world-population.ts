/**
 * Who is in the harder world: LAOs of every type in real provinces (a PAO, now and then a city, towns, sub-district
 * municipalities and many SAOs in each, so every LAO has peers of its type), sized so that a PAO or a city pays far
 * more than a small SAO; each with staff, allowance recipients, utilities and suppliers of very different habits
 * (a fuel station paid every week or two, a contractor once or twice a year), and its own way of working.
 */
import { addDays, bankByCode, normaliseAccount, thaiIdCheckDigit, type LaoRegistryEntry } from '@paywatch/domain';
import type { TextEncoding } from '@paywatch/ktb-formats';
import type { WorldRandom } from '../world-random.ts';
import { addMonths } from './world-calendar.ts';
import { businessName, personName, type BusinessName, type NamedCategory } from './thai-names.ts';
import { PROVINCES, SUBDISTRICTS, type Province } from './thai-places.ts';
import type { Beneficiary, Lao, LaoStyle, LaoType, Party, Staff, UtilityLine, Vendor, VendorCategory } from './world-types.ts';

/** What the population depends on. */
export interface PopulationOptions { laos: number; scale: number; firstMonth: string; lastMonth: string }

/** Everyone, and the parties several LAOs pay (utilities, regional suppliers). */
export interface Population { laos: Lao[]; used: Set<string>; nextKey: () => string }

const PERSON_BANKS = ['006', '006', '006', '006', '006', '006', '030', '030', '030', '034', '034', '034', '004', '004', '014', '002', '025', '011', '033', '069'] as const;
const VENDOR_BANKS = ['006', '006', '006', '004', '004', '004', '014', '014', '002', '002', '025', '011', '030', '034', '067', '069', '022'] as const;

/** An account as the bank issues it, whose bulk-file form (11 digits at most) reads back to the same key. */
export function accountFor(r: WorldRandom, bank: string): string {
  const length = bankByCode(bank)?.accountLengths[0] ?? 10;
  for (;;) {
    const account = r.digits(length, true);
    const short = normaliseAccount(bank, account);
    if (short.length <= 11 && normaliseAccount(bank, short.padStart(11, '0')) === short) return account;
  }
}

/** A 13-digit ID with a valid check digit: people born before 1984 start with 3, juristic persons with 0. */
export function thaiId(r: WorldRandom, first: '0' | '1' | '3' | '5'): string {
  const twelve = (first === '0' ? '0105' + r.digits(8) : first + r.digits(11));
  return twelve + thaiIdCheckDigit(twelve);
}

/** The same 12 digits with a check digit that is wrong: an invented person's ID. */
export function badCheckDigitId(r: WorldRandom): string {
  const twelve = '3' + r.digits(11);
  const right = thaiIdCheckDigit(twelve);
  return twelve + String((right + r.int(1, 9)) % 10);
}

/** Per type: staff, elderly, suppliers, hired workers, supplier runs a month, and the size factor for amounts. */
const TYPE_SIZES: Record<Exclude<LaoType, 'special'>, { staff: [number, number]; elderly: [number, number]; vendors: [number, number]; hired: [number, number]; runs: [number, number]; size: [number, number]; digit: string }> = {
  pao: { staff: [120, 260], elderly: [0, 0], vendors: [50, 90], hired: [8, 20], runs: [8, 12], size: [6, 10], digit: '1' },
  'city-municipality': { staff: [220, 400], elderly: [280, 600], vendors: [80, 130], hired: [15, 30], runs: [10, 15], size: [10, 16], digit: '2' },
  'town-municipality': { staff: [60, 140], elderly: [140, 320], vendors: [35, 65], hired: [6, 14], runs: [6, 9], size: [4, 8], digit: '3' },
  'subdistrict-municipality': { staff: [22, 50], elderly: [60, 170], vendors: [18, 32], hired: [2, 6], runs: [3, 5], size: [1.8, 3.5], digit: '4' },
  sao: { staff: [10, 28], elderly: [30, 100], vendors: [9, 20], hired: [1, 4], runs: [2, 4], size: [0.6, 1.6], digit: '5' },
};

/** Supplier kinds: how often a year, typical amount for a small SAO (baht), spread, and how many an LAO has (weight). */
const CATEGORIES: Record<Exclude<VendorCategory, 'hired'>, { perYear: [number, number]; median: [number, number]; sigma: number; weight: number; regular?: true; fixed?: true }> = {
  fuel: { perYear: [12, 30], median: [6_000, 30_000], sigma: 0.35, weight: 1.2, regular: true },
  office: { perYear: [3, 10], median: [2_000, 15_000], sigma: 0.6, weight: 3 },
  materials: { perYear: [2, 8], median: [8_000, 60_000], sigma: 0.6, weight: 3 },
  contractor: { perYear: [1, 3], median: [150_000, 1_200_000], sigma: 0.45, weight: 3 },
  milk: { perYear: [10, 12], median: [40_000, 250_000], sigma: 0.2, weight: 0.6, regular: true },
  it: { perYear: [1, 3], median: [15_000, 90_000], sigma: 0.5, weight: 1 },
  repair: { perYear: [2, 8], median: [3_000, 40_000], sigma: 0.6, weight: 2 },
  catering: { perYear: [3, 10], median: [1_500, 15_000], sigma: 0.5, weight: 2 },
  waste: { perYear: [12, 12], median: [30_000, 250_000], sigma: 0, weight: 0.3, regular: true, fixed: true },
  printing: { perYear: [1, 5], median: [1_000, 12_000], sigma: 0.5, weight: 1 },
  casual: { perYear: [1, 4], median: [2_000, 9_000], sigma: 0.4, weight: 1.5 },
};
const CATEGORY_LIST = Object.keys(CATEGORIES) as Exclude<VendorCategory, 'hired'>[];

const POSITIONS_OFFICIAL = ['ปลัด', 'รองปลัด', 'ผู้อำนวยการกองคลัง', 'ผู้อำนวยการกองช่าง', 'นักวิชาการเงินและบัญชี', 'เจ้าพนักงานการเงินและบัญชี', 'นักจัดการงานทั่วไป', 'นายช่างโยธา', 'นักวิเคราะห์นโยบายและแผน', 'นักวิชาการพัสดุ', 'ครู'] as const;
const POSITIONS_EMPLOYEE = ['พนักงานจ้างทั่วไป', 'พนักงานขับรถยนต์', 'ผู้ช่วยเจ้าพนักงานธุรการ', 'ผู้ช่วยนายช่างโยธา', 'ผู้ดูแลเด็ก', 'คนงานทั่วไป'] as const;
const POSITIONS_ELECTED = ['นายก', 'รองนายก', 'เลขานุการนายก', 'ประธานสภา', 'สมาชิกสภา'] as const;

const typeName = (type: LaoType, p: Province, district: string, tambon: string): string => ({
  pao: `องค์การบริหารส่วนจังหวัด${p.nameTh}`,
  'city-municipality': `เทศบาลนคร${p.city ?? p.nameTh}`,
  'town-municipality': `เทศบาลเมือง${district.replace(/^เมือง/, '')}`,
  'subdistrict-municipality': `เทศบาลตำบล${tambon}`,
  sao: `องค์การบริหารส่วนตำบล${tambon}`,
  special: `เมือง${tambon}`,
})[type];

/** The LAO types of a province with `n` LAOs: one PAO, a city where there is one, towns, then municipalities and SAOs. */
function typesOf(n: number, p: Province, cityAllowed: boolean): LaoType[] {
  const out: LaoType[] = [];
  if (n >= 4) out.push('pao');
  if (cityAllowed && p.city && n >= 12) out.push('city-municipality');
  for (let k = n >= 10 ? 2 : n >= 6 ? 1 : 0; k > 0; k--) out.push('town-municipality');
  const rest = n - out.length;
  const muni = Math.round(rest * 0.28);
  for (let k = 0; k < rest; k++) out.push(k < muni ? 'subdistrict-municipality' : 'sao');
  return out;
}

const range = (r: WorldRandom, [lo, hi]: readonly [number, number], scale = 1): number => Math.max(lo === 0 && hi === 0 ? 0 : 1, Math.round(r.int(lo, hi) * scale));
const encodingOf = (r: WorldRandom): TextEncoding => r.pick(['utf-8', 'utf-8', 'windows-874', 'windows-874', 'utf-8-bom'] as const);

function styleOf(r: WorldRandom, type: LaoType, code: string): LaoStyle {
  const uploads = r.pick(['bulk', 'bulk', 'bulk', 'bulk', 'bulk+report', 'bulk+report', 'bulk+report', 'report', 'report'] as const);
  const s = TYPE_SIZES[type as keyof typeof TYPE_SIZES];
  const userStyle = r.int(0, 2);
  const user = (role: 'M' | 'A', n: number) => [`${role === 'M' ? 'MAKER' : 'AUTH'}${String(n).padStart(2, '0')}`, `${code.slice(-4)}${role}${n}`, `${role === 'M' ? 'fin' : 'apv'}.${code.slice(1, 3)}${n}`][userStyle]!;
  return {
    uploads,
    reportXlsx: r.chance(uploads === 'report' ? 0.5 : 0.2),
    report: { encoding: encodingOf(r), delimiter: r.pick([',', ',', ',', ';', '\t'] as const), thaiHeaders: r.chance(0.65), beYears: r.chance(0.75), splitDateTime: r.chance(0.3), preamble: r.chance(0.3) },
    bulk: { encoding: r.pick(['windows-874', 'windows-874', 'utf-8', 'utf-8-bom'] as const), eol: r.chance(0.8) ? '\r\n' : '\n', trimTrailing: r.chance(0.2), beYears: r.chance(0.35) },
    welfareServiceType: r.chance(0.6) ? '59' : '01',
    welfareRemark: r.int(0, 6),
    salaryRemark: r.int(0, 3),
    vendorRemark: r.int(0, 3),
    writesIdsOnAllowances: r.chance(0.6),
    writesVoucherRefs: r.chance(0.85),
    voucherFormat: r.int(0, 3),
    directServiceTypes: r.chance(0.5),
    nameVariant: r.int(0, 4),
    personVariant: r.chance(0.8) ? 0 : 1,
    makers: Array.from({ length: r.int(1, type === 'sao' ? 2 : 3) }, (_, i) => user('M', i + 1)),
    authorizers: Array.from({ length: r.int(1, 2) }, (_, i) => user('A', i + 1)),
    salaryDay: r.pick([24, 25, 25, 26, 27, 28] as const),
    allowanceDay: r.int(1, 10),
    utilityDay: r.int(5, 20),
    vendorRuns: r.int(s.runs[0], s.runs[1]),
    lists: { payees: r.chance(0.85), staff: r.chance(0.8), vouchers: r.chance(0.72), beneficiaries: type !== 'pao' && r.chance(0.8) },
    referenceFile: { xlsx: r.chance(0.25), thaiHeaders: r.chance(0.6), thaiDates: r.chance(0.55), encoding: encodingOf(r), laoColumn: r.chance(0.5), indexColumn: r.chance(0.3), nameVariant: r.int(0, 4) },
  };
}

/** A date `minDays`–`maxDays` before `month`'s first day: when someone filled in the KTB payee form. */
const registeredBefore = (r: WorldRandom, month: string, minDays: number, maxDays: number): string => addDays(`${month}-01`, -r.int(minDays, maxDays));

/** Builds the population. */
export function buildPopulation(r: WorldRandom, o: PopulationOptions): Population {
  let keySeq = 0;
  const nextKey = () => `p${++keySeq}`;
  const used = new Set<string>();
  const person = (bank?: string, elderly = false): Party => {
    const b = bank ?? r.pick(PERSON_BANKS);
    return { key: nextKey(), name: { form: 'person', ...personName(r, used, elderly) }, bank: b, account: accountFor(r, b), id: thaiId(r, elderly || r.chance(0.6) ? '3' : '1') };
  };
  const provinceCount = Math.min(PROVINCES.length, Math.max(1, Math.round(o.laos / 15)));
  const laos: Lao[] = [];
  let cities = 0;
  for (let p = 0; p < provinceCount; p++) {
    const province = PROVINCES[p]!;
    const n = Math.floor(o.laos / provinceCount) + (p < o.laos % provinceCount ? 1 : 0);
    const types = typesOf(n, province, cities < Math.ceil(provinceCount / 3));
    if (types.includes('city-municipality')) cities++;
    const tambons = [...SUBDISTRICTS].sort(() => r.float() - 0.5);
    // The province's utilities (one PEA and one PWA collecting account per province) and national telecoms.
    const agency = (core: string, form: BusinessName['form'] = 'agency'): Party => ({ key: nextKey(), name: { form, core }, bank: '006', account: accountFor(r, '006'), id: null });
    const pea = agency('การไฟฟ้าส่วนภูมิภาค'), pwa = agency('การประปาส่วนภูมิภาค'), nt = agency('โทรคมนาคมแห่งชาติ', 'plc');
    const regional: Vendor[] = [];
    const flatReference = r.chance(0.25);
    let seqInProvince = 0;
    for (const [t, type] of types.entries()) {
      const s = TYPE_SIZES[type as keyof typeof TYPE_SIZES];
      const districtIdx = type === 'pao' || type === 'city-municipality' ? 0 : r.int(0, province.districts.length - 1);
      const district = province.districts[districtIdx]!;
      const tambon = tambons[t % tambons.length]! + (t >= tambons.length ? ` ${t}` : '');
      const code = `${s.digit}${province.code}${String(districtIdx + 1).padStart(2, '0')}${String(++seqInProvince).padStart(2, '0')}`;
      const entry: LaoRegistryEntry = {
        laoCode: code, nameTh: typeName(type, province, district, tambon), type, provinceCode: province.code, provinceNameTh: province.nameTh, districtTh: district,
        companyIds: [`GMIS${province.code}${String(1000 + laos.length).padStart(4, '0')}`],
        accounts: Array.from({ length: r.chance(0.3) ? 2 : 1 }, () => accountFor(r, '006')),
      };
      const size = s.size[0] + r.float() * (s.size[1] - s.size[0]);
      const style = styleOf(r, type, code);
      if (flatReference) style.referenceFile.laoColumn = true;
      const amountScale = Math.sqrt(size);
      const staff: Staff[] = [];
      const staffCount = range(r, s.staff, o.scale);
      for (let k = 0; k < staffCount; k++) {
        const elected = k < Math.max(3, Math.round(staffCount * 0.12)), official = !elected && r.chance(0.4);
        const position = elected ? POSITIONS_ELECTED[Math.min(k, POSITIONS_ELECTED.length - 1)]! : official ? r.pick(POSITIONS_OFFICIAL) : r.pick(POSITIONS_EMPLOYEE);
        const salaryBaht = elected ? r.int(7, 30) * 1_000 + r.pick([0, 120, 400, 720]) : official ? r.int(150, 650) * 100 + r.pick([0, 10, 50, 90]) * 10 : r.int(90, 200) * 100;
        const joins = r.chance(0.03) ? addMonths(o.firstMonth, r.int(1, 9)) : o.firstMonth;
        const leaves = r.chance(0.02) ? addMonths(o.firstMonth, r.int(1, 9)) : null;
        staff.push({ ...person(), position, salaryBaht, startMonth: joins, endMonth: leaves && leaves > joins ? leaves : null });
      }
      const beneficiaries: Beneficiary[] = [];
      const elderlyCount = range(r, s.elderly, o.scale);
      for (let k = 0; k < elderlyCount * 1.15; k++) {
        const elderly = k < elderlyCount, roll = r.float();
        const allowance: Beneficiary['allowance'] = elderly ? 'elderly' : style.lists.beneficiaries && r.chance(0.06) ? 'aids' : 'disability';
        const monthlyBaht = allowance === 'aids' ? 500 : allowance === 'disability' ? (r.chance(0.08) ? 1_000 : 800) : roll < 0.45 ? 600 : roll < 0.75 ? 700 : roll < 0.93 ? 800 : 1_000;
        const newcomer = r.chance(0.06);
        beneficiaries.push({
          ...person(undefined, elderly), allowance, monthlyBaht,
          startMonth: newcomer ? addMonths(o.firstMonth, r.int(1, 10)) : o.firstMonth, endMonth: r.chance(0.03) ? addMonths(o.firstMonth, r.int(1, 10)) : null,
          backpayMonths: newcomer ? r.pick([1, 1, 2, 2, 3] as const) : 1,
        });
      }
      const vendors: Vendor[] = [];
      const vendorOf = (category: VendorCategory, medianBaht: number, sigma: number, perYear: number, regular: boolean): Vendor => {
        // Hired workers and casual labourers are people, paid under their own names; the rest are shops and firms.
        const base = category === 'hired' || category === 'casual' ? person(r.pick(PERSON_BANKS)) : null;
        const named = base ? null : businessName(r, used, category as NamedCategory, r.chance(0.5) ? tambon : district.replace(/^เมือง/, ''));
        const name: BusinessName = base ? base.name : named!;
        const bank = base?.bank ?? r.pick(VENDOR_BANKS);
        const juristic = name.form === 'company' || name.form === 'partnership' || name.form === 'coop';
        return {
          key: base?.key ?? nextKey(), name, bank, account: base?.account ?? accountFor(r, bank), id: base?.id ?? (juristic ? thaiId(r, '0') : r.chance(0.7) ? thaiId(r, '3') : null),
          category, medianBaht, sigma, perYear, regular,
          withholding: juristic ? r.pick([0, 0.01, 0.01, 0.03]) : r.pick([0, 0, 0.01]),
          registeredOn: registeredBefore(r, o.firstMonth, 30, 365 * 8),
        };
      };
      const vendorCount = range(r, s.vendors, o.scale);
      const totalWeight = CATEGORY_LIST.reduce((a, c) => a + CATEGORIES[c].weight, 0);
      for (let k = 0; k < vendorCount; k++) {
        let roll = r.float() * totalWeight, category = CATEGORY_LIST[0]!;
        for (const c of CATEGORY_LIST) { roll -= CATEGORIES[c].weight; if (roll < 0) { category = c; break; } }
        if (type === 'pao' && category === 'milk') category = 'materials';
        const c = CATEGORIES[category];
        // Larger LAOs buy bigger: a city's or PAO's works contracts run to millions, an SAO's to hundreds of thousands.
        const median = Math.exp(Math.log(c.median[0]) + r.float() * (Math.log(c.median[1]) - Math.log(c.median[0]))) * size ** 0.65 * (category === 'contractor' && type === 'pao' ? 2 : 1);
        const perYear = c.perYear[0] + r.float() * (c.perYear[1] - c.perYear[0]);
        vendors.push(vendorOf(category, Math.round(median / 10) * 10, c.sigma, perYear, c.regular === true));
      }
      for (let k = range(r, s.hired, o.scale); k > 0; k--) vendors.push(vendorOf('hired', r.pick([9_000, 9_400, 10_000, 11_000, 12_000, 15_000]), 0, 12, true));
      // A regional supplier serves several LAOs of the province from one account, under one name.
      if (regional.length > 0 && r.chance(0.5)) vendors.push({ ...r.pick(regional), registeredOn: registeredBefore(r, o.firstMonth, 60, 365 * 5) });
      if (r.chance(0.25)) regional.push({ ...vendors[r.int(0, vendors.length - 1)]!, regional: true });
      const utilities: UtilityLine[] = [];
      const meters = type === 'pao' ? r.int(4, 8) : type === 'city-municipality' ? r.int(6, 12) : type === 'town-municipality' ? r.int(3, 6) : type === 'subdistrict-municipality' ? r.int(2, 4) : r.int(1, 3);
      for (let k = 0; k < meters; k++) utilities.push({ party: pea, serviceType: '11', baseBaht: Math.round(r.int(2_000, 40_000) * amountScale ** 0.7), fixed: false });
      if (r.chance(0.6)) for (let k = r.int(1, 2); k > 0; k--) utilities.push({ party: pwa, serviceType: '12', baseBaht: Math.round(r.int(800, 15_000) * amountScale ** 0.5), fixed: false });
      utilities.push({ party: nt, serviceType: '10', baseBaht: r.pick([590, 799, 1_200, 2_500]), fixed: true });
      const dormant = Array.from({ length: r.int(1, 4) }, () => vendorOf(r.pick(['contractor', 'materials', 'office'] as const), 20_000, 0.5, 0, false));
      laos.push({ idx: laos.length, entry, type, province, district, size, style, staff, vendors, beneficiaries, utilities, dormant, flatReference });
    }
  }
  return { laos, used, nextKey };
}
