/**
 * Consumes alerts.v1: validates each message, upserts the alerts and queues their notifications in one
 * transaction per batch, dead-letters what cannot be stored, and commits the offset only after all that.
 * Redelivery (at-least-once) is harmless: the upsert and the outbox are both idempotent.
 */
import { Alert, TOPICS, isRealDate } from '@paywatch/domain';
import type { Db, Queryable } from '@paywatch/db';
import type { BatchContext, ConsumedBatch, ConsumedMessage, Consumer, EventLog, PartitionLag, Producer } from '@paywatch/event-log';
import type { Logger } from '@paywatch/observability';
import type { AlertsMetrics } from './alerts-metrics.ts';
import { upsertAlert, type UpsertOutcome } from './alert-store.ts';
import { enqueueNotification, enqueueNotifications } from './outbox.ts';
import { renderLineText, renderWebhookBody } from './channels/messages.ts';
import { channelSettingsOf } from './user-store.ts';
import type { AlertRouter } from './routing.ts';
import { alertLink, renderAlertEmail } from './templates.ts';
import { suppressingSnoozes } from './snoozes.ts';
import { appendAudit } from './audit-log.ts';
import { isImmediate, notBefore, type NotificationPreferences } from './preferences.ts';
import { queueForDigest, queueForWindowDigest } from './digest.ts';
import { auditCaseLinks, linkAlertToCase, type CaseLink } from './cases/case-linker.ts';
import { DEFAULT_NOTIFY_RATE_LIMIT, rateWindowOf, takeImmediateSlot, type NotifyRateLimit } from './notify-rate-limit.ts';
import { insertGroupMembers } from './group-members.ts';

/** Where messages that cannot become stored alerts go, with the reason in headers. */
export const ALERTS_DLQ_TOPIC = 'alerts.v1.dlq';

/** The consumer group of this service on alerts.v1. */
export const ALERTS_CONSUMER_GROUP = 'alerts';

/** Stable codes of the reasons a message is dead-lettered (header `x-paywatch-dlq-code`). */
export const DLQ_CODES = {
  notJson: 'PW_ERR_ALERT_NOT_JSON',
  invalid: 'PW_ERR_ALERT_INVALID',
  unstorable: 'PW_ERR_ALERT_UNSTORABLE',
} as const;

/** An Alert that the store can hold: the domain schema plus a real calendar date and an exact amount. */
export const StorableAlert = Alert.superRefine((a, ctx) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(a.occurredOn);
  if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) ctx.addIssue({ code: 'custom', path: ['occurredOn'], message: 'must be a calendar date YYYY-MM-DD' });
  if (!Number.isSafeInteger(a.amountSatang)) ctx.addIssue({ code: 'custom', path: ['amountSatang'], message: 'exceeds the exact integer range' });
});

type Parsed = { message: ConsumedMessage; ok: true; alert: Alert } | { message: ConsumedMessage; ok: false; code: string; reason: string };

function parseMessage(message: ConsumedMessage): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(message.value.toString('utf8'));
  } catch (err) {
    return { message, ok: false, code: DLQ_CODES.notJson, reason: `not JSON: ${(err as Error).message}` };
  }
  const r = StorableAlert.safeParse(json);
  if (!r.success) {
    const reason = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return { message, ok: false, code: DLQ_CODES.invalid, reason: reason.slice(0, 1000) };
  }
  return { message, ok: true, alert: r.data };
}

/** PostgreSQL data exceptions (22…) and integrity violations (23…): retrying the same message cannot help. */
const isDataError = (err: unknown): boolean => /^2[23]/.test(String((err as { code?: unknown })?.code ?? ''));

/** The alerts consumer. `handleBatch` is exposed so tests can redeliver a batch exactly. */
export interface AlertConsumer {
  start(): Promise<void>;
  stop(): Promise<void>;
  handleBatch(batch: ConsumedBatch, ctx: BatchContext): Promise<void>;
  /** Committed vs end offset per partition (empty before start). */
  lag(): Promise<PartitionLag[]>;
}

/** Creates the consumer; `onQueued` is called after a commit that queued notifications (to wake the dispatcher). */
export function createAlertConsumer(deps: {
  eventLog: EventLog; db: Db; router: AlertRouter; logger: Logger; metrics: AlertsMetrics; consoleBaseUrl: string;
  clock?: () => Date; groupId?: string; topic?: string; onQueued?: () => void;
  /** Channels besides e-mail that are configured; users who set them up get a row on each. */
  channels?: { webhook?: boolean; line?: boolean };
  /** Notification preferences by user `sub` (immediate vs digest, quiet hours). */
  preferences?: ReadonlyMap<string, NotificationPreferences>;
  /** Immediate notifications per recipient and window; the excess waits for the window digest (ADR 0019). */
  rateLimit?: NotifyRateLimit;
}): AlertConsumer {
  const { eventLog, db, router, metrics } = deps;
  const log = deps.logger.child({ component: 'alert-consumer' });
  const clock = deps.clock ?? (() => new Date());
  const rateLimit = deps.rateLimit ?? DEFAULT_NOTIFY_RATE_LIMIT;
  let producer: Promise<Producer> | null = null;
  let consumer: Consumer | null = null;
  const dlqProducer = () => (producer ??= eventLog.producer());

  /** Stores valid alerts and queues e-mails for the new ones; returns each outcome and the notifications queued. */
  async function store(tx: Queryable, alerts: Alert[], now: Date): Promise<{ outcomes: UpsertOutcome[]; queued: number }> {
    const outcomes: UpsertOutcome[] = [];
    const suppressed: Array<{ alert: Alert; snoozes: string[] }> = [];
    const links: CaseLink[] = [];
    let queued = 0;
    let limited = 0;
    for (const alert of alerts) {
      const route = router.route(alert.laoCode);
      const outcome = await upsertAlert(tx, alert, route, now);
      outcomes.push(outcome);
      // Into its case (ADR 0016): a replay changes nothing there either, so only new and grown alerts are linked.
      if (outcome !== 'unchanged') links.push(await linkAlertToCase(tx, alert, route, now));
      // A group alert's members (ADR 0019), whatever the outcome: a version refused as older may still bring members.
      if (alert.groupMembers?.length) await insertGroupMembers(tx, alert.alertId, alert.groupMembers);
      // Only a first sighting notifies. A grown alert (more findings) is updated in place but does not
      // re-notify in this slice: a later issue adds digests of changes. The idempotency key would in any
      // case stop a second e-mail to the same recipient.
      if (outcome !== 'new') continue;
      // Snoozed (every rule, for this payee, in this LAO): stored and audited, but no outbox row at all.
      const snoozes = await suppressingSnoozes(tx, alert, now);
      if (snoozes) {
        await tx.query('UPDATE alerts SET suppressed_by = $2::text[] WHERE alert_id = $1', [alert.alertId, snoozes]);
        suppressed.push({ alert, snoozes });
        continue;
      }
      const email = renderAlertEmail(alert, route.lao, deps.consoleBaseUrl);
      const prefsOf = (sub: string) => deps.preferences?.get(sub);
      // Below a recipient's immediate threshold the alert waits for their daily digest instead (preferences.ts).
      const wanted = route.recipients.filter((r) => isImmediate(alert.severity, prefsOf(r.sub)));
      for (const r of route.recipients) {
        if (!wanted.includes(r)) await queueForDigest(tx, r.email, alert.alertId, now);
      }
      // Over the recipient's rate limit (storm control, ADR 0019) it waits for the digest at the window's end instead.
      const immediate: typeof wanted = [];
      for (const r of wanted) {
        if (await takeImmediateSlot(tx, r.email, alert.severity, now, rateLimit)) { immediate.push(r); continue; }
        await queueForWindowDigest(tx, r.email, alert.alertId, now, rateWindowOf(now, rateLimit.windowMs).end);
        metrics.rateLimited.inc({ severity: alert.severity });
        limited++;
      }
      const hold = (r: { sub: string }) => notBefore(now, alert.severity, prefsOf(r.sub));
      queued += await enqueueNotifications(tx, { alertId: alert.alertId, recipients: immediate, subject: email.subject, body: email.text, now, notBefore: hold });
      if (deps.channels?.webhook || deps.channels?.line) {
        // Channel settings come from the users table (same transaction), so a changed webhook URL applies at once.
        const settings = await channelSettingsOf(tx, immediate.map((r) => r.sub));
        const link = alertLink(deps.consoleBaseUrl, alert.alertId);
        for (const r of immediate) {
          const s = settings.get(r.sub);
          if (deps.channels.webhook && s?.webhookUrl) {
            queued += await enqueueNotification(tx, { alertId: alert.alertId, channel: 'webhook', address: s.webhookUrl, subject: email.subject, body: renderWebhookBody(alert, route.lao, link, email.subject), now, notBefore: hold(r) });
          }
          if (deps.channels.line && s?.lineUserId) {
            queued += await enqueueNotification(tx, { alertId: alert.alertId, channel: 'line', address: s.lineUserId, subject: email.subject, body: renderLineText(email.subject, link), now, notBefore: hold(r) });
          }
        }
      }
    }
    // The audit head is locked last, after every alert row, as the API's case changes do: one lock order, no deadlock.
    for (const { alert, snoozes } of suppressed) {
      await appendAudit(tx, { at: now, actor: 'system', action: 'notification-suppressed', alertId: alert.alertId, payload: { snoozeIds: snoozes, ruleIds: alert.ruleIds } });
    }
    await auditCaseLinks(tx, links, now);
    if (limited) log.warn({ heldForDigest: limited, windowMs: rateLimit.windowMs }, 'notifications over the recipients\' rate limit held for the window digest');
    return { outcomes, queued };
  }

  async function deadLetter(batch: ConsumedBatch, rejected: Extract<Parsed, { ok: false }>[]): Promise<void> {
    if (rejected.length === 0) return;
    const p = await dlqProducer();
    await p.send(ALERTS_DLQ_TOPIC, rejected.map((r) => ({
      key: r.message.key,
      value: r.message.value,
      headers: {
        ...r.message.headers,
        'x-paywatch-dlq-code': r.code,
        'x-paywatch-dlq-reason': r.reason,
        'x-paywatch-source-topic': batch.topic,
        'x-paywatch-source-partition': String(batch.partition),
        'x-paywatch-source-offset': r.message.offset,
        'x-paywatch-consumer-group': deps.groupId ?? ALERTS_CONSUMER_GROUP,
      },
    })));
    metrics.invalid.inc(rejected.length);
    for (const r of rejected) {
      log.warn({ topic: batch.topic, partition: batch.partition, offset: r.message.offset, code: r.code, reason: r.reason }, 'alert message dead-lettered');
    }
  }

  async function handleBatch(batch: ConsumedBatch, ctx: BatchContext): Promise<void> {
    const last = batch.messages.at(-1);
    if (!last) return;
    const parsed = batch.messages.map(parseMessage);
    const valid = parsed.filter((p): p is Extract<Parsed, { ok: true }> => p.ok);
    const rejected = parsed.filter((p): p is Extract<Parsed, { ok: false }> => !p.ok);
    const now = clock();
    const outcomes: UpsertOutcome[] = [];
    let queued = 0;
    try {
      const r = await db.transaction((tx) => store(tx, valid.map((v) => v.alert), now));
      outcomes.push(...r.outcomes);
      queued += r.queued;
    } catch (err) {
      // Anything but bad data (database down, lock timeout…) is thrown: the log redelivers the batch later.
      if (!isDataError(err)) throw err;
      // Bad data: find the message(s) the database refuses, one transaction each, and dead-letter only those.
      for (const v of valid) {
        try {
          const r = await db.transaction((tx) => store(tx, [v.alert], now));
          outcomes.push(...r.outcomes);
          queued += r.queued;
        } catch (e) {
          if (!isDataError(e)) throw e;
          rejected.push({ message: v.message, ok: false, code: DLQ_CODES.unstorable, reason: String((e as Error).message).slice(0, 1000) });
        }
      }
    }
    await deadLetter(batch, rejected);
    for (const o of outcomes) metrics.upserted.inc({ outcome: o });
    log.debug({ partition: batch.partition, messages: batch.messages.length, new: outcomes.filter((o) => o === 'new').length, rejected: rejected.length, queued }, 'alert batch stored');
    // Only now: the alerts and their outbox rows are committed and the rejects are on the DLQ.
    await ctx.commit(String(BigInt(last.offset) + 1n));
    if (queued > 0) deps.onQueued?.();
  }

  return {
    handleBatch,
    lag: () => consumer?.lag() ?? Promise.resolve([]),
    async start() {
      if (consumer) return;
      try {
        await eventLog.ensureTopics([{ topic: ALERTS_DLQ_TOPIC, partitions: 3 }]);
      } catch (err) {
        // Not fatal: brokers that auto-create topics (and test peers without the admin API) still take the DLQ.
        log.warn({ err, topic: ALERTS_DLQ_TOPIC }, 'could not ensure the dead-letter topic');
      }
      await dlqProducer();
      consumer = eventLog.consumer({ groupId: deps.groupId ?? ALERTS_CONSUMER_GROUP, topics: [deps.topic ?? TOPICS.alerts], fromBeginning: true });
      await consumer.run(handleBatch);
    },
    async stop() {
      const c = consumer;
      consumer = null;
      await c?.stop();
      const p = producer;
      producer = null;
      if (p) await p.then((x) => x.close(), () => undefined);
    },
  };
}
