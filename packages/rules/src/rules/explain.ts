/** Wording and evidence shared by the rules: how a payment, a payee, an amount and a date are shown to auditors. */
import { bankByCode, formatSatangAsBaht, maskAccount, type PaymentRef } from '@paywatch/domain';
import type { WindowPayment } from '../state/lao-state.ts';

/** A calendar date as Thai officials write it: DD/MM/YYYY in the Buddhist Era. */
export function formatDateTh(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${Number(y) + 543}`;
}

/** `ชื่อ (ธนาคารกรุงไทย บัญชี ******7890)` / `Name (KTB account ******7890)`; the account is always masked. */
export function payeeLabel(p: Pick<WindowPayment, 'payeeName' | 'payeeBankCode' | 'payeeAccount'>): { th: string; en: string } {
  const bank = bankByCode(p.payeeBankCode);
  const masked = maskAccount(p.payeeAccount);
  return {
    th: `${p.payeeName} (${bank?.nameTh ?? `ธนาคารรหัส ${p.payeeBankCode}`} บัญชี ${masked})`,
    en: `${p.payeeName} (${bank?.short ?? `bank ${p.payeeBankCode}`} account ${masked})`,
  };
}

/** Satang as baht text with separators: 1234550 → `12,345.50`. */
export const baht = (satang: number): string => formatSatangAsBaht(satang);

/** Where the row is: `ไฟล์ x แถวที่ n` / `file x, row n`. */
export function rowLabel(p: Pick<WindowPayment, 'sourceFile' | 'row'>): { th: string; en: string } {
  return { th: `ไฟล์ ${p.sourceFile} แถวที่ ${p.row}`, en: `file ${p.sourceFile}, row ${p.row}` };
}

/** The pointer to a payment's row that a finding carries. */
export function paymentRef(p: WindowPayment): PaymentRef {
  return { recordId: p.recordId, batchId: p.batchId, file: p.sourceFile, row: p.row };
}

/**
 * One payment as evidence. Every finding's evidence has `paymentDetails` with one of these per
 * payment: `PaymentRef` carries no amount or date, and the alert's total and date come from here.
 */
export interface PaymentDetail {
  recordId: string;
  batchId: string;
  file: string;
  row: number;
  effectiveDate: string;
  amountSatang: number;
  serviceType: string;
  voucherNo: string | null;
  payeeName: string;
  payeeBankCode: string;
  payeeAccountMasked: string;
}

/** The evidence entry of one payment (account masked: evidence travels by e-mail and LINE). */
export function paymentDetail(p: WindowPayment): PaymentDetail {
  return {
    recordId: p.recordId,
    batchId: p.batchId,
    file: p.sourceFile,
    row: p.row,
    effectiveDate: p.effectiveDate,
    amountSatang: p.amountSatang,
    serviceType: p.serviceType,
    voucherNo: p.voucherNo,
    payeeName: p.payeeName,
    payeeBankCode: p.payeeBankCode,
    payeeAccountMasked: maskAccount(p.payeeAccount),
  };
}

/**
 * The accounts behind a list of payment details, unmasked, by the evidence path that shows each one masked
 * (`paymentDetails[0].payeeAccountMasked` → `0123454321`): a finding's `unmasked`, which only the audited reveal
 * reads. `at` is where the list sits in the evidence.
 */
export function unmaskedAccounts(payments: readonly Pick<WindowPayment, 'payeeAccount'>[], at = 'paymentDetails'): Record<string, string> {
  return Object.fromEntries(payments.map((p, i) => [`${at}[${i}].payeeAccountMasked`, p.payeeAccount]));
}

/** Earlier effective date first; on the same date, earlier arrival first. */
export function compareByDateThenArrival(a: WindowPayment, b: WindowPayment): number {
  return a.effectiveDate < b.effectiveDate ? -1 : a.effectiveDate > b.effectiveDate ? 1 : a.seq - b.seq;
}
