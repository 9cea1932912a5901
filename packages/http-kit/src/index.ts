/** @paywatch/http-kit — the fastify base every service builds on. */
export * from './app.ts';
export * from './auth.ts';
export * from './errors.ts';
export { createOidcVerifier, TokenRejected, type OidcOptions, type OidcVerifier } from './oidc.ts';
export { lifetimeProblem, MAX_TOKEN_LIFETIME_SECONDS } from './token-lifetime.ts';
export { addressBucket, forwardedClientHeaders, CLIENT_ADDRESS_HEADER, CLIENT_PROOF_HEADER } from './client-address.ts';
export { SESSION_HEADER } from './session-header.ts';
