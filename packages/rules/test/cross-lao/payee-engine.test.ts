import { describe, expect, it } from 'vitest';
import { createPayeeEngine } from '../../src/index.ts';
import { payment } from '../helpers/factory.ts';

const shared = { payeeBankCode: '014', payeeAccount: '4071234567' };

describe('stage 2: account-many-names across LAOs', () => {
  it('when two LAOs pay one account under different names, then a cross-LAO alert names both LAOs and both names', () => {
    const e = createPayeeEngine();
    expect(e.process(payment({ ...shared, laoCode: '6600101', batchId: 'b_a', row: 2, payeeName: 'ห้างหุ้นส่วนจำกัด รุ่งเรืองวัสดุ' }))).toEqual([]);
    const [alert, ...rest] = e.process(payment({ ...shared, laoCode: '6000101', batchId: 'b_b', row: 5, payeeName: 'นายสมปอง ทรัพย์ทวี' }));
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({ laoCode: '6000101', ruleIds: ['account-many-names'], severity: 'high', subject: { kind: 'payee', key: 'xlao:014:4071234567' } });
    expect((alert!.evidence['account-many-names'] as { laoCodes: string[] }).laoCodes).toEqual(['6000101', '6600101']);
    expect(alert!.reasons.th).toContain('นายสมปอง ทรัพย์ทวี');
    expect(alert!.reasons.en).not.toContain('4071234567'); // masked
  });
  it('when two LAOs pay one account under the same name written differently, then it stays quiet', () => {
    const e = createPayeeEngine();
    e.process(payment({ ...shared, laoCode: '6600101', batchId: 'b_a', row: 2, payeeName: 'บริษัท รุ่งเรืองวัสดุ จำกัด' }));
    expect(e.process(payment({ ...shared, laoCode: '6000101', batchId: 'b_b', row: 2, payeeName: 'บจก.รุ่งเรืองวัสดุ' }))).toEqual([]);
  });
  it('when one LAO pays one account under two names, then stage 2 leaves it to stage 1', () => {
    const e = createPayeeEngine();
    e.process(payment({ ...shared, laoCode: '6600101', batchId: 'b_a', row: 2, payeeName: 'นายก ใจดี' }));
    expect(e.process(payment({ ...shared, laoCode: '6600101', batchId: 'b_a', row: 3, payeeName: 'นายข ใจร้าย' }))).toEqual([]);
  });
  it('when the stream is replayed or the state restored from a snapshot, then nothing new comes out', () => {
    const records = [
      payment({ ...shared, laoCode: '6600101', batchId: 'b_a', row: 2, payeeName: 'นายก ใจดี' }),
      payment({ ...shared, laoCode: '6000101', batchId: 'b_b', row: 2, payeeName: 'นายข ใจร้าย' }),
    ];
    const e = createPayeeEngine();
    const first = records.flatMap((r) => e.process(r));
    expect(first).toHaveLength(1);
    expect(records.flatMap((r) => e.process(r))).toEqual([]);
    const restored = createPayeeEngine();
    restored.restore(JSON.parse(JSON.stringify(e.snapshot())));
    expect(restored.snapshot()).toEqual(e.snapshot());
    expect(records.flatMap((r) => restored.process(r))).toEqual([]);
  });

  it('when stage 2 has no history of the account, then the first LAO\'s name is quiet; one earlier LAO is history enough for a second', () => {
    const e = createPayeeEngine();
    expect(e.process(payment({ ...shared, laoCode: '6600101', batchId: 'b_a', row: 2, payeeName: 'นายก ใจดี' }))).toEqual([]);
    expect(e.process(payment({ ...shared, laoCode: '6000101', batchId: 'b_b', row: 2, payeeName: 'นายข ใจร้าย' }))).toHaveLength(1);
  });
});
