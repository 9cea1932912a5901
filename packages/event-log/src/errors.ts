/** Stable error codes of the event log; `canRetry` tells callers whether trying again may help. */
export const EVENT_LOG_ERRORS = {
  PW_ERR_EVENT_LOG_CLOSED: { message: 'the event log or client is closed', canRetry: false },
  PW_ERR_EVENT_LOG_ALREADY_RUNNING: { message: 'the consumer is already running', canRetry: false },
  PW_ERR_EVENT_LOG_NOT_ASSIGNED: { message: 'the partition is not assigned to this consumer', canRetry: false },
  PW_ERR_EVENT_LOG_INVALID_OFFSET: { message: 'the offset is not a valid non-negative integer', canRetry: false },
  PW_ERR_EVENT_LOG_INVALID_TOPIC: { message: 'the topic specification is invalid', canRetry: false },
  PW_ERR_EVENT_LOG_JOIN_TIMEOUT: { message: 'the consumer did not join its group in time', canRetry: true },
  PW_ERR_EVENT_LOG_CRASHED: { message: 'the consumer crashed and will not restart', canRetry: true },
  PW_ERR_EVENT_LOG_LOCKED: { message: 'the event log file is open in another process', canRetry: true },
  PW_ERR_EVENT_LOG_FORMAT: { message: 'the event log file has a layout this version cannot read', canRetry: false },
} as const;

/** One of the codes in {@link EVENT_LOG_ERRORS}. */
export type EventLogErrorCode = keyof typeof EVENT_LOG_ERRORS;

/** An error of this package: assert on `code`, decide on `canRetry`. */
export class EventLogError extends Error {
  readonly code: EventLogErrorCode;
  readonly canRetry: boolean;

  constructor(code: EventLogErrorCode, detail?: string, options?: { cause?: unknown }) {
    const base = EVENT_LOG_ERRORS[code];
    super(detail ? `${base.message}: ${detail}` : base.message, options);
    this.name = 'EventLogError';
    this.code = code;
    this.canRetry = base.canRetry;
  }
}
