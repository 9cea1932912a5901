// Alerts shaped like the detector's for case tests: payee-, payment- and batch-subject alerts whose evidence names
// each payment's amount and (unmasked, for the reveal) account, the way the rules write them.
import { alertIdFor, type Alert, type Finding, type Severity, type Subject } from '@paywatch/domain';

/** One payment as the rules describe it. */
export interface FixturePayment { recordId: string; batchId: string; amountSatang: number; bankCode?: string; account?: string; row?: number }

/** An alert about `subject` in `laoCode` from one rule, over `payments`. */
export function caseAlert(options: { laoCode?: string; subject: Subject; payments: FixturePayment[]; severity?: Severity; ruleId?: string }): Alert {
  const laoCode = options.laoCode ?? '6600101';
  const ruleId = options.ruleId ?? 'payee-not-registered';
  const refs = options.payments.map((p, i) => ({ recordId: p.recordId, batchId: p.batchId, file: `${p.batchId}.txt`, row: p.row ?? i + 1 }));
  const details = options.payments.map((p, i) => ({
    recordId: p.recordId, batchId: p.batchId, file: `${p.batchId}.txt`, row: p.row ?? i + 1, effectiveDate: '2026-11-20', amountSatang: p.amountSatang,
    serviceType: 'DCR', voucherNo: null, payeeName: 'นายทดสอบ ผู้รับเงิน', payeeBankCode: p.bankCode ?? '006', payeeAccountMasked: `******${(p.account ?? '0123454321').slice(-4)}`,
  }));
  const finding: Finding = {
    ruleId, ruleVersion: '1.0.0', severity: options.severity ?? 'high', laoCode, subject: options.subject,
    reasons: { th: `เหตุผลของ ${ruleId}`, en: `reason of ${ruleId}` },
    evidence: { paymentDetails: details },
    unmasked: Object.fromEntries(options.payments.map((p, i) => [`paymentDetails[${i}].payeeAccountMasked`, p.account ?? '0123454321'])),
    payments: refs,
  };
  return {
    alertId: alertIdFor(laoCode, options.subject), laoCode, severity: options.severity ?? 'high', ruleIds: [ruleId], subject: options.subject,
    findings: [finding], payments: refs, reasons: finding.reasons, evidence: { [ruleId]: finding.evidence },
    amountSatang: options.payments.reduce((s, p) => s + p.amountSatang, 0), occurredOn: '2026-11-20', ruleSetVersion: '2026.12.1',
  };
}
