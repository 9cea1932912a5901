/** SMTP through nodemailer (Mailpit in compose, smtp-server in tests, the ministry's relay in production). */
import nodemailer from 'nodemailer';
import type { Mailer } from './port.ts';

export interface SmtpMailerOptions {
  host: string;
  port: number;
  secure?: boolean;
  /** From the environment only. */
  auth?: { user: string; pass: string };
  from: string;
  /** Fail fast: the outbox retries with back-off, so one send must not hang for minutes. */
  timeoutMs?: number;
}

/** A mailer that delivers over SMTP. */
export function createSmtpMailer(options: SmtpMailerOptions): Mailer {
  const timeout = options.timeoutMs ?? 10_000;
  const transport = nodemailer.createTransport({
    host: options.host, port: options.port, secure: options.secure ?? false,
    ...(options.auth ? { auth: options.auth } : {}),
    connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout,
    // Local relays and test servers often lack TLS; production relays negotiate STARTTLS when offered.
    ignoreTLS: !options.secure && options.host === '127.0.0.1',
  });
  return {
    async send(m) {
      const info = await transport.sendMail({
        from: options.from, to: m.to, subject: m.subject, text: m.text,
        ...(m.html ? { html: m.html } : {}), ...(m.messageId ? { messageId: m.messageId } : {}), ...(m.headers ? { headers: m.headers } : {}),
      });
      return { messageId: info.messageId };
    },
    async ping() { return transport.verify().then(() => true, () => false); },
    async close() { transport.close(); },
  };
}
