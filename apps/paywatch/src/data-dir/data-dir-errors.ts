/** The data folder's refusals, in Thai and English: each says what was found and what to do. */
import { CliError } from '../cli-error.ts';
import { MARKER_FILE } from './data-dir-layout.ts';

export const DATA_DIR_ERRORS = {
  /** Issue 14 item 8: a folder with other things in it is never wiped, written to or migrated. */
  foreign: (dir: string, found: readonly string[]) => new CliError('PW_ERR_DATA_DIR_FOREIGN', {
    th: `โฟลเดอร์ ${dir} มีไฟล์อื่นอยู่ (${found.join(', ')}) และไม่ใช่โฟลเดอร์ข้อมูลของ paywatch (ไม่มีไฟล์ ${MARKER_FILE}) — paywatch จะไม่ลบหรือเขียนทับ โปรดระบุโฟลเดอร์ว่างหรือโฟลเดอร์ที่ paywatch สร้างไว้`,
    en: `The folder ${dir} holds other files (${found.join(', ')}) and is not a paywatch data folder (no ${MARKER_FILE}). paywatch will not delete or overwrite it: give an empty folder, or one paywatch created.`,
  }),
  inUse: (dir: string) => new CliError('PW_ERR_DATA_DIR_IN_USE', {
    th: `โฟลเดอร์ข้อมูล ${dir} กำลังถูกใช้งานโดย paywatch อีกโปรเซสหนึ่ง (serve หรือ dev) — หยุดโปรเซสนั้นก่อนแล้วลองใหม่`,
    en: `The data folder ${dir} is in use by another paywatch process (serve or dev). Stop it first, then try again.`,
  }),
  tooNew: (dir: string, format: number, supported: number) => new CliError('PW_ERR_DATA_DIR_TOO_NEW', {
    th: `โฟลเดอร์ข้อมูล ${dir} เป็นรูปแบบ ${format} ซึ่งใหม่กว่าที่ paywatch รุ่นนี้อ่านได้ (สูงสุด ${supported}) — ใช้ paywatch รุ่นที่สร้างโฟลเดอร์นี้หรือรุ่นใหม่กว่า`,
    en: `The data folder ${dir} is format ${format}, newer than this paywatch reads (up to ${supported}). Use the release that wrote it, or a newer one.`,
  }),
  markerInvalid: (dir: string, detail: string) => new CliError('PW_ERR_DATA_DIR_MARKER_INVALID', {
    th: `อ่านไฟล์ ${MARKER_FILE} ในโฟลเดอร์ ${dir} ไม่ได้ (${detail}) — ไม่ได้แก้ไขข้อมูลใด ๆ`,
    en: `The ${MARKER_FILE} of ${dir} cannot be read (${detail}). Nothing was changed.`,
  }),
  noMigration: (dir: string, format: number) => new CliError('PW_ERR_DATA_DIR_NO_MIGRATION', {
    th: `ไม่มีขั้นตอนปรับรุ่นโฟลเดอร์ข้อมูล ${dir} จากรูปแบบ ${format}`,
    en: `No migration of the data folder ${dir} from format ${format} exists.`,
  }),
} as const;
