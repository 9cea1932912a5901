/** Errors of the upload API, each with a stable code and a message a finance clerk can act on. */
import { HttpError } from '@paywatch/http-kit';

/** A client-sent field name as it may be shown back: control characters visible, length bounded. */
const shownName = (name: string): string => name.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).slice(0, 60);

export const INGEST_ERRORS = {
  noFile: () => new HttpError(400, 'PW_ERR_NO_FILE', { th: 'ไม่พบไฟล์ที่อัปโหลด กรุณาแนบไฟล์หนึ่งไฟล์ในช่อง file', en: 'No file in the upload: send exactly one file in the "file" field' }),
  tooManyFiles: () => new HttpError(400, 'PW_ERR_TOO_MANY_FILES', { th: 'อัปโหลดได้ครั้งละหนึ่งไฟล์เท่านั้น ไม่มีไฟล์ใดถูกรับ กรุณาส่งทีละไฟล์', en: 'Upload one file at a time: nothing was accepted, send each file on its own' }),
  wrongFileField: (field: string) => new HttpError(400, 'PW_ERR_FILE_FIELD', {
    th: `ไฟล์ต้องส่งในช่อง "file" แต่ได้รับในช่อง "${shownName(field)}" ไม่มีไฟล์ใดถูกรับ`, en: `Send the file in the multipart field "file", not "${shownName(field)}": nothing was accepted`,
  }, { field: shownName(field) }),
  fieldHasNul: (field: string) => new HttpError(400, 'PW_ERR_FIELD_NUL', {
    th: `ช่อง "${shownName(field)}" มีอักขระ NUL (รหัส 0) ซึ่งไม่อนุญาต ไม่มีไฟล์ใดถูกรับ`, en: `The field "${shownName(field)}" holds a NUL character (code 0), which is not allowed: nothing was accepted`,
  }, { field: shownName(field) }),
  tooManyFields: (max: number) => new HttpError(400, 'PW_ERR_TOO_MANY_FIELDS', {
    th: `ฟอร์มอัปโหลดมีช่องข้อมูลเกิน ${max} ช่อง ไม่มีไฟล์ใดถูกรับ`, en: `The upload form has more than ${max} fields: nothing was accepted`,
  }),
  multipartMalformed: () => new HttpError(400, 'PW_ERR_MULTIPART_MALFORMED', {
    th: 'ข้อมูลที่อัปโหลดไม่ใช่ multipart/form-data ที่สมบูรณ์ (ถูกตัดหรือเสียหาย) ไม่มีไฟล์ใดถูกรับ กรุณาอัปโหลดใหม่',
    en: 'The upload is not well-formed multipart/form-data (cut off or damaged): nothing was accepted, upload it again',
  }),
  fileTooLarge: (limitBytes: number) => new HttpError(413, 'PW_ERR_FILE_TOO_LARGE', {
    th: `ไฟล์มีขนาดเกิน ${Math.round(limitBytes / 1024 / 1024)} MB ที่ระบบรับได้ กรุณาแบ่งไฟล์`, en: `The file exceeds the ${Math.round(limitBytes / 1024 / 1024)} MB upload limit; split it`,
  }),
  emptyFile: () => new HttpError(400, 'PW_ERR_EMPTY_FILE', { th: 'ไฟล์ว่างเปล่า', en: 'The file is empty' }),
  uploadBusy: () => new HttpError(503, 'PW_ERR_UPLOAD_BUSY', {
    th: 'ไฟล์เดียวกันนี้กำลังถูกรับเข้าระบบจากการอัปโหลดอื่น กรุณาลองใหม่อีกครั้งในอีกสักครู่', en: 'The same file is being received by another upload; try again in a moment',
  }),
  stagedStale: (baseVersion: number, inForce: number | null) => new HttpError(409, 'PW_ERR_REFERENCE_STAGED_STALE', {
    th: `ฉบับที่รอยืนยันนี้เทียบกับฉบับที่ ${baseVersion} แต่ขณะนี้ฉบับที่ ${inForce ?? '—'} ใช้งานอยู่แล้ว จึงยืนยันไม่ได้ รายการที่ใช้อยู่ไม่เปลี่ยนแปลง กรุณาอัปโหลดไฟล์อีกครั้งเพื่อดูความเปลี่ยนแปลงเทียบกับฉบับปัจจุบัน`,
    en: `This staged version was compared with version ${baseVersion}, but version ${inForce ?? '—'} is in force now, so it cannot be confirmed. The list in force is unchanged; upload the file again to see its changes against the current version.`,
  }, { baseVersion, inForce }),
  stagedState: (status: string) => new HttpError(409, 'PW_ERR_REFERENCE_STAGED_STATE', {
    th: `ฉบับที่รอยืนยันนี้อยู่ในสถานะ "${status}" จึงทำขั้นตอนนี้ไม่ได้`, en: `This staged version is "${status}": this step does not apply to it`,
  }, { status }),
  dropNeedsConfirm: (removed: number, before: number) => new HttpError(409, 'PW_ERR_REFERENCE_DROP_CONFIRM', {
    th: `ฉบับใหม่จะลบ ${removed} จาก ${before} รายการของฉบับที่ใช้อยู่ (เกินครึ่ง) ต้องยืนยันการลบอีกครั้ง (confirmDrop) และต้องให้ผู้อนุมัติคนที่สองอนุมัติก่อนใช้งาน`,
    en: `The new version drops ${removed} of the ${before} rows in force (more than half): confirm the drop a second time (confirmDrop), then a second person must approve it before it takes effect`,
  }, { removed, before }),
  samePerson: () => new HttpError(403, 'PW_ERR_REFERENCE_SAME_PERSON', {
    th: 'ผู้อนุมัติคนที่สองต้องไม่ใช่ผู้อัปโหลดหรือผู้ยืนยันฉบับนี้', en: 'The second approver must be someone other than the person who uploaded or confirmed this version',
  }),
  notSecondApprover: () => new HttpError(403, 'PW_ERR_REFERENCE_NOT_SECOND_APPROVER', {
    th: 'เฉพาะผู้ดูแลระบบหรือผู้อนุมัติคนที่สองของ อปท. นี้เท่านั้นที่อนุมัติได้', en: "Only an admin or this LAO's second approver may approve it",
  }),
  laoRequired: () => new HttpError(400, 'PW_ERR_LAO_REQUIRED', { th: 'กรุณาระบุรหัส อปท. (lao) ที่เป็นเจ้าของไฟล์', en: 'Name the LAO (lao) the file belongs to' }),
} as const;
