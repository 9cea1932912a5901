/**
 * The embedded demo's files: realistic generated bulk batches for two provinces, with a few injected
 * irregularities (a split purchase, a duplicate payment, an outsized amount) and two broken rows, so that a
 * newcomer sees rejects and alerts of each rule. Deterministic: same files every run.
 */
import { encodeText, generateBulkBatch, parseFile, renderKtbBulkText, type KtbBulkDetailSpec, type TextEncoding } from '@paywatch/ktb-formats';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';

export interface DemoFile { name: string; laoCode: string; bytes: Uint8Array }

function lao(code: string) {
  const l = SEED_LAO_REGISTRY.find((x) => x.laoCode === code);
  if (!l) throw new Error(`demo LAO ${code} missing from the seed registry`);
  return l;
}

function vendorLine(debitAccount: string, effectiveDate: string, amountBaht: number, extra: Partial<KtbBulkDetailSpec> = {}): KtbBulkDetailSpec {
  return {
    payeeBankCode: '014', payeeAccount: '4071234567', debitAccount, effectiveDate, serviceType: '04',
    amountSatang: amountBaht * 100, payeeName: 'ห้างหุ้นส่วนจำกัด รุ่งเรืองวัสดุ', payeeId: null, remark: 'ค่าวัสดุก่อสร้าง', voucherNo: null, ...extra,
  };
}

function render(o: { laoCode: string; seed: number; rows: number; effectiveDate: string; extra: KtbBulkDetailSpec[]; encoding: TextEncoding; breakRows?: boolean }): Uint8Array {
  const l = lao(o.laoCode);
  const g = generateBulkBatch({ seed: o.seed, laoCode: l.laoCode, companyId: l.companyIds[0]!, debitAccount: l.accounts[0]!, rows: o.rows, effectiveDate: o.effectiveDate, senderName: l.nameTh });
  const details = [...g.spec.details, ...o.extra].map((d, i) => ({ ...d, bankReference: String(i + 1).padStart(6, '0') }));
  let text = renderKtbBulkText({ header: g.spec.header, details }, { eol: '\r\n' });
  if (o.breakRows) {
    // Two rows a finance clerk would have to fix: an unknown bank code, and 31 February.
    const lines = text.split('\r\n');
    lines[3] = lines[3]!.slice(0, 9) + '999' + lines[3]!.slice(12);
    lines[5] = lines[5]!.slice(0, 45) + '31022026' + lines[5]!.slice(53);
    text = lines.join('\r\n');
  }
  return encodeText(text, o.encoding);
}

/** The demo files in upload order. */
export function demoFiles(): DemoFile[] {
  const phichit = lao('6600101').accounts[0]!;
  const nakhonSawan = lao('6000101').accounts[0]!;
  return [
    {
      name: 'ktb-bulk-6600101-2026-10-05.txt', laoCode: '6600101',
      bytes: render({
        laoCode: '6600101', seed: 101, rows: 120, effectiveDate: '2026-10-05', encoding: 'windows-874', breakRows: true,
        extra: [
          // Three purchases from one supplier, each under the 100,000-baht threshold, 146,500 baht together.
          vendorLine(phichit, '2026-10-05', 48_500), vendorLine(phichit, '2026-10-05', 49_000),
          // The same supplier paid the same amount twice, with no voucher.
          vendorLine(phichit, '2026-10-05', 49_000, { remark: 'ค่าวัสดุก่อสร้าง งวด 2' }),
        ],
      }),
    },
    {
      name: 'ktb-bulk-6600101-2026-10-20.txt', laoCode: '6600101',
      bytes: render({
        laoCode: '6600101', seed: 102, rows: 60, effectiveDate: '2026-10-20', encoding: 'utf-8',
        // A "wage" payment two orders of magnitude above anything this LAO pays its staff.
        extra: [vendorLine(phichit, '2026-10-20', 985_000, { serviceType: '01', payeeBankCode: '004', payeeAccount: '1239876543', payeeName: 'นายสมปอง ทรัพย์ทวี', remark: 'ค่าจ้างลูกจ้าง' })],
      }),
    },
    {
      name: 'ktb-bulk-6000101-2026-10-07.txt', laoCode: '6000101',
      bytes: render({
        laoCode: '6000101', seed: 201, rows: 30, effectiveDate: '2026-10-07', encoding: 'windows-874',
        extra: [
          vendorLine(nakhonSawan, '2026-10-07', 87_250, { payeeBankCode: '006', payeeAccount: '6621234500', payeeName: 'ร้านลาดยาวพาณิชย์', voucherNo: 'ฎ145/2570' }),
          vendorLine(nakhonSawan, '2026-10-07', 87_250, { payeeBankCode: '006', payeeAccount: '6621234500', payeeName: 'ร้านลาดยาวพาณิชย์', voucherNo: 'ฎ145/2570' }),
        ],
      }),
    },
  ];
}

export interface DemoReferenceFile { name: string; laoCode: string; kind: 'payees'; bytes: Uint8Array }

/**
 * The demo's reference lists: Phichit's register of payees (แบบแจ้งข้อมูลการรับเงินโอน) holding every payee
 * of its demo files except the account the outsized "wage" went to, so payee-not-registered has a case to show.
 */
export function demoReferenceFiles(): DemoReferenceFile[] {
  const laoCode = '6600101';
  const payees = new Map<string, { name: string; bank: string; account: string }>();
  for (const f of demoFiles().filter((d) => d.laoCode === laoCode)) {
    for (const ev of parseFile(f.bytes, { registry: SEED_LAO_REGISTRY })) {
      if (ev.kind !== 'record' || ev.record.payeeAccount === '1239876543') continue;
      payees.set(`${ev.record.payeeBankCode}:${ev.record.payeeAccount}`, { name: ev.record.payeeName, bank: ev.record.payeeBankCode, account: ev.record.payeeAccount });
    }
  }
  const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
  const lines = ['ชื่อผู้รับเงิน,รหัสธนาคาร,เลขที่บัญชี,สถานะ', ...[...payees.values()].map((p) => `${quote(p.name)},${p.bank},${p.account},ใช้งาน`)];
  return [{ name: `payees-${laoCode}.csv`, laoCode, kind: 'payees', bytes: new TextEncoder().encode(lines.join('\r\n')) }];
}
