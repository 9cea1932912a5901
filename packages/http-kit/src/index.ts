/** @paywatch/http-kit — the fastify base every service builds on. */
export * from './app.ts';
export * from './auth.ts';
export * from './errors.ts';
