/**
 * LINE Messaging API push channel (LINE Notify no longer exists). `POST {baseUrl}/v2/bot/message/push` with the
 * channel access token; `X-Line-Retry-Key` is derived from the notification id, so a retry of a request LINE
 * already accepted is answered 409 and is not delivered twice.
 */
import { createHash } from 'node:crypto';
import type { ClaimedNotification } from '../outbox.ts';
import { ensureOk, fetchOrExplain, type ChannelSender } from './channel-sender.ts';

/** LINE's production API base. */
export const LINE_API_BASE_URL = 'https://api.line.me';

/** Settings of the LINE channel; `baseUrl` is configurable so tests point it at a local fake. */
export interface LineOptions { channelAccessToken: string; baseUrl?: string; timeoutMs?: number }

/** A UUID (the format LINE requires for the retry key) that is the same for every attempt of one notification. */
export function lineRetryKeyFor(notificationId: string): string {
  const h = createHash('sha256').update(notificationId).digest('hex').slice(0, 32).split('');
  h[12] = '4';
  h[16] = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

/** Creates the sender; the notification's recipient is the LINE user id, its body the message text. */
export function createLineSender(options: LineOptions): ChannelSender {
  const base = (options.baseUrl ?? LINE_API_BASE_URL).replace(/\/+$/, '');
  return {
    async send(n: ClaimedNotification) {
      const res = await fetchOrExplain('LINE push', `${base}/v2/bot/message/push`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${options.channelAccessToken}`,
          'x-line-retry-key': lineRetryKeyFor(n.id),
        },
        // LINE caps a text message at 5,000 characters.
        body: JSON.stringify({ to: n.recipient, messages: [{ type: 'text', text: n.body.slice(0, 5_000) }] }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      // 409 with a retry key: LINE already accepted this very request earlier (we lost its answer).
      if (res.status === 409 && res.headers.get('x-line-accepted-request-id')) {
        await res.body?.cancel().catch(() => undefined);
        return { providerMessageId: `line:${res.headers.get('x-line-accepted-request-id')}` };
      }
      await ensureOk('LINE push', res);
      await res.body?.cancel().catch(() => undefined);
      return { providerMessageId: `line:${res.headers.get('x-line-request-id') ?? n.id}` };
    },
  };
}
