/**
 * @paywatch/seed — the embedded demo's LAO registry and people: a few real provinces and districts with
 * realistic Thai names (codes and accounts are made up). Production loads the department's registry instead.
 */
import type { LaoRegistryEntry } from '@paywatch/domain';

/** Demo LAOs across four provinces, each with its KTB company ID and sending account. */
export const SEED_LAO_REGISTRY: readonly LaoRegistryEntry[] = [
  { laoCode: '6600101', nameTh: 'เทศบาลเมืองพิจิตร', type: 'town-municipality', provinceCode: '66', provinceNameTh: 'พิจิตร', districtTh: 'เมืองพิจิตร', companyIds: ['GMIS660101'], accounts: ['9800012345'] },
  { laoCode: '6600102', nameTh: 'องค์การบริหารส่วนตำบลป่ามะคาบ', type: 'sao', provinceCode: '66', provinceNameTh: 'พิจิตร', districtTh: 'เมืองพิจิตร', companyIds: ['GMIS660102'], accounts: ['9800012346'] },
  { laoCode: '6600201', nameTh: 'เทศบาลตำบลตะพานหิน', type: 'subdistrict-municipality', provinceCode: '66', provinceNameTh: 'พิจิตร', districtTh: 'ตะพานหิน', companyIds: ['GMIS660201'], accounts: ['9800012347'] },
  { laoCode: '6000101', nameTh: 'เทศบาลตำบลลาดยาว', type: 'subdistrict-municipality', provinceCode: '60', provinceNameTh: 'นครสวรรค์', districtTh: 'ลาดยาว', companyIds: ['GMIS600101'], accounts: ['9800022345'] },
  { laoCode: '6000102', nameTh: 'องค์การบริหารส่วนตำบลสร้อยละคร', type: 'sao', provinceCode: '60', provinceNameTh: 'นครสวรรค์', districtTh: 'ลาดยาว', companyIds: ['GMIS600102'], accounts: ['9800022346'] },
  { laoCode: '1900101', nameTh: 'องค์การบริหารส่วนตำบลหนองหัวโพ', type: 'sao', provinceCode: '19', provinceNameTh: 'สระบุรี', districtTh: 'หนองแซง', companyIds: ['GMIS190101'], accounts: ['9800032345'] },
  { laoCode: '8000101', nameTh: 'องค์การบริหารส่วนตำบลนาเคียน', type: 'sao', provinceCode: '80', provinceNameTh: 'นครศรีธรรมราช', districtTh: 'เมืองนครศรีธรรมราช', companyIds: ['GMIS800101'], accounts: ['9800042345'] },
];

/** A person of the demo: who they are, their role and scope, and where alerts reach them. */
export interface SeedUser { sub: string; name: string; email: string; role: 'finance' | 'provincial-auditor' | 'district-auditor' | 'central' | 'ops' | 'admin'; laoCode?: string; provinces?: string[]; district?: string; secondApprover?: boolean }

/** Demo users: an auditor per province, finance officers, the centre and ops. */
export const SEED_USERS: readonly SeedUser[] = [
  { sub: 'auditor-66', name: 'นางสาวพิมพ์ชนก ตรวจสอบ', email: 'audit.phichit@example.go.th', role: 'provincial-auditor', provinces: ['66'] },
  { sub: 'auditor-60', name: 'นายวีระ รักษ์ธรรม', email: 'audit.nakhonsawan@example.go.th', role: 'provincial-auditor', provinces: ['60'] },
  { sub: 'auditor-19', name: 'นางมาลี ศรีสุข', email: 'audit.saraburi@example.go.th', role: 'provincial-auditor', provinces: ['19'] },
  { sub: 'auditor-80', name: 'นายประเสริฐ ทองดี', email: 'audit.nakhonsi@example.go.th', role: 'provincial-auditor', provinces: ['80'] },
  { sub: 'finance-6600101', name: 'นางสาวสุดา การคลัง', email: 'finance.6600101@example.go.th', role: 'finance', laoCode: '6600101' },
  // The LAO's second approver (its deputy clerk, ปลัด): approves a reference list that drops more than half of the one in force (ADR 0018).
  { sub: 'approver-6600101', name: 'นายวิชัย ปลัดตำบล', email: 'approver.6600101@example.go.th', role: 'finance', laoCode: '6600101', secondApprover: true },
  { sub: 'finance-6000101', name: 'นายสมศักดิ์ บัญชี', email: 'finance.6000101@example.go.th', role: 'finance', laoCode: '6000101' },
  { sub: 'central-1', name: 'ศูนย์เฝ้าระวัง สถ.', email: 'centre@example.go.th', role: 'central' },
  { sub: 'ops-1', name: 'ทีมปฏิบัติการ', email: 'ops@example.go.th', role: 'ops' },
];
