/** A real SMTP server (smtp-server + mailparser) on a loopback port that records what it receives. */
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface SmtpSink {
  port: number;
  received: ParsedMail[];
  /** While true, every RCPT is refused with a 451 (temporary failure), as a relay in trouble would. */
  failing: boolean;
  /** Resolves when at least `n` messages arrived (or rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

/** Starts the sink on 127.0.0.1 and a free port. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const sink = { received: [] as ParsedMail[], failing: false } as SmtpSink;
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onRcptTo(_addr, _session, cb) { if (sink.failing) { const e = new Error('try later') as Error & { responseCode: number }; e.responseCode = 451; cb(e); } else cb(); },
    onData(stream, _session, cb) { simpleParser(stream).then((m) => { sink.received.push(m); cb(); }, cb); },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  sink.port = (server.server.address() as AddressInfo).port;
  sink.waitFor = async (n, timeoutMs = 10_000) => {
    const t0 = Date.now();
    while (sink.received.length < n) {
      if (Date.now() - t0 > timeoutMs) throw new Error(`expected ${n} messages, got ${sink.received.length}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return sink.received;
  };
  sink.close = () => new Promise<void>((r) => server.close(() => r()));
  return sink;
}
