// The centre report against the real PostgreSQL peer: alerts across three provinces, some resolved through the
// audited workflow at known times, so every figure below is worked out by hand from the seed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgService } from './helpers.ts';
import { seededCentre } from './centre-seed.ts';

const central = { sub: 'central-1', role: 'central' as const };
const auditor19 = { sub: 'auditor-19', role: 'provincial-auditor' as const, provinces: ['19'] };
const auditor66 = { sub: 'auditor-66', role: 'provincial-auditor' as const, provinces: ['66'] };

let s: PgService;

async function report(who: Parameters<PgService['token']>[0], qs = '') {
  const r = await s.service.app.inject({ url: `/v1/reports/centre${qs}`, headers: { authorization: `Bearer ${s.token(who)}` } });
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
}

beforeAll(async () => { ({ s } = await seededCentre()); }, 120_000);
afterAll(async () => { await s?.close(); });

describe('centre report', () => {
  it('when a payment is named by two open alerts, then the open baht counts it once, per LAO, province and in total', async () => {
    const r = await report(central);
    const lao = (code: string) => r.laos.find((x: { laoCode: string }) => x.laoCode === code);
    expect(lao('6600101').openSatang).toBe(100_000_000 + 50_000 + 20_000);
    expect(r.provinces.find((p: { provinceCode: string }) => p.provinceCode === '66').openSatang).toBe(100_140_000);
    expect(r.total).toMatchObject({ openSatang: 100_140_000 + 10_000_000 + 10_000_000, openCount: 8, bySeverity: { critical: 2, high: 3, medium: 2, low: 1 } });
    // Resolved alerts carry no open money (A6's 999,999 baht is not at risk any more), acknowledged ones still do.
    expect(lao('6000101')).toMatchObject({ openSatang: 5_000_000, openCount: 1, bySeverity: { critical: 1, high: 0, medium: 0, low: 0 } });
  });

  it('when provinces and LAOs are ranked, then open baht decides first and severity breaks ties, with Thai names', async () => {
    const r = await report(central);
    expect(r.provinces.map((p: { provinceCode: string }) => p.provinceCode)).toEqual(['66', '60', '19']); // 60 and 19 both 100,000 baht: 60 has a critical
    expect(r.provinces.map((p: { provinceNameTh: string }) => p.provinceNameTh)).toEqual(['พิจิตร', 'นครสวรรค์', 'สระบุรี']);
    expect(r.laos.map((l: { laoCode: string }) => l.laoCode)).toEqual(['6600101', '1900101', '6000101', '6000102', '6600102']);
    expect(r.laos[0]).toMatchObject({ laoNameTh: 'เทศบาลเมืองพิจิตร', district: 'เมืองพิจิตร', provinceNameTh: 'พิจิตร' });
    const top2 = await report(central, '?laoLimit=2');
    expect([top2.laos.map((l: { laoCode: string }) => l.laoCode), top2.laosTruncated]).toEqual([['6600101', '1900101'], true]);
  });

  it('when open alerts pass their follow-up deadline, then they fall in the band of how far over they are', async () => {
    const r = await report(central);
    const band = (sev: string) => r.ageing.find((x: { severity: string }) => x.severity === sev);
    // Ten days after T0: critical (3 days) 7 days over; high (7) 3 over, and A10 (22 Sep) 43 over; A11 (1 Oct) 27 over.
    expect(band('critical')).toEqual({ severity: 'critical', followUpDays: 3, counts: { within: 0, overdue1to7: 2, overdue8to30: 0, overdueOver30: 0 } });
    expect(band('high')).toEqual({ severity: 'high', followUpDays: 7, counts: { within: 0, overdue1to7: 2, overdue8to30: 0, overdueOver30: 1 } });
    expect(band('medium').counts).toEqual({ within: 1, overdue1to7: 0, overdue8to30: 1, overdueOver30: 0 });
    expect(band('low').counts).toEqual({ within: 1, overdue1to7: 0, overdue8to30: 0, overdueOver30: 0 });
    expect(r.provinces.find((p: { provinceCode: string }) => p.provinceCode === '19').overdueCount).toBe(2);
  });

  it('when alerts were acknowledged and resolved, then the median and p90 days are those of the audited transitions', async () => {
    const r = await report(central);
    const all = r.followUp.find((f: { provinceCode: string | null }) => f.provinceCode === null);
    // Acknowledged after 0.5, 0.5, 1, 2, 3 days; resolved after 2, 4, 5, 10 days (percentile_cont interpolates).
    expect([all.acknowledged.count, all.acknowledged.medianDays]).toEqual([5, 1]);
    expect(all.acknowledged.p90Days).toBeCloseTo(2.6, 9);
    expect(all.resolved.count).toBe(4);
    expect(all.resolved.medianDays).toBeCloseTo(4.5, 9);
    expect(all.resolved.p90Days).toBeCloseTo(8.5, 9);
    const p66 = r.followUp.find((f: { provinceCode: string | null }) => f.provinceCode === '66');
    expect([p66.provinceNameTh, p66.acknowledged.medianDays, p66.resolved.medianDays]).toEqual(['พิจิตร', 1.5, 3]);
  });

  it('when alerts were resolved with dispositions, then each rule has its counts and rates (an alert of two rules counts for both)', async () => {
    const r = await report(central);
    const rule = (id: string) => r.rules.find((x: { ruleId: string }) => x.ruleId === id);
    expect(rule('duplicate-payment')).toMatchObject({ open: 2, resolved: 3, counts: { confirmed: 1, 'false-positive': 1, explained: 1, referred: 0 } });
    expect(rule('duplicate-payment').rates['false-positive']).toBeCloseTo(1 / 3, 12);
    expect(rule('no-voucher')).toMatchObject({ open: 0, resolved: 1, rates: { confirmed: 1, 'false-positive': 0 } });
    expect(rule('split-payment')).toMatchObject({ open: 2, resolved: 0, rates: { confirmed: null } });
  });

  it('when the trend is asked for, then it has the last 12 Bangkok months with alerts raised and distinct baht', async () => {
    const r = await report(central);
    expect(r.trend.map((m: { month: string }) => m.month)).toEqual(['2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11']);
    const m = (k: string) => r.trend.find((x: { month: string }) => x.month === k);
    expect(m('2026-09')).toEqual({ month: '2026-09', raised: 1, amountSatang: 300_000 });
    expect(m('2026-10')).toEqual({ month: '2026-10', raised: 1, amountSatang: 5_000_000 }); // 30 Sep 18:00 UTC is 1 Oct in Bangkok
    expect(m('2026-11')).toEqual({ month: '2026-11', raised: 10, amountSatang: 100_140_000 + 10_000_000 + 4_700_000 + 99_999_900 + 3 * 1_000_000 });
    expect(m('2026-08').raised).toBe(0);
  });

  it('when a provincial auditor asks, then every figure is of their province only', async () => {
    const r = await report(auditor19);
    expect(r.provinces.map((p: { provinceCode: string }) => p.provinceCode)).toEqual(['19']);
    expect(r.laos.map((l: { laoCode: string }) => l.laoCode)).toEqual(['1900101']);
    expect(r.total.openSatang).toBe(10_000_000);
    expect(r.trend.reduce((n: number, x: { raised: number }) => n + x.raised, 0)).toBe(4); // A5, A7, A10, A11: no other province's
    expect(r.rules.map((x: { ruleId: string }) => x.ruleId).sort()).toEqual(['amount-outlier', 'duplicate-payment', 'near-threshold', 'split-payment']);
    expect(r.rules.find((x: { ruleId: string }) => x.ruleId === 'duplicate-payment')).toMatchObject({ open: 0, resolved: 1, counts: { 'false-positive': 1, confirmed: 0 } });
    expect(r.followUp.map((f: { provinceCode: string | null }) => f.provinceCode)).toEqual([null, '19']);
    const text = JSON.stringify(r);
    for (const other of ['66', '60']) expect(text).not.toContain(`"provinceCode":"${other}"`);
    expect(text).not.toMatch(/"laoCode":"(66|60)\d{5}"/);
    const r66 = await report(auditor66);
    expect([r66.total.openSatang, r66.provinces.map((p: { provinceCode: string }) => p.provinceCode)]).toEqual([100_140_000, ['66']]);
  });
});
