/**
 * Every bearer token must say when it ends, and end soon: a token with no `exp`, or one that lives longer than
 * the allowed lifetime (12 h), is refused whoever signed it (built-in HS256 logins, the identity provider's
 * RS256/ES256 tokens alike). A stolen long-lived token is a standing key; a short one expires on its own.
 */

/** The longest lifetime accepted by default: 12 hours, in seconds. */
export const MAX_TOKEN_LIFETIME_SECONDS = 12 * 3600;

/**
 * Why the claims' lifetime is not acceptable, or null when it is: `exp` must be a number, no further than
 * `maxLifetimeSeconds` (+ skew) from now, and no further than `maxLifetimeSeconds` from `iat` when `iat` is given.
 */
export function lifetimeProblem(claims: Record<string, unknown>, nowMs: number, maxLifetimeSeconds = MAX_TOKEN_LIFETIME_SECONDS, skewSeconds = 60): string | null {
  const { exp, iat } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return 'token has no expiry';
  if (exp - nowMs / 1000 > maxLifetimeSeconds + skewSeconds) return 'token lives longer than allowed';
  if (typeof iat === 'number' && exp - iat > maxLifetimeSeconds) return 'token lives longer than allowed';
  return null;
}
