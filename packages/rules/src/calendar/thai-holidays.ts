/**
 * Thai public and bank holidays 2024–2027 (Bank of Thailand bank-holiday announcements and the
 * cabinet's public-holiday resolutions), substitution days included. Holidays that fall on a
 * weekend are listed too, so the reason an auditor reads names the holiday, not just "Saturday".
 *
 * Lunar holidays (Makha, Visakha, Asarnha Bucha, Khao Phansa) of 2026–2027 follow the published
 * Buddhist calendar and must be checked against the announcement each year; the cabinet also adds
 * one-off days. Both are why this table is the default of the rule-set configuration
 * (`rules.off-hours.holidays`, plus `additionalHolidays`), not code: adding a day needs no deploy.
 */

/** One holiday: a Bangkok calendar date and its name in Thai and English. */
export interface Holiday {
  date: string;
  nameTh: string;
  nameEn: string;
}

const h = (date: string, nameTh: string, nameEn: string): Holiday => ({ date, nameTh, nameEn });
const SUB = 'ชดเชย';

/** The default holiday table. */
export const THAI_HOLIDAYS: readonly Holiday[] = Object.freeze([
  // 2024
  h('2024-01-01', 'วันขึ้นปีใหม่', "New Year's Day"),
  h('2024-02-24', 'วันมาฆบูชา', 'Makha Bucha Day'),
  h('2024-02-26', `${SUB}วันมาฆบูชา`, 'Substitution for Makha Bucha Day'),
  h('2024-04-06', 'วันจักรี', 'Chakri Memorial Day'),
  h('2024-04-08', `${SUB}วันจักรี`, 'Substitution for Chakri Memorial Day'),
  h('2024-04-12', 'วันหยุดพิเศษ (มติคณะรัฐมนตรี)', 'Special holiday (cabinet resolution)'),
  h('2024-04-13', 'วันสงกรานต์', 'Songkran Festival'),
  h('2024-04-14', 'วันสงกรานต์', 'Songkran Festival'),
  h('2024-04-15', 'วันสงกรานต์', 'Songkran Festival'),
  h('2024-04-16', `${SUB}วันสงกรานต์`, 'Substitution for Songkran Festival'),
  h('2024-05-01', 'วันแรงงานแห่งชาติ', 'National Labour Day'),
  h('2024-05-04', 'วันฉัตรมงคล', 'Coronation Day'),
  h('2024-05-06', `${SUB}วันฉัตรมงคล`, 'Substitution for Coronation Day'),
  h('2024-05-22', 'วันวิสาขบูชา', 'Visakha Bucha Day'),
  h('2024-06-03', 'วันเฉลิมพระชนมพรรษาสมเด็จพระราชินี', "H.M. the Queen's Birthday"),
  h('2024-07-20', 'วันอาสาฬหบูชา', 'Asarnha Bucha Day'),
  h('2024-07-21', 'วันเข้าพรรษา', 'Buddhist Lent Day'),
  h('2024-07-22', `${SUB}วันอาสาฬหบูชา`, 'Substitution for Asarnha Bucha Day'),
  h('2024-07-28', 'วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว', "H.M. the King's Birthday"),
  h('2024-07-29', `${SUB}วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว`, "Substitution for H.M. the King's Birthday"),
  h('2024-08-12', 'วันแม่แห่งชาติ', "H.M. Queen Sirikit The Queen Mother's Birthday / Mother's Day"),
  h('2024-10-13', 'วันนวมินทรมหาราช', 'King Bhumibol Memorial Day'),
  h('2024-10-14', `${SUB}วันนวมินทรมหาราช`, 'Substitution for King Bhumibol Memorial Day'),
  h('2024-10-23', 'วันปิยมหาราช', 'Chulalongkorn Day'),
  h('2024-12-05', 'วันพ่อแห่งชาติ', "King Bhumibol's Birthday / Father's Day"),
  h('2024-12-10', 'วันรัฐธรรมนูญ', 'Constitution Day'),
  h('2024-12-31', 'วันสิ้นปี', "New Year's Eve"),
  // 2025
  h('2025-01-01', 'วันขึ้นปีใหม่', "New Year's Day"),
  h('2025-02-12', 'วันมาฆบูชา', 'Makha Bucha Day'),
  h('2025-04-06', 'วันจักรี', 'Chakri Memorial Day'),
  h('2025-04-07', `${SUB}วันจักรี`, 'Substitution for Chakri Memorial Day'),
  h('2025-04-13', 'วันสงกรานต์', 'Songkran Festival'),
  h('2025-04-14', 'วันสงกรานต์', 'Songkran Festival'),
  h('2025-04-15', 'วันสงกรานต์', 'Songkran Festival'),
  h('2025-04-16', `${SUB}วันสงกรานต์`, 'Substitution for Songkran Festival'),
  h('2025-05-01', 'วันแรงงานแห่งชาติ', 'National Labour Day'),
  h('2025-05-04', 'วันฉัตรมงคล', 'Coronation Day'),
  h('2025-05-05', `${SUB}วันฉัตรมงคล`, 'Substitution for Coronation Day'),
  h('2025-05-11', 'วันวิสาขบูชา', 'Visakha Bucha Day'),
  h('2025-05-12', `${SUB}วันวิสาขบูชา`, 'Substitution for Visakha Bucha Day'),
  h('2025-06-02', 'วันหยุดพิเศษ (มติคณะรัฐมนตรี)', 'Special holiday (cabinet resolution)'),
  h('2025-06-03', 'วันเฉลิมพระชนมพรรษาสมเด็จพระราชินี', "H.M. the Queen's Birthday"),
  h('2025-07-10', 'วันอาสาฬหบูชา', 'Asarnha Bucha Day'),
  h('2025-07-11', 'วันเข้าพรรษา', 'Buddhist Lent Day'),
  h('2025-07-28', 'วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว', "H.M. the King's Birthday"),
  h('2025-08-11', 'วันหยุดพิเศษ (มติคณะรัฐมนตรี)', 'Special holiday (cabinet resolution)'),
  h('2025-08-12', 'วันแม่แห่งชาติ', "H.M. Queen Sirikit The Queen Mother's Birthday / Mother's Day"),
  h('2025-10-13', 'วันนวมินทรมหาราช', 'King Bhumibol Memorial Day'),
  h('2025-10-23', 'วันปิยมหาราช', 'Chulalongkorn Day'),
  h('2025-12-05', 'วันพ่อแห่งชาติ', "King Bhumibol's Birthday / Father's Day"),
  h('2025-12-10', 'วันรัฐธรรมนูญ', 'Constitution Day'),
  h('2025-12-31', 'วันสิ้นปี', "New Year's Eve"),
  // 2026
  h('2026-01-01', 'วันขึ้นปีใหม่', "New Year's Day"),
  h('2026-03-03', 'วันมาฆบูชา', 'Makha Bucha Day'),
  h('2026-04-06', 'วันจักรี', 'Chakri Memorial Day'),
  h('2026-04-13', 'วันสงกรานต์', 'Songkran Festival'),
  h('2026-04-14', 'วันสงกรานต์', 'Songkran Festival'),
  h('2026-04-15', 'วันสงกรานต์', 'Songkran Festival'),
  h('2026-05-01', 'วันแรงงานแห่งชาติ', 'National Labour Day'),
  h('2026-05-04', 'วันฉัตรมงคล', 'Coronation Day'),
  h('2026-05-31', 'วันวิสาขบูชา', 'Visakha Bucha Day'),
  h('2026-06-01', `${SUB}วันวิสาขบูชา`, 'Substitution for Visakha Bucha Day'),
  h('2026-06-03', 'วันเฉลิมพระชนมพรรษาสมเด็จพระราชินี', "H.M. the Queen's Birthday"),
  h('2026-07-28', 'วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว', "H.M. the King's Birthday"),
  h('2026-07-29', 'วันอาสาฬหบูชา', 'Asarnha Bucha Day'),
  h('2026-07-30', 'วันเข้าพรรษา', 'Buddhist Lent Day'),
  h('2026-08-12', 'วันแม่แห่งชาติ', "H.M. Queen Sirikit The Queen Mother's Birthday / Mother's Day"),
  h('2026-10-13', 'วันนวมินทรมหาราช', 'King Bhumibol Memorial Day'),
  h('2026-10-23', 'วันปิยมหาราช', 'Chulalongkorn Day'),
  h('2026-12-05', 'วันพ่อแห่งชาติ', "King Bhumibol's Birthday / Father's Day"),
  h('2026-12-07', `${SUB}วันพ่อแห่งชาติ`, "Substitution for King Bhumibol's Birthday"),
  h('2026-12-10', 'วันรัฐธรรมนูญ', 'Constitution Day'),
  h('2026-12-31', 'วันสิ้นปี', "New Year's Eve"),
  // 2027
  h('2027-01-01', 'วันขึ้นปีใหม่', "New Year's Day"),
  h('2027-02-20', 'วันมาฆบูชา', 'Makha Bucha Day'),
  h('2027-02-22', `${SUB}วันมาฆบูชา`, 'Substitution for Makha Bucha Day'),
  h('2027-04-06', 'วันจักรี', 'Chakri Memorial Day'),
  h('2027-04-13', 'วันสงกรานต์', 'Songkran Festival'),
  h('2027-04-14', 'วันสงกรานต์', 'Songkran Festival'),
  h('2027-04-15', 'วันสงกรานต์', 'Songkran Festival'),
  h('2027-05-01', 'วันแรงงานแห่งชาติ', 'National Labour Day'),
  h('2027-05-03', `${SUB}วันแรงงานแห่งชาติ`, 'Substitution for National Labour Day'),
  h('2027-05-04', 'วันฉัตรมงคล', 'Coronation Day'),
  h('2027-05-20', 'วันวิสาขบูชา', 'Visakha Bucha Day'),
  h('2027-06-03', 'วันเฉลิมพระชนมพรรษาสมเด็จพระราชินี', "H.M. the Queen's Birthday"),
  h('2027-07-18', 'วันอาสาฬหบูชา', 'Asarnha Bucha Day'),
  h('2027-07-19', 'วันเข้าพรรษา', 'Buddhist Lent Day'),
  h('2027-07-20', `${SUB}วันอาสาฬหบูชา`, 'Substitution for Asarnha Bucha Day'),
  h('2027-07-28', 'วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว', "H.M. the King's Birthday"),
  h('2027-08-12', 'วันแม่แห่งชาติ', "H.M. Queen Sirikit The Queen Mother's Birthday / Mother's Day"),
  h('2027-10-13', 'วันนวมินทรมหาราช', 'King Bhumibol Memorial Day'),
  h('2027-10-23', 'วันปิยมหาราช', 'Chulalongkorn Day'),
  h('2027-10-25', `${SUB}วันปิยมหาราช`, 'Substitution for Chulalongkorn Day'),
  h('2027-12-05', 'วันพ่อแห่งชาติ', "King Bhumibol's Birthday / Father's Day"),
  h('2027-12-06', `${SUB}วันพ่อแห่งชาติ`, "Substitution for King Bhumibol's Birthday"),
  h('2027-12-10', 'วันรัฐธรรมนูญ', 'Constitution Day'),
  h('2027-12-31', 'วันสิ้นปี', "New Year's Eve"),
].map((x) => Object.freeze(x)));
