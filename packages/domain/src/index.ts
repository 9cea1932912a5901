/** @paywatch/domain — zod schemas and pure helpers shared by every package. Depends on zod only. */
export * from './money.ts';
export * from './thai-text.ts';
export * from './thai-id.ts';
export * from './dates.ts';
export * from './banks.ts';
export * from './masking.ts';
export * from './messages.ts';
export * from './lao.ts';
export * from './topics.ts';
export * from './record.ts';
export * from './batch.ts';
export * from './alert.ts';
export * from './reference.ts';
export * from './follow-up-deadlines.ts';
export * from './provinces.ts';
export * from './reference-diff.ts';
/** zod itself, so pure packages that may depend on domain only (rules) validate with the same library. */
export { z } from 'zod';
