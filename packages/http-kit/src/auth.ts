/** Bearer-token authentication (HS256 JWT) and the scope each role carries. */
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { COMMON_ERRORS } from './errors.ts';

export const Role = z.enum(['finance', 'district-auditor', 'provincial-auditor', 'central', 'ops', 'admin']);
export type Role = z.infer<typeof Role>;

/** Who is calling, and over what. finance: one LAO; auditors: provinces (and a district); central: all. */
export const Principal = z.object({
  sub: z.string(),
  role: Role,
  name: z.string().optional(),
  laoCode: z.string().optional(),
  provinces: z.array(z.string()).optional(),
  district: z.string().optional(),
  /** The LAO's second approver (a user flag, ADR 0018): may approve a reference list that drops more than half of the one in force. */
  secondApprover: z.boolean().optional(),
});
export type Principal = z.infer<typeof Principal>;

declare module 'fastify' {
  interface FastifyRequest { principal?: Principal }
}

/** The caller, or a 401 when the request has no valid token. */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw COMMON_ERRORS.unauthenticated();
  return req.principal;
}

/** The caller if their role is one of `roles`; 401 without a token, 403 with another role. */
export function requireRole(req: FastifyRequest, ...roles: Role[]): Principal {
  const p = principalOf(req);
  if (!roles.includes(p.role)) throw COMMON_ERRORS.forbiddenRole();
  return p;
}

/** The province scope of a principal: null means all provinces (central), [] means none. */
export function provinceScope(p: Principal): string[] | null {
  if (p.role === 'central' || p.role === 'admin') return null;
  if (p.role === 'provincial-auditor' || p.role === 'district-auditor') return p.provinces ?? [];
  return [];
}
