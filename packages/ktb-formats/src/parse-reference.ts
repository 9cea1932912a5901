/**
 * Reference data files (ktb-formats.md §3) as CSV: registered payees, staff and officials, approved vouchers and
 * welfare beneficiaries, with an LAO code column, Thai or English headers in any order, UTF-8 or Windows-874, comma,
 * semicolon or tab. Each row becomes an item of its LAO's list, or a reject with a reason in Thai and English.
 */
import { parse } from 'csv-parse/sync';
import {
  ApprovedVoucher, RegisteredPayee, StaffMember, WelfareBeneficiary, bankByCode, cleanText, normaliseAccount, normaliseThaiId,
  parseBahtToSatang, parseThaiDateTime, thaiDigitsToAscii, type ReferenceKind, type RowReject,
} from '@paywatch/domain';
import { decodeBytes } from './decode-bytes.ts';
import { headerKey } from './report-headers.ts';

type Column = 'laoCode' | 'name' | 'id' | 'bankCode' | 'account' | 'date' | 'status' | 'position' | 'voucherNo' | 'amount' | 'budgetItem' | 'allowanceType';

/** Accepted headers per column, as in the department's layouts (compared after `headerKey`). */
const HEADERS: Record<Column, readonly string[]> = {
  laoCode: ['LAO Code', 'รหัส อปท.', 'รหัสอปท'],
  name: ['Payee Name', 'Name', 'ชื่อผู้รับเงิน', 'ชื่อ-สกุล', 'ชื่อ'],
  id: ['Citizen/Tax ID', 'Citizen ID', 'Tax ID', 'เลขประจำตัวผู้เสียภาษี/ประชาชน', 'เลขประจำตัวประชาชน', 'เลขประจำตัวผู้เสียภาษี'],
  bankCode: ['Bank Code', 'Payee Bank Code', 'รหัสธนาคาร'],
  account: ['Account No.', 'Payee Account', 'เลขที่บัญชี'],
  date: ['Registered On', 'Voucher Date', 'วันที่ลงทะเบียน', 'วันที่ฎีกา'],
  status: ['Status', 'สถานะ'],
  position: ['Position', 'ตำแหน่ง'],
  voucherNo: ['Voucher No.', 'เลขที่ฎีกา'],
  amount: ['Amount', 'Monthly Amount', 'จำนวนเงิน', 'จำนวนเงินต่อเดือน'],
  budgetItem: ['Budget Item', 'รายการงบประมาณ'],
  allowanceType: ['Allowance Type', 'ประเภทเบี้ยยังชีพ'],
};
const INDEX = new Map<string, Column>(Object.entries(HEADERS).flatMap(([c, hs]) => hs.map((h) => [headerKey(h), c as Column] as const)));

/** The items of one kind, per LAO, and the rows that could not be read. */
export interface ReferenceParse { kind: ReferenceKind; byLao: Map<string, unknown[]>; rejects: RowReject[]; rowsRead: number }

const reject = (row: number, field: string, th: string, en: string, raw: string): RowReject => ({ row, field, code: 'PW_ROW_REFERENCE_INVALID', message: { th, en }, raw });

/** Parses one reference file of `kind`. A file without an LAO code column may name its LAO with `laoCode`. */
export function parseReferenceCsv(bytes: Uint8Array, kind: ReferenceKind, options: { laoCode?: string } = {}): ReferenceParse {
  const { text } = decodeBytes(bytes);
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'));
  const delimiter = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1])[0]![0];
  const rows = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
  const out: ReferenceParse = { kind, byLao: new Map(), rejects: [], rowsRead: 0 };
  const header = rows[0] ?? [];
  const col = new Map<Column, number>();
  header.forEach((h, i) => { const c = INDEX.get(headerKey(h)); if (c && !col.has(c)) col.set(c, i); });
  for (let i = 1; i < rows.length; i++) {
    const cells = rows[i]!, row = i + 1, raw = cells.join(delimiter);
    out.rowsRead++;
    const get = (c: Column) => { const at = col.get(c); return at === undefined ? '' : cleanText(thaiDigitsToAscii(cells[at] ?? '')); };
    const laoCode = get('laoCode') || options.laoCode || '';
    if (!/^\d{7}$/.test(laoCode)) { out.rejects.push(reject(row, 'laoCode', `รหัส อปท. "${laoCode}" ต้องเป็นตัวเลข 7 หลัก`, `LAO code "${laoCode}" must be 7 digits`, raw)); continue; }
    const bank = get('bankCode').padStart(3, '0');
    const account = get('account') ? normaliseAccount(bank, get('account')) : '';
    const id = get('id') ? normaliseThaiId(get('id')) : null;
    const date = get('date') ? (/^\d{4}-\d{2}-\d{2}$/.test(get('date')) ? get('date') : parseThaiDateTime(get('date'))?.date ?? null) : null;
    const amount = get('amount') ? parseBahtToSatang(get('amount')) : null;
    let item: unknown;
    let parsed: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } };
    switch (kind) {
      case 'payees':
        item = { name: get('name'), payeeId: id, bankCode: bank, account, registeredOn: date, status: /inactive|ยกเลิก|ไม่ใช้งาน/i.test(get('status')) ? 'inactive' : 'active' };
        parsed = RegisteredPayee.safeParse(item); break;
      case 'staff':
        item = { name: get('name'), citizenId: id, position: get('position') || null, bankCode: bank, account };
        parsed = StaffMember.safeParse(item); break;
      case 'vouchers':
        item = { voucherNo: get('voucherNo'), voucherDate: date, payeeName: get('name') || null, payeeBankCode: get('bankCode') ? bank : null, payeeAccount: account || null, amountSatang: amount?.ok ? amount.satang : null, budgetItem: get('budgetItem') || null };
        parsed = ApprovedVoucher.safeParse(item); break;
      case 'beneficiaries': {
        const t = get('allowanceType');
        const allowanceType = /ผู้สูงอายุ|elder/i.test(t) ? 'elderly' : /พิการ|disab/i.test(t) ? 'disability' : /เอดส์|aids/i.test(t) ? 'aids' : 'other';
        item = { citizenId: id, name: get('name'), allowanceType, monthlyAmountSatang: amount?.ok ? amount.satang : null, bankCode: get('bankCode') ? bank : null, account: account || null };
        parsed = WelfareBeneficiary.safeParse(item); break;
      }
    }
    if (get('bankCode') && !bankByCode(bank)) parsed = { success: false, error: { issues: [{ path: ['bankCode'], message: 'unknown bank code' }] } };
    if (!parsed.success) {
      const issue = parsed.error!.issues[0]!;
      const field = String(issue.path[0] ?? 'row');
      out.rejects.push(reject(row, field, `ข้อมูลช่อง ${field} ไม่ถูกต้อง (${issue.message})`, `Field ${field} is not valid (${issue.message})`, raw));
      continue;
    }
    const list = out.byLao.get(laoCode) ?? [];
    list.push(item);
    out.byLao.set(laoCode, list);
  }
  return out;
}
