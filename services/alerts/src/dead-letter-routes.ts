/**
 * Ops routes over dead letters: list them (ops, central, admin — positions, reasons and a masked shape, never
 * payment data) and replay one (ops, admin): the original key and value go back to their source topic once,
 * with `x-paywatch-replay-of`, recorded on the row and in the hash-chained audit log.
 */
import { z } from 'zod';
import type { Db } from '@paywatch/db';
import type { EventLog, Producer } from '@paywatch/event-log';
import { COMMON_ERRORS, ErrorResponse, requireRole, type HttpApp } from '@paywatch/http-kit';
import type { Logger } from '@paywatch/observability';
import { appendAudit } from './audit-log.ts';
import { DEAD_LETTER_STATES, countDeadLetters, listDeadLetters, lockDeadLetter, markReplayed, replayHeaders } from './dead-letter-store.ts';
import { ALERTS_ERRORS } from './errors.ts';

export const DEAD_LETTER_READERS = ['ops', 'central', 'admin'] as const;
/** Replaying changes what the pipeline processes: an operator's act, not the centre's. */
export const DEAD_LETTER_REPLAYERS = ['ops', 'admin'] as const;

export const DeadLetterSchema = z.object({
  id: z.number().int(),
  dlqTopic: z.string(), dlqPartition: z.number().int(), dlqOffset: z.string(),
  sourceTopic: z.string(), sourcePartition: z.number().int(), sourceOffset: z.string(),
  replayTopic: z.string().describe('where a replay publishes'),
  reason: z.string().describe('digit runs masked, long quotes cut'),
  code: z.string().nullable(),
  sizeBytes: z.number().int(),
  preview: z.string().describe('the shape of the value (keys, kinds, lengths), never its content'),
  deadAt: z.string().describe('UTC instant the message was dead-lettered'),
  receivedAt: z.string(),
  replayedAt: z.string().nullable(),
  replayedBy: z.string().nullable(),
  replayOf: z.string().nullable().describe('set when this dead letter is a replay that failed again'),
});

export interface DeadLetterRoutes { close(): Promise<void> }

export function registerDeadLetterRoutes(app: HttpApp, deps: { db: Db; eventLog: EventLog; clock: () => Date; logger: Logger }): DeadLetterRoutes {
  const { db } = deps;
  let producer: Promise<Producer> | null = null;

  app.get('/v1/ops/dead-letters', {
    schema: {
      summary: 'Dead letters of the detector and the alerts consumer: positions, reasons, sizes and a masked shape (no payment data)',
      tags: ['ops'],
      querystring: z.object({
        state: z.enum(DEAD_LETTER_STATES).default('open'),
        topic: z.string().max(249).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      response: {
        200: z.object({ counts: z.array(z.object({ topic: z.string(), open: z.number().int(), replayed: z.number().int() })), items: z.array(DeadLetterSchema) }),
        400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse,
      },
    },
  }, async (req) => {
    requireRole(req, ...DEAD_LETTER_READERS);
    const [counts, items] = await Promise.all([countDeadLetters(db), listDeadLetters(db, req.query)]);
    return { counts, items };
  });

  app.post('/v1/ops/dead-letters/:id/replay', {
    schema: {
      summary: 'Replay one dead letter to its source topic (once; a second replay is refused with 409)',
      tags: ['ops'],
      params: z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
      response: {
        200: z.object({ deadLetter: DeadLetterSchema, replayedTo: z.string() }),
        400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse,
      },
    },
  }, async (req) => {
    const p = requireRole(req, ...DEAD_LETTER_REPLAYERS);
    const now = deps.clock();
    const result = await db.transaction(async (tx) => {
      const d = await lockDeadLetter(tx, req.params.id);
      if (!d) throw COMMON_ERRORS.notFound('dead letter');
      if (d.replayedAt) throw ALERTS_ERRORS.alreadyReplayed(d.replayedAt, d.replayedBy);
      // Published while the row is locked: a concurrent replay waits and then sees replayed_at. If the commit
      // below fails after the send, the row stays open and a retry publishes again — harmless, because every
      // consumer downstream is idempotent by record and alert id (ADR 0003).
      const out = await (producer ??= deps.eventLog.producer());
      await out.send(d.replayTopic, [{ key: d.key, value: d.value, headers: replayHeaders(d.headers, d) }]);
      await markReplayed(tx, d.id, p.sub, now);
      await appendAudit(tx, {
        at: now, actor: p.sub, action: 'dead-letter-replay', alertId: null,
        payload: { deadLetterId: d.id, dlq: `${d.dlqTopic}/${d.dlqPartition}/${d.dlqOffset}`, source: `${d.sourceTopic}/${d.sourcePartition}/${d.sourceOffset}`, replayedTo: d.replayTopic },
      });
      return { deadLetter: { ...d, replayedAt: now.toISOString(), replayedBy: p.sub }, replayedTo: d.replayTopic };
    });
    deps.logger.info({ deadLetterId: result.deadLetter.id, replayedTo: result.replayedTo, by: p.sub }, 'dead letter replayed');
    const { key: _k, value: _v, headers: _h, ...view } = result.deadLetter;
    return { deadLetter: view, replayedTo: result.replayedTo };
  });

  return {
    async close() {
      const p = producer;
      producer = null;
      if (p) await p.then((x) => x.close(), () => undefined);
    },
  };
}
