/** Stable error codes of @paywatch/rules; none can be retried, since the same input fails the same way. */
import type { z } from '@paywatch/domain';

/** Every code this package throws. */
export const RULES_ERROR_CODES = {
  /** Data failed a schema (see `issues`). */
  invalidData: 'PW_ERR_RULES_INVALID_DATA',
  /** A rule-set configuration failed validation. */
  configInvalid: 'PW_ERR_RULES_CONFIG_INVALID',
  /** An engine snapshot could not be restored. */
  snapshotInvalid: 'PW_ERR_RULES_SNAPSHOT_INVALID',
  /** A statistic was asked of an empty sample: a caller bug, not a data condition. */
  emptySample: 'PW_ERR_RULES_EMPTY_SAMPLE',
} as const;

/** One of `RULES_ERROR_CODES`. */
export type RulesErrorCode = (typeof RULES_ERROR_CODES)[keyof typeof RULES_ERROR_CODES];

/** One problem found while validating data: where, and what. */
export interface Issue {
  path: readonly (string | number)[];
  message: string;
}

/** The only error class this package throws. Pure code: retrying the same call gives the same error. */
export class RulesError extends Error {
  override readonly name = 'RulesError';
  readonly canRetry = false;
  constructor(
    readonly code: RulesErrorCode,
    message: string,
    readonly issues: readonly Issue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * zod issues as `Issue`s. An unknown key becomes one issue at that key's own path ("unknown key"),
 * so a misspelt threshold is named where it was written.
 */
export function issuesOf(error: z.ZodError): Issue[] {
  return error.issues.flatMap((i): Issue[] =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((key) => ({ path: [...i.path.map(pathPart), key], message: 'unknown key' }))
      : [{ path: i.path.map(pathPart), message: i.message }],
  );
}

const pathPart = (p: PropertyKey): string | number => (typeof p === 'number' ? p : String(p));

/** `a.b[2]: message; …` — the first few issues, for an error message. */
export function describeIssues(issues: readonly Issue[]): string {
  const shown = issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  return shown.join('; ') + (issues.length > 5 ? `; and ${issues.length - 5} more` : '');
}
