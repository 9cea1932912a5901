/** Who may see which batch: finance their own LAO, auditors their provinces' LAOs, the centre all. */
import type { LaoRegistryEntry } from '@paywatch/domain';
import { provinceScope, type Principal } from '@paywatch/http-kit';

/** True when the principal may see batches of this LAO. */
export function canSeeLao(p: Principal, laoCode: string, registry: ReadonlyMap<string, LaoRegistryEntry>): boolean {
  if (p.role === 'finance') return p.laoCode === laoCode;
  if (p.role === 'ops') return false;
  const provinces = provinceScope(p);
  if (provinces === null) return true;
  const lao = registry.get(laoCode);
  if (!lao || !provinces.includes(lao.provinceCode)) return false;
  return p.role !== 'district-auditor' || p.district === undefined || p.district === lao.districtTh;
}
