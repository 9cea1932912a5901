/**
 * Writes the reference book the way LAO finance offices export it (ktb-formats.md §3): one folder per LAO, or flat
 * files with an LAO code column where the province office merged its LAOs' lists; CSV in the office's encoding or
 * XLSX; Thai or English headers; ISO or Thai Buddhist-era dates; some with a running-number column first; accounts
 * and IDs written with or without dashes — plus `lao-registry.csv` in the department's layout.
 */
import { formatSatangAsBaht } from '@paywatch/domain';
import { encodeText, type TextEncoding } from '@paywatch/ktb-formats';
import ExcelJS from 'exceljs';
import type { WorldRandom } from '../world-random.ts';
import { fixedXlsx } from './fixed-xlsx.ts';
import type { ReferenceBook } from './reference-book.ts';
import type { Lao, LaoStyle } from './world-types.ts';

/** A file of the reference folder, its path relative to the folder. */
export interface ReferenceFileOut { path: string; bytes: Uint8Array; kind: 'payees' | 'staff' | 'vouchers' | 'beneficiaries' | 'registry'; laoCodes: string[] }

type Kind = Exclude<ReferenceFileOut['kind'], 'registry'>;
const HEADERS: Record<Kind, [string, string][]> = {
  payees: [['Payee Name', 'ชื่อผู้รับเงิน'], ['Citizen/Tax ID', 'เลขประจำตัวผู้เสียภาษี/ประชาชน'], ['Bank Code', 'รหัสธนาคาร'], ['Account No.', 'เลขที่บัญชี'], ['Registered On', 'วันที่ลงทะเบียน'], ['Status', 'สถานะ']],
  staff: [['Name', 'ชื่อ-สกุล'], ['Citizen ID', 'เลขประจำตัวประชาชน'], ['Position', 'ตำแหน่ง'], ['Bank Code', 'รหัสธนาคาร'], ['Account No.', 'เลขที่บัญชี']],
  vouchers: [['Voucher No.', 'เลขที่ฎีกา'], ['Voucher Date', 'วันที่ฎีกา'], ['Payee Name', 'ชื่อผู้รับเงิน'], ['Payee Bank Code', 'รหัสธนาคาร'], ['Payee Account', 'เลขที่บัญชี'], ['Amount', 'จำนวนเงิน'], ['Budget Item', 'รายการงบประมาณ']],
  beneficiaries: [['Citizen ID', 'เลขประจำตัวประชาชน'], ['Name', 'ชื่อ-สกุล'], ['Allowance Type', 'ประเภทเบี้ยยังชีพ'], ['Monthly Amount', 'จำนวนเงินต่อเดือน'], ['Bank Code', 'รหัสธนาคาร'], ['Account No.', 'เลขที่บัญชี']],
};
const ALLOWANCE_WORD = { elderly: ['Elderly', 'เบี้ยยังชีพผู้สูงอายุ'], disability: ['Disability', 'เบี้ยความพิการ'], aids: ['AIDS', 'เบี้ยยังชีพผู้ป่วยเอดส์'] } as const;

type Style = LaoStyle['referenceFile'];
const date = (d: string | null, s: Style): string => (d === null ? '' : s.thaiDates ? `${d.slice(8, 10)}/${d.slice(5, 7)}/${Number(d.slice(0, 4)) + 543}` : d);
const dashed = (account: string, s: Style): string => (s.nameVariant % 2 === 1 && account.length === 10 ? `${account.slice(0, 3)}-${account.slice(3, 4)}-${account.slice(4, 9)}-${account.slice(9)}` : account);
const dashedId = (id: string | null, s: Style): string => (id === null ? '' : s.nameVariant === 3 ? `${id[0]}-${id.slice(1, 5)}-${id.slice(5, 10)}-${id.slice(10, 12)}-${id[12]}` : id);
const money = (satang: number, s: Style): string => (s.nameVariant % 2 === 0 ? formatSatangAsBaht(satang) : formatSatangAsBaht(satang).replace(/,/g, ''));

/** The cell rows (after the LAO code) of one LAO's list of `kind`. */
function rowsOf(book: ReferenceBook, lao: Lao, kind: Kind, s: Style): string[][] {
  const th = s.thaiHeaders ? 1 : 0;
  switch (kind) {
    case 'payees': return (book.payees.get(lao.idx) ?? []).filter((x) => !book.missingPayees.has(`${lao.idx}|${x.party.key}`)).map((x) => [
      x.name, dashedId(x.id, s), x.defect === 'bad-bank' ? '999' : x.bank, dashed(x.account, s), x.defect === 'bad-date' ? '30/02/2568' : date(x.registeredOn, s),
      x.status === 'active' ? (th ? 'ใช้งาน' : 'Active') : th ? 'ยกเลิก' : 'Inactive',
    ]);
    case 'staff': return (book.staff.get(lao.idx) ?? []).map((x) => [x.name, dashedId(x.id, s), x.position, x.defect === 'bad-bank' ? '999' : x.bank, dashed(x.account, s)]);
    case 'vouchers': return book.vouchers.filter((v) => v.lao === lao.idx).map((v) => [
      v.no, v.defect === 'bad-date' ? '31/09/2568' : date(v.date, s), v.payeeName, v.bank ?? '', v.account ? dashed(v.account, s) : '',
      v.defect === 'bad-amount' ? formatSatangAsBaht(v.amountSatang).replace(/,/g, ' ').replace('.', ',') : money(v.amountSatang, s), v.budgetItem,
    ]);
    case 'beneficiaries': return (book.beneficiaries.get(lao.idx) ?? []).map((x) => [
      dashedId(x.id, s), x.name, ALLOWANCE_WORD[x.allowance][th], money(x.monthlyBaht * 100, s), x.bank ?? '', x.account ? dashed(x.account, s) : '',
    ]);
  }
}

const quote = (c: string, d: string): string => (c.includes(d) || c.includes('"') || c.includes('\n') ? `"${c.replace(/"/g, '""')}"` : c);

async function table(cells: string[][], xlsx: boolean, encoding: TextEncoding, sheet: string, date: string): Promise<Uint8Array> {
  if (xlsx) {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet(sheet);
    for (const row of cells) ws.addRow(row);
    return fixedXlsx(new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer), date);
  }
  return encodeText(cells.map((row) => row.map((c) => quote(c, ',')).join(',')).join('\r\n') + '\r\n', encoding);
}

/** The header row and the rows of a file holding `laos`' lists of `kind`. */
function cellsFor(book: ReferenceBook, laos: readonly Lao[], kind: Kind, s: Style): string[][] {
  const th = s.thaiHeaders ? 1 : 0;
  const header = [...(s.indexColumn ? [th ? 'ลำดับ' : 'No.'] : []), ...(s.laoColumn ? [th ? 'รหัส อปท.' : 'LAO Code'] : []), ...HEADERS[kind].map((h) => h[th]!)];
  const out = [header];
  let n = 0;
  for (const lao of laos) for (const row of rowsOf(book, lao, kind, s)) out.push([...(s.indexColumn ? [String(++n)] : []), ...(s.laoColumn ? [lao.entry.laoCode] : []), ...row]);
  return out;
}

const KINDS: readonly Kind[] = ['payees', 'staff', 'vouchers', 'beneficiaries'];
const SUFFIX = ['', '', '-2569', '_export', ' (1)'] as const;

/** Every reference file, and `lao-registry.csv`. */
export async function renderReferenceFiles(r: WorldRandom, book: ReferenceBook, exportDate: string): Promise<ReferenceFileOut[]> {
  const out: ReferenceFileOut[] = [];
  const flat = new Map<string, Lao[]>();
  for (const lao of book.laos) {
    if (lao.flatReference) { flat.set(lao.province.code, [...(flat.get(lao.province.code) ?? []), lao]); continue; }
    const s = lao.style.referenceFile;
    for (const kind of KINDS) {
      if (!lao.style.lists[kind]) continue;
      const ext = s.xlsx ? 'xlsx' : 'csv';
      out.push({ path: `${lao.entry.laoCode}/${kind}${r.pick(SUFFIX)}.${ext}`, kind, laoCodes: [lao.entry.laoCode], bytes: await table(cellsFor(book, [lao], kind, s), s.xlsx, s.encoding, kind, exportDate) });
    }
  }
  for (const [province, laos] of flat) {
    const s = laos[0]!.style.referenceFile;
    for (const kind of KINDS) {
      const holding = laos.filter((l) => l.style.lists[kind]);
      if (holding.length === 0) continue;
      out.push({ path: `${province}-${kind}.${s.xlsx ? 'xlsx' : 'csv'}`, kind, laoCodes: holding.map((l) => l.entry.laoCode), bytes: await table(cellsFor(book, holding, kind, { ...s, laoColumn: true }), s.xlsx, s.encoding, kind, exportDate) });
    }
  }
  out.push({ path: 'lao-registry.csv', kind: 'registry', laoCodes: book.laos.map((l) => l.entry.laoCode), bytes: renderLaoRegistryCsv(book.laos) });
  return out;
}

const TYPE_TH = { pao: 'องค์การบริหารส่วนจังหวัด', 'city-municipality': 'เทศบาลนคร', 'town-municipality': 'เทศบาลเมือง', 'subdistrict-municipality': 'เทศบาลตำบล', sao: 'องค์การบริหารส่วนตำบล', special: 'รูปแบบพิเศษ' } as const;

/** The LAO registry in the department's layout: Thai headers, UTF-8 with BOM, one row per LAO account. */
export function renderLaoRegistryCsv(laos: readonly Lao[]): Uint8Array {
  const lines = ['รหัส อปท.,ชื่อ อปท.,ประเภท อปท.,รหัสจังหวัด,จังหวัด,อำเภอ,รหัสบริษัท,เลขที่บัญชี'];
  for (const l of laos) for (const account of l.entry.accounts) lines.push([l.entry.laoCode, l.entry.nameTh, TYPE_TH[l.type], l.entry.provinceCode, l.entry.provinceNameTh, l.entry.districtTh, l.entry.companyIds[0]!, account].join(','));
  return encodeText(lines.join('\r\n') + '\r\n', 'utf-8-bom');
}
