/** The provinces' Thai and English names live in the domain package (one table for every service). */
export { PROVINCES } from '@paywatch/domain';
