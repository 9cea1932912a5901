/** Errors of cases, attachments and the inbox: stable `PW_ERR_…` codes, an HTTP status and a message in Thai and English. */
import { HttpError } from '@paywatch/http-kit';

/** Raised by the case and inbox routes (the common 401/403/404/400 come from http-kit). */
export const CASE_ERRORS = {
  caseClosed: () => new HttpError(409, 'PW_ERR_CASE_CLOSED',
    { th: 'เรื่องนี้ปิดแล้ว จึงปิดซ้ำไม่ได้', en: 'This case is already closed' }),
  attachmentType: (allowed: readonly string[]) => new HttpError(415, 'PW_ERR_ATTACHMENT_TYPE',
    { th: 'แนบได้เฉพาะไฟล์ PDF, PNG หรือ JPEG (เช่น ภาพสแกนฎีกาหรือรายการเดินบัญชี)', en: 'Only PDF, PNG or JPEG files can be attached (a voucher scan or a bank statement)' }, { allowed }),
  attachmentTooLarge: (maxBytes: number) => new HttpError(413, 'PW_ERR_ATTACHMENT_TOO_LARGE',
    { th: `ไฟล์แนบต้องไม่เกิน ${Math.floor(maxBytes / 1024 / 1024)} MB`, en: `An attachment may be at most ${Math.floor(maxBytes / 1024 / 1024)} MB` }, { maxBytes }),
  attachmentEmpty: () => new HttpError(400, 'PW_ERR_ATTACHMENT_EMPTY',
    { th: 'ไฟล์แนบว่างเปล่า', en: 'The attachment is empty' }),
  attachmentName: () => new HttpError(400, 'PW_ERR_ATTACHMENT_NAME',
    { th: 'ต้องระบุชื่อไฟล์ (ไม่เกิน 200 ตัวอักษร)', en: 'The file needs a name of at most 200 characters' }),
  attachmentsUnavailable: () => new HttpError(503, 'PW_ERR_ATTACHMENTS_UNAVAILABLE',
    { th: 'ยังไม่ได้ตั้งค่าที่เก็บไฟล์แนบ', en: 'No store for attachments is configured' }),
  savedFilterInvalid: () => new HttpError(400, 'PW_ERR_SAVED_FILTER_INVALID',
    { th: 'ตัวกรองที่บันทึกต้องมีชื่อ (ไม่เกิน 80 ตัวอักษร) และเงื่อนไขของกล่องแจ้งเตือน', en: 'A saved filter needs a name (at most 80 characters) and inbox conditions' }),
  bulkEmpty: () => new HttpError(400, 'PW_ERR_BULK_EMPTY',
    { th: 'กรุณาเลือกเรื่องหรือการแจ้งเตือนอย่างน้อยหนึ่งรายการ', en: 'Select at least one case or alert' }),
} as const;
