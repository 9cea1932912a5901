/** The alert e-mail, Thai first: what happened, the evidence, and what the auditor may do about it. */
import { alertLegalBasis } from './legal-basis.ts';
import { formatSatangAsBaht, formatThaiDate, maskAccount, maskDigitsInText, toBangkok, type Alert, type LaoRegistryEntry, type Severity } from '@paywatch/domain';

/** Thai names of the severities, as they read in a sentence ("ความเสี่ยงระดับสูง"). */
export const SEVERITY_TH = { low: 'ต่ำ', medium: 'ปานกลาง', high: 'สูง', critical: 'วิกฤต' } as const satisfies Record<Severity, string>;

/** Short Thai names of the detection rules (typologies.md), for subjects and lists. */
export const RULE_LABEL_TH: Readonly<Record<string, string>> = {
  'payee-not-registered': 'ผู้รับเงินไม่อยู่ในทะเบียน',
  'account-many-names': 'บัญชีเดียวหลายชื่อ',
  'staff-account': 'โอนเข้าบัญชีบุคลากร',
  'no-voucher': 'ไม่มีฎีกาอนุมัติ',
  'batch-padded': 'ชุดรายการไม่ตรงฎีกา',
  'repeat-siphon': 'โอนซ้ำเข้าบัญชีเดียว',
  'duplicate-payment': 'จ่ายซ้ำ',
  'split-payment': 'แบ่งจ่ายเลี่ยงวงเงิน',
  'near-threshold': 'ยอดใกล้วงเงิน',
  'amount-outlier': 'ยอดเงินผิดปกติ',
  'new-payee-large': 'ผู้รับรายใหม่ยอดสูง',
  'register-changed-before-payment': 'ทะเบียนผู้รับเงินเปลี่ยนก่อนจ่าย',
  'off-hours': 'โอนนอกเวลาทำการ',
  'self-approval': 'ผู้จัดทำอนุมัติเอง',
  'welfare-anomaly': 'เบี้ยยังชีพผิดปกติ',
  'welfare-two-laos': 'รับเบี้ยยังชีพซ้ำจากสอง อปท.',
  benford: 'การกระจายตัวเลขผิดปกติ',
  'velocity-spike': 'ยอดจ่ายพุ่งสูงผิดปกติ',
};

/** A rule id (possibly `id@version`) as Thai text; unknown rules show their id. */
export const ruleLabelTh = (ruleId: string): string => RULE_LABEL_TH[ruleId.split('@')[0]!] ?? ruleId;


/** An instant as Bangkok wall-clock time in Thai: `22 พ.ย. 2569 09:05 น.`. */
export function formatBangkokDateTime(instant: string | Date): string {
  const b = toBangkok(instant);
  return `${formatThaiDate(b.date)} ${String(b.hour).padStart(2, '0')}:${String(b.minute).padStart(2, '0')} น.`;
}

/** Satang as Thai baht text: `4500000` → `45,000.00 บาท`. */
export const bahtText = (satang: number): string => `${formatSatangAsBaht(satang)} บาท`;

/** The legal texts live in legal-basis.ts (per LAO type and per rule); re-exported for existing callers. */
export { legalBasisFor, type LegalText as LegalBasis } from './legal-basis.ts';

/**
 * The console's page of one alert, where every notification (e-mail, digest, webhook, LINE) sends the auditor: it
 * asks for a login when there is no session and then returns to the alert. Never the API (a browser gets a 401 there).
 */
export function alertLink(consoleBaseUrl: string, alertId: string): string {
  return `${consoleBaseUrl.replace(/\/+$/, '')}/alerts/${encodeURIComponent(alertId)}`;
}

/** A rendered e-mail: the same text goes to every recipient of the alert. */
export interface RenderedEmail { subject: string; text: string }

const SENSITIVE_KEY = /account|citizen|taxid|payeeid|idcard/i;

/** Evidence values for people: accounts masked, satang as baht, long values cut. */
function renderValue(key: string, value: unknown): string {
  if (typeof value === 'number' && /satang$/i.test(key) && Number.isSafeInteger(value)) return bahtText(value);
  if ((typeof value === 'string' || typeof value === 'number') && SENSITIVE_KEY.test(key)) return maskAccount(String(value));
  if (typeof value === 'string') return maskDigitsInText(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) return value.map((v) => renderValue(key, v)).join(', ');
  const json = JSON.stringify(value, (k, v) => ((typeof v === 'string' || typeof v === 'number') && k && SENSITIVE_KEY.test(k) ? maskAccount(String(v)) : v));
  const masked = maskDigitsInText(json ?? '');
  return masked.length > 200 ? `${masked.slice(0, 199)}…` : masked;
}

function evidenceLines(evidence: Record<string, unknown>, indent: string): string[] {
  return Object.entries(evidence).map(([k, v]) => `${indent}- ${k}: ${renderValue(k, v)}`);
}

/** Renders the alert e-mail. `lao` is null for an LAO missing from the registry. */
export function renderAlertEmail(alert: Alert, lao: LaoRegistryEntry | null, consoleBaseUrl: string): RenderedEmail {
  const laoName = lao?.nameTh ?? `อปท. รหัส ${alert.laoCode}`;
  const rules = [...new Set(alert.findings.map((f) => f.ruleId))];
  const paymentCount = alert.payments.length;
  const amount = bahtText(alert.amountSatang);
  const countText = paymentCount > 0 ? ` ${paymentCount} รายการ` : '';
  const subject = `[paywatch] แจ้งเตือนความเสี่ยงระดับ${SEVERITY_TH[alert.severity]}: ${laoName} — ${rules.map(ruleLabelTh).join(' + ')}${countText} ${amount}`;
  const link = alertLink(consoleBaseUrl, alert.alertId);
  const basis = alertLegalBasis(rules, lao?.type ?? null);

  const lines: string[] = [
    'เรียน ผู้ตรวจสอบที่กำกับดูแลองค์กรปกครองส่วนท้องถิ่น',
    '',
    'ระบบ paywatch พบรายการจ่ายเงินที่ควรตรวจสอบ (paywatch found payments that need a look):',
    '',
    `หน่วยงาน (LAO): ${laoName} (รหัส ${alert.laoCode})`,
    `จังหวัด (Province): ${lao ? `${lao.provinceNameTh} · อำเภอ${lao.districtTh}` : 'ไม่พบในทะเบียน อปท. (not in the LAO registry)'}`,
    `ระดับความเสี่ยง (Severity): ${SEVERITY_TH[alert.severity]} (${alert.severity})`,
    `จำนวนเงินรวม (Amount): ${amount}${paymentCount > 0 ? ` จาก ${paymentCount} รายการ` : ''}`,
    `วันที่จ่าย (Occurred on): ${formatThaiDate(alert.occurredOn)}`,
    `รหัสการแจ้งเตือน (Alert id): ${alert.alertId}`,
    '',
    'เหตุผล (Reasons):',
  ];
  alert.findings.forEach((f, i) => {
    lines.push(`${i + 1}. ${maskDigitsInText(f.reasons.th)}`);
    lines.push(`   ${maskDigitsInText(f.reasons.en)}`);
    lines.push(`   กฎ (rule): ${f.ruleId}@${f.ruleVersion} · ${SEVERITY_TH[f.severity]} (${f.severity})`);
  });
  lines.push('', 'หลักฐานโดยสรุป (Evidence):');
  if (Object.keys(alert.evidence).length > 0) lines.push(...evidenceLines(alert.evidence, '  '));
  else for (const f of alert.findings) lines.push(`  [${f.ruleId}]`, ...evidenceLines(f.evidence, '  '));
  if (paymentCount > 0) {
    lines.push('', 'รายการที่เกี่ยวข้อง (Payments):');
    for (const p of alert.payments.slice(0, 10)) lines.push(`  - ไฟล์ ${p.file} แถวที่ ${p.row} (ชุด ${p.batchId})`);
    if (paymentCount > 10) lines.push(`  … และอีก ${paymentCount - 10} รายการ (and ${paymentCount - 10} more)`);
  }
  lines.push(
    '',
    `ดูรายละเอียด (Details): ${link}`,
    '',
    'ฐานอำนาจที่ใช้ได้ (Legal basis):',
    basis.supervision.th,
    basis.supervision.en,
    '',
    'สิ่งที่ผู้ตรวจสอบดำเนินการได้ตามกฎที่พบ (What you can do, per rule):',
    ...basis.rules.flatMap((r) => [
      `- ${ruleLabelTh(r.ruleId)} (${r.ruleId}): ${r.action.th}`,
      `  ${r.action.en}`,
      `  อ้างอิง (authority): ${r.authority.th}`,
      `  ${r.authority.en}`,
    ]),
    '',
    'การแจ้งเตือนนี้เป็นเหตุให้ควรตรวจสอบ ไม่ใช่ข้อสรุปว่ามีการกระทำผิด',
    'This alert is a reason to look, not a finding of wrongdoing.',
    '',
    '— paywatch (ระบบเฝ้าระวังการจ่ายเงินผ่าน KTB Corporate Online)',
  );
  return { subject, text: lines.join('\n') };
}
