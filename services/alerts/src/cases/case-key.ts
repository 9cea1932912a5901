/**
 * Which case an alert belongs to (ADR 0016). Alerts about the same LAO and payee (the bank:account key rules match
 * accounts by) share a case; so do alerts about the same batch. A payment alert joins its payee's case when its
 * evidence names the payee (the unmasked account kept for the reveal), else its batch's. An alert about an LAO over
 * a period stands alone. Pure: the same alert always gives the same case id, which is what makes linking idempotent.
 */
import { createHash } from 'node:crypto';
import { accountKey, maskAccount, type Alert } from '@paywatch/domain';

/** What a case groups by. */
export const CASE_GROUP_KINDS = ['payee', 'batch', 'alert'] as const;
export type CaseGroupKind = (typeof CASE_GROUP_KINDS)[number];

/** A case's grouping: kind, the key inside the LAO (may hold an unmasked account: hashed, never shown) and a masked label. */
export interface CaseGroup { kind: CaseGroupKind; key: string; label: string }

/** `cs_` + 24 hex of sha256(kind | LAO | key). */
export function caseIdFor(laoCode: string, group: Pick<CaseGroup, 'kind' | 'key'>): string {
  return 'cs_' + createHash('sha256').update(`${group.kind}|${laoCode}|${group.key}`).digest('hex').slice(0, 24);
}

const maskDigits = (text: string): string => text.replace(/\d{6,}/g, (d) => maskAccount(d));

/** `006:0123454321…` (optionally after `xlao:`) → the payee key; `cid:…` keys keep the citizen ID without the month. */
function payeeKeyOfSubject(key: string): string | null {
  const k = key.replace(/^xlao:/, '');
  const account = /^(\d{3}):(\d{4,})(?::|$)/.exec(k);
  if (account) return accountKey(account[1]!, account[2]!);
  const cid = /^cid:(\d{13})(?::|$)/.exec(k);
  if (cid) return `cid:${cid[1]}`;
  return null;
}

/** The payee of a payment alert, from the finding that describes its payment (bank code + the unmasked account). */
function payeeKeyOfPayment(alert: Alert): string | null {
  for (const f of alert.findings) {
    const details = f.evidence['paymentDetails'];
    if (!Array.isArray(details)) continue;
    for (let i = 0; i < details.length; i++) {
      const d = details[i] as Record<string, unknown> | null;
      if (!d || typeof d !== 'object' || d['recordId'] !== alert.subject.key) continue;
      const bank = d['payeeBankCode'];
      const account = f.unmasked?.[`paymentDetails[${i}].payeeAccountMasked`];
      if (typeof bank === 'string' && /^\d{3}$/.test(bank) && account && /\d{4,}/.test(account)) return accountKey(bank, account);
    }
  }
  return null;
}

/** The batch an alert is about: its subject's batch, or the one batch all its payments came in. */
function batchOf(alert: Alert): string | null {
  if (alert.subject.kind === 'batch') return alert.subject.key.split(':')[0]!;
  const batches = new Set(alert.payments.map((p) => p.batchId));
  return batches.size === 1 ? [...batches][0]! : null;
}

/** The case group of an alert. */
export function caseGroupOf(alert: Alert): CaseGroup {
  const payee = alert.subject.kind === 'payee' ? payeeKeyOfSubject(alert.subject.key)
    : alert.subject.kind === 'payment' ? payeeKeyOfPayment(alert) : null;
  if (payee) return { kind: 'payee', key: payee, label: maskDigits(payee) };
  if (alert.subject.kind !== 'lao-period') {
    const batch = batchOf(alert);
    if (batch) return { kind: 'batch', key: batch, label: batch };
  }
  return { kind: 'alert', key: alert.alertId, label: maskDigits(`${alert.subject.kind}:${alert.subject.key}`) };
}

/** Every payment of the alert with its amount (each once); an alert whose evidence gives no amounts counts as one payment of its total. */
export function paymentsOf(alert: Alert): Array<{ recordId: string; amountSatang: number }> {
  const facts = new Map<string, number>();
  for (const f of alert.findings) {
    const details = f.evidence['paymentDetails'];
    if (!Array.isArray(details)) continue;
    for (const d of details as Array<Record<string, unknown> | null>) {
      if (d && typeof d['recordId'] === 'string' && Number.isSafeInteger(d['amountSatang']) && !facts.has(d['recordId'])) facts.set(d['recordId'], d['amountSatang'] as number);
    }
  }
  const out = alert.payments.filter((p) => facts.has(p.recordId)).map((p) => ({ recordId: p.recordId, amountSatang: facts.get(p.recordId)! }));
  const unique = [...new Map(out.map((p) => [p.recordId, p])).values()];
  if (unique.length === 0 && alert.amountSatang > 0) return [{ recordId: `alert:${alert.alertId}`, amountSatang: alert.amountSatang }];
  return unique;
}
