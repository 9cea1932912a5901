import { describe, expect, it } from 'vitest';
import { only, payment } from '../helpers/factory.ts';

/** Only off-hours runs, so each test is about it alone. */
const engine = (over: Record<string, unknown> = {}) => only('off-hours', over);
/** A report line executed at this UTC instant. */
const at = (executedAt: string | null, over: Parameters<typeof payment>[0] = {}) => payment({ executedAt, effectiveDate: executedAt?.slice(0, 10) ?? '2025-03-04', ...over });

describe('off-hours', () => {
  it('when a transfer is executed at 22:30 Bangkok time on a Tuesday, then a medium alert names the time and the office hours', () => {
    const [alert] = engine().process(at('2025-03-04T15:30:00Z'));
    expect(alert).toMatchObject({ ruleIds: ['off-hours'], severity: 'medium', subject: { kind: 'payment' } });
    expect(alert!.evidence['off-hours']).toMatchObject({ bangkokDate: '2025-03-04', bangkokTime: '22:30', weekend: false, holiday: null, outsideHours: true, officeHours: { startHour: 7, endHour: 19 } });
    expect(alert!.reasons.th).toContain('22:30');
    expect(alert!.reasons.en).toContain('outside 07:00–19:00');
  });

  it('when a transfer is executed on a Saturday morning, then it fires as a weekend transfer', () => {
    const [alert] = engine().process(at('2025-03-08T03:00:00Z'));
    expect(alert!.evidence['off-hours']).toMatchObject({ weekday: 'Saturday', weekend: true, outsideHours: false });
  });

  it('when a transfer is executed during office hours on Songkran, then the holiday is named in both languages', () => {
    const [alert] = engine().process(at('2025-04-14T03:00:00Z'));
    expect(alert!.evidence['off-hours']).toMatchObject({ holiday: { date: '2025-04-14', nameEn: 'Songkran Festival' }, weekend: false, outsideHours: false });
    expect(alert!.reasons.th).toContain('วันสงกรานต์');
  });

  it('when the cabinet adds a day, then adding it to additionalHolidays makes it a holiday', () => {
    const record = at('2025-03-05T03:00:00Z');
    expect(engine().process(record)).toEqual([]);
    const [alert] = engine({ additionalHolidays: [{ date: '2025-03-05', nameTh: 'วันหยุดพิเศษ', nameEn: 'Special holiday' }] }).process(record);
    expect(alert!.evidence['off-hours']).toMatchObject({ holiday: { nameEn: 'Special holiday' } });
  });

  it('when UTC looks like night but Bangkok is at 08:30 on a working day, then it is quiet', () => {
    expect(engine().process(at('2025-03-04T01:30:00Z'))).toEqual([]);
  });

  it('when UTC says Friday evening but Bangkok is already Saturday 03:00, then it fires as a weekend night transfer', () => {
    const [alert] = engine().process(at('2025-03-07T20:00:00Z'));
    expect(alert!.evidence['off-hours']).toMatchObject({ bangkokDate: '2025-03-08', weekend: true, outsideHours: true });
  });

  it('when a transfer is at the edges of office hours, then 07:00 and 18:59 are inside and 06:59 and 19:00 outside', () => {
    const fires = (iso: string) => engine().process(at(iso, { batchId: iso })).length;
    expect([fires('2025-03-04T00:00:00Z'), fires('2025-03-04T11:59:59Z')]).toEqual([0, 0]);
    expect([fires('2025-03-03T23:59:00Z'), fires('2025-03-04T12:00:00Z')]).toEqual([1, 1]);
  });

  it('when the hours are configured, then they replace 07:00–19:00', () => {
    expect(engine({ startHour: 6, endHour: 23 }).process(at('2025-03-04T15:30:00Z'))).toEqual([]);
    expect(() => engine({ startHour: 19, endHour: 7 })).toThrow();
  });

  it('when the record has no execution time (a bulk instruction), then it is quiet', () => {
    expect(engine().process(at(null, { effectiveDate: '2025-03-08', sourceFormat: 'ktb-bulk', status: 'instructed' }))).toEqual([]);
  });

  it('when a night transfer failed, then no money moved and it is quiet', () => {
    expect(engine().process(at('2025-03-04T15:30:00Z', { status: 'failed' }))).toEqual([]);
  });

  it('when the LAO has no history at all, then its very first night transfer fires, and so do the next: the rule needs the bank\'s time, not a baseline', () => {
    const e = engine();
    expect(e.process(at('2025-03-04T15:30:00Z', { batchId: 'b_first' }))).toHaveLength(1);
    expect(e.process(at('2025-03-04T15:45:00Z', { batchId: 'b_second' }))).toHaveLength(1);
  });
});
