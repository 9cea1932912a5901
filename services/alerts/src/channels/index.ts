/** Delivery channels next to e-mail: signed webhook and LINE push, and what they send. */
export { createWebhookSender, signWebhook, verifyWebhookSignature, WEBHOOK_HEADERS, type WebhookOptions } from './webhook.ts';
export { createLineSender, lineRetryKeyFor, LINE_API_BASE_URL, type LineOptions } from './line.ts';
export type { ChannelSender } from './channel-sender.ts';
export { renderWebhookBody, renderLineText } from './messages.ts';
