/**
 * Notifier liveness: a channel whose oldest undelivered notification has been failing for longer than a threshold
 * is reported as failing — in `/metrics` (`paywatch_alerts_channel_failing`), in the log at error level, and on
 * `GET /v1/ops/channels` — so a silent notifier is noticed (peers have been caught by exactly this).
 */
import type { Queryable } from '@paywatch/db';
import { CHANNELS, type Channel } from './outbox.ts';

export interface ChannelHealth {
  channel: Channel;
  /** Pending notifications that have failed at least once. */
  failingPending: number;
  /** Dead notifications (gave up). */
  dead: number;
  /** Since when the oldest still-failing notification has been waiting, ISO; null when none is failing. */
  failingSince: string | null;
  /** True when it has been failing longer than the threshold. */
  alarm: boolean;
  lastSentAt: string | null;
}

/** Health of every channel at `now`. */
export async function channelHealth(db: Queryable, now: Date, thresholdMs: number): Promise<ChannelHealth[]> {
  const r = await db.query<{ channel: Channel; failing_pending: number; dead: number; failing_since: Date | string | null; last_sent_at: Date | string | null }>(
    `SELECT channel,
            count(*) FILTER (WHERE status = 'pending' AND attempts > 0)::int AS failing_pending,
            count(*) FILTER (WHERE status = 'dead')::int AS dead,
            min(created_at) FILTER (WHERE status = 'pending' AND attempts > 0) AS failing_since,
            max(sent_at) AS last_sent_at
       FROM notifications GROUP BY channel`,
  );
  const byChannel = new Map(r.rows.map((x) => [x.channel, x]));
  return CHANNELS.map((channel) => {
    const x = byChannel.get(channel);
    const since = x?.failing_since ? new Date(x.failing_since) : null;
    const lastSent = x?.last_sent_at ? new Date(x.last_sent_at) : null;
    // A channel that delivered something after the oldest failure began is flaky, not down.
    const stuck = since !== null && (lastSent === null || lastSent < since);
    return {
      channel, failingPending: x?.failing_pending ?? 0, dead: x?.dead ?? 0,
      failingSince: since?.toISOString() ?? null,
      alarm: (stuck && now.getTime() - since!.getTime() > thresholdMs) || false,
      lastSentAt: lastSent?.toISOString() ?? null,
    };
  });
}
