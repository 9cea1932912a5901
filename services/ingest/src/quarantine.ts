/**
 * Quarantine of absurd files (storm control, ADR 0019). The proxy for "this file would raise an absurd number of
 * alerts", measurable at ingest before anything is published: the share of its accepted outflow rows whose payee
 * account is not in the LAO's payee register in force — only when that register is a real one (≥ `minRegisterRows`
 * items) and the file is large (≥ `minRows` rows). Above `maxUnregisteredShare` the batch is quarantined: stored, its
 * manifest says why in Thai and English, nothing is published until ops release it (or discard it).
 */
import { isOutflow, type Bilingual } from '@paywatch/domain';
import { fileSource, parseFileStream, type ParseContext } from '@paywatch/ktb-formats';

/** When a file is quarantined. */
export interface QuarantinePolicy {
  /** A register with fewer items says too little (a new LAO, a partial list): no quarantine. */
  minRegisterRows: number;
  /** Smaller files are never quarantined: their alerts are few whatever they hold. */
  minRows: number;
  /** Share of checked rows paying an unregistered account above which the file is held. */
  maxUnregisteredShare: number;
}

/** 20 registered payees, 500 rows, half of them unregistered. */
export const DEFAULT_QUARANTINE_POLICY: QuarantinePolicy = { minRegisterRows: 20, minRows: 500, maxUnregisteredShare: 0.5 };

/** The LAO's payee register in force, as the check needs it: `bankCode:account` keys of its items. */
export interface RegisterInForce { version: number; accounts: ReadonlySet<string> }

/** What the pre-pass counted. */
export interface UnregisteredCount { checkedRows: number; unregisteredRows: number }

/** `bank:account` as the register and the rows both give it (digits only). */
export const accountKey = (bankCode: string, account: string): string => `${bankCode.replace(/\D/g, '')}:${account.replace(/\D/g, '')}`;

/** The decision (pure): quarantine, with the share, or not. */
export function decideQuarantine(count: UnregisteredCount, register: RegisterInForce | null, policy: QuarantinePolicy): { quarantine: boolean; share: number } {
  const share = count.checkedRows === 0 ? 0 : count.unregisteredRows / count.checkedRows;
  if (!register || register.accounts.size < policy.minRegisterRows || count.checkedRows < policy.minRows) return { quarantine: false, share };
  return { quarantine: share > policy.maxUnregisteredShare, share };
}

/** Reads the stored file once (bounded memory, as publishing does) and counts outflow rows to accounts not in the register. */
export async function countUnregistered(rawPath: string, ctx: ParseContext, register: RegisterInForce): Promise<UnregisteredCount> {
  let checkedRows = 0, unregisteredRows = 0;
  for await (const ev of parseFileStream(fileSource(rawPath), ctx)) {
    if (ev.kind !== 'record' || !isOutflow(ev.record.status)) continue;
    checkedRows++;
    if (!register.accounts.has(accountKey(ev.record.payeeBankCode, ev.record.payeeAccount))) unregisteredRows++;
  }
  return { checkedRows, unregisteredRows };
}

/** The reason a quarantined batch's manifest carries (code `PW_ERR_BATCH_QUARANTINED`). */
export function quarantineMessage(count: UnregisteredCount, register: RegisterInForce): Bilingual {
  const pct = Math.round((count.unregisteredRows / Math.max(1, count.checkedRows)) * 100);
  return {
    th: `ไฟล์นี้ถูกกักไว้ตรวจสอบ: ${count.unregisteredRows.toLocaleString('en')} จาก ${count.checkedRows.toLocaleString('en')} รายการ (${pct}%) โอนเข้าบัญชีที่ไม่อยู่ในทะเบียนผู้รับเงินโอนฉบับที่ ${register.version} ยังไม่มีการประมวลผลรายการใด เจ้าหน้าที่ระบบจะตรวจสอบแล้วปล่อยหรือยกเลิกไฟล์ หากทะเบียนไม่เป็นปัจจุบัน กรุณาอัปโหลดทะเบียนผู้รับเงินโอนฉบับใหม่ก่อน`,
    en: `This file is held for review: ${count.unregisteredRows.toLocaleString('en')} of ${count.checkedRows.toLocaleString('en')} payments (${pct}%) go to accounts not in payee register version ${register.version}. Nothing has been processed; operations will release or discard it. If the register is out of date, upload the current one first.`,
  };
}
