/**
 * Embedded mode's mailer: writes each message to a local outbox (JSON lines) that the web console shows.
 * The outbox keeps one line per Message-ID: the dispatcher resends with the same Message-ID after a crash
 * between "written" and "marked sent", and a mail server that receives the same Message-ID twice shows it
 * once; the file does the same, so a restart never shows an auditor the same e-mail twice.
 */
import { appendFile, mkdir, readFile, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Mailer, MailMessage } from './port.ts';

export interface OutboxEntry extends MailMessage { messageId: string; at: string }

/** A mailer that appends to `file`; `read()` lists what was "sent". */
export function createLocalOutboxMailer(file: string, now: () => Date = () => new Date()): Mailer & { read(): Promise<OutboxEntry[]> } {
  let sent: Promise<Set<string>> | null = null;
  /** The Message-IDs already in the file; a line cut short by a killed process is dropped (it was never acknowledged). */
  const load = async (): Promise<Set<string>> => {
    const text = await readFile(file, 'utf8').catch(() => '');
    const whole = text.endsWith('\n') || text === '' ? text : text.slice(0, text.lastIndexOf('\n') + 1);
    if (whole.length !== text.length) await truncate(file, Buffer.byteLength(whole));
    return new Set(whole.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as OutboxEntry).messageId));
  };
  // One write at a time: the duplicate check and the append must not interleave.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => { const p = queue.then(fn, fn); queue = p.catch(() => undefined); return p; };
  return {
    send(m) {
      return serial(async () => {
        const ids = await (sent ??= load());
        const entry: OutboxEntry = { ...m, messageId: m.messageId ?? `<${randomUUID()}@paywatch.local>`, at: now().toISOString() };
        if (ids.has(entry.messageId)) return { messageId: entry.messageId };
        await mkdir(dirname(file), { recursive: true });
        await appendFile(file, JSON.stringify(entry) + '\n');
        ids.add(entry.messageId);
        return { messageId: entry.messageId };
      });
    },
    async read() {
      const text = await readFile(file, 'utf8').catch(() => '');
      // A last line without its newline is a write a killed process did not finish: not sent.
      const lines = text.split('\n');
      return lines.slice(0, -1).filter(Boolean).map((l) => JSON.parse(l) as OutboxEntry);
    },
    async ping() { return true; },
    async close() {},
  };
}
