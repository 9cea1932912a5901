/**
 * `GET /v1/ops/lag`: how far this service's consumer groups are behind — the alert store on alerts.v1 and the
 * dead-letter table on the DLQ topics. The detector answers for its own groups; the console shows both side by side.
 */
import { z } from 'zod';
import type { PartitionLag } from '@paywatch/event-log';
import { requireRole, type HttpApp } from '@paywatch/http-kit';

export interface LagSource { groupId: string; lag(): Promise<PartitionLag[]> }

const PartitionLagSchema = z.object({ topic: z.string(), partition: z.number(), committedOffset: z.string().nullable(), endOffset: z.string(), lag: z.number() });

export function registerOpsLagRoute(app: HttpApp, sources: readonly LagSource[]): void {
  app.get('/v1/ops/lag', {
    schema: {
      summary: 'Consumer lag per group and partition of this service: the alert store (alerts.v1) and the dead-letter reader (the DLQ topics)',
      response: { 200: z.object({ groups: z.array(z.object({ groupId: z.string(), partitions: z.array(PartitionLagSchema) })) }) },
    },
  }, async (req) => {
    // Offsets only, no payment data: the same readers as the dead-letter list.
    requireRole(req, 'ops', 'central', 'admin');
    return { groups: await Promise.all(sources.map(async (s) => ({ groupId: s.groupId, partitions: await s.lag() }))) };
  });
}
