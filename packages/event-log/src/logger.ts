/** The subset of pino's logger this package uses; callers pass their own (shared packages never create one). */
export interface LoggerLike {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): LoggerLike;
}

/** A logger that drops everything, used when the caller gives none. */
export const silentLogger: LoggerLike = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return silentLogger;
  },
};
