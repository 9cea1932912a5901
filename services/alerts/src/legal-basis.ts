/**
 * What an auditor can do about an alert, and under which authority: the supervisory power over the LAO (by its
 * type, domain.md) plus, per rule, the step that fits the finding and the rule book it is checked against.
 * Section numbers are given only where domain.md names them; the rest names the law or regulation (as in force)
 * without clauses, so a wrong clause number never sends an auditor to the wrong page. Wording for legal review.
 */
import type { LaoRegistryEntry } from '@paywatch/domain';

/** Text in Thai and English. */
export interface LegalText { th: string; en: string }

/** One rule's step and authority. */
export interface RuleLegalBasis { action: LegalText; authority: LegalText }

/** The whole legal section of an alert: who supervises the LAO, then one entry per rule that fired. */
export interface AlertLegalBasis { supervision: LegalText; rules: Array<{ ruleId: string } & RuleLegalBasis> }

const POWERS_TH = 'เรียกเอกสารหรือหลักฐาน เรียกเจ้าหน้าที่มาชี้แจง สอบสวน และสั่งเพิกถอนหรือระงับการกระทำที่อาจก่อความเสียหาย';
const POWERS_EN = 'call for documents, summon officials, investigate, and revoke or suspend damaging acts';

/** The supervisory power an auditor can rely on, by LAO type (null type: LAO not in the registry). */
export function legalBasisFor(type: LaoRegistryEntry['type'] | null): LegalText {
  switch (type) {
    case 'city-municipality': case 'town-municipality': case 'subdistrict-municipality':
      return {
        th: `ผู้ว่าราชการจังหวัดมีอำนาจกำกับดูแลเทศบาลตามพระราชบัญญัติเทศบาล พ.ศ. 2496 มาตรา 71–73: ${POWERS_TH}`,
        en: `The provincial governor supervises municipalities under the Municipality Act B.E. 2496, s.71–73: ${POWERS_EN}.`,
      };
    case 'pao':
      return {
        th: `ผู้ว่าราชการจังหวัดมีอำนาจกำกับดูแลองค์การบริหารส่วนจังหวัดตามพระราชบัญญัติองค์การบริหารส่วนจังหวัด พ.ศ. 2540 มาตรา 77–79: ${POWERS_TH}`,
        en: `The provincial governor supervises provincial administrative organisations under the PAO Act B.E. 2540, s.77–79: ${POWERS_EN}.`,
      };
    case 'sao':
      return {
        th: `นายอำเภอมีอำนาจกำกับดูแลองค์การบริหารส่วนตำบลตามพระราชบัญญัติสภาตำบลและองค์การบริหารส่วนตำบล พ.ศ. 2537 มาตรา 90–92: ${POWERS_TH}`,
        en: `The district chief supervises subdistrict administrative organisations under the Tambon Council and SAO Act B.E. 2537, s.90–92: ${POWERS_EN}.`,
      };
    default:
      // Pattaya and LAOs missing from the registry: no single section applies, so name the route, not a section.
      return {
        th: 'ใช้อำนาจกำกับดูแลตามกฎหมายจัดตั้งขององค์กรปกครองส่วนท้องถิ่นนั้น (ผู้ว่าราชการจังหวัดหรือนายอำเภอ) หรือส่งเรื่องให้สำนักงานการตรวจเงินแผ่นดิน ป.ป.ช. หรือ ป.ป.ท.',
        en: 'Use the supervisory powers of the law establishing this LAO (governor or district chief), or refer the case to the State Audit Office, the NACC or the PACC.',
      };
  }
}

// The rule books the findings are checked against.
const PAYMENT_REG: LegalText = {
  th: 'ระเบียบกระทรวงมหาดไทยว่าด้วยการรับเงิน การเบิกจ่ายเงิน การฝากเงิน การเก็บรักษาเงิน และการตรวจเงินขององค์กรปกครองส่วนท้องถิ่น (ฉบับที่ใช้บังคับ)',
  en: 'the Ministry of Interior regulation on the receipt, disbursement, deposit, safekeeping and auditing of money of LAOs (as in force)',
};
const PROCUREMENT: LegalText = {
  th: 'พระราชบัญญัติการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. 2560 และระเบียบกระทรวงการคลังว่าด้วยการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. 2560',
  en: 'the Public Procurement and Supplies Administration Act B.E. 2560 and the Ministry of Finance regulation B.E. 2560 under it',
};
const ELDERLY_REG: LegalText = {
  th: 'ระเบียบกระทรวงมหาดไทยว่าด้วยหลักเกณฑ์การจ่ายเงินเบี้ยยังชีพผู้สูงอายุขององค์กรปกครองส่วนท้องถิ่น พ.ศ. 2552',
  en: 'the Ministry of Interior regulation B.E. 2552 on paying elderly allowances by LAOs',
};
const REFERRAL: LegalText = {
  th: 'หากพบการทุจริต ส่งเรื่องให้สำนักงานการตรวจเงินแผ่นดิน (พระราชบัญญัติประกอบรัฐธรรมนูญว่าด้วยการตรวจเงินแผ่นดิน พ.ศ. 2561) ป.ป.ช. หรือ ป.ป.ท.',
  en: 'if fraud is found, refer it to the State Audit Office (Organic Act on State Audit B.E. 2561), the NACC or the PACC',
};
const SUPERVISORY: LegalText = { th: 'อำนาจกำกับดูแลข้างต้น (เรียกเอกสาร เรียกชี้แจง สอบสวน ระงับการกระทำ)', en: 'the supervisory powers above (documents, summons, investigation, suspension)' };

const both = (...parts: LegalText[]): LegalText => ({ th: parts.map((p) => p.th).join(' · '), en: parts.map((p) => p.en).join('; ') });
const step = (th: string, en: string, ...authority: LegalText[]): RuleLegalBasis => ({ action: { th, en }, authority: both(...authority) });

/** Per rule (typologies.md): the first step that fits the finding, and what it is checked against. */
export const RULE_LEGAL_BASIS: Readonly<Record<string, RuleLegalBasis>> = {
  'duplicate-payment': step('เรียกฎีกาและหลักฐานการจ่ายของทั้งสองรายการ ตรวจว่ามีหนี้ผูกพันแยกกันหรือไม่ หากจ่ายซ้ำให้สั่งเรียกเงินคืน',
    'Call for the vouchers and payment evidence of both payments and check for two distinct obligations; if paid twice, order the money recovered.', PAYMENT_REG, SUPERVISORY),
  'split-payment': step('เรียกเอกสารการจัดซื้อจัดจ้างของรายการที่แบ่งจ่าย ตรวจว่าแบ่งซื้อแบ่งจ้างเพื่อเลี่ยงวิธีหรืออำนาจอนุมัติหรือไม่',
    'Call for the procurement files of the split payments and check whether one purchase was divided to avoid a procurement method or approval level.', PROCUREMENT, SUPERVISORY),
  'near-threshold': step('เรียกเอกสารการจัดซื้อจัดจ้าง ตรวจว่าวิธีจัดซื้อและผู้อนุมัติถูกต้องตามวงเงินจริงของงาน',
    'Call for the procurement file and check that the method and approver fit the real value of the work.', PROCUREMENT, SUPERVISORY),
  'amount-outlier': step('เรียกฎีกา สัญญา และหลักฐานการตรวจรับ ของรายการที่มียอดผิดปกติ',
    'Call for the voucher, contract and acceptance record of the unusual amount.', PAYMENT_REG, SUPERVISORY),
  'new-payee-large': step('ตรวจแบบแจ้งข้อมูลการรับเงินโอนของผู้รับรายใหม่ และฎีกาที่อนุมัติการจ่าย',
    'Check the new payee\'s transfer registration form and the voucher that approved the payment.', PAYMENT_REG, SUPERVISORY),
  'register-changed-before-payment': step('ตรวจแบบแจ้งข้อมูลการรับเงินโอนที่เพิ่มหรือเปลี่ยนบัญชีนี้ ผู้อนุมัติการเปลี่ยนแปลง และยืนยันบัญชีกับผู้รับเงินโดยตรง',
    'Check the transfer registration form that added or changed this account, who approved the change, and confirm the account with the payee directly.', PAYMENT_REG, SUPERVISORY),
  'payee-not-registered': step('ตรวจว่าผู้รับเงินยื่นแบบแจ้งข้อมูลการรับเงินโอนผ่านระบบ KTB Corporate Online หรือไม่ และใครเพิ่มบัญชีนี้',
    'Check whether the payee filed the KTB Corporate Online transfer registration form, and who added this account.', PAYMENT_REG, SUPERVISORY),
  'no-voucher': step('เรียกฎีกาที่อนุมัติการจ่าย หากไม่มีฎีกา ให้ระงับการจ่ายและสอบสวนผู้จัดทำและผู้อนุมัติ',
    'Call for the approved voucher; without one, suspend further payments and investigate the maker and the authorizer.', PAYMENT_REG, SUPERVISORY, REFERRAL),
  'batch-padded': step('เทียบยอดและจำนวนรายการของไฟล์กับฎีกาที่อนุมัติ และเรียกผู้จัดทำไฟล์มาชี้แจง',
    'Compare the file\'s count and total with the approved vouchers and summon the official who prepared the file.', PAYMENT_REG, SUPERVISORY),
  'staff-account': step('ตรวจว่าเป็นการจ่ายเงินเดือนหรือเงินที่บุคลากรมีสิทธิได้รับหรือไม่ หากไม่ใช่ ให้สอบสวนและพิจารณาระงับสิทธิเข้าระบบของผู้เกี่ยวข้อง',
    'Check whether the staff member was entitled to this payment; if not, investigate and consider suspending the officials\' system access.', PAYMENT_REG, SUPERVISORY, REFERRAL),
  'repeat-siphon': step('เรียกรายการเดินบัญชีและฎีกาทุกรายการที่โอนเข้าบัญชีนี้ เรียกผู้จัดทำและผู้อนุมัติมาชี้แจง',
    'Call for the statements and vouchers of every transfer to this account and summon the maker and the authorizer.', PAYMENT_REG, SUPERVISORY, REFERRAL),
  'account-many-names': step('ตรวจแบบแจ้งข้อมูลการรับเงินโอนของทุกชื่อที่ใช้บัญชีนี้ และสอบถามธนาคารถึงเจ้าของบัญชีจริง',
    'Check the transfer registration forms of every name paid into this account and ask the bank who holds it.', PAYMENT_REG, SUPERVISORY, REFERRAL),
  'off-hours': step('ตรวจบันทึกการเข้าระบบ KTB Corporate Online ของผู้จัดทำและผู้อนุมัติ ณ เวลาที่โอน และฎีกาที่เกี่ยวข้อง',
    'Check the KTB Corporate Online access logs of the maker and the authorizer at the time of transfer, and the vouchers.', PAYMENT_REG, SUPERVISORY),
  'self-approval': step('ตรวจการแบ่งหน้าที่ผู้จัดทำและผู้อนุมัติ และการเก็บรักษารหัสผ่าน สั่งแก้ไขการกำหนดสิทธิผู้ใช้ทันที',
    'Check the separation of maker and authorizer and how passwords are kept, and order the user rights corrected at once.', PAYMENT_REG, SUPERVISORY),
  'welfare-anomaly': step('เทียบกับทะเบียนผู้มีสิทธิรับเบี้ยยังชีพและอัตราตามช่วงอายุ ตรวจบัตรประจำตัวและการมีชีวิตอยู่ของผู้รับ',
    'Compare with the allowance register and the age-tier rates; check the recipients\' identity cards and that they are alive.', ELDERLY_REG, SUPERVISORY, REFERRAL),
  'welfare-two-laos': step('ตรวจทะเบียนผู้มีสิทธิรับเบี้ยยังชีพของทั้งสอง อปท. ว่าผู้รับมีภูมิลำเนาและลงทะเบียนที่ใด และสั่งเรียกเงินที่จ่ายซ้ำซ้อนคืน',
    'Check both LAOs\' allowance registers for where the recipient is domiciled and registered, and order the duplicated allowance recovered.', ELDERLY_REG, SUPERVISORY, REFERRAL),
  benford: step('ใช้เป็นสัญญาณภาพรวม: สุ่มตรวจฎีกาและหลักฐานของรายการในช่วงเวลานั้น',
    'An overall signal: sample the vouchers and evidence of the period\'s payments.', PAYMENT_REG),
  'velocity-spike': step('เรียกแผนการใช้จ่ายและฎีกาของช่วงที่ยอดจ่ายพุ่งสูง ตรวจว่ามีเหตุผลรองรับหรือไม่',
    'Call for the spending plan and vouchers of the spike and check what explains it.', PAYMENT_REG, SUPERVISORY),
};

/** Rules this table does not know (a newer detector): the general step, so the alert never lacks one. */
const GENERAL = step('เรียกฎีกาและหลักฐานการจ่ายที่เกี่ยวข้องมาตรวจสอบ', 'Call for the related vouchers and payment evidence.', PAYMENT_REG, SUPERVISORY);

/** The legal section of an alert with these rules about an LAO of this type. */
export function alertLegalBasis(ruleIds: readonly string[], type: LaoRegistryEntry['type'] | null): AlertLegalBasis {
  const ids = [...new Set(ruleIds.map((r) => r.split('@')[0]!))];
  return { supervision: legalBasisFor(type), rules: ids.map((ruleId) => ({ ruleId, ...(RULE_LEGAL_BASIS[ruleId] ?? GENERAL) })) };
}
