/**
 * The LAO registry as the department publishes it (ktb-formats.md §3, `lao-registry.csv`): LAO code, name, type,
 * province code and name, district, KTB company ID and account number, Thai or English headers, UTF-8 or
 * Windows-874. An LAO with several company IDs or accounts appears on several rows (or lists them in one cell
 * separated by `;` or `|`); its rows are merged. Every row is read or refused with a reason in Thai and English.
 */
import { readFileSync } from 'node:fs';
import { LaoRegistryEntry, cleanText, normaliseAccount, thaiDigitsToAscii, type RowReject } from '@paywatch/domain';
import { decodeBytes } from './decode-bytes.ts';
import { fieldReason } from './reference-field-reasons.ts';
import { headerKey } from './report-headers.ts';
import { csvRows, DEFAULT_LIMITS } from './parse-ktb-report.ts';
import { delimiterOf } from './parse-reference.ts';

type Column = 'laoCode' | 'name' | 'type' | 'provinceCode' | 'provinceName' | 'district' | 'companyId' | 'account';

const HEADERS: Record<Column, readonly string[]> = {
  laoCode: ['LAO Code', 'รหัส อปท.', 'รหัสอปท', 'รหัสองค์กรปกครองส่วนท้องถิ่น'],
  name: ['Name', 'LAO Name', 'ชื่อ อปท.', 'ชื่อองค์กรปกครองส่วนท้องถิ่น'],
  type: ['Type', 'LAO Type', 'ประเภท อปท.', 'ประเภท'],
  provinceCode: ['Province Code', 'รหัสจังหวัด'],
  provinceName: ['Province Name', 'Province', 'จังหวัด', 'ชื่อจังหวัด'],
  district: ['District', 'อำเภอ'],
  companyId: ['KTB Company ID', 'Company ID', 'รหัสบริษัท'],
  account: ['Account No.', 'Account', 'เลขที่บัญชี'],
};
const INDEX = new Map<string, Column>(Object.entries(HEADERS).flatMap(([c, hs]) => hs.map((h) => [headerKey(h), c as Column] as const)));
const REQUIRED: readonly Column[] = ['laoCode', 'name', 'type', 'provinceCode', 'provinceName', 'district'];

/** LAO types as the department writes them (Thai names, abbreviations, English), most specific first. */
const TYPES: ReadonlyArray<[RegExp, LaoRegistryEntry['type']]> = [
  [/องค์การบริหารส่วนจังหวัด|อบจ|provincial administrative|^pao$/i, 'pao'],
  [/เทศบาลนคร|city municipality|^city/i, 'city-municipality'],
  [/เทศบาลเมือง|town municipality|^town/i, 'town-municipality'],
  [/เทศบาลตำบล|subdistrict municipality|^subdistrict/i, 'subdistrict-municipality'],
  [/องค์การบริหารส่วนตำบล|อบต|subdistrict administrative|^sao$|^tao$/i, 'sao'],
  [/กรุงเทพมหานคร|เมืองพัทยา|รูปแบบพิเศษ|special|bangkok|pattaya/i, 'special'],
];

export interface LaoRegistryParse { entries: LaoRegistryEntry[]; rejects: RowReject[]; rowsRead: number }

const reject = (row: number, field: string, th: string, en: string, raw: string): RowReject => ({ row, field, code: 'PW_ROW_REGISTRY_INVALID', message: { th, en }, raw });
const splitList = (cell: string): string[] => cell.split(/[;|]/).map((s) => s.trim()).filter(Boolean);

/** Parses a registry file. Throws nothing: a file without the required headers gives one reject naming them. */
export function parseLaoRegistryCsv(bytes: Uint8Array): LaoRegistryParse {
  const { text } = decodeBytes(bytes);
  const offset = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const delimiter = delimiterOf(text.slice(offset, offset + 65_536));
  const out: LaoRegistryParse = { entries: [], rejects: [], rowsRead: 0 };
  // The report parser's CSV reader: an unclosed quote or a runaway record becomes a reject, never a throw.
  const rows: Array<{ row: number; cells: string[]; raw: string }> = [];
  for (const r of csvRows(text, offset, 1, delimiter, DEFAULT_LIMITS.maxLineChars)) {
    if (!('cells' in r)) {
      out.rowsRead++;
      out.rejects.push(reject(r.row, 'row', `อ่านแถวนี้ไม่ได้ (${r.error}) แถวถัดไปไม่ถูกอ่าน`, `This row cannot be read (${r.error}); the rows after it were not read`, r.raw));
    } else if (r.cells.some((c) => c.trim() !== '')) rows.push(r);
  }
  const col = new Map<Column, number>();
  (rows[0]?.cells ?? []).forEach((h, i) => { const c = INDEX.get(headerKey(h)); if (c && !col.has(c)) col.set(c, i); });
  const missing = REQUIRED.filter((c) => !col.has(c));
  if (missing.length > 0) {
    out.rowsRead += Math.max(0, rows.length - 1);
    const names = missing.map((c) => HEADERS[c][0]).join(', ');
    const namesTh = missing.map((c) => HEADERS[c][1]).join(', ');
    out.rejects.unshift(reject(rows[0]?.row ?? 1, missing[0]!, `ไม่พบหัวคอลัมน์ที่จำเป็น: ${namesTh}`, `Required column(s) missing: ${names}`, rows[0]?.raw ?? ''));
    return out;
  }
  const byCode = new Map<string, LaoRegistryEntry>();
  for (const { row, cells, raw } of rows.slice(1)) {
    out.rowsRead++;
    const get = (c: Column) => { const at = col.get(c); return at === undefined ? '' : cleanText(thaiDigitsToAscii(cells[at] ?? '')); };
    const laoCode = get('laoCode');
    const type = TYPES.find(([re]) => re.test(get('type')))?.[1];
    if (!type) { out.rejects.push(reject(row, 'type', `ไม่รู้จักประเภท อปท. "${get('type')}"`, `Unknown LAO type "${get('type')}"`, raw)); continue; }
    const accounts = splitList(get('account')).map((a) => normaliseAccount('006', a));
    const companyIds = splitList(get('companyId')).map((c) => c.toUpperCase());
    const parsed = LaoRegistryEntry.safeParse({ laoCode, nameTh: get('name'), type, provinceCode: get('provinceCode').padStart(2, '0'), provinceNameTh: get('provinceName'), districtTh: get('district'), companyIds, accounts });
    if (!parsed.success) {
      const field = String(parsed.error.issues[0]?.path[0] ?? 'row');
      const m = fieldReason(field, ({ laoCode, nameTh: get('name'), provinceCode: get('provinceCode'), provinceNameTh: get('provinceName'), districtTh: get('district') } as Record<string, string>)[field]);
      out.rejects.push(reject(row, field, m.th, m.en, raw));
      continue;
    }
    if (parsed.data.accounts.some((a) => !/^\d{10}$/.test(a))) { out.rejects.push(reject(row, 'accounts', 'เลขที่บัญชีของ อปท. ต้องเป็นเลข 10 หลัก (บัญชีกรุงไทย)', "The LAO's account number must be 10 digits (a Krungthai account)", raw)); continue; }
    const held = byCode.get(laoCode);
    if (!held) { byCode.set(laoCode, parsed.data); continue; }
    if (held.nameTh !== parsed.data.nameTh || held.provinceCode !== parsed.data.provinceCode || held.districtTh !== parsed.data.districtTh || held.type !== parsed.data.type) {
      out.rejects.push(reject(row, 'laoCode', `รหัส อปท. ${laoCode} ซ้ำกับแถวก่อนหน้าแต่ชื่อ ประเภท หรือที่ตั้งต่างกัน`, `LAO code ${laoCode} repeats an earlier row with another name, type or location`, raw));
      continue;
    }
    // Another row of the same LAO: one more company ID or account.
    held.companyIds = [...new Set([...held.companyIds, ...parsed.data.companyIds])];
    held.accounts = [...new Set([...held.accounts, ...parsed.data.accounts])];
  }
  out.entries = [...byCode.values()].sort((a, b) => (a.laoCode < b.laoCode ? -1 : 1));
  return out;
}

/** A registry file in either form paywatch accepts: the department's CSV, or a JSON array of entries (`gen` writes one). */
export function parseLaoRegistryFile(bytes: Uint8Array): LaoRegistryParse {
  const { text } = decodeBytes(bytes);
  if (!text.trimStart().startsWith('[')) return parseLaoRegistryCsv(bytes);
  let json: unknown;
  try { json = JSON.parse(text); } catch (e) {
    return { entries: [], rowsRead: 0, rejects: [reject(1, 'file', `ไฟล์ JSON ไม่ถูกต้อง (${(e as Error).message})`, `Not valid JSON (${(e as Error).message})`, text.slice(0, 80))] };
  }
  const out: LaoRegistryParse = { entries: [], rejects: [], rowsRead: 0 };
  for (const [i, item] of (Array.isArray(json) ? json : []).entries()) {
    out.rowsRead++;
    const parsed = LaoRegistryEntry.safeParse(item);
    if (parsed.success) out.entries.push(parsed.data);
    else out.rejects.push(reject(i + 1, String(parsed.error.issues[0]?.path[0] ?? 'entry'), `รายการที่ ${i + 1} ไม่ถูกต้อง`, `Entry ${i + 1} is not valid: ${parsed.error.issues[0]?.message ?? ''}`, JSON.stringify(item).slice(0, 200)));
  }
  return out;
}

/**
 * Reads a registry file for a service or the CLI: every refused row goes to `onReject`, and a file with no
 * usable LAO is an error (a service must not start routing with an empty registry). Throws when unreadable.
 */
export function readLaoRegistryFile(path: string, onReject: (reject: RowReject) => void): LaoRegistryEntry[] {
  const parsed = parseLaoRegistryFile(readFileSync(path));
  for (const r of parsed.rejects) onReject(r);
  if (parsed.entries.length === 0) throw new Error(`${path}: no usable LAO in the registry (${parsed.rejects[0]?.message.en ?? 'empty file'})`);
  return parsed.entries;
}
