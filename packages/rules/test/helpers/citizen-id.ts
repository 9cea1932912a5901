// Citizen IDs for tests: valid ones built from 12 digits, and the same IDs with a wrong check digit.
import { isValidThaiId, thaiIdCheckDigit } from '@paywatch/domain';

/** The valid citizen ID that starts with these 12 digits. */
export const validId = (first12: string): string => first12 + thaiIdCheckDigit(first12);

/** The same 12 digits with a check digit that fails (an invented person's ID). */
export function invalidId(first12: string): string {
  const wrong = first12 + ((thaiIdCheckDigit(first12) + 1) % 10);
  if (isValidThaiId(wrong)) throw new Error('unreachable: one check digit per 12 digits');
  return wrong;
}
