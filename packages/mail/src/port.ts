/** The mail port: one message to one recipient. Delivery bookkeeping (once per alert and recipient) is the caller's. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Stable id so a resend after a crash is recognisable downstream (Message-ID header). */
  messageId?: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  /** Sends; resolves with the server's id once the server accepted it, rejects when it did not. */
  send(message: MailMessage): Promise<{ messageId: string }>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
