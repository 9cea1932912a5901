/** zod building blocks shared by the rule configurations and the engine snapshot. */
import { z } from '@paywatch/domain';

/** A calendar date, YYYY-MM-DD. */
export const CalendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

/** A two-digit KTB service-type code. */
export const ServiceTypeCode = z.string().regex(/^\d{2}$/, 'must be a two-digit service type');

/** A list of primitives that must not repeat a value (a repeated service type is a typo, not a wish). */
export const uniqueList = <T extends z.ZodType<string | number>>(item: T) =>
  z.array(item).refine((v) => new Set(v).size === v.length, 'must not repeat a value');
