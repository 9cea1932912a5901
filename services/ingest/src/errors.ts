/** Errors of the upload API, each with a stable code and a message a finance clerk can act on. */
import { HttpError } from '@paywatch/http-kit';

export const INGEST_ERRORS = {
  noFile: () => new HttpError(400, 'PW_ERR_NO_FILE', { th: 'ไม่พบไฟล์ที่อัปโหลด กรุณาแนบไฟล์หนึ่งไฟล์ในช่อง file', en: 'No file in the upload: send exactly one file in the "file" field' }),
  tooManyFiles: () => new HttpError(400, 'PW_ERR_TOO_MANY_FILES', { th: 'อัปโหลดได้ครั้งละหนึ่งไฟล์เท่านั้น', en: 'Upload one file at a time' }),
  fileTooLarge: (limitBytes: number) => new HttpError(413, 'PW_ERR_FILE_TOO_LARGE', {
    th: `ไฟล์มีขนาดเกิน ${Math.round(limitBytes / 1024 / 1024)} MB ที่ระบบรับได้ กรุณาแบ่งไฟล์`, en: `The file exceeds the ${Math.round(limitBytes / 1024 / 1024)} MB upload limit; split it`,
  }),
  emptyFile: () => new HttpError(400, 'PW_ERR_EMPTY_FILE', { th: 'ไฟล์ว่างเปล่า', en: 'The file is empty' }),
  uploadBusy: () => new HttpError(503, 'PW_ERR_UPLOAD_BUSY', {
    th: 'ไฟล์เดียวกันนี้กำลังถูกรับเข้าระบบจากการอัปโหลดอื่น กรุณาลองใหม่อีกครั้งในอีกสักครู่', en: 'The same file is being received by another upload; try again in a moment',
  }),
  laoRequired: () => new HttpError(400, 'PW_ERR_LAO_REQUIRED', { th: 'กรุณาระบุรหัส อปท. (lao) ที่เป็นเจ้าของไฟล์', en: 'Name the LAO (lao) the file belongs to' }),
} as const;
