/** PII masking for logs and lists: account numbers and citizen IDs show only their last digits. */

/** `1234567890` → `******7890`. */
export function maskAccount(account: string): string {
  const d = account.replace(/\D/g, '');
  return d.length <= 4 ? '*'.repeat(d.length) : '*'.repeat(d.length - 4) + d.slice(-4);
}

/** `1101700203451` → `*********3451`. */
export const maskCitizenId = maskAccount;

/** Runs of digits (with optional dashes) that free-text masking hides: 10 or more digits. */
const DIGIT_RUN = /\d[\d-]{8,16}\d/g;
const isMaskedRun = (run: string): boolean => run.replace(/\D/g, '').length >= 10;

/** Masks every run of 10–14 digits (with optional dashes) inside free text: accounts and IDs in messages. */
export function maskDigitsInText(text: string): string {
  return text.replace(DIGIT_RUN, (run) => (isMaskedRun(run) ? maskAccount(run) : run));
}

/** The runs `maskDigitsInText` hides in a text, each as shown masked and as written (for the audited reveal). */
export function maskedRunsInText(text: string): Array<{ masked: string; value: string }> {
  return [...text.matchAll(DIGIT_RUN)].map((m) => m[0]).filter(isMaskedRun).map((value) => ({ masked: maskAccount(value), value }));
}
