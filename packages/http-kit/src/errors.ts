/** HTTP errors with stable codes, an HTTP status and a message in Thai and English. */

/** An error a client can act on. `code` is stable (`PW_ERR_…`); the message is for people. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    readonly messages: { th: string; en: string },
    readonly details?: unknown,
  ) {
    super(messages.en);
    this.name = 'HttpError';
  }
}

/** The errors every service can raise. Services add their own next to their routes. */
export const COMMON_ERRORS = {
  unauthenticated: () => new HttpError(401, 'PW_ERR_UNAUTHENTICATED', { th: 'กรุณาเข้าสู่ระบบ (ไม่พบโทเค็นหรือโทเค็นไม่ถูกต้อง)', en: 'Authentication required (missing or invalid token)' }),
  // Out of scope is reported as not found: existence of other provinces' data is itself information.
  notFound: (what = 'resource') => new HttpError(404, 'PW_ERR_NOT_FOUND', { th: 'ไม่พบข้อมูลที่ขอ', en: `${what} not found` }),
  forbiddenRole: () => new HttpError(403, 'PW_ERR_FORBIDDEN_ROLE', { th: 'บทบาทของท่านไม่มีสิทธิ์ใช้งานส่วนนี้', en: 'Your role may not use this endpoint' }),
  validation: (details: unknown) => new HttpError(400, 'PW_ERR_VALIDATION', { th: 'ข้อมูลที่ส่งมาไม่ถูกต้อง', en: 'The request is not valid' }, details),
} as const;

/** The JSON body of every error response. */
export interface ErrorBody { error: { code: string; message: { th: string; en: string }; details?: unknown } }

export const errorBody = (e: HttpError): ErrorBody => ({ error: { code: e.code, message: e.messages, ...(e.details === undefined ? {} : { details: e.details }) } });
