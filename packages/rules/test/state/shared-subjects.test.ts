import type { Finding, Severity, Subject } from '@paywatch/domain';
import { describe, expect, it } from 'vitest';
import { groupFindings } from '../../src/index.ts';
import { MAX_SHARED_SUBJECTS, SharedSubjects } from '../../src/state/shared-subjects.ts';
import { LAO } from '../helpers/factory.ts';

const PERIOD: Subject = { kind: 'lao-period', key: 'fy-2569' };
function finding(ruleId: string, subject: Subject, evidence: Record<string, unknown> = {}, severity: Severity = 'medium'): Finding {
  return {
    ruleId, ruleVersion: '1.0.0', severity, laoCode: LAO, subject,
    reasons: { th: `เหตุผล ${ruleId}`, en: `reason ${ruleId}` },
    evidence: { ...evidence, paymentDetails: [{ recordId: 'b1:1', amountSatang: 1_000, effectiveDate: '2026-03-01' }] },
    payments: [{ recordId: 'b1:1', batchId: 'b1', file: 'b1.csv', row: 1 }],
  };
}

describe('shared subjects', () => {
  it('when benford fires about an LAO-period and near-threshold later fires about the same period, then the later alert carries both rules\' reasons', () => {
    const shared = new SharedSubjects();
    const first = groupFindings(shared.withEarlier([finding('benford', PERIOD, { mad: 0.02 })]), '1');
    const later = groupFindings(shared.withEarlier([finding('near-threshold', PERIOD, { share: 0.4 })]), '1');
    expect(later).toHaveLength(1);
    expect(later[0]!.alertId).toBe(first[0]!.alertId);
    expect(later[0]!.ruleIds).toEqual(['benford', 'near-threshold']);
    expect(later[0]!.reasons.en).toContain('reason benford');
  });

  it('when a rule fires again about the subject, then its newer finding replaces its own older one and keeps the others', () => {
    const shared = new SharedSubjects();
    shared.withEarlier([finding('benford', PERIOD, { mad: 0.02 })]);
    shared.withEarlier([finding('near-threshold', PERIOD)]);
    const again = shared.withEarlier([finding('benford', PERIOD, { mad: 0.03 })]);
    expect(again.map((f) => [f.ruleId, f.evidence.mad])).toEqual([['near-threshold', undefined], ['benford', 0.03]]);
  });

  it('when findings are about payments, then nothing is kept or added', () => {
    const shared = new SharedSubjects();
    const payment: Subject = { kind: 'payment', key: 'b1:1' };
    expect(shared.withEarlier([finding('off-hours', payment)])).toHaveLength(1);
    expect(shared.withEarlier([finding('self-approval', payment)]).map((f) => f.ruleId)).toEqual(['self-approval']);
    expect(shared.snapshot()).toEqual([]);
  });

  it('when snapshotted and restored, then it merges as before; past the bound, the least recently fired subject goes first', () => {
    const shared = new SharedSubjects();
    shared.withEarlier([finding('benford', PERIOD)]);
    const restored = SharedSubjects.restore(JSON.parse(JSON.stringify(shared.snapshot())));
    expect(restored.withEarlier([finding('near-threshold', PERIOD)]).map((f) => f.ruleId)).toEqual(['benford', 'near-threshold']);

    const many = new SharedSubjects();
    many.withEarlier([finding('benford', PERIOD)]);
    for (let i = 0; i < MAX_SHARED_SUBJECTS; i++) many.withEarlier([finding('repeat-siphon', { kind: 'payee', key: `006:${String(i).padStart(10, '0')}` })]);
    expect(many.snapshot()).toHaveLength(MAX_SHARED_SUBJECTS);
    expect(many.withEarlier([finding('near-threshold', PERIOD)]).map((f) => f.ruleId)).toEqual(['near-threshold']);
  });
});
