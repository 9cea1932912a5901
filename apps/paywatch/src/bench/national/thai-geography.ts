/**
 * The country the national benchmark generates: the 76 provinces and Bangkok with their real numbers of districts
 * (878 อำเภอ and Bangkok's 50 เขต), and the real mix of about 7,850 LAOs (76 provincial administrative
 * organisations, Bangkok and Pattaya, 30 city, 195 town and 2,247 sub-district municipalities, 5,300 SAOs).
 * Province codes are the Interior Ministry's two-digit codes.
 */
import type { LaoRegistryEntry } from '@paywatch/domain';

/** A province: its code, its name and how many districts it has. */
export interface Province { code: string; nameTh: string; districts: number }

/** Every province and Bangkok (77), with its number of districts. */
export const PROVINCES: readonly Province[] = ([
  ['10', 'กรุงเทพมหานคร', 50], ['11', 'สมุทรปราการ', 6], ['12', 'นนทบุรี', 6], ['13', 'ปทุมธานี', 7], ['14', 'พระนครศรีอยุธยา', 16],
  ['15', 'อ่างทอง', 7], ['16', 'ลพบุรี', 11], ['17', 'สิงห์บุรี', 6], ['18', 'ชัยนาท', 8], ['19', 'สระบุรี', 13], ['20', 'ชลบุรี', 11],
  ['21', 'ระยอง', 8], ['22', 'จันทบุรี', 10], ['23', 'ตราด', 7], ['24', 'ฉะเชิงเทรา', 11], ['25', 'ปราจีนบุรี', 7], ['26', 'นครนายก', 4],
  ['27', 'สระแก้ว', 9], ['30', 'นครราชสีมา', 32], ['31', 'บุรีรัมย์', 23], ['32', 'สุรินทร์', 17], ['33', 'ศรีสะเกษ', 22],
  ['34', 'อุบลราชธานี', 25], ['35', 'ยโสธร', 9], ['36', 'ชัยภูมิ', 16], ['37', 'อำนาจเจริญ', 7], ['38', 'บึงกาฬ', 8],
  ['39', 'หนองบัวลำภู', 6], ['40', 'ขอนแก่น', 26], ['41', 'อุดรธานี', 20], ['42', 'เลย', 14], ['43', 'หนองคาย', 9],
  ['44', 'มหาสารคาม', 13], ['45', 'ร้อยเอ็ด', 20], ['46', 'กาฬสินธุ์', 18], ['47', 'สกลนคร', 18], ['48', 'นครพนม', 12],
  ['49', 'มุกดาหาร', 7], ['50', 'เชียงใหม่', 25], ['51', 'ลำพูน', 8], ['52', 'ลำปาง', 13], ['53', 'อุตรดิตถ์', 9], ['54', 'แพร่', 8],
  ['55', 'น่าน', 15], ['56', 'พะเยา', 9], ['57', 'เชียงราย', 18], ['58', 'แม่ฮ่องสอน', 7], ['60', 'นครสวรรค์', 15],
  ['61', 'อุทัยธานี', 8], ['62', 'กำแพงเพชร', 11], ['63', 'ตาก', 9], ['64', 'สุโขทัย', 9], ['65', 'พิษณุโลก', 9], ['66', 'พิจิตร', 12],
  ['67', 'เพชรบูรณ์', 11], ['70', 'ราชบุรี', 10], ['71', 'กาญจนบุรี', 13], ['72', 'สุพรรณบุรี', 10], ['73', 'นครปฐม', 7],
  ['74', 'สมุทรสาคร', 3], ['75', 'สมุทรสงคราม', 3], ['76', 'เพชรบุรี', 8], ['77', 'ประจวบคีรีขันธ์', 8],
  ['80', 'นครศรีธรรมราช', 23], ['81', 'กระบี่', 8], ['82', 'พังงา', 8], ['83', 'ภูเก็ต', 3], ['84', 'สุราษฎร์ธานี', 19], ['85', 'ระนอง', 5],
  ['86', 'ชุมพร', 8], ['90', 'สงขลา', 16], ['91', 'สตูล', 7], ['92', 'ตรัง', 10], ['93', 'พัทลุง', 11], ['94', 'ปัตตานี', 12],
  ['95', 'ยะลา', 8], ['96', 'นราธิวาส', 13],
] as const).map(([code, nameTh, districts]) => ({ code, nameTh, districts }));

/** LAOs of the country by type; the municipalities and SAOs are spread over the districts outside Bangkok. */
export const LAO_TYPE_COUNTS = { pao: 76, special: 2, 'city-municipality': 30, 'town-municipality': 195, 'subdistrict-municipality': 2_247, sao: 5_300 } as const;
/** 7,850. */
export const NATIONAL_LAO_COUNT = Object.values(LAO_TYPE_COUNTS).reduce((s, n) => s + n, 0);

/** One generated LAO: its registry entry and how large it is (relative welfare and ordinary payment volumes). */
export interface NationalLao { entry: LaoRegistryEntry; district: number; welfareWeight: number; ordinaryWeight: number }

const TYPE_NAME: Record<LaoRegistryEntry['type'], string> = {
  pao: 'องค์การบริหารส่วนจังหวัด', special: '', 'city-municipality': 'เทศบาลนคร', 'town-municipality': 'เทศบาลเมือง',
  'subdistrict-municipality': 'เทศบาลตำบล', sao: 'องค์การบริหารส่วนตำบล',
};
// Beneficiaries and ordinary payments of an LAO relative to an SAO's. PAOs pay no allowances (the municipalities and
// SAOs do); Bangkok pays a million elders.
const WELFARE_WEIGHT: Record<LaoRegistryEntry['type'], number> = { pao: 0, special: 150, 'city-municipality': 12, 'town-municipality': 5, 'subdistrict-municipality': 1.6, sao: 1 };
const ORDINARY_WEIGHT: Record<LaoRegistryEntry['type'], number> = { pao: 8, special: 60, 'city-municipality': 10, 'town-municipality': 4, 'subdistrict-municipality': 1.4, sao: 1 };

/**
 * The national registry, or a proportional sample of `count` LAOs of it (every type and province in proportion,
 * the same LAOs for the same count). Codes: province (2 digits), district (2), number within the district (3).
 */
export function nationalLaos(count: number = NATIONAL_LAO_COUNT): NationalLao[] {
  const outside = PROVINCES.filter((p) => p.code !== '10');
  const districts = outside.flatMap((p) => Array.from({ length: p.districts }, (_, i) => ({ p, d: i + 1 })));
  const all: Array<{ p: Province; d: number; type: LaoRegistryEntry['type']; name: string }> = [];
  for (const p of outside) all.push({ p, d: 1, type: 'pao', name: `${TYPE_NAME.pao}${p.nameTh}` });
  all.push({ p: PROVINCES[0]!, d: 1, type: 'special', name: 'กรุงเทพมหานคร' });
  all.push({ p: PROVINCES.find((x) => x.code === '20')!, d: 4, type: 'special', name: 'เมืองพัทยา' });
  // Municipalities and SAOs round-robin over the districts (a stride that is prime to the count spreads each type).
  const local = (['city-municipality', 'town-municipality', 'subdistrict-municipality', 'sao'] as const).flatMap((t) => Array.from({ length: LAO_TYPE_COUNTS[t] }, () => t));
  local.forEach((type, i) => { const at = districts[(i * 379) % districts.length]!; all.push({ p: at.p, d: at.d, type, name: `${TYPE_NAME[type]}${at.p.nameTh} ${i + 1}` }); });
  // A proportional sample: every k-th of the list, which is ordered by type.
  const step = all.length / Math.min(count, all.length);
  const chosen = Array.from({ length: Math.min(count, all.length) }, (_, i) => all[Math.floor(i * step)]!);
  const seqInDistrict = new Map<string, number>();
  const seqInProvince = new Map<string, number>();
  return chosen.map(({ p, d, type, name }) => {
    const dk = `${p.code}${String(d).padStart(2, '0')}`;
    const n = (seqInDistrict.get(dk) ?? 0) + 1;
    seqInDistrict.set(dk, n);
    const m = (seqInProvince.get(p.code) ?? 0) + 1;
    seqInProvince.set(p.code, m);
    const laoCode = `${dk}${String(n).padStart(3, '0')}`;
    return {
      entry: {
        laoCode, nameTh: name, type, provinceCode: p.code, provinceNameTh: p.nameTh, districtTh: `อำเภอที่ ${d}`,
        companyIds: [`GMIS${p.code}${String(m).padStart(4, '0')}`], accounts: [`98${laoCode}1`],
      },
      district: d, welfareWeight: WELFARE_WEIGHT[type], ordinaryWeight: ORDINARY_WEIGHT[type],
    };
  });
}
