/** The alerts service's own errors: stable `PW_ERR_…` codes, an HTTP status and a message in Thai and English. */
import { HttpError } from '@paywatch/http-kit';

/** Errors raised by the case workflow, snoozes and login (the common 401/403/404/400 come from http-kit). */
export const ALERTS_ERRORS = {
  illegalTransition: (from: string, to: string) => new HttpError(409, 'PW_ERR_ILLEGAL_TRANSITION',
    { th: `เปลี่ยนสถานะจาก "${from}" เป็น "${to}" ไม่ได้`, en: `An alert cannot move from "${from}" to "${to}"` }, { from, to }),
  resolutionIncomplete: () => new HttpError(400, 'PW_ERR_RESOLUTION_INCOMPLETE',
    { th: 'การปิดเรื่องต้องระบุผลการพิจารณาและเหตุผล', en: 'Resolving needs a disposition and a reason' }),
  assigneeInvalid: () => new HttpError(400, 'PW_ERR_ASSIGNEE_INVALID',
    { th: 'ผู้รับผิดชอบต้องเป็นผู้ตรวจสอบที่ดูแลพื้นที่ของการแจ้งเตือนนี้', en: 'The assignee must be an auditor whose scope covers this alert' }),
  snoozeNotReviewed: () => new HttpError(409, 'PW_ERR_SNOOZE_UNREVIEWED',
    { th: 'ต้องรับทราบการแจ้งเตือนก่อนจึงจะพักการแจ้งเตือนได้', en: 'Only a reviewed (acknowledged or later) alert can snooze a rule' }),
  snoozeRuleNotInAlert: () => new HttpError(400, 'PW_ERR_SNOOZE_RULE',
    { th: 'กฎที่ขอพักต้องเป็นกฎที่ทำให้เกิดการแจ้งเตือนนี้', en: 'The snoozed rule must be one of this alert\'s rules' }),
  snoozeNoPayee: () => new HttpError(409, 'PW_ERR_SNOOZE_NO_PAYEE',
    { th: 'การแจ้งเตือนนี้ไม่ระบุบัญชีผู้รับเงิน จึงพักรายผู้รับเงินไม่ได้', en: 'This alert names no payee account to snooze' }),
  // One code for an unknown user, a wrong password and a user without one: no hint which part was wrong.
  loginFailed: () => new HttpError(401, 'PW_ERR_LOGIN_FAILED',
    { th: 'ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง', en: 'Wrong username or password' }),
  loginThrottled: (retryAfterSeconds: number) => new HttpError(429, 'PW_ERR_LOGIN_THROTTLED',
    { th: `เข้าสู่ระบบผิดหลายครั้งเกินไป กรุณารอ ${retryAfterSeconds} วินาทีแล้วลองใหม่`, en: `Too many failed logins; try again in ${retryAfterSeconds} s` },
    { retryAfterSeconds }),
  alreadyReplayed: (replayedAt: string, replayedBy: string | null) => new HttpError(409, 'PW_ERR_DEAD_LETTER_REPLAYED',
    { th: `ข้อความนี้ถูกส่งกลับเข้าคิวไปแล้วเมื่อ ${replayedAt} โดย ${replayedBy ?? '-'} จึงส่งซ้ำไม่ได้`, en: `This dead letter was already replayed at ${replayedAt} by ${replayedBy ?? '-'}; it is not replayed twice` },
    { replayedAt, replayedBy }),
  nothingToReveal: () => new HttpError(409, 'PW_ERR_NOTHING_TO_REVEAL',
    { th: 'การแจ้งเตือนนี้ไม่มีเลขบัญชีหรือเลขประจำตัวที่ปิดบังไว้', en: 'This alert holds no masked account or ID to reveal' }),
} as const;
