/**
 * The LAO registry over HTTP: an admin imports the department's file (its CSV layout, or a JSON array of entries)
 * as the next version, which routes alerts from then on; admin and central list the versions. Bad rows are
 * returned with their Thai and English reasons; a file with no usable LAO is refused and changes nothing.
 */
import { z } from 'zod';
import type { Db } from '@paywatch/db';
import { HttpError, ErrorResponse, requireRole, type HttpApp } from '@paywatch/http-kit';
import type { Logger } from '@paywatch/observability';
import { importRegistry, listRegistryVersions } from './registry-versions.ts';

/** A national registry (about 7,850 LAOs, several rows each) is a few MB; anything far above is not one. */
export const MAX_REGISTRY_BYTES = 20 * 1024 * 1024;

const VersionSchema = z.object({
  version: z.number().int(), sha256: z.string(), importedBy: z.string(), importedAt: z.string().describe('UTC instant'),
  laos: z.number().int(), rejected: z.number().int().describe('rows refused at import'),
});
const RejectSchema = z.object({ row: z.number().int(), field: z.string(), code: z.string(), message: z.object({ th: z.string(), en: z.string() }), raw: z.string() });
/** At most this many refused rows in an answer (the count is always whole). */
const REJECTS_SHOWN = 200;

export interface RegistryRouteDeps {
  db: Db;
  clock: () => Date;
  logger: Logger;
  /** The registry routing uses now, and how it switches to a newly imported one. */
  current: () => { version: number; laos: number };
  /** Re-reads the newest version (what an import by another replica made). */
  refresh: () => Promise<void>;
}

export function registerRegistryRoutes(app: HttpApp, deps: RegistryRouteDeps): void {
  // Raw bodies for files; JSON arrives parsed and is imported from its canonical text.
  app.addContentTypeParser(['text/csv', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: MAX_REGISTRY_BYTES }, (_req, body, done) => done(null, body));

  app.post('/v1/registry', {
    bodyLimit: MAX_REGISTRY_BYTES,
    schema: {
      summary: 'Import the LAO registry (the department\'s CSV layout as text/csv, or a JSON array of entries) as the next version; it routes alerts from then on',
      tags: ['registry'],
      response: {
        200: z.object({ outcome: z.literal('unchanged'), version: VersionSchema, rejects: z.array(RejectSchema) }),
        201: z.object({ outcome: z.literal('imported'), version: VersionSchema, rejects: z.array(RejectSchema) }),
        400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 413: ErrorResponse, 422: ErrorResponse,
      },
    },
  }, async (req, reply) => {
    const p = requireRole(req, 'admin');
    const body = req.body;
    const bytes = Buffer.isBuffer(body) ? body : body === undefined || body === null ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body), 'utf8');
    const result = await importRegistry(deps.db, { bytes, actor: p.sub, now: deps.clock() });
    if (result.outcome === 'refused') {
      throw new HttpError(422, 'PW_ERR_REGISTRY_NO_LAO', {
        th: 'ไม่มี อปท. ที่ใช้ได้ในแฟ้มทะเบียนนี้ ทะเบียนที่ใช้อยู่ไม่เปลี่ยนแปลง ดูเหตุผลรายแถวใน details',
        en: 'No usable LAO in this registry file; the registry in force is unchanged. See details for the reason of each row.',
      }, { rejects: result.rejects.slice(0, REJECTS_SHOWN), rejected: result.rejects.length });
    }
    const rejects = result.rejects.slice(0, REJECTS_SHOWN);
    if (result.outcome === 'unchanged') return reply.code(200).send({ outcome: 'unchanged' as const, version: result.version, rejects });
    await deps.refresh();
    deps.logger.info({ version: result.version.version, laos: result.version.laos, rejected: result.version.rejected, by: p.sub }, 'LAO registry imported');
    return reply.code(201).send({ outcome: 'imported' as const, version: result.version, rejects });
  });

  app.get('/v1/registry', {
    schema: {
      summary: 'The LAO registry version in force (0 = the file or seed the service started with) and every imported version',
      tags: ['registry'],
      response: {
        200: z.object({ inForce: z.object({ version: z.number().int(), laos: z.number().int() }), versions: z.array(VersionSchema) }),
        401: ErrorResponse, 403: ErrorResponse,
      },
    },
  }, async (req) => {
    requireRole(req, 'admin', 'central');
    return { inForce: deps.current(), versions: await listRegistryVersions(deps.db) };
  });
}
