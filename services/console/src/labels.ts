/**
 * Thai for people (English on the language switch): one module for every label the console shows instead of an
 * internal code — evidence keys and their enumerated values, record and reference field codes, statuses,
 * dispositions, severities, rules, provinces, audit actions — and the formatting of evidence values (satang as
 * baht, dates in the Buddhist Era, fiscal years in BE). Other pages import from here rather than keep their own.
 */
import { formatBaht, formatThaiDate } from './format.ts';
import { L, batchStatusLabel, dispositionLabel, ruleLabel, severityLabel, statusLabel, type Lang } from './i18n.ts';
import { PROVINCES } from './provinces.ts';

export { batchStatusLabel, dispositionLabel, ruleLabel, severityLabel, statusLabel } from './i18n.ts';
export { PROVINCES } from './provinces.ts';

type Pair = readonly [th: string, en: string];

/**
 * Evidence keys, one segment at a time: a nested key (`lao.robustZ`, `amount.robustZ`, `paymentDetails[].row`)
 * reads as its segments' labels joined with " · ". Rule ids that group an alert's evidence are labelled by ruleLabel.
 */
export const EVIDENCE_KEY_LABELS: Readonly<Record<string, Pair>> = {
  allowanceType: ['ประเภทเบี้ยยังชีพ', 'Allowance type'], amount: ['ยอดเงิน', 'Amount'], amountSatang: ['จำนวนเงิน', 'Amount'],
  approvalSeconds: ['เวลาจากจัดทำถึงอนุมัติ (วินาที)', 'Seconds from making to approval'], approvedAt: ['เวลาอนุมัติ', 'Approved at'],
  authorizerId: ['รหัสผู้อนุมัติ', 'Authorizer ID'], band: ['ช่วงใกล้วงเงิน', 'Band below the limit'], bangkokDate: ['วันที่ (เวลาไทย)', 'Date (Bangkok)'],
  bangkokTime: ['เวลา (เวลาไทย)', 'Time (Bangkok)'], baseline: ['เกณฑ์เปรียบเทียบ', 'Compared with'], baselineDays: ['จำนวนวันที่ใช้เปรียบเทียบ', 'Days compared with'],
  batchId: ['รหัสชุดไฟล์', 'Batch ID'], beneficiaries: ['ผู้รับเบี้ยยังชีพ', 'Beneficiaries'], beneficiariesOnAccount: ['จำนวนผู้รับเบี้ยในบัญชีเดียวกัน', 'Beneficiaries on the account'],
  beneficiaryListVersion: ['ฉบับของรายชื่อผู้รับเบี้ย', 'Beneficiary list version'], budgetItem: ['รายการงบประมาณ', 'Budget item'],
  citizenId: ['เลขประจำตัวประชาชน', 'Citizen ID'], citizenIdMasked: ['เลขประจำตัวประชาชน (ปิดบัง)', 'Citizen ID (masked)'], citizenIdValid: ['เลขประจำตัวประชาชนถูกต้อง', 'Citizen ID valid'],
  comparisonBandCount: ['จำนวนรายการในช่วงเปรียบเทียบ', 'Payments in the comparison band'], count: ['จำนวนรายการ', 'Count'],
  countDifference: ['ผลต่างจำนวนรายการ', 'Difference in count'], coveredLines: ['รายการที่มีฎีกา', 'Lines with a voucher'], date: ['วันที่', 'Date'],
  dayAmountSatang: ['ยอดจ่ายของวัน', "The day's amount"], dayCount: ['จำนวนรายการของวัน', "The day's count"], daysApart: ['ห่างกัน (วัน)', 'Days apart'],
  daysSinceRegistration: ['จำนวนวันนับจากลงทะเบียน', 'Days since registration'], declaredCount: ['จำนวนรายการตามหัวไฟล์', 'Count in the header'],
  declaredTotalSatang: ['ยอดรวมตามหัวไฟล์', 'Total in the header'], detailCount: ['จำนวนรายการในไฟล์', 'Lines in the file'],
  detailTotalSatang: ['ยอดรวมรายการในไฟล์', 'Total of the lines'], digit: ['ตัวเลข', 'Digit'], earlier: ['รายการก่อนหน้า', 'Earlier payment'],
  earlierMedianCount: ['มัธยฐานจำนวนรายการเดือนก่อน ๆ', 'Median count of earlier months'], earlierMonthlyCounts: ['จำนวนรายการรายเดือนก่อนหน้า', 'Earlier monthly counts'],
  effectiveDate: ['วันที่มีผล', 'Effective date'], endHour: ['สิ้นสุดเวลาทำการ (ชั่วโมง)', 'Office hours end (hour)'],
  excessMadFirstDigit: ['ส่วนเกินของ MAD หลักแรก', 'Excess MAD, first digit'], executedAt: ['เวลาที่โอน', 'Executed at'], expected: ['ตามที่คาด', 'Expected'],
  expectedMadFirstDigit: ['MAD หลักแรกที่คาดจากความบังเอิญ', 'MAD expected by chance, first digit'],
  expectedMadFirstTwoDigits: ['MAD สองหลักแรกที่คาดจากความบังเอิญ', 'MAD expected by chance, first two digits'],
  expectedShare: ['สัดส่วนที่คาด', 'Expected share'], file: ['ไฟล์', 'File'], fileName: ['ชื่อไฟล์', 'File name'], firstDate: ['วันแรก', 'First date'],
  firstDigitShares: ['สัดส่วนตัวเลขหลักแรก', 'First-digit shares'], firstRecordId: ['รายการแรก', 'First payment'], fiscalYear: ['ปีงบประมาณ', 'Fiscal year'],
  from: ['ตั้งแต่', 'From'], fromSatang: ['ตั้งแต่ (จำนวนเงิน)', 'From (amount)'], historyDays: ['จำนวนวันของประวัติ', 'Days of history'], holiday: ['วันหยุด', 'Holiday'],
  inBand: ['จำนวนรายการในช่วงใกล้วงเงิน', 'Payments in the band'], lao: ['ของ อปท.', "The LAO's"], laoCode: ['รหัส อปท.', 'LAO code'],
  laoCodes: ['รหัส อปท. ที่เกี่ยวข้อง', 'LAO codes'], lastDate: ['วันสุดท้าย', 'Last date'], later: ['รายการหลัง', 'Later payment'],
  limitSatang: ['เกณฑ์จำนวนเงิน', 'Amount threshold'], limitWhat: ['ที่มาของเกณฑ์', 'Threshold from'], madFirstDigit: ['MAD หลักแรก', 'MAD, first digit'],
  madFirstTwoDigits: ['MAD สองหลักแรก', 'MAD, first two digits'], madLog10: ['MAD (log10)', 'MAD (log10)'], makerId: ['รหัสผู้จัดทำ', 'Maker ID'],
  matchedBy: ['จับคู่โดย', 'Matched by'], maxApprovalSeconds: ['เวลาอนุมัติสั้นสุดที่ยอมรับ (วินาที)', 'Approval threshold (seconds)'],
  maxBeneficiariesPerAccount: ['จำนวนผู้รับเบี้ยสูงสุดต่อบัญชี', 'Most beneficiaries per account'], maxMonths: ['จำนวนเดือนสูงสุด', 'Most months'],
  median: ['มัธยฐาน', 'Median'], medianSatang: ['มัธยฐาน', 'Median'], minBaselineDays: ['จำนวนวันเปรียบเทียบขั้นต่ำ', 'Fewest days compared'],
  minCount: ['จำนวนขั้นต่ำ', 'Minimum count'], minCoveredLines: ['จำนวนรายการที่มีฎีกาขั้นต่ำ', 'Fewest lines with a voucher'], minNames: ['จำนวนชื่อขั้นต่ำ', 'Fewest names'],
  minObservations: ['จำนวนรายการขั้นต่ำ', 'Fewest observations'], minPayments: ['จำนวนรายการขั้นต่ำ', 'Fewest payments'], month: ['เดือน', 'Month'],
  monthlyAmountSatang: ['จำนวนเงินต่อเดือน', 'Monthly amount'], months: ['เดือน', 'Months'], name: ['ชื่อ', 'Name'], nameCount: ['จำนวนชื่อ', 'Number of names'],
  names: ['ชื่อที่พบ', 'Names'], normalised: ['ชื่อที่ปรับรูปแล้ว', 'Normalised name'], observations: ['จำนวนรายการในอดีต', 'Observations'],
  observed: ['ที่พบ', 'Observed'], observedShare: ['สัดส่วนที่พบ', 'Observed share'], officeHours: ['เวลาทำการ', 'Office hours'],
  otherLaoPayments: ['รายการจ่ายของ อปท. อื่น', "Other LAOs' payments"], outsideHours: ['นอกเวลาทำการ', 'Outside office hours'],
  pValue: ['ค่า p', 'p-value'], pValueThreshold: ['เกณฑ์ค่า p', 'p-value threshold'], payeeAccount: ['เลขที่บัญชีผู้รับเงิน', 'Payee account'],
  payeeAccountMasked: ['เลขที่บัญชี (ปิดบัง)', 'Account (masked)'], payeeBankCode: ['รหัสธนาคาร', 'Bank code'], payeeHistory: ['ประวัติการจ่ายให้ผู้รับรายนี้', "The payee's history"],
  payeeId: ['เลขประจำตัวผู้เสียภาษี/ประชาชน', 'Citizen/tax ID'], payeeName: ['ชื่อผู้รับเงิน', 'Payee name'], paymentDetails: ['รายการจ่าย', 'Payments'],
  payments: ['รายการจ่าย', 'Payments'], problem: ['ปัญหาที่พบ', 'Problem found'], problems: ['ปัญหาที่พบ', 'Problems found'], quantile: ['เปอร์เซ็นไทล์', 'Quantile'],
  quantileSatang: ['ค่าเปอร์เซ็นไทล์', 'Quantile amount'], ratio: ['เท่าของค่าเปรียบเทียบ', 'Times the baseline'], recentDays: ['จำนวนวันล่าสุด', 'Recent days'],
  recordId: ['รหัสรายการ', 'Payment ID'], registerVersion: ['ฉบับของทะเบียนผู้รับเงิน', 'Payee register version'], registeredNames: ['ชื่อในทะเบียน', 'Registered names'],
  registeredOn: ['วันที่ลงทะเบียน', 'Registered on'], registeredStatus: ['สถานะในทะเบียน', 'Status in the register'], registration: ['การลงทะเบียน', 'Registration'],
  remark: ['หมายเหตุ', 'Remark'], robustZ: ['ค่า z (robust)', 'Robust z'], row: ['แถว', 'Row'], samePerson: ['เป็นบุคคลเดียวกัน', 'Same person'],
  scale: ['มาตราส่วน', 'Scale'], scaleSatang: ['อัตราเบี้ยยังชีพ', 'Allowance tiers'], scope: ['ขอบเขต', 'Scope'],
  seriesAnchorRecordId: ['รายการอ้างอิงของชุด', 'First payment of the series'], serviceType: ['ประเภทบริการ', 'Service type'], serviceTypes: ['ประเภทบริการ', 'Service types'],
  sourceFormat: ['รูปแบบไฟล์', 'File format'], spanDays: ['ช่วงห่าง (วัน)', 'Span (days)'], staffListVersion: ['ฉบับของรายชื่อบุคลากร', 'Staff list version'],
  staffName: ['ชื่อบุคลากร', 'Staff name'], staffPosition: ['ตำแหน่งบุคลากร', 'Staff position'], startHour: ['เริ่มเวลาทำการ (ชั่วโมง)', 'Office hours start (hour)'],
  sumSatang: ['ยอดรวม', 'Sum'], thresholdSatang: ['วงเงิน', 'Threshold'], thresholdsSatang: ['วงเงินตามระเบียบ', 'Thresholds'], tierMonths: ['จำนวนเดือนตามอัตรา', 'Months at the tier'],
  tierSatang: ['อัตราเบี้ยยังชีพ', 'Allowance tier'], to: ['ถึง', 'To'], toSatang: ['ถึง (จำนวนเงิน)', 'To (amount)'], toleranceDays: ['ระยะคลาดเคลื่อนที่ยอมรับ (วัน)', 'Tolerance (days)'],
  totalDifferenceSatang: ['ผลต่างยอดรวม', 'Difference in total'], uncoveredLines: ['รายการที่ไม่มีฎีกา', 'Lines without a voucher'],
  uncoveredTotalSatang: ['ยอดรวมรายการที่ไม่มีฎีกา', 'Total without a voucher'], voucherListSize: ['จำนวนฎีกาในรายการ', 'Vouchers in the list'],
  voucherListVersion: ['ฉบับของรายการฎีกา', 'Voucher list version'], voucherNo: ['เลขที่ฎีกา', 'Voucher number'], vouchersWithSameAmount: ['ฎีกาที่มียอดเท่ากัน', 'Vouchers of the same amount'],
  weekday: ['วันในสัปดาห์', 'Weekday'], weekend: ['วันหยุดสุดสัปดาห์', 'Weekend'], windowDays: ['ช่วงเวลาที่พิจารณา (วัน)', 'Window (days)'],
  zThreshold: ['เกณฑ์ค่า z', 'z threshold'], zeroDispersion: ['ไม่มีการกระจาย', 'No dispersion'], payment: ['รายการจ่าย', 'Payment'], threshold: ['วงเงิน', 'Threshold'],
  totalSatang: ['ยอดรวม', 'Total'],
  // register-changed-before-payment (ADR 0018).
  accountMasked: ['เลขบัญชี (ปิดบางส่วน)', 'Account (masked)'], change: ['การเปลี่ยนแปลงในทะเบียน', 'Register change'],
  changeSource: ['ที่มาของวันที่เปลี่ยนแปลง', 'Where the change date comes from'], changedOn: ['วันที่เปลี่ยนแปลง', 'Changed on'],
  daysBeforePayment: ['จำนวนวันก่อนการจ่าย', 'Days before the payment'], usualSatang: ['ยอดจ่ายปกติ (มัธยฐาน)', 'Usual amount (median)'], largeSatang: ['เกณฑ์ยอดเงินสูง', 'Large amount threshold'],
  registerVersionInForce: ['ฉบับของทะเบียนที่ใช้อยู่', 'Register version in force'], urgentDays: ['เกณฑ์จำนวนวันที่เร่งด่วน', 'Urgent within (days)'],
  // benford's month test and near-threshold's pooled bands (ADR 0008, addendum 2026-12-03 evening).
  test: ['การทดสอบที่ใช้ตัดสิน', 'Test that decided'], chiSquared: ['ค่าไคสแควร์ (χ²)', 'Chi-squared (χ²)'], degreesOfFreedom: ['องศาอิสระ', 'Degrees of freedom'],
  bands: ['ช่วงใต้วงเงินที่ทดสอบ', 'Bands tested'],
  // A storm's group alert (ADR 0019): one rule's alerts of one batch beyond the threshold, listed together.
  group: ['กลุ่มการแจ้งเตือน', 'Alert group'], individualAlertIds: ['การแจ้งเตือนรายรายการที่แยกไว้', 'Alerts kept individual'],
  listed: ['รายการที่แสดง', 'Listed'], listedPayments: ['จำนวนรายการที่แสดงสูงสุด', 'Most payments listed'],
  ruleId: ['กฎ', 'Rule'], ruleVersion: ['รุ่นของกฎ', 'Rule version'], excessMadFirstTwoDigits: ['ส่วนเกินของ MAD สองหลักแรก', 'Excess MAD, first two digits'],
  thresholds: ['เกณฑ์', 'Thresholds'], tolerance: ['ค่าคลาดเคลื่อนที่ยอมรับ', 'Tolerance'], amountsSatang: ['จำนวนเงิน', 'Amounts'], executedAtBangkok: ['เวลาที่โอน (เวลาไทย)', 'Executed at (Bangkok)'],
};

/** Enumerated evidence values (`problem: not-registered`, `baseline: lao-ceiling`), by value. */
export const EVIDENCE_VALUE_LABELS: Readonly<Record<string, Pair>> = {
  'not-registered': ['ไม่อยู่ในทะเบียน', 'not in the register'], 'name-mismatch': ['ชื่อไม่ตรงกับทะเบียน', 'name differs from the register'],
  'inactive': ['สถานะไม่ใช้งานในทะเบียน', 'inactive in the register'], 'amount-not-a-tier': ['ยอดไม่ตรงอัตราเบี้ยยังชีพ', 'amount is not a tier'],
  'invalid-citizen-id': ['เลขประจำตัวประชาชนไม่ถูกต้อง', 'citizen ID fails its check digit'], 'shared-account': ['หลายคนใช้บัญชีเดียวกัน', 'several people on one account'],
  'two-laos': ['รับจากสอง อปท.', 'paid by two LAOs'], 'cross-lao': ['ข้าม อปท.', 'across LAOs'], 'lao': ['ของ อปท. เอง', "the LAO's own"],
  'payee': ['ประวัติของผู้รับรายนี้', "the payee's own"], 'payee-recurring': ['ยอดประจำของผู้รับรายนี้', "the payee's recurring amount"],
  'payee-short': ['ประวัติสั้นของผู้รับรายนี้', "the payee's short history"], 'lao-ceiling': ['ยอดสูงสุดที่ อปท. จ่าย', "the LAO's highest amounts"],
  'peer-ceiling': ['ยอดสูงสุดของ อปท. ประเภทเดียวกัน', "peers' highest amounts"], 'peer-group': ['อปท. ประเภทเดียวกันในจังหวัด', 'the peer group'],
  'province': ['ทั้งจังหวัด', 'the province'], 'every-lao-paying-this-citizen-id': ['ทุก อปท. ที่จ่ายให้เลขประจำตัวนี้', 'every LAO paying this citizen ID'],
  'ktb-bulk': ['KTB bulk', 'KTB bulk'], 'ktb-report': ['รายงาน KTB', 'KTB report'], 'account': ['เลขบัญชี', 'account'], 'citizen-id': ['เลขประจำตัวประชาชน', 'citizen ID'],
  'account-amount': ['บัญชีและจำนวนเงินเดียวกัน', 'same account and amount'], 'voucher': ['เลขที่ฎีกาเดียวกัน', 'same voucher'],
  'year': ['ทั้งปีงบประมาณ', 'the fiscal year'], 'month': ['เดือนเดียว', 'one calendar month'], 'all-thresholds': ['ทุกวงเงินรวมกัน', 'every limit together'],
  'elderly': ['ผู้สูงอายุ', 'elderly'], 'disability': ['ผู้พิการ', 'disability'], 'aids': ['ผู้ป่วยเอดส์', 'AIDS patients'],
};

/** Record and reference field codes (a rejected row's `field`, a refused reference row's column). */
export const FIELD_LABELS: Readonly<Record<string, Pair>> = {
  line: ['ทั้งแถว', 'Whole row'], recordType: ['ประเภทแถว', 'Record type'], laoCode: ['รหัส อปท.', 'LAO code'], name: ['ชื่อ', 'Name'], payeeName: ['ชื่อผู้รับเงิน', 'Payee name'],
  payeeId: ['เลขประจำตัวผู้เสียภาษี/ประชาชน', 'Citizen/tax ID'], citizenId: ['เลขประจำตัวประชาชน', 'Citizen ID'], bankCode: ['รหัสธนาคาร', 'Bank code'],
  payeeBankCode: ['รหัสธนาคาร', 'Bank code'], account: ['เลขที่บัญชี', 'Account number'], payeeAccount: ['เลขที่บัญชี', 'Account number'], debitAccount: ['บัญชีต้นทาง', 'Debit account'],
  registeredOn: ['วันที่ลงทะเบียน', 'Registered on'], status: ['สถานะ', 'Status'], position: ['ตำแหน่ง', 'Position'], voucherNo: ['เลขที่ฎีกา', 'Voucher number'],
  voucherDate: ['วันที่ฎีกา', 'Voucher date'], amountSatang: ['จำนวนเงิน', 'Amount'], feeSatang: ['ค่าธรรมเนียม', 'Fee'], monthlyAmountSatang: ['จำนวนเงินต่อเดือน', 'Monthly amount'],
  budgetItem: ['รายการงบประมาณ', 'Budget item'], allowanceType: ['ประเภทเบี้ยยังชีพ', 'Allowance type'], effectiveDate: ['วันที่มีผล', 'Effective date'],
  executedAt: ['เวลาที่โอน', 'Executed at'], approvedAt: ['เวลาอนุมัติ', 'Approved at'], serviceType: ['ประเภทบริการ', 'Service type'], batchNo: ['เลขที่ชุด', 'Batch number'],
  makerId: ['รหัสผู้จัดทำ', 'Maker ID'], authorizerId: ['รหัสผู้อนุมัติ', 'Authorizer ID'], remark: ['หมายเหตุ', 'Remark'], bankReference: ['เลขอ้างอิงธนาคาร', 'Bank reference'],
  header: ['หัวไฟล์', 'File header'], companyId: ['รหัสบริษัท KTB', 'KTB company ID'],
};

const pick = (m: Readonly<Record<string, Pair>>, k: string, lang: Lang): string | null => (m[k] ? m[k]![lang === 'th' ? 0 : 1] : null);

/** One segment of an evidence key, or null when it has no label (rule ids count as labelled). */
function segmentLabel(segment: string, lang: Lang): string | null {
  const own = pick(EVIDENCE_KEY_LABELS, segment, lang);
  if (own) return own;
  const rule = ruleLabel(segment, lang);
  return rule !== segment ? rule : null;
}

/** The segments of an evidence path: `paymentDetails[0].payeeAccountMasked` → `paymentDetails`, `payeeAccountMasked`. */
const segmentsOf = (path: string): string[] => path.split('.').map((s) => s.replace(/\[\d*\]/g, '')).filter(Boolean);

/** An evidence key for people: `lao.robustZ` → `ของ อปท. · ค่า z (robust)`; an unknown segment shows as it is. */
export function evidenceKeyLabel(path: string, lang: Lang): string {
  return segmentsOf(path).map((s) => segmentLabel(s, lang) ?? s).join(' · ');
}

/** The evidence paths whose segments lack a Thai label (the unit test keeps this empty for every key the rules emit). */
export function unlabelledEvidenceKeys(paths: Iterable<string>): string[] {
  const missing = new Set<string>();
  for (const p of paths) for (const s of segmentsOf(p)) if (!segmentLabel(s, 'th') || !segmentLabel(s, 'en')) missing.add(s);
  return [...missing].sort();
}

/** A record or reference field code for people (`payeeBankCode` → `รหัสธนาคาร`); unknown codes as they are, null as a dash. */
export function fieldLabel(code: string | null | undefined, lang: Lang): string {
  if (!code) return '—';
  return pick(FIELD_LABELS, code, lang) ?? code;
}

/** A province by name (`66` → `พิจิตร`); an unknown code as it is. */
export function provinceName(code: string | null | undefined, lang: Lang): string {
  if (!code) return '—';
  if (code === 'unknown') return L(lang, 'ไม่พบในทะเบียน อปท.', 'not in the LAO registry');
  return pick(PROVINCES, code, lang) ?? code;
}

const isCalendarDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);
const isInstant = (v: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(v);
const TH_MONTHS = ['ม.ค.', 'ก.พ.', 'มี.ค.', 'เม.ย.', 'พ.ค.', 'มิ.ย.', 'ก.ค.', 'ส.ค.', 'ก.ย.', 'ต.ค.', 'พ.ย.', 'ธ.ค.'];
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** One scalar of the evidence for people: satang as baht, dates and months in BE (Thai), booleans as words, known codes labelled. */
export function evidenceValueText(path: string, value: unknown, lang: Lang): string {
  const key = segmentsOf(path).at(-1) ?? path;
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? L(lang, 'ใช่', 'yes') : L(lang, 'ไม่ใช่', 'no');
  if (typeof value === 'number') {
    if (/Satang$/.test(key) && Number.isSafeInteger(value)) return formatBaht(value, lang);
    // A fiscal year is written in the Buddhist Era in Thai, as the budget documents do.
    if (key === 'fiscalYear' && Number.isInteger(value) && value < 2400) return lang === 'th' ? String(value + 543) : String(value);
    return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toLocaleString('en-US', { maximumFractionDigits: 4 });
  }
  if (typeof value === 'string') {
    if (isCalendarDate(value) || isInstant(value)) return formatThaiDate(value, { lang, withTime: isInstant(value) });
    const month = /^(\d{4})-(\d{2})$/.exec(value);
    if (month) { const m = Number(month[2]) - 1; return lang === 'th' ? `${TH_MONTHS[m]} ${Number(month[1]) + 543}` : `${EN_MONTHS[m]} ${month[1]}`; }
    const fy = /^fy-(\d{4})$/.exec(value);
    if (fy) return L(lang, `ปีงบประมาณ ${Number(fy[1]) + 543}`, `fiscal year ${fy[1]}`);
    const rule = ruleLabel(value, lang);
    if (rule !== value) return rule;
    return pick(EVIDENCE_VALUE_LABELS, value, lang) ?? value;
  }
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) return value.map((v) => evidenceValueText(path, v, lang)).join(', ');
  return JSON.stringify(value);
}

/** An audit trail entry as the alerts API returns it. */
export interface AuditEntryLike { action: string; actor: string; payload: Record<string, unknown> }

const text = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
const count = (v: unknown): number => (Array.isArray(v) ? v.length : 0);

/** An audit entry as a sentence (who did what, with what), never raw JSON; the actor is named by the caller's column. */
export function auditSentence(e: AuditEntryLike, lang: Lang): string {
  const p = e.payload ?? {};
  switch (e.action) {
    case 'reveal': {
      const n = count(p.fields);
      const purpose = text(p.purpose);
      return L(lang, `เปิดดูเลขบัญชี/เลขประจำตัวที่ปิดบัง ${n} รายการ${purpose ? ` เพื่อ${purpose}` : ''}`, `Revealed ${n} masked account/ID value${n === 1 ? '' : 's'}${purpose ? ` (purpose: ${purpose})` : ''}`);
    }
    case 'transition': {
      const to = text(p.to);
      const base = L(lang, `เปลี่ยนสถานะจาก “${statusLabel(text(p.from), lang)}” เป็น “${statusLabel(to, lang)}”`, `Moved from “${statusLabel(text(p.from), lang)}” to “${statusLabel(to, lang)}”`);
      if (to === 'resolved') return `${base}${L(lang, ` ผลการตรวจสอบ: ${dispositionLabel(text(p.disposition) || null, lang)} เหตุผล: ${text(p.reason)}`, `, disposition: ${dispositionLabel(text(p.disposition) || null, lang)}, reason: ${text(p.reason)}`)}`;
      return base;
    }
    case 'assign':
      return p.to ? L(lang, `มอบหมายเรื่องให้ ${text(p.to)}${p.from ? ` (เดิม ${text(p.from)})` : ''}`, `Assigned to ${text(p.to)}${p.from ? ` (was ${text(p.from)})` : ''}`)
        : L(lang, `ยกเลิกการมอบหมาย${p.from ? ` (เดิม ${text(p.from)})` : ''}`, `Unassigned${p.from ? ` (was ${text(p.from)})` : ''}`);
    case 'comment':
      return L(lang, `แสดงความเห็น: “${text(p.text)}”`, `Commented: “${text(p.text)}”`);
    case 'snooze':
      return L(lang, `พักการแจ้งเตือนกฎ “${ruleLabel(text(p.ruleId), lang)}” สำหรับผู้รับเงินรายนี้ ${text(p.days)} วัน ถึง ${formatThaiDate(text(p.expiresAt), { lang, withTime: true })} เหตุผล: ${text(p.reason)}`,
        `Snoozed “${ruleLabel(text(p.ruleId), lang)}” for this payee for ${text(p.days)} days, until ${formatThaiDate(text(p.expiresAt), { lang, withTime: true })}; reason: ${text(p.reason)}`);
    case 'notification-suppressed':
      return L(lang, `ไม่ส่งการแจ้งเตือน เพราะกฎที่พบถูกพักไว้ (${count(p.snoozeIds)} รายการ)`, `Not notified: its rules were snoozed (${count(p.snoozeIds)} snooze${count(p.snoozeIds) === 1 ? '' : 's'})`);
    case 'escalate':
      return L(lang, `ยกระดับถึงหัวหน้าสำนักงานและส่วนกลาง ${count(p.recipients)} คน เพราะยังไม่มีผู้รับทราบ`, `Escalated to ${count(p.recipients)} people (province head and centre): nobody acknowledged it`);
    default: {
      // An action this console does not know yet: its name and the payload's scalar fields, still readable.
      const parts = Object.entries(p).filter(([, v]) => v === null || typeof v !== 'object').map(([k, v]) => `${k}: ${text(v)}`);
      return `${e.action}${parts.length ? ` (${parts.join(', ')})` : ''}`;
    }
  }
}

/** The audit action's name for the trail's action column. */
export function auditActionLabel(action: string, lang: Lang): string {
  return pick(AUDIT_ACTIONS, action, lang) ?? action;
}
const AUDIT_ACTIONS: Readonly<Record<string, Pair>> = {
  reveal: ['เปิดดูเลขบัญชี', 'Reveal'], transition: ['เปลี่ยนสถานะ', 'Status change'], assign: ['มอบหมาย', 'Assignment'], comment: ['ความเห็น', 'Comment'],
  snooze: ['พักการแจ้งเตือน', 'Snooze'], 'notification-suppressed': ['ไม่ส่งการแจ้งเตือน', 'Notification suppressed'], escalate: ['ยกระดับ', 'Escalation'],
};

/** The alert page's actions, named for buttons and error messages. */
export const ACTION_LABELS: Readonly<Record<string, Pair>> = {
  reveal: ['เปิดดูเลขบัญชี', 'Reveal'], acknowledge: ['รับทราบ', 'Acknowledge'], assign: ['มอบหมาย', 'Assign'], comment: ['บันทึกความเห็น', 'Comment'],
  snooze: ['พักการแจ้งเตือน', 'Snooze'], resolve: ['ปิดเรื่อง', 'Resolve'],
};
export const actionLabel = (a: string, lang: Lang): string => pick(ACTION_LABELS, a, lang) ?? a;
