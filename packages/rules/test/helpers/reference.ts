// Reference snapshots for tests: one LAO's list of one kind, with ordinary values.
import type { ApprovedVoucher, ReferenceSnapshot, RegisteredPayee, StaffMember, WelfareBeneficiary } from '@paywatch/domain';
import { LAO } from './factory.ts';

const base = (version: number, laoCode: string) => ({ laoCode, version, sha256: `sha-${version}`, effectiveFrom: '2025-01-01' });

export const payees = (items: Partial<RegisteredPayee>[], version = 1, laoCode = LAO): ReferenceSnapshot => ({
  kind: 'payees', ...base(version, laoCode),
  items: items.map((i) => ({ bankCode: '006', account: '9876543210', name: 'หจก. รุ่งเรืองการช่าง', payeeId: null, registeredOn: null, status: 'active' as const, ...i })),
});
export const staff = (items: Partial<StaffMember>[], version = 1, laoCode = LAO): ReferenceSnapshot => ({
  kind: 'staff', ...base(version, laoCode),
  items: items.map((i) => ({ bankCode: '006', account: '1212121212', name: 'นางสาวปลัด ใจดี', citizenId: null, position: 'ปลัด อบต.', ...i })),
});
export const vouchers = (items: Partial<ApprovedVoucher>[], version = 1, laoCode = LAO): ReferenceSnapshot => ({
  kind: 'vouchers', ...base(version, laoCode),
  items: items.map((i) => ({ voucherNo: '1/2568', voucherDate: '2025-03-03', payeeName: null, payeeBankCode: '006', payeeAccount: '9876543210', amountSatang: 4_000_000, budgetItem: null, ...i })),
});
export const beneficiaries = (items: Partial<WelfareBeneficiary>[], version = 1, laoCode = LAO): ReferenceSnapshot => ({
  kind: 'beneficiaries', ...base(version, laoCode),
  items: items.map((i) => ({ citizenId: '1101700203450', name: 'นายแก่ ใจดี', allowanceType: 'elderly' as const, monthlyAmountSatang: 60_000, bankCode: '006', account: '6666666666', ...i })),
});
