import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWebhookSender, signWebhook, verifyWebhookSignature } from '../src/channels/webhook.ts';
import { createLineSender, lineRetryKeyFor } from '../src/channels/line.ts';
import { claimDueNotifications } from '../src/outbox.ts';
import { TEST_USERS, batchOf, makeAlert, manualClock, publish, recordingContext, serviceOnPg, type PgService } from './helpers.ts';

const SECRET = 'whsec_test_0123456789abcdef';
const LINE_TOKEN = 'line-channel-access-token';

interface Received { url: string; headers: IncomingHttpHeaders; body: string }

/** A local HTTP peer playing both the integrator's webhook receiver and LINE's push endpoint. */
async function startReceiver() {
  const state = { received: [] as Received[], failing: false, lineKeys: new Set<string>() };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      state.received.push(r);
      if (state.failing) { res.writeHead(503).end('busy'); return; }
      if (r.url === '/v2/bot/message/push') {
        const key = String(req.headers['x-line-retry-key']);
        // LINE's documented behaviour: a retry key it has already accepted is answered 409 with the first request's id.
        if (state.lineKeys.has(key)) { res.writeHead(409, { 'x-line-accepted-request-id': `req-${key.slice(0, 8)}` }).end('{}'); return; }
        state.lineKeys.add(key);
        res.writeHead(200, { 'content-type': 'application/json', 'x-line-request-id': `req-${key.slice(0, 8)}` }).end('{}');
        return;
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { state, base, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const running: Array<{ close(): Promise<void> }> = [];
afterEach(async () => { await Promise.all(running.splice(0).map((s) => s.close())); });

async function withChannels(dispatcher: { maxAttempts?: number; baseBackoffMs?: number; leaseMs?: number } = {}) {
  const receiver = await startReceiver();
  running.push(receiver);
  const clock = manualClock();
  const users = TEST_USERS.map((u) => (u.sub === 'auditor-66' ? { ...u, webhookUrl: `${receiver.base}/hooks/paywatch`, lineUserId: 'U4af4980629' } : u));
  const s: PgService = await serviceOnPg({
    clock: clock.now, users, dispatcher,
    extra: { webhook: { secret: SECRET, timeoutMs: 2_000 }, line: { channelAccessToken: LINE_TOKEN, baseUrl: receiver.base, timeoutMs: 2_000 } },
  });
  running.unshift(s);
  const rows = async () => (await s.db.query<{ id: string; channel: string; status: string; attempts: number; recipient: string }>(
    'SELECT id, channel, status, attempts, recipient FROM notifications ORDER BY channel, id')).rows;
  return { s, receiver, clock, rows };
}

const webhooks = (received: Received[]) => received.filter((r) => r.url === '/hooks/paywatch');
const pushes = (received: Received[]) => received.filter((r) => r.url === '/v2/bot/message/push');

describe('webhook and LINE channels', () => {
  it('when an alert is delivered twice, then the auditor gets one signed webhook and one LINE push besides the e-mails', async () => {
    const { s, receiver, clock, rows } = await withChannels();
    const alert = makeAlert({ laoCode: '6600101' });
    await s.service.consumer.handleBatch(batchOf([alert, alert]), recordingContext());
    await s.service.consumer.handleBatch(batchOf([alert], 2), recordingContext());
    expect((await rows()).map((r) => r.channel)).toEqual(['email', 'email', 'line', 'webhook']);
    expect(await s.service.dispatcher.tick()).toEqual({ claimed: 4, sent: 4, failed: 0, dead: 0 });
    clock.advance(3_600_000);
    expect((await s.service.dispatcher.tick()).claimed).toBe(0);

    const [hook] = webhooks(receiver.state.received);
    expect(webhooks(receiver.state.received)).toHaveLength(1);
    const ts = String(hook!.headers['x-paywatch-timestamp']);
    expect(Number(ts)).toBe(Math.floor(clock.now().getTime() / 1000) - 3_600);
    expect(verifyWebhookSignature(SECRET, ts, hook!.body, String(hook!.headers['x-paywatch-signature']), new Date(Number(ts) * 1000))).toBe(true);
    const webhookRow = (await rows()).find((r) => r.channel === 'webhook')!;
    expect(hook!.headers['idempotency-key']).toBe(webhookRow.id);
    expect(JSON.parse(hook!.body)).toMatchObject({ type: 'paywatch.alert', alertId: alert.alertId, laoCode: '6600101', laoName: 'เทศบาลเมืองพิจิตร', amountSatang: 4_500_000, link: `https://paywatch.example.go.th/alerts/${alert.alertId}` });
    expect(hook!.body).not.toContain('0123454321');

    expect(pushes(receiver.state.received)).toHaveLength(1);
    const [push] = pushes(receiver.state.received);
    expect(push!.headers.authorization).toBe(`Bearer ${LINE_TOKEN}`);
    const lineRow = (await rows()).find((r) => r.channel === 'line')!;
    expect(push!.headers['x-line-retry-key']).toBe(lineRetryKeyFor(lineRow.id));
    const message = JSON.parse(push!.body);
    expect(message.to).toBe('U4af4980629');
    expect(message.messages[0].text).toContain(`https://paywatch.example.go.th/alerts/${alert.alertId}`);
    expect(message.messages[0].text).not.toContain('0123454321');
    expect((await rows()).every((r) => r.status === 'sent')).toBe(true);
  });

  it('when the receivers fail for a while and then recover, then each channel delivers once, after back-off; when they never recover, the rows go dead', async () => {
    const { s, receiver, clock, rows } = await withChannels({ baseBackoffMs: 1_000, maxAttempts: 3 });
    receiver.state.failing = true;
    await s.service.consumer.handleBatch(batchOf([makeAlert({ laoCode: '6600101' })]), recordingContext());
    expect(await s.service.dispatcher.tick()).toMatchObject({ claimed: 4, sent: 2, failed: 2 });
    expect((await rows()).filter((r) => r.status === 'pending').map((r) => r.channel)).toEqual(['line', 'webhook']);
    receiver.state.failing = false;
    clock.advance(1_000);
    expect(await s.service.dispatcher.tick()).toMatchObject({ claimed: 2, sent: 2 });
    expect(receiver.state.lineKeys.size).toBe(1);
    expect(webhooks(receiver.state.received).filter((r) => r.headers['x-paywatch-signature'])).toHaveLength(2); // one refused, one accepted

    // A second alert whose receivers stay down: dead after maxAttempts, never sent later.
    receiver.state.failing = true;
    await s.service.consumer.handleBatch(batchOf([makeAlert({ laoCode: '6600101', key: 'other' })], 1), recordingContext());
    for (let i = 0; i < 3; i++) { await s.service.dispatcher.tick(); clock.advance(60_000); }
    const dead = (await rows()).filter((r) => r.status === 'dead');
    expect(dead.map((r) => [r.channel, r.attempts])).toEqual([['line', 3], ['webhook', 3]]);
    receiver.state.failing = false;
    clock.advance(86_400_000);
    expect((await s.service.dispatcher.tick()).claimed).toBe(0);
  });

  it('when a dispatcher dies after the receivers accepted but before recording it, then the resend carries the same keys and LINE does not deliver twice', async () => {
    const { s, receiver, clock, rows } = await withChannels({ leaseMs: 60_000 });
    await s.service.consumer.handleBatch(batchOf([makeAlert({ laoCode: '6600101' })]), recordingContext());
    // The "crashed" dispatcher: claims, sends on both channels, dies before markSent.
    const claimed = (await claimDueNotifications(s.db, { now: clock.now(), limit: 10, leaseMs: 60_000 })).filter((n) => n.channel !== 'email');
    const hook = createWebhookSender({ secret: SECRET, clock: clock.now });
    const line = createLineSender({ channelAccessToken: LINE_TOKEN, baseUrl: receiver.base });
    for (const n of claimed) await (n.channel === 'webhook' ? hook : line).send(n);
    clock.advance(60_000);
    await s.service.dispatcher.tick();
    expect((await rows()).every((r) => r.status === 'sent')).toBe(true);
    const hooks = webhooks(receiver.state.received);
    expect(hooks).toHaveLength(2);
    expect(new Set(hooks.map((h) => h.headers['idempotency-key'])).size).toBe(1);
    // LINE saw the same retry key twice and answered the second with 409: one message reached the user.
    expect(pushes(receiver.state.received)).toHaveLength(2);
    expect(receiver.state.lineKeys.size).toBe(1);
  });

  it('when the webhook host refuses connections, then the row is retried and last_error names the cause', async () => {
    const closed = await startReceiver();
    await closed.close(); // a port that was just free: nothing listens there now
    const s = await serviceOnPg({
      users: TEST_USERS.map((u) => (u.sub === 'auditor-60' ? { ...u, webhookUrl: `${closed.base}/hook` } : u)),
      extra: { webhook: { secret: SECRET, timeoutMs: 1_000 } },
    });
    running.push(s);
    await s.service.consumer.handleBatch(batchOf([makeAlert({ laoCode: '6000101' })]), recordingContext());
    expect(await s.service.dispatcher.tick()).toMatchObject({ claimed: 2, sent: 1, failed: 1 });
    const row = (await s.db.query<{ status: string; last_error: string }>(`SELECT status, last_error FROM notifications WHERE channel = 'webhook'`)).rows[0]!;
    expect(row.status).toBe('pending');
    expect(row.last_error).toMatch(/^webhook: fetch failed \(ECONNREFUSED\)/);
  });

  it('when published on the log with no webhook or LINE configured, then only e-mail rows are queued', async () => {
    const s = await serviceOnPg({ users: TEST_USERS.map((u) => ({ ...u, webhookUrl: 'http://127.0.0.1:9/never', lineUserId: 'Unever' })) });
    running.push(s);
    await s.service.start();
    await publish(s.eventLog, [makeAlert({ laoCode: '6000101' })]);
    await s.sink.waitFor(1);
    expect((await s.db.query<{ channel: string }>('SELECT channel FROM notifications')).rows.map((r) => r.channel)).toEqual(['email']);
  });
});

describe('verifyWebhookSignature', () => {
  const now = new Date('2026-11-23T02:00:00Z');
  const ts = String(now.getTime() / 1000);
  const body = '{"alertId":"al_1"}';
  const sig = signWebhook(SECRET, ts, body);

  it('when body, timestamp and secret match within the window, then true; any change, then false', () => {
    expect(verifyWebhookSignature(SECRET, ts, body, sig, now)).toBe(true);
    expect(verifyWebhookSignature(SECRET, ts, Buffer.from(body), sig, new Date(now.getTime() + 299_000))).toBe(true);
    expect(verifyWebhookSignature(SECRET, ts, body.replace('1', '2'), sig, now)).toBe(false);
    expect(verifyWebhookSignature('another-secret', ts, body, sig, now)).toBe(false);
    expect(verifyWebhookSignature(SECRET, String(Number(ts) + 1), body, sig, now)).toBe(false);
    expect(verifyWebhookSignature(SECRET, ts, body, sig.slice(0, -1), now)).toBe(false);
    expect(verifyWebhookSignature(SECRET, 'abc', body, sig, now)).toBe(false);
  });

  it('when the request is replayed outside the window (either side), then false', () => {
    expect(verifyWebhookSignature(SECRET, ts, body, sig, new Date(now.getTime() + 301_000))).toBe(false);
    expect(verifyWebhookSignature(SECRET, ts, body, sig, new Date(now.getTime() - 301_000))).toBe(false);
    expect(verifyWebhookSignature(SECRET, ts, body, sig, new Date(now.getTime() + 3_600_000), 7_200)).toBe(true);
  });
});
