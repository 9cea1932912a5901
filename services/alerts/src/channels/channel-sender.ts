/** What every delivery channel implements: send one claimed notification, or throw to have it retried. */
import type { ClaimedNotification } from '../outbox.ts';

/** A channel adapter. Resolves with the provider's id once the provider accepted the message; throws otherwise. */
export interface ChannelSender {
  send(n: ClaimedNotification): Promise<{ providerMessageId: string }>;
}

/** Refuses a response that is not 2xx, with the status and a little of the body in the error (for `last_error`). */
export async function ensureOk(what: string, res: Response): Promise<void> {
  if (res.ok) return;
  const text = (await res.text().catch(() => '')).slice(0, 200);
  throw new Error(`${what} answered ${res.status}${text ? `: ${text}` : ''}`);
}

/** `fetch` that names the network failure (fetch itself only says "fetch failed" and hides the cause). */
export async function fetchOrExplain(what: string, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`${what}: ${(err as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}`);
  }
}
