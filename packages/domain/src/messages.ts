/** A message for people, always in Thai first and English second. */
import { z } from 'zod';

export const Bilingual = z.object({ th: z.string(), en: z.string() });
export type Bilingual = z.infer<typeof Bilingual>;
