/** Delivers the outbox: claims due notifications, sends them, records the outcome with back-off and dead-lettering. */
import type { Db } from '@paywatch/db';
import type { Mailer } from '@paywatch/mail';
import { Registry, type Logger } from '@paywatch/observability';
import { createAlertsMetrics, type AlertsMetrics } from './alerts-metrics.ts';
import type { ChannelSender } from './channels/channel-sender.ts';
import { CHANNELS, claimDueNotifications, countPendingByChannel, markFailed, markSent, type Channel, type ClaimedNotification } from './outbox.ts';

/** Tuning of the dispatcher loop; every field has a production default. */
export interface DispatcherOptions {
  /** How often an idle dispatcher looks for due rows. Default 1 000 ms. */
  pollMs?: number;
  /** Attempts before a notification is marked dead. Default 8. */
  maxAttempts?: number;
  /** First retry delay; doubles with each attempt. Default 30 000 ms. */
  baseBackoffMs?: number;
  /** Longest retry delay. Default 1 h. */
  maxBackoffMs?: number;
  /** Rows claimed per tick. Default 20. */
  batchSize?: number;
  /** How long a claim hides a row from other dispatchers; must exceed one send's worst case. Default 5 min. */
  leaseMs?: number;
}

/** What one tick did. */
export interface TickResult { claimed: number; sent: number; failed: number; dead: number }

/** The outbox dispatcher: `tick()` for tests, `start()`/`stop()` for the service loop, `wake()` after new rows. */
export interface Dispatcher {
  tick(): Promise<TickResult>;
  start(): void;
  stop(): Promise<void>;
  /** Runs a tick soon instead of at the next poll (the consumer calls it after committing new rows). */
  wake(): void;
}

/** `<nt_…@paywatch>`: stable per notification, so a resend after a crash carries the same Message-ID. */
export const messageIdFor = (notificationId: string): string => `<${notificationId}@paywatch>`;

/** Delay before the retry that follows attempt `attempts` (1-based): base · 2^(attempts−1), capped. */
export const backoffMs = (attempts: number, baseMs: number, maxMs: number): number => Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));

/** Creates the dispatcher. It never throws out of its loop: a failing tick is logged and retried at the next poll. */
export function createDispatcher(deps: {
  db: Db; mailer: Mailer; logger: Logger; metrics?: AlertsMetrics; clock?: () => Date;
  /** Senders of the other channels; a row on a channel without a sender fails (and dead-letters) like a refused send. */
  senders?: Partial<Record<Exclude<Channel, 'email'>, ChannelSender>>;
} & DispatcherOptions): Dispatcher {
  const { db, mailer } = deps;
  const email: ChannelSender = {
    async send(n) {
      const { messageId } = await mailer.send({
        to: n.recipient, subject: n.subject, text: n.body, messageId: messageIdFor(n.id),
        headers: { 'X-Paywatch-Alert-Id': n.alertId, 'X-Paywatch-Notification-Id': n.id },
      });
      return { providerMessageId: messageId };
    },
  };
  const senders: Partial<Record<Channel, ChannelSender>> = { ...deps.senders, email };
  const metrics = deps.metrics ?? createAlertsMetrics(new Registry());
  const log = deps.logger.child({ component: 'dispatcher' });
  const clock = deps.clock ?? (() => new Date());
  const pollMs = deps.pollMs ?? 1_000;
  const maxAttempts = deps.maxAttempts ?? 8;
  const baseBackoffMs = deps.baseBackoffMs ?? 30_000;
  const maxBackoffMs = deps.maxBackoffMs ?? 3_600_000;
  const batchSize = deps.batchSize ?? 20;
  const leaseMs = deps.leaseMs ?? 300_000;

  async function deliver(n: ClaimedNotification, result: TickResult): Promise<void> {
    let messageId: string;
    try {
      const sender = senders[n.channel];
      if (!sender) throw new Error(`channel ${n.channel} is not configured`);
      ({ providerMessageId: messageId } = await sender.send(n));
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      const dead = n.attempts >= maxAttempts;
      await markFailed(db, n.id, { error, retryAt: dead ? null : new Date(clock().getTime() + backoffMs(n.attempts, baseBackoffMs, maxBackoffMs)) });
      metrics.notifications.inc({ channel: n.channel, outcome: 'failed' });
      if (dead) {
        metrics.notifications.inc({ channel: n.channel, outcome: 'dead' });
        result.dead++;
        log.error({ notificationId: n.id, alertId: n.alertId, channel: n.channel, attempts: n.attempts, error }, 'notification dead after its last attempt');
      } else {
        result.failed++;
        log.warn({ notificationId: n.id, alertId: n.alertId, channel: n.channel, attempts: n.attempts, error }, 'notification failed; will retry');
      }
      return;
    }
    // Accepted by the relay/receiver. If recording that fails (database gone, process killed), the row stays claimed
    // and is sent again once its lease expires: a possible duplicate, with the same Message-ID.
    await markSent(db, n.id, messageId, clock());
    metrics.notifications.inc({ channel: n.channel, outcome: 'sent' });
    result.sent++;
  }

  async function runTick(): Promise<TickResult> {
    const result: TickResult = { claimed: 0, sent: 0, failed: 0, dead: 0 };
    const claimed = await claimDueNotifications(db, { now: clock(), limit: batchSize, leaseMs });
    result.claimed = claimed.length;
    // One at a time: a relay that is failing fails fast, and a healthy one is not the bottleneck at alert volumes.
    for (const n of claimed) await deliver(n, result);
    const pending = await countPendingByChannel(db);
    for (const c of CHANNELS) metrics.outboxPending.set({ channel: c }, pending[c]);
    return result;
  }

  // Ticks never overlap, whether they come from the loop, wake() or a test.
  let chain: Promise<unknown> = Promise.resolve();
  const tick = (): Promise<TickResult> => {
    const p = chain.then(runTick, runTick);
    chain = p.catch(() => undefined);
    return p;
  };

  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let loopDone: Promise<void> = Promise.resolve();

  const schedule = (ms: number) => {
    if (!running) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      loopDone = tick().then(
        (r) => schedule(r.claimed === batchSize ? 0 : pollMs), // a full batch means more are probably due
        (err) => { log.error({ err }, 'dispatcher tick failed'); schedule(pollMs); },
      );
    }, ms);
  };

  return {
    tick,
    start() { if (running) return; running = true; schedule(0); },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await loopDone;
      await chain;
    },
    wake() { schedule(0); },
  };
}
