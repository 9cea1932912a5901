/** Embedded mode's mailer: writes each message to a local outbox (JSON lines) that the web console shows. */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Mailer, MailMessage } from './port.ts';

export interface OutboxEntry extends MailMessage { messageId: string; at: string }

/** A mailer that appends to `file`; `read()` lists what was "sent". */
export function createLocalOutboxMailer(file: string, now: () => Date = () => new Date()): Mailer & { read(): Promise<OutboxEntry[]> } {
  return {
    async send(m) {
      const entry: OutboxEntry = { ...m, messageId: m.messageId ?? `<${randomUUID()}@paywatch.local>`, at: now().toISOString() };
      await mkdir(dirname(file), { recursive: true });
      await appendFile(file, JSON.stringify(entry) + '\n');
      return { messageId: entry.messageId };
    },
    async read() {
      const text = await readFile(file, 'utf8').catch(() => '');
      return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as OutboxEntry);
    },
    async ping() { return true; },
    async close() {},
  };
}
