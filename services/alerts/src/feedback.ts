/**
 * The feedback loop: every resolution is recorded in `feedback_outbox` in the resolving transaction and
 * published from there to alert-feedback.v1 (keyed by LAO), so a crash between commit and publish only
 * delays it. Publication is at-least-once; consumers dedupe on `alertId` (a resolution is final).
 */
import { TOPICS } from '@paywatch/domain';
import type { Db, Queryable } from '@paywatch/db';
import type { EventLog, Producer } from '@paywatch/event-log';
import type { Logger } from '@paywatch/observability';

/** The message on alert-feedback.v1. */
export interface AlertFeedback {
  alertId: string;
  laoCode: string;
  ruleIds: string[];
  disposition: string;
  resolvedAt: string;
  provinceCode: string;
}

/** Records a resolution for publication, inside the caller's transaction. */
export async function enqueueFeedback(tx: Queryable, feedback: AlertFeedback, now: Date): Promise<void> {
  await tx.query('INSERT INTO feedback_outbox (alert_id, lao_code, payload, created_at) VALUES ($1, $2, $3::jsonb, $4)',
    [feedback.alertId, feedback.laoCode, JSON.stringify(feedback), now]);
}

/** Publishes what the outbox holds. `flush()` returns how many it published. */
export interface FeedbackPublisher {
  flush(): Promise<number>;
  start(intervalMs?: number): void;
  stop(): Promise<void>;
}

/** Creates the publisher; flushes never overlap, and a failing flush leaves the rows for the next one. */
export function createFeedbackPublisher(deps: { db: Db; eventLog: EventLog; logger: Logger; clock?: () => Date; topic?: string }): FeedbackPublisher {
  const log = deps.logger.child({ component: 'feedback-publisher' });
  const clock = deps.clock ?? (() => new Date());
  const topic = deps.topic ?? TOPICS.alertFeedback;
  let producer: Promise<Producer> | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;

  async function runFlush(): Promise<number> {
    let total = 0;
    for (;;) {
      // Lock a page, publish it (acks = all), then mark it: a crash after the publish re-sends, never loses.
      const n = await deps.db.transaction(async (tx) => {
        const r = await tx.query<{ id: string | number; lao_code: string; payload: AlertFeedback }>(
          'SELECT id, lao_code, payload FROM feedback_outbox WHERE published_at IS NULL ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED');
        if (r.rows.length === 0) return 0;
        const p = await (producer ??= deps.eventLog.producer());
        await p.send(topic, r.rows.map((row) => ({ key: row.lao_code, value: JSON.stringify(row.payload) })));
        await tx.query('UPDATE feedback_outbox SET published_at = $2 WHERE id = ANY($1::bigint[])', [r.rows.map((row) => String(row.id)), clock()]);
        return r.rows.length;
      });
      total += n;
      if (n < 100) return total;
    }
  }

  const flush = (): Promise<number> => {
    const p = chain.then(runFlush, runFlush);
    chain = p.catch((err: unknown) => log.warn({ err }, 'feedback publish failed; will retry'));
    return p;
  };

  return {
    flush,
    start(intervalMs = 5_000) {
      if (timer) return;
      timer = setInterval(() => { flush().catch(() => undefined); }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await chain;
      const p = producer;
      producer = null;
      if (p) await p.then((x) => x.close(), () => undefined);
    },
  };
}

/** One line of the per-rule report. `falsePositiveRate` = false positives / resolved (null before any resolution). */
export interface RuleReportRow {
  ruleId: string;
  provinceCode: string;
  confirmed: number;
  falsePositive: number;
  explained: number;
  referred: number;
  open: number;
  falsePositiveRate: number | null;
}

/** Counts per rule and province over every stored alert (an alert with two rules counts for both). */
export async function ruleReport(db: Queryable): Promise<RuleReportRow[]> {
  const r = await db.query<{ rule_id: string; province_code: string; confirmed: number; fp: number; explained: number; referred: number; open: number }>(
    `SELECT rule_id, province_code,
       count(*) FILTER (WHERE disposition = 'confirmed')::int AS confirmed,
       count(*) FILTER (WHERE disposition = 'false-positive')::int AS fp,
       count(*) FILTER (WHERE disposition = 'explained')::int AS explained,
       count(*) FILTER (WHERE disposition = 'referred')::int AS referred,
       count(*) FILTER (WHERE status <> 'resolved')::int AS open
     FROM alerts, unnest(rule_ids) AS rule_id
     GROUP BY rule_id, province_code ORDER BY rule_id, province_code`);
  return r.rows.map((row) => {
    const resolved = row.confirmed + row.fp + row.explained + row.referred;
    return {
      ruleId: row.rule_id, provinceCode: row.province_code, confirmed: row.confirmed, falsePositive: row.fp, explained: row.explained,
      referred: row.referred, open: row.open, falsePositiveRate: resolved === 0 ? null : row.fp / resolved,
    };
  });
}
