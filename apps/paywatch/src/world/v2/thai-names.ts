/**
 * Names for the harder world: people (title, first name, family name unique in the world) and suppliers named the
 * way Thai shops, partnerships, companies and cooperatives are, with the spellings one payee's name takes across
 * files and lists (with or without its legal form, abbreviated, spaced differently). Every spelling this module
 * makes of one name is the same name once titles, legal forms and spaces are stripped (typologies.md,
 * account-many-names), so a difference of spelling is never an event.
 */
import type { WorldRandom } from '../world-random.ts';

const MALE = ['สมชาย', 'วิชัย', 'ประเสริฐ', 'สุรเชษฐ์', 'อนุชา', 'ธนากร', 'บุญเลิศ', 'ณัฐวุฒิ', 'สมศักดิ์', 'ทองใบ', 'จำเนียร', 'สุนทร', 'ประยุทธ', 'อำนาจ', 'ชาตรี', 'วีระ', 'สมพงษ์', 'บุญมี', 'เกรียงไกร', 'ไพโรจน์', 'สุเมธ', 'ธีระ', 'อุดม', 'มนตรี', 'ปรีชา', 'สมบัติ', 'ชูชาติ', 'วิรัตน์', 'เฉลิม', 'สนั่น'] as const;
const FEMALE = ['สมศรี', 'มาลี', 'วันเพ็ญ', 'กาญจนา', 'สุภาพร', 'อรุณี', 'ประไพ', 'ศิริรัตน์', 'บุญเรือน', 'สายสุนีย์', 'ปราณี', 'จันทร์เพ็ญ', 'ลำดวน', 'บัวผัน', 'ทองคำ', 'สำราญ', 'พรทิพย์', 'นงลักษณ์', 'รัตนา', 'สุดารัตน์', 'อัมพร', 'เยาวลักษณ์', 'วิไลวรรณ', 'ละเอียด', 'คำปุน', 'ทองม้วน', 'สมหญิง', 'ดวงใจ', 'อำไพ', 'เพ็ญศรี'] as const;
const FAMILY_ROOT = ['ใจดี', 'ทองดี', 'ศรีสวัสดิ์', 'แก้วมณี', 'บุญมา', 'พึ่งทอง', 'มีสุข', 'รักษา', 'อินทร์แก้ว', 'เพชรรัตน์', 'สุขเจริญ', 'จันทร์หอม', 'ทองคำ', 'ศรีสุข', 'พรหมมา', 'คำแหง', 'บุญยืน', 'แสงทอง', 'ประเสริฐ', 'วงศ์ใหญ่', 'ชัยมงคล', 'สมบูรณ์', 'ทองสุข', 'ศรีบุญ', 'มั่นคง', 'ดวงแก้ว', 'พลอยงาม', 'นาคสุข', 'ปัญญา', 'สีดา', 'บัวแก้ว', 'คงดี', 'เรืองศรี', 'ทิพย์มาก', 'อ่อนศรี', 'หอมจันทร์', 'สิงห์ทอง', 'บุญประเสริฐ', 'จันทร์แก้ว', 'ศักดิ์ดี', 'ภูมิใจ', 'กล้าหาญ', 'แสนดี', 'ทองอินทร์', 'ขุนทอง', 'เทพสุข', 'อุ่นเรือน', 'บุญช่วย', 'รุ่งเรือง', 'พิมพ์ทอง'] as const;
const FAMILY_SUFFIX = ['', 'กุล', 'วงศ์', 'ศักดิ์', 'ชัย', 'สกุล', 'พันธ์', 'เจริญ', 'รัตน์', 'ทวี', 'สิทธิ์', 'พงษ์', 'ภักดี', 'ธรรม', 'ศิริ', 'นันท์', 'โชติ', 'วัฒน์', 'พานิช', 'ไพบูลย์'] as const;

/** A person's name: title and the name without it. */
export interface PersonName { title: 'นาย' | 'นาง' | 'นางสาว'; core: string }

/** A name no other person of the world has (Thai family names are registered per family: a clash is rare). */
export function personName(r: WorldRandom, used: Set<string>, elderly = false): PersonName {
  for (let attempt = 0; ; attempt++) {
    const male = r.chance(0.48);
    const first = male ? r.pick(MALE) : r.pick(FEMALE);
    const family = r.pick(FAMILY_ROOT) + r.pick(FAMILY_SUFFIX) + (attempt > 30 ? r.pick(FAMILY_SUFFIX) : '');
    const core = `${first} ${family}`;
    if (used.has(core)) continue;
    used.add(core);
    return { title: male ? 'นาย' : elderly || r.chance(0.6) ? 'นาง' : 'นางสาว', core };
  }
}

/** How a person's name is written: with the title joined, spaced, or left out. */
export function writePerson(n: PersonName, style: 0 | 1 | 2 = 0): string {
  return style === 0 ? `${n.title}${n.core}` : style === 1 ? `${n.title} ${n.core}` : n.core;
}

/** The legal form a supplier trades under. */
export type BusinessForm = 'company' | 'plc' | 'partnership' | 'shop' | 'coop' | 'agency' | 'person';

/** A supplier's name: legal form and the name proper (a person's name for sole traders). */
export interface BusinessName { form: BusinessForm; core: string; title?: PersonName['title'] }

const TRADE_WORDS = ['รุ่งเรือง', 'ทรัพย์ทวี', 'เจริญผล', 'ศรีสุข', 'ชัยมงคล', 'สามพี่น้อง', 'มั่งมี', 'พูนผล', 'รวมโชค', 'ไทยรุ่ง', 'เอกชัย', 'นำชัย', 'สินเจริญ', 'ก้าวหน้า', 'อุดมสุข', 'วัฒนา', 'มงคลชัย', 'ศิริมงคล', 'เพิ่มพูน', 'ทวีทรัพย์', 'โชคดี', 'สหมิตร', 'ธนาพร', 'พรเจริญ', 'บุญรอด', 'เกียรติไพศาล', 'ศรีไทย', 'สยามรุ่ง', 'แสงชัย', 'รัตนา'] as const;

/** Supplier kinds with the words their names are made of. */
export const CATEGORY_NAMES = {
  fuel: { forms: ['partnership', 'company', 'shop'], words: (w: string, p: string) => [`${p} ปิโตรเลียม`, `${w}ออยล์`, `${w}บริการน้ำมัน`, `${p}ปิโตรเลียม`] },
  office: { forms: ['shop', 'shop', 'partnership'], words: (w: string, p: string) => [`${w}เครื่องเขียน`, `${p}ศึกษาภัณฑ์`, `${w} ออฟฟิศ ซัพพลาย`, `${w}พาณิชย์`] },
  materials: { forms: ['partnership', 'shop', 'company'], words: (w: string, p: string) => [`${p}ค้าวัสดุ`, `${w}วัสดุก่อสร้าง`, `${w}ค้าไม้`, `${p} วัสดุภัณฑ์`] },
  contractor: { forms: ['partnership', 'partnership', 'company'], words: (w: string, p: string) => [`${w}ก่อสร้าง`, `${p}การโยธา`, `${w} คอนสตรัคชั่น`, `${p}วิศวกรรม`] },
  milk: { forms: ['coop', 'company'], words: (w: string, p: string) => [`โคนม${p}`, `${p} แดรี่`, `${w}ฟู้ดส์`] },
  it: { forms: ['company', 'partnership', 'shop'], words: (w: string, p: string) => [`${p} คอมพิวเตอร์`, `${w}ไอที`, `${w} เทคโนโลยี`] },
  repair: { forms: ['shop', 'shop', 'partnership'], words: (w: string, p: string) => [`${w}การช่าง`, `${p}แอร์`, `${w}ยนต์`, `${w}อีเลคทริค`] },
  catering: { forms: ['shop', 'person'], words: (w: string) => [`อาหาร${w}`, `${w}โภชนา`, `ครัว${w}`] },
  waste: { forms: ['company', 'partnership'], words: (w: string, p: string) => [`${w} เอ็นไวรอนเมนท์`, `${p}รักษ์สิ่งแวดล้อม`, `${w}กำจัดขยะ`] },
  printing: { forms: ['shop', 'partnership'], words: (w: string, p: string) => [`${p}การพิมพ์`, `${w}ป้ายโฆษณา`, `${w}ก๊อปปี้`] },
} as const satisfies Record<string, { forms: readonly BusinessForm[]; words: (w: string, p: string) => string[] }>;
export type NamedCategory = keyof typeof CATEGORY_NAMES;

/** A supplier name of a category, unique in the world; `place` is a local name (district or sub-district). */
export function businessName(r: WorldRandom, used: Set<string>, category: NamedCategory, place: string): BusinessName {
  const c = CATEGORY_NAMES[category];
  for (let attempt = 0; ; attempt++) {
    const form = r.pick(c.forms) as BusinessForm;
    const base = r.pick(c.words(r.pick(TRADE_WORDS), place));
    const core = attempt > 5 ? `${base} ${r.pick(TRADE_WORDS)}` : base;
    if (form === 'person') { const p = personName(r, used); return { form, core: p.core, title: p.title }; }
    if (used.has(core)) continue;
    used.add(core);
    return { form, core };
  }
}

/**
 * One way of writing a supplier's name (`variant` picks which): every variant is the same name after typologies.md's
 * normalisation (titles and legal forms stripped, spaces removed).
 */
export function writeBusiness(n: BusinessName, variant: number): string {
  const tight = n.core.replace(/ /g, '');
  switch (n.form) {
    case 'company': return [`บริษัท ${n.core} จำกัด`, `บจก.${tight}`, `บริษัท ${tight} จำกัด`, `บจก. ${n.core}`, n.core][variant % 5]!;
    case 'partnership': return [`ห้างหุ้นส่วนจำกัด ${n.core}`, `หจก.${n.core}`, `หจก. ${tight}`, `ห้างหุ้นส่วนจำกัด${tight}`, n.core][variant % 5]!;
    case 'shop': return [`ร้าน${n.core}`, `ร้าน ${n.core}`, n.core, `ร้าน${tight}`][variant % 4]!;
    case 'plc': return [`บริษัท ${n.core} จำกัด (มหาชน)`, n.core, `บริษัท ${n.core} จำกัด(มหาชน)`][variant % 3]!;
    case 'agency': return [n.core, n.core.replace(/(การ(?:ไฟฟ้า|ประปา))/, '$1 ')][variant % 2]!;
    case 'coop': return [`สหกรณ์${n.core} จำกัด`, `สหกรณ์${tight} จำกัด`, `สหกรณ์ ${n.core} จำกัด`][variant % 3]!;
    case 'person': return writePerson({ title: n.title ?? 'นาย', core: n.core }, (variant % 3) as 0 | 1 | 2);
  }
}
