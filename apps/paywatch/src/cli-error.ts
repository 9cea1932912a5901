/** An error the CLI shows its user: a stable `PW_ERR_…` code and the message in Thai and English. */
export class CliError extends Error {
  readonly code: string;
  readonly th: string;
  readonly en: string;

  constructor(code: string, message: { th: string; en: string }, options?: { cause?: unknown }) {
    super(`${code}: ${message.en}`, options);
    this.name = 'CliError';
    this.code = code;
    this.th = message.th;
    this.en = message.en;
  }

  /** The lines the CLI prints: the code, then Thai, then English. */
  lines(): string[] {
    return [`paywatch: ${this.code}`, `  ${this.th}`, `  ${this.en}`];
  }
}
