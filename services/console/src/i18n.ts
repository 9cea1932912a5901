/** Thai first, English on request. Labels are kept next to their Thai text rather than in a catalogue. */
export type Lang = 'th' | 'en';
export const L = (lang: Lang, th: string, en: string): string => (lang === 'th' ? th : en);

const SEVERITY: Record<string, [string, string]> = { low: ['ต่ำ', 'Low'], medium: ['ปานกลาง', 'Medium'], high: ['สูง', 'High'], critical: ['วิกฤต', 'Critical'] };
const STATUS: Record<string, [string, string]> = { new: ['ใหม่', 'New'], acknowledged: ['รับทราบแล้ว', 'Acknowledged'], investigating: ['กำลังตรวจสอบ', 'Investigating'], resolved: ['ปิดแล้ว', 'Resolved'] };
const DISPOSITION: Record<string, [string, string]> = { confirmed: ['ยืนยันว่าผิดปกติ', 'Confirmed'], 'false-positive': ['แจ้งเตือนผิดพลาด', 'False positive'], explained: ['มีคำชี้แจงที่รับได้', 'Explained'], referred: ['ส่งต่อหน่วยงานอื่น', 'Referred'] };
const RULE: Record<string, [string, string]> = {
  'split-payment': ['แบ่งจ่ายเลี่ยงวงเงิน', 'Split payment'], 'duplicate-payment': ['จ่ายซ้ำ', 'Duplicate payment'],
  'amount-outlier': ['จำนวนเงินสูงผิดปกติ', 'Amount outlier'], 'new-payee-large': ['ผู้รับเงินรายใหม่ยอดสูง', 'New payee, large amount'], 'register-changed-before-payment': ['ทะเบียนผู้รับเงินเปลี่ยนก่อนจ่าย', 'Register changed before payment'],
  'near-threshold': ['ยอดใกล้วงเงิน', 'Near threshold'], 'velocity-spike': ['จ่ายถี่ผิดปกติ', 'Velocity spike'], 'account-many-names': ['บัญชีเดียวหลายชื่อ', 'One account, many names'],
  'repeat-siphon': ['จ่ายซ้ำเป็นรูปแบบ', 'Repeat siphon'], benford: ['การกระจายตัวเลขหลักแรก (Benford)', 'First-digit distribution (Benford)'],
  'off-hours': ['โอนนอกเวลาทำการ', 'Off-hours transfer'], 'self-approval': ['ผู้จัดทำอนุมัติเอง', 'Self-approval'], 'batch-padded': ['ชุดรายการไม่ตรงยอดหัวไฟล์', 'Padded batch'],
  'payee-not-registered': ['ผู้รับเงินไม่อยู่ในทะเบียน', 'Payee not registered'], 'staff-account': ['โอนเข้าบัญชีบุคลากร', 'Paid to a staff account'],
  'no-voucher': ['ไม่มีฎีกาอนุมัติ', 'No approved voucher'], 'welfare-anomaly': ['เบี้ยยังชีพผิดปกติ', 'Welfare allowance anomaly'],
  'welfare-two-laos': ['รับเบี้ยยังชีพซ้ำจากสอง อปท.', 'Allowance paid by two LAOs'],
};
/** Every rule the detector knows (typologies.md), for the inbox's rule filter. */
export const RULE_IDS = Object.keys(RULE).sort();
const BATCH: Record<string, [string, string]> = { received: ['รับไฟล์แล้ว', 'Received'], processing: ['กำลังประมวลผล', 'Processing'], published: ['ประมวลผลเสร็จ', 'Processed'], refused: ['ไม่รับไฟล์', 'Refused'] };

/** Reference-list kinds of ingest's `POST /v1/reference/{kind}`, named as LAO finance staff call them. */
const REFERENCE_KIND: Record<string, [string, string]> = {
  payees: ['ทะเบียนผู้รับเงินโอน', 'Registered payees'], staff: ['บุคลากร', 'Staff'],
  vouchers: ['ฎีกาที่อนุมัติ', 'Approved vouchers'], beneficiaries: ['ผู้รับเบี้ยยังชีพ', 'Welfare beneficiaries'],
};
export const REFERENCE_KINDS = ['payees', 'staff', 'vouchers', 'beneficiaries'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];
export const isReferenceKind = (k: unknown): k is ReferenceKind => typeof k === 'string' && (REFERENCE_KINDS as readonly string[]).includes(k);
/** Columns a refused row names (the reference parser uses the items' field names). */
const ROW_FIELD: Record<string, [string, string]> = {
  line: ['ทั้งแถว', 'Whole row'], laoCode: ['รหัส อปท.', 'LAO code'], name: ['ชื่อ', 'Name'], payeeName: ['ชื่อผู้รับเงิน', 'Payee name'],
  payeeId: ['เลขประจำตัวผู้เสียภาษี/ประชาชน', 'Citizen/tax ID'], citizenId: ['เลขประจำตัวประชาชน', 'Citizen ID'], bankCode: ['รหัสธนาคาร', 'Bank code'],
  payeeBankCode: ['รหัสธนาคาร', 'Bank code'], account: ['เลขที่บัญชี', 'Account number'], payeeAccount: ['เลขที่บัญชี', 'Account number'],
  registeredOn: ['วันที่ลงทะเบียน', 'Registered on'], status: ['สถานะ', 'Status'], position: ['ตำแหน่ง', 'Position'], voucherNo: ['เลขที่ฎีกา', 'Voucher number'],
  voucherDate: ['วันที่ฎีกา', 'Voucher date'], amountSatang: ['จำนวนเงิน', 'Amount'], monthlyAmountSatang: ['จำนวนเงินต่อเดือน', 'Monthly amount'],
  budgetItem: ['รายการงบประมาณ', 'Budget item'], allowanceType: ['ประเภทเบี้ยยังชีพ', 'Allowance type'],
};

const pick = (m: Record<string, [string, string]>, k: string | null | undefined, lang: Lang) => (k && m[k] ? m[k]![lang === 'th' ? 0 : 1] : (k ?? '—'));
export const severityLabel = (s: string, lang: Lang) => pick(SEVERITY, s, lang);
export const statusLabel = (s: string, lang: Lang) => pick(STATUS, s, lang);
export const dispositionLabel = (s: string | null, lang: Lang) => pick(DISPOSITION, s, lang);
export const ruleLabel = (s: string, lang: Lang) => pick(RULE, s, lang);
export const batchStatusLabel = (s: string, lang: Lang) => pick(BATCH, s, lang);
export const referenceKindLabel = (s: string, lang: Lang) => pick(REFERENCE_KIND, s, lang);
export const rowFieldLabel = (s: string | null, lang: Lang) => pick(ROW_FIELD, s, lang);
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const STATUSES = ['new', 'acknowledged', 'investigating', 'resolved'] as const;
export const DISPOSITIONS = ['confirmed', 'false-positive', 'explained', 'referred'] as const;
