/** @paywatch/mail — the mail port, an SMTP adapter and embedded mode's local outbox. */
export * from './port.ts';
export * from './smtp-mailer.ts';
export * from './local-outbox-mailer.ts';
