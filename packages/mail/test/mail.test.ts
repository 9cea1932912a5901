import { describe, expect, it } from 'vitest';
import { appendFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSmtpSink } from '@paywatch/testkit';
import { createSmtpMailer, createLocalOutboxMailer } from '../src/index.ts';

describe('SMTP mailer against a real SMTP server', () => {
  it('when a Thai message is sent, then the server receives the subject and body intact', async () => {
    const sink = await startSmtpSink();
    const mailer = createSmtpMailer({ host: '127.0.0.1', port: sink.port, from: 'paywatch@example.test' });
    await mailer.send({ to: 'auditor@example.test', subject: 'แจ้งเตือน: จ่ายซ้ำ', text: 'อบต.ทดสอบ 1,234.50 บาท', messageId: '<a1@paywatch>' });
    const [m] = await sink.waitFor(1);
    expect(m!.subject).toBe('แจ้งเตือน: จ่ายซ้ำ');
    expect(m!.text).toContain('1,234.50 บาท');
    expect(m!.messageId).toBe('<a1@paywatch>');
    await sink.close();
  });
  it('when the server refuses the recipient, then send rejects', async () => {
    const sink = await startSmtpSink();
    sink.failing = true;
    const mailer = createSmtpMailer({ host: '127.0.0.1', port: sink.port, from: 'paywatch@example.test' });
    await expect(mailer.send({ to: 'a@example.test', subject: 's', text: 't' })).rejects.toThrow();
    await sink.close();
  });
});

describe('local outbox mailer', () => {
  it('when messages are sent, then they can be read back in order', async () => {
    const mailer = createLocalOutboxMailer(join(await mkdtemp(join(tmpdir(), 'pw-mail-')), 'outbox.jsonl'));
    await mailer.send({ to: 'a@x', subject: 'one', text: '1' });
    await mailer.send({ to: 'b@x', subject: 'two', text: '2' });
    expect((await mailer.read()).map((m) => m.subject)).toEqual(['one', 'two']);
  });

  it('when a message is sent again with the same Message-ID (a resend after a crash), then the outbox holds it once', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'pw-mail-')), 'outbox.jsonl');
    const first = createLocalOutboxMailer(file);
    await first.send({ to: 'a@x', subject: 'one', text: '1', messageId: '<nt_1@paywatch>' });
    // A new process (after a restart) resends the message it had not marked sent.
    const second = createLocalOutboxMailer(file);
    expect(await second.send({ to: 'a@x', subject: 'one', text: '1', messageId: '<nt_1@paywatch>' })).toEqual({ messageId: '<nt_1@paywatch>' });
    await second.send({ to: 'b@x', subject: 'two', text: '2', messageId: '<nt_2@paywatch>' });
    await second.send({ to: 'b@x', subject: 'two', text: '2', messageId: '<nt_2@paywatch>' });
    expect((await second.read()).map((m) => m.messageId)).toEqual(['<nt_1@paywatch>', '<nt_2@paywatch>']);
  });

  it('when a killed process left half a line, then it is dropped and the next message starts on its own line', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'pw-mail-')), 'outbox.jsonl');
    await createLocalOutboxMailer(file).send({ to: 'a@x', subject: 'one', text: '1', messageId: '<nt_1@paywatch>' });
    await appendFile(file, '{"to":"b@x","subj');
    const mailer = createLocalOutboxMailer(file);
    expect((await mailer.read()).map((m) => m.subject)).toEqual(['one']);
    await mailer.send({ to: 'b@x', subject: 'two', text: '2', messageId: '<nt_2@paywatch>' });
    expect((await mailer.read()).map((m) => m.subject)).toEqual(['one', 'two']);
    expect((await readFile(file, 'utf8')).split('\n').filter(Boolean).every((l) => JSON.parse(l))).toBe(true);
  });
});
