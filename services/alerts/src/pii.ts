/**
 * Accounts and citizen IDs in alerts: masked in every API answer by default, and listed unmasked only by the
 * audited reveal (`POST /v1/alerts/:id/reveal`). One walker finds the sensitive values for both, so what the
 * reveal lists is exactly what the masked view hid: values under sensitive keys, digit runs in free text (file
 * names, reasons), payee subject keys, and the fields the detector masked at the source (`payeeAccountMasked` in
 * `paymentDetails` and `otherLaoPayments`, `citizenIdMasked`), whose values each finding keeps in `unmasked`.
 */
import { maskAccount, maskDigitsInText, maskedRunsInText, type Alert, type Finding, type Subject } from '@paywatch/domain';

/** Evidence keys holding an account or an ID; `…Masked` keys are masked already by the detector. */
const SENSITIVE_KEY = /account|citizen|taxid|payeeid|idcard/i;
const isSensitiveKey = (k: string): boolean => SENSITIVE_KEY.test(k) && !/masked$/i.test(k);

/** One value the masked view hides: where it is, how it shows masked, and what it is. */
export interface SensitiveValue { field: string; masked: string; value: string }

/** A payee subject key (`bank:account`, `xlao:bank:account`, `bank:account:recordId`) with its account masked. */
function maskSubjectKey(subject: Subject): Subject {
  if (subject.kind !== 'payee') return subject;
  return { ...subject, key: subject.key.split(':').map((part) => (/^\d{6,}$/.test(part) ? maskAccount(part) : part)).join(':') };
}

/** Record and batch ids and file names are hex and dates, not people: digit masking would only garble them. */
const isIdentifierKey = (k: string): boolean => /Id$|^file$|^sourceFile$/.test(k);

/** Masks digit runs in a text, reporting each run it hid. */
function maskText(text: string, path: string, found: SensitiveValue[]): string {
  for (const run of maskedRunsInText(text)) found.push({ field: path, ...run });
  return maskDigitsInText(text);
}

/** Masks sensitive values anywhere in an evidence tree, reporting each one it masked. */
function maskTree(value: unknown, path: string, sensitive: boolean, found: SensitiveValue[], key = ''): unknown {
  if ((typeof value === 'string' || typeof value === 'number') && sensitive) {
    const masked = maskAccount(String(value));
    if (masked !== String(value)) found.push({ field: path, masked, value: String(value) });
    return masked;
  }
  if (typeof value === 'string') return isIdentifierKey(key) ? value : maskText(value, path, found);
  if (Array.isArray(value)) return value.map((v, i) => maskTree(v, `${path}[${i}]`, sensitive, found, key));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskTree(v, path ? `${path}.${k}` : k, sensitive || isSensitiveKey(k), found, k)]));
  }
  return value;
}

/** The value at a path like `paymentDetails[0].payeeAccountMasked` inside an evidence tree, or undefined. */
function valueAt(tree: unknown, path: string): unknown {
  let at: unknown = tree;
  for (const step of path.match(/[^.[\]]+/g) ?? []) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[step];
  }
  return at;
}

/** The values the detector masked at the source in one finding's evidence, from the finding's `unmasked`. */
function sourceMasked(f: Finding, prefix: string): SensitiveValue[] {
  return Object.entries(f.unmasked ?? {}).map(([path, value]) => {
    const shown = valueAt(f.evidence, path);
    return { field: `${prefix}.${path}`, masked: typeof shown === 'string' ? shown : maskAccount(value), value };
  });
}

/** The alert as every API answer shows it (without the findings' `unmasked`), and the values that were hidden (for the reveal). */
export function maskAlert(alert: Alert): { masked: Alert; hidden: SensitiveValue[] } {
  const found: SensitiveValue[] = [];
  const subject = maskSubjectKey(alert.subject);
  if (subject.key !== alert.subject.key) found.push({ field: 'subject.key', masked: subject.key, value: alert.subject.key });
  const text = (b: { th: string; en: string }, path: string) => ({ th: maskText(b.th, `${path}.th`, found), en: maskText(b.en, `${path}.en`, found) });
  const evidence = maskTree(alert.evidence, 'evidence', false, found) as Record<string, unknown>;
  const findings = alert.findings.map((f, i) => {
    const { unmasked: _unmasked, ...shown } = f;
    found.push(...sourceMasked(f, `findings[${i}].evidence`));
    return {
      ...shown, subject: maskSubjectKey(f.subject), reasons: text(f.reasons, `findings[${i}].reasons`),
      evidence: maskTree(f.evidence, `findings[${i}].evidence`, false, found) as Record<string, unknown>,
    };
  });
  const masked: Alert = { ...alert, subject, reasons: text(alert.reasons, 'reasons'), evidence, findings };
  // The same account often appears in several places: reveal each distinct value once, under its first field.
  const seen = new Set<string>();
  return { masked, hidden: found.filter((v) => (seen.has(v.value) ? false : (seen.add(v.value), true))) };
}

/** A summary's subject, masked. */
export const maskSummarySubject = <T extends { subject: Subject }>(a: T): T => ({ ...a, subject: maskSubjectKey(a.subject) });
