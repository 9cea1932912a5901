/**
 * Bearer tokens from the department's identity provider (OIDC): RS256 or ES256 JWTs verified against the
 * provider's JWKS, with issuer, audience, expiry and not-before checked. Node's crypto does the maths; no JWT
 * library decides which algorithm to trust — the algorithm must be one we allow AND match the key's type, so a
 * token cannot talk us into HMAC with a public key ("alg confusion") or into `none`.
 */
import { createPublicKey, verify as verifySignature, type JsonWebKey, type KeyObject } from 'node:crypto';
import { lifetimeProblem, MAX_TOKEN_LIFETIME_SECONDS } from './token-lifetime.ts';

export interface OidcOptions {
  /** Expected `iss`. */
  issuer: string;
  /** Expected `aud` (a string or one element of the token's array). */
  audience: string;
  /** Where the provider publishes its signing keys. */
  jwksUrl: string;
  /**
   * Where paywatch's claims (role, provinces, laoCode, district) sit in the token: top level by default, or under
   * one claim holding an object (providers often namespace custom claims, e.g. `https://paywatch.go.th/claims`).
   */
  claimsKey?: string;
  /** Tolerated clock difference, seconds. Default 60. */
  clockSkewSeconds?: number;
  /** At most one JWKS refetch per this many ms when an unknown `kid` arrives (key rotation). Default 30 s. */
  minRefetchMs?: number;
  /** Longest lifetime accepted (`exp` from now and from `iat`), seconds. Default 12 h. */
  maxLifetimeSeconds?: number;
  fetchJwks?: (url: string) => Promise<unknown>;
  now?: () => number;
}

const ALGORITHMS = { RS256: { kty: 'RSA', hash: 'sha256', dsaEncoding: undefined }, ES256: { kty: 'EC', hash: 'sha256', dsaEncoding: 'ieee-p1363' } } as const;
type Alg = keyof typeof ALGORITHMS;

/** Why a token was refused (logged, never shown: the client only learns "401"). */
export class TokenRejected extends Error {}

const b64json = (part: string): Record<string, unknown> => {
  const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TokenRejected('token part is not a JSON object');
  return v as Record<string, unknown>;
};

/** The token's header, without trusting anything in it yet. */
export function peekHeader(token: string): Record<string, unknown> | null {
  const [head] = token.split('.');
  try { return head ? b64json(head) : null; } catch { return null; }
}

export function createOidcVerifier(options: OidcOptions) {
  const skew = (options.clockSkewSeconds ?? 60) * 1000;
  const minRefetch = options.minRefetchMs ?? 30_000;
  const now = options.now ?? Date.now;
  const fetchJwks = options.fetchJwks ?? (async (url: string) => {
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) throw new Error(`JWKS ${url} answered ${res.status}`);
    return res.json();
  });
  let keys = new Map<string, { key: KeyObject; kty: string }>();
  let fetchedAt = -Infinity;
  let inflight: Promise<void> | null = null;

  async function refresh(): Promise<void> {
    inflight ??= (async () => {
      try {
        const body = (await fetchJwks(options.jwksUrl)) as { keys?: unknown };
        const next = new Map<string, { key: KeyObject; kty: string }>();
        for (const jwk of Array.isArray(body.keys) ? body.keys : []) {
          const k = jwk as JsonWebKey & { kid?: string; use?: string };
          if (typeof k.kid !== 'string' || (k.use !== undefined && k.use !== 'sig') || (k.kty !== 'RSA' && k.kty !== 'EC')) continue;
          try { next.set(k.kid, { key: createPublicKey({ key: k, format: 'jwk' }), kty: k.kty }); } catch { /* a key we cannot read is not one we trust */ }
        }
        keys = next;
        fetchedAt = now();
      } finally {
        inflight = null;
      }
    })();
    return inflight;
  }

  async function keyFor(kid: string): Promise<{ key: KeyObject; kty: string }> {
    let k = keys.get(kid);
    // An unknown kid may be a rotation: refetch, but not on every forged token.
    if (!k && now() - fetchedAt >= minRefetch) { await refresh(); k = keys.get(kid); }
    if (!k) throw new TokenRejected(`no signing key ${kid}`);
    return k;
  }

  return {
    /** The verified claims (paywatch's part of them), or throws TokenRejected. */
    async verify(token: string): Promise<Record<string, unknown>> {
      const parts = token.split('.');
      if (parts.length !== 3) throw new TokenRejected('not a JWS compact token');
      const [h, p, s] = parts as [string, string, string];
      const header = b64json(h);
      const alg = header.alg;
      if (typeof alg !== 'string' || !(alg in ALGORITHMS)) throw new TokenRejected(`algorithm ${String(alg)} not allowed`);
      if (typeof header.kid !== 'string') throw new TokenRejected('token has no kid');
      const spec = ALGORITHMS[alg as Alg];
      const { key, kty } = await keyFor(header.kid);
      if (kty !== spec.kty) throw new TokenRejected(`key ${header.kid} is ${kty}, token says ${alg}`);
      const ok = verifySignature(spec.hash, Buffer.from(`${h}.${p}`), spec.dsaEncoding ? { key, dsaEncoding: spec.dsaEncoding } : key, Buffer.from(s, 'base64url'));
      if (!ok) throw new TokenRejected('bad signature');
      const claims = b64json(p);
      if (claims.iss !== options.issuer) throw new TokenRejected('wrong issuer');
      const aud = claims.aud;
      if (!(aud === options.audience || (Array.isArray(aud) && aud.includes(options.audience)))) throw new TokenRejected('wrong audience');
      const t = now();
      if (typeof claims.exp !== 'number' || claims.exp * 1000 + skew < t) throw new TokenRejected('expired or no expiry');
      const tooLong = lifetimeProblem(claims, t, options.maxLifetimeSeconds ?? MAX_TOKEN_LIFETIME_SECONDS, skew / 1000);
      if (tooLong) throw new TokenRejected(tooLong);
      if (typeof claims.nbf === 'number' && claims.nbf * 1000 - skew > t) throw new TokenRejected('not yet valid');
      const own = options.claimsKey ? claims[options.claimsKey] : claims;
      if (typeof own !== 'object' || own === null) throw new TokenRejected(`no ${options.claimsKey} claim`);
      return { ...(own as Record<string, unknown>), sub: claims.sub };
    },
  };
}
export type OidcVerifier = ReturnType<typeof createOidcVerifier>;
