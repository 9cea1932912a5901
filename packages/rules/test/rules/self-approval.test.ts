import { describe, expect, it } from 'vitest';
import { only, payment } from '../helpers/factory.ts';

const engine = (over: Record<string, unknown> = {}) => only('self-approval', over);
const office = { executedAt: '2025-03-04T03:00:00Z', effectiveDate: '2025-03-04' };

describe('self-approval', () => {
  it('when the maker also authorized the transfer, then a high alert names the user', () => {
    const [alert] = engine().process(payment({ ...office, makerId: 'somchai01', authorizerId: ' SOMCHAI01 ', approvedAt: '2025-03-04T05:00:00Z' }));
    expect(alert).toMatchObject({ ruleIds: ['self-approval'], severity: 'high' });
    expect(alert!.evidence['self-approval']).toMatchObject({ samePerson: true, approvalSeconds: 7200, maxApprovalSeconds: 60 });
    expect(alert!.reasons.th).toContain('somchai01');
  });

  it('when another user approved 20 seconds after the transaction, then a medium alert gives the seconds and the threshold', () => {
    const [alert] = engine().process(payment({ ...office, makerId: 'a', authorizerId: 'b', approvedAt: '2025-03-04T03:00:20Z' }));
    expect(alert).toMatchObject({ severity: 'medium' });
    expect(alert!.evidence['self-approval']).toMatchObject({ samePerson: false, approvalSeconds: 20 });
    expect(alert!.reasons.en).toContain('within 60 s');
  });

  it('when another user approved 61 seconds later, then it is quiet; with the threshold at 120 s it fires', () => {
    const record = payment({ ...office, makerId: 'a', authorizerId: 'b', approvedAt: '2025-03-04T03:01:01Z' });
    expect(engine().process(record)).toEqual([]);
    expect(engine({ maxApprovalSeconds: 120 }).process(record)).toHaveLength(1);
  });

  it('when maker and authorizer are both unknown, or only one instant is known, then it is quiet', () => {
    expect(engine().process(payment({ ...office, makerId: null, authorizerId: null }))).toEqual([]);
    expect(engine().process(payment({ ...office, makerId: '', authorizerId: ' ' }))).toEqual([]);
    expect(engine().process(payment({ executedAt: null, approvedAt: '2025-03-04T03:00:00Z', makerId: 'a', authorizerId: 'b' }))).toEqual([]);
  });

  it('when a self-approved transfer failed, then no money moved and it is quiet', () => {
    expect(engine().process(payment({ ...office, makerId: 'a', authorizerId: 'a', status: 'failed' }))).toEqual([]);
  });

  it('when the LAO has no history at all, then its very first self-approved transfer fires, and so does the next: no baseline is needed', () => {
    const e = engine();
    const selfApproved = (batchId: string) => payment({ ...office, batchId, makerId: 'a', authorizerId: 'a', approvedAt: '2025-03-04T03:00:30Z' });
    expect(e.process(selfApproved('b_first'))).toHaveLength(1);
    expect(e.process(selfApproved('b_second'))).toHaveLength(1);
  });
});
