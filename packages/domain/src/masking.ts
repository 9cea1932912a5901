/** PII masking for logs and lists: account numbers and citizen IDs show only their last digits. */

/** `1234567890` → `******7890`. */
export function maskAccount(account: string): string {
  const d = account.replace(/\D/g, '');
  return d.length <= 4 ? '*'.repeat(d.length) : '*'.repeat(d.length - 4) + d.slice(-4);
}

/** `1101700203451` → `*********3451`. */
export const maskCitizenId = maskAccount;

/** Masks every run of 10–14 digits (with optional dashes) inside free text: accounts and IDs in messages. */
export function maskDigitsInText(text: string): string {
  return text.replace(/\d[\d-]{8,16}\d/g, (run) => (run.replace(/\D/g, '').length >= 10 ? maskAccount(run) : run));
}
