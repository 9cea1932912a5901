/** @paywatch/http-kit — the fastify base every service builds on. */
export * from './app.ts';
export * from './auth.ts';
export * from './errors.ts';
export { createOidcVerifier, TokenRejected, type OidcOptions, type OidcVerifier } from './oidc.ts';
