/**
 * Signed webhook channel. Each POST carries `x-paywatch-timestamp` (Unix seconds) and
 * `x-paywatch-signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`, plus an `Idempotency-Key`
 * that is the same on every retry of one notification, so a receiver can drop the duplicates a retry may cause.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ClaimedNotification } from '../outbox.ts';
import { ensureOk, fetchOrExplain, type ChannelSender } from './channel-sender.ts';

/** Header names of the webhook signature scheme. */
export const WEBHOOK_HEADERS = { timestamp: 'x-paywatch-timestamp', signature: 'x-paywatch-signature', idempotencyKey: 'idempotency-key' } as const;

/** `sha256=` + hex HMAC-SHA256 over `timestamp + "." + body`. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * For integrators: true when `signature` matches the body and timestamp under `secret` and the timestamp is
 * within `windowSec` of `now` (both directions), which bounds how long a captured request can be replayed.
 * Give it the raw body bytes as received, before any JSON parsing.
 */
export function verifyWebhookSignature(secret: string, timestamp: string, body: string | Buffer, signature: string, now: Date, windowSec = 300): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > windowSec) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, Buffer.isBuffer(body) ? body.toString('utf8') : body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Settings of the webhook channel: one signing secret for the deployment. */
export interface WebhookOptions { secret: string; timeoutMs?: number }

/** Creates the sender; the notification's recipient is the URL, its body the JSON to POST. */
export function createWebhookSender(options: WebhookOptions & { clock: () => Date }): ChannelSender {
  return {
    async send(n: ClaimedNotification) {
      const timestamp = String(Math.floor(options.clock().getTime() / 1000));
      const res = await fetchOrExplain('webhook', n.recipient, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          [WEBHOOK_HEADERS.timestamp]: timestamp,
          [WEBHOOK_HEADERS.signature]: signWebhook(options.secret, timestamp, n.body),
          [WEBHOOK_HEADERS.idempotencyKey]: n.id,
        },
        body: n.body,
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      await ensureOk('webhook', res);
      await res.body?.cancel().catch(() => undefined);
      return { providerMessageId: res.headers.get('x-request-id') ?? `webhook:${n.id}` };
    },
  };
}
