/** Local administrative organisations (อปท.) and the registry that places them in a district and province. */
import { z } from 'zod';

/** LAO codes are 7 digits in the department's registry. */
export const LaoCode = z.string().regex(/^\d{7}$/, 'LAO code must be 7 digits');

export const LaoType = z.enum(['pao', 'city-municipality', 'town-municipality', 'subdistrict-municipality', 'sao', 'special']);

export const LaoRegistryEntry = z.object({
  laoCode: LaoCode,
  nameTh: z.string(),
  type: LaoType,
  provinceCode: z.string().regex(/^\d{2}$/),
  provinceNameTh: z.string(),
  districtTh: z.string(),
  /** KTB Corporate Online company IDs (`GMIS` + 6 digits for government users). */
  companyIds: z.array(z.string()),
  /** The LAO's own bank accounts (sending accounts in bulk files), normalised digits. */
  accounts: z.array(z.string()),
});
export type LaoRegistryEntry = z.infer<typeof LaoRegistryEntry>;

/** An LAO's peer group: LAOs of the same type in the same province (`66:sao`), the baseline typologies.md falls back on. */
export const peerGroupOf = (entry: Pick<LaoRegistryEntry, 'provinceCode' | 'type'>): string => `${entry.provinceCode}:${entry.type}`;
