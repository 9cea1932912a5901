/**
 * off-hours@1.0.0 — money sent at night, at the weekend or on a holiday, when nobody else is in
 * the office to notice (Ubon Ratchathani: 39 M baht moved at night over two weeks).
 */
import { isOutflow, toBangkok, z, type Disbursement, type Finding } from '@paywatch/domain';
import { THAI_HOLIDAYS, type Holiday } from '../calendar/thai-holidays.ts';
import { CalendarDate } from '../config-fields.ts';
import { oncePerConfig } from '../once-per-config.ts';
import type { Rule } from '../rule.ts';
import { toWindowPayment, type LaoStateView } from '../state/lao-state.ts';
import { baht, formatDateTh, paymentDetail, paymentRef, payeeLabel, rowLabel, unmaskedAccounts } from './explain.ts';

const HolidayEntry = z.strictObject({ date: CalendarDate, nameTh: z.string().min(1), nameEn: z.string().min(1) });

/** Thresholds of off-hours. */
export const OffHoursConfig = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** Office hours, Asia/Bangkok: from this hour (inclusive) … */
    startHour: z.number().int().min(0).max(23).default(7),
    /** … to this hour (exclusive): 19 means 19:00:00 is already outside. */
    endHour: z.number().int().min(1).max(24).default(19),
    weekends: z.boolean().default(true),
    /** Public and bank holidays (the default is the 2024–2027 table). */
    holidays: z.array(HolidayEntry).default((): Holiday[] => THAI_HOLIDAYS.map((x) => ({ ...x }))),
    /** Days the cabinet adds during the year, on top of `holidays`: editing this list needs no deploy. */
    additionalHolidays: z.array(HolidayEntry).default(() => []),
  })
  .refine((c) => c.startHour < c.endHour, { message: 'startHour must be before endHour', path: ['endHour'] });
/** Parsed off-hours configuration. */
export type OffHoursConfig = z.infer<typeof OffHoursConfig>;

const WEEKDAY_TH = ['วันอาทิตย์', 'วันจันทร์', 'วันอังคาร', 'วันพุธ', 'วันพฤหัสบดี', 'วันศุกร์', 'วันเสาร์'] as const;
const WEEKDAY_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const pad = (n: number): string => String(n).padStart(2, '0');

/** Looking up a date in the configured lists: rebuilt only when the configuration object changes. */
const holidayIndex = oncePerConfig((config: OffHoursConfig): Map<string, Holiday> => {
  const index = new Map<string, Holiday>();
  for (const x of [...config.holidays, ...config.additionalHolidays]) if (!index.has(x.date)) index.set(x.date, x);
  return index;
});
function holidayOn(config: OffHoursConfig, date: string): Holiday | undefined {
  return holidayIndex(config).get(date);
}

/**
 * The rule. Silent when `executedAt` is null: bulk files are instructions and carry no execution
 * time, and the effective date alone says nothing about the hour (a file uploaded on Friday
 * may well be effective on Monday). The time is the bank's transaction time in Bangkok.
 */
export const offHoursRule: Rule<OffHoursConfig> = {
  id: 'off-hours',
  version: '1.0.0',
  configSchema: OffHoursConfig,
  windowDays: () => 0,
  evaluate(record: Disbursement, state: LaoStateView, config: OffHoursConfig): Finding[] {
    if (record.executedAt === null || !isOutflow(record.status)) return [];
    const at = toBangkok(record.executedAt);
    const holiday = holidayOn(config, at.date) ?? null;
    const weekend = config.weekends && (at.weekday === 0 || at.weekday === 6);
    const outsideHours = at.hour < config.startHour || at.hour >= config.endHour;
    if (!holiday && !weekend && !outsideHours) return [];

    const p = toWindowPayment(record, state.nextSeq);
    const who = payeeLabel(p), where = rowLabel(p);
    const time = `${pad(at.hour)}:${pad(at.minute)}`;
    const hours = `${pad(config.startHour)}:00–${pad(config.endHour)}:00`;
    const whyTh: string[] = [], whyEn: string[] = [];
    if (holiday) { whyTh.push(`ตรงกับ${holiday.nameTh}`); whyEn.push(`on ${holiday.nameEn}`); }
    if (weekend) { whyTh.push(`เป็น${WEEKDAY_TH[at.weekday]}`); whyEn.push(`on a ${WEEKDAY_EN[at.weekday]}`); }
    if (outsideHours) { whyTh.push(`นอกเวลา ${hours} น.`); whyEn.push(`outside ${hours}`); }
    return [{
      ruleId: offHoursRule.id,
      ruleVersion: offHoursRule.version,
      severity: 'medium',
      laoCode: state.laoCode,
      subject: { kind: 'payment', key: p.recordId },
      reasons: {
        th: `โอนเงินนอกเวลาทำการ: จ่ายให้ ${who.th} ${baht(p.amountSatang)} บาท ทำรายการเมื่อ${WEEKDAY_TH[at.weekday]}ที่ ${formatDateTh(at.date)} เวลา ${time} น. (${where.th}) ซึ่ง${whyTh.join(' และ')} (เกณฑ์: วันหยุดราชการ/วันหยุดธนาคาร วันเสาร์-อาทิตย์ หรือนอกเวลา ${hours} น.) ควรตรวจสอบว่าผู้ใดทำรายการและอนุมัติ และมีเหตุจำเป็นต้องโอนในเวลาดังกล่าวหรือไม่`,
        en: `Transfer outside office hours: ${baht(p.amountSatang)} baht to ${who.en}, executed on ${WEEKDAY_EN[at.weekday]} ${at.date} at ${time} Bangkok time (${where.en}), ${whyEn.join(' and ')} (threshold: public/bank holidays, weekends, or outside ${hours}). Check who made and approved it and whether there was a reason to transfer at that time.`,
      },
      evidence: {
        executedAt: record.executedAt,
        bangkokDate: at.date,
        bangkokTime: time,
        weekday: WEEKDAY_EN[at.weekday],
        holiday: holiday ? { date: holiday.date, nameTh: holiday.nameTh, nameEn: holiday.nameEn } : null,
        weekend,
        outsideHours,
        officeHours: { startHour: config.startHour, endHour: config.endHour },
        paymentDetails: [paymentDetail(p)],
      },
      unmasked: unmaskedAccounts([p]),
      payments: [paymentRef(p)],
    }];
  },
};
