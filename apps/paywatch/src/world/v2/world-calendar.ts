/**
 * The harder world's calendar: months, and the days LAO finance offices and the bank work. Thai public and bank
 * holidays come from the maintained holiday table (calendar data, not a rule threshold): a world whose clean
 * payments ran on a day the real calendar closes would plant false off-hours events.
 */
import { addDays } from '@paywatch/domain';
import { THAI_HOLIDAYS } from '@paywatch/rules';

const HOLIDAYS = new Set(THAI_HOLIDAYS.map((h) => h.date));

/** `YYYY-MM` plus `n` months. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + n, 1)).toISOString().slice(0, 7);
}

/** Days in a `YYYY-MM` month. */
export const daysInMonth = (month: string): number => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
};

/** `YYYY-MM` and a day of the month → `YYYY-MM-DD` (the day clamped to the month). */
export const dayOf = (month: string, day: number): string => `${month}-${String(Math.min(Math.max(1, day), daysInMonth(month))).padStart(2, '0')}`;

/** 0 = Sunday … 6 = Saturday. */
export const weekdayOf = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();

export const isHoliday = (date: string): boolean => HOLIDAYS.has(date);
export const isWorkingDay = (date: string): boolean => { const w = weekdayOf(date); return w !== 0 && w !== 6 && !HOLIDAYS.has(date); };

/** The working days of a month, in order. */
export function workingDays(month: string): string[] {
  const out: string[] = [];
  for (let d = 1; d <= daysInMonth(month); d++) { const date = dayOf(month, d); if (isWorkingDay(date)) out.push(date); }
  return out;
}

/** The first working day on or after `date`, or null when it would leave the month. */
export function workingDayFrom(date: string): string | null {
  for (let d = date; d.slice(0, 7) === date.slice(0, 7); d = addDays(d, 1)) if (isWorkingDay(d)) return d;
  return null;
}

/** The last working day on or before `date` within its month (salaries are paid before the day, not after). */
export function workingDayBefore(date: string): string {
  for (let d = date; d.slice(0, 7) === date.slice(0, 7); d = addDays(d, -1)) if (isWorkingDay(d)) return d;
  return workingDayFrom(date.slice(0, 8) + '01')!;
}

/** Days of the month the bank and offices are closed: weekends and holidays. */
export function closedDays(month: string): { weekend: string[]; holiday: string[] } {
  const weekend: string[] = [], holiday: string[] = [];
  for (let d = 1; d <= daysInMonth(month); d++) {
    const date = dayOf(month, d);
    if (HOLIDAYS.has(date) && weekdayOf(date) !== 0 && weekdayOf(date) !== 6) holiday.push(date);
    else if (!isWorkingDay(date)) weekend.push(date);
  }
  return { weekend, holiday };
}
