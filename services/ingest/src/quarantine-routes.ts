/**
 * Ops decisions on quarantined batches (ADR 0019): release (published as it is, the check skipped) or discard (never
 * published; the raw file is kept, as every upload is). Each decision is written into the manifest (who, when) and
 * logged as an audit line; a batch that is not quarantined answers 409.
 */
import { z } from 'zod';
import { BatchManifest } from '@paywatch/domain';
import { COMMON_ERRORS, ErrorResponse, HttpError, requireRole, type HttpApp } from '@paywatch/http-kit';
import type { Logger } from '@paywatch/observability';
import type { BatchRepository } from './batch-repository.ts';
import type { BatchClaims } from './batch-claims.ts';
import type { BatchProcessor } from './batch-processor.ts';

/** Errors of the decision routes. */
export const QUARANTINE_ERRORS = {
  notQuarantined: (status: string) => new HttpError(409, 'PW_ERR_BATCH_NOT_QUARANTINED', {
    th: `ชุดข้อมูลนี้ไม่ได้ถูกกักไว้ (สถานะ ${status}) จึงปล่อยหรือยกเลิกไม่ได้`, en: `This batch is not quarantined (status ${status}): there is nothing to release or discard`,
  }),
  busy: () => new HttpError(409, 'PW_ERR_BATCH_BUSY', { th: 'ชุดข้อมูลนี้กำลังถูกประมวลผลอยู่ กรุณาลองใหม่', en: 'This batch is being processed; try again' }),
} as const;

/** `GET /v1/ops/quarantine`, `POST /v1/ops/batches/:id/release`, `POST /v1/ops/batches/:id/discard` (ops, admin). */
export function registerQuarantineRoutes(app: HttpApp, deps: { repository: BatchRepository; claims: BatchClaims; processor: BatchProcessor; logger: Logger; clock: () => Date }): void {
  const log = deps.logger.child({ component: 'quarantine' });
  app.get('/v1/ops/quarantine', {
    schema: { summary: 'Batches held by the quarantine check, oldest first (counts and reason; no payment data)', tags: ['ops'], response: { 200: z.object({ items: z.array(BatchManifest) }), 401: ErrorResponse, 403: ErrorResponse } },
  }, async (req) => {
    requireRole(req, 'ops', 'admin');
    const items = (await deps.repository.listManifests()).filter((m) => m.status === 'quarantined').sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
    return { items };
  });

  const decide = (decision: 'released' | 'discarded') => async (req: { params: { id: string } } & Parameters<typeof requireRole>[0]) => {
    const p = requireRole(req, 'ops', 'admin');
    const m = await deps.repository.getManifest(req.params.id);
    if (!m) throw COMMON_ERRORS.notFound('batch');
    if (m.status !== 'quarantined' || !m.quarantine) throw QUARANTINE_ERRORS.notQuarantined(m.status);
    const decided = { ...m.quarantine, decision, decidedBy: p.sub, decidedAt: deps.clock().toISOString() };
    if (decision === 'discarded') {
      const next: BatchManifest = { ...m, status: 'discarded', quarantine: decided };
      await deps.repository.putManifest(next);
      log.warn({ audit: true, action: 'batch-discarded', batchId: m.batchId, laoCode: m.laoCode, by: p.sub }, 'quarantined batch discarded');
      return { batch: next };
    }
    // The claim first (a done one, retaken at its version), then the manifest: a crash in between leaves it quarantined.
    const cur = await deps.claims.read(m.batchId);
    const facts = { batchId: m.batchId, laoCode: m.laoCode, sha256: m.sha256, fileName: m.fileName, sizeBytes: m.sizeBytes, rawKey: m.rawKey, uploadedBy: m.uploadedBy, receivedAt: m.receivedAt };
    const held = cur ? await deps.claims.retake(cur.version, facts) : await deps.claims.take(facts);
    if (!held) throw QUARANTINE_ERRORS.busy();
    const next: BatchManifest = { ...m, status: 'received', quarantine: decided };
    await deps.repository.putManifest(next);
    log.warn({ audit: true, action: 'batch-released', batchId: m.batchId, laoCode: m.laoCode, by: p.sub }, 'quarantined batch released for publishing');
    void deps.processor.enqueue(next, held).catch(() => undefined);
    return { batch: next };
  };
  const schema = (summary: string) => ({ summary, tags: ['ops'], params: z.object({ id: z.string().max(200) }), response: { 200: z.object({ batch: BatchManifest }), 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse } });
  app.post('/v1/ops/batches/:id/release', { schema: schema('Release a quarantined batch: it is published as it is (audited: who and when go into the manifest and the log)') }, decide('released'));
  app.post('/v1/ops/batches/:id/discard', { schema: schema('Discard a quarantined batch: never published, the raw file kept (audited)') }, decide('discarded'));
}
