import { afterEach, describe, expect, it } from 'vitest';
import { alertIdFor, type Alert, type GroupMember } from '@paywatch/domain';
import { batchOf, recordingContext, serviceOnPg, type PgService } from './helpers.ts';

const running: PgService[] = [];
afterEach(async () => { await Promise.all(running.splice(0).map((s) => s.close())); });

const LAO = '6600101';
const subject = { kind: 'batch' as const, key: 'b_storm#payee-not-registered' };
const member = (row: number): GroupMember => ({
  recordId: `b_storm:${row}`, batchId: 'b_storm', file: 'storm.txt', row, effectiveDate: '2026-11-20', amountSatang: 1_000 + row,
  payeeName: `ผู้รับ ${row}`, payeeBankCode: '006', payeeAccountMasked: '******' + String(row).padStart(4, '0'), severity: 'high',
  subject: { kind: 'payment', key: `b_storm:${row}` }, payments: [{ recordId: `b_storm:${row}`, batchId: 'b_storm', file: 'storm.txt', row }],
});

/** A version of the group alert after `count` members, carrying members `from`..`count` as the detector would. */
function version(count: number, from: number): Alert {
  const rows = Array.from({ length: count }, (_, i) => i + 1);
  const listed = rows.slice(0, 2).map((r) => ({ recordId: `b_storm:${r}`, batchId: 'b_storm', file: 'storm.txt', row: r }));
  const totalSatang = rows.reduce((s, r) => s + 1_000 + r, 0);
  const group = { ruleId: 'payee-not-registered', ruleVersion: '1.0.0', batchId: 'b_storm', file: 'storm.txt', count, totalSatang, listed: listed.length, individualAlertIds: [] };
  const reasons = { th: `การแจ้งเตือนแบบกลุ่ม ${count} รายการ`, en: `Group alert of ${count} payments` };
  return {
    alertId: alertIdFor(LAO, subject), laoCode: LAO, severity: 'high', ruleIds: ['payee-not-registered'], subject,
    findings: [{ ruleId: 'payee-not-registered', ruleVersion: '1.0.0', severity: 'high', laoCode: LAO, subject, reasons, evidence: { group }, payments: listed }],
    payments: listed, reasons, evidence: { 'payee-not-registered': { group } }, amountSatang: totalSatang, occurredOn: '2026-11-20', ruleSetVersion: 'test',
    group, groupMembers: rows.slice(from - 1).map(member),
  };
}

describe('group alerts in the store (ADR 0019)', () => {
  it('when versions of a group alert arrive, also an older one replayed after a newer, then the row keeps the newest, every member is stored once and it notifies once per recipient', async () => {
    const s = await serviceOnPg();
    running.push(s);
    const v1 = version(3, 1);
    const v2 = version(5, 4);
    await s.service.consumer.handleBatch(batchOf([v1]), recordingContext());
    await s.service.consumer.handleBatch(batchOf([v2], 1), recordingContext());
    // A detector restarted from an older checkpoint replays the first version after the second.
    await s.service.consumer.handleBatch(batchOf([v1], 2), recordingContext());
    const row = (await s.db.query<{ payload: Alert; amount_satang: string }>('SELECT payload, amount_satang FROM alerts')).rows;
    expect(row).toHaveLength(1);
    expect(row[0]!.payload.group!.count).toBe(5);
    expect(row[0]!.payload.groupMembers).toBeUndefined();
    expect(Number((await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM alert_group_members')).rows[0]!.n)).toBe(5);
    // 6600101 has a provincial and a district auditor: one e-mail each for the whole group.
    expect(Number((await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM notifications')).rows[0]!.n)).toBe(2);

    const auditor = { authorization: `Bearer ${s.token({ sub: 'auditor-66', role: 'provincial-auditor', provinces: ['66'] })}` };
    const page = await s.service.app.inject({ url: `/v1/alerts/${v2.alertId}/payments?offset=1&limit=3`, headers: auditor });
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({ alertId: v2.alertId, total: 5, totalSatang: 5_015 });
    expect(page.json().items.map((m: GroupMember) => m.row)).toEqual([2, 3, 4]);
    const other = { authorization: `Bearer ${s.token({ sub: 'auditor-60', role: 'provincial-auditor', provinces: ['60'] })}` };
    expect((await s.service.app.inject({ url: `/v1/alerts/${v2.alertId}/payments`, headers: other })).statusCode).toBe(404);
  });
});
