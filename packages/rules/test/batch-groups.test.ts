import { alertIdFor, type Alert, type Disbursement } from '@paywatch/domain';
import { describe, expect, it } from 'vitest';
import { createEngine, groupSubjectKey, RuleSetConfig, type Engine, type RuleSetConfigInput } from '../src/index.ts';
import { LAO, payment } from './helpers/factory.ts';
import { payees } from './helpers/reference.ts';

/** An engine where only payee-not-registered runs, with a register that knows none of the test accounts. */
function stormEngine(grouping: Record<string, unknown> = {}): Engine {
  const rules = Object.fromEntries(Object.keys(RuleSetConfig.parse({}).rules).map((id) => [id, id === 'payee-not-registered' ? {} : { enabled: false }]));
  const engine = createEngine({ rules, grouping } as RuleSetConfigInput);
  engine.applyReference(payees([{ account: '1111111111' }]));
  return engine;
}

/** `n` payments of one batch, each to its own unregistered account. */
const unregistered = (n: number, batchId = 'b_storm', from = 1): Disbursement[] =>
  Array.from({ length: n }, (_, i) => payment({ batchId, row: from + i, payeeAccount: String(2_000_000_000 + from + i), amountSatang: 100_000 + i }));

/** Feeds the records and folds the output the way the alert store does: latest version per id, group members accumulated. */
function feed(engine: Engine, records: readonly Disbursement[], into = new Map<string, Alert>(), members = new Map<string, string[]>()) {
  for (const r of records) {
    for (const a of engine.process(r)) {
      into.set(a.alertId, a);
      if (a.groupMembers) members.set(a.alertId, [...(members.get(a.alertId) ?? []), ...a.groupMembers.map((m) => m.recordId)]);
    }
  }
  return { alerts: into, members };
}

describe('batch groups (storm control, ADR 0019)', () => {
  it('when a batch has at most the threshold of one rule\'s alerts, then they all stay individual', () => {
    const { alerts } = feed(stormEngine(), unregistered(5));
    expect(alerts.size).toBe(5);
    expect([...alerts.values()].every((a) => a.group === undefined && a.subject.kind === 'payment')).toBe(true);
  });

  it('when a batch has one more, then five stay individual and one group alert lists the sixth with counts and totals', () => {
    const records = unregistered(6);
    const { alerts, members } = feed(stormEngine(), records);
    expect(alerts.size).toBe(6);
    const group = [...alerts.values()].find((a) => a.group)!;
    const subject = { kind: 'batch' as const, key: groupSubjectKey('b_storm', 'payee-not-registered') };
    expect(group).toMatchObject({ alertId: alertIdFor(LAO, subject), subject, ruleIds: ['payee-not-registered'], severity: 'high', amountSatang: 100_005 });
    expect(group.group).toMatchObject({ count: 1, totalSatang: 100_005, listed: 1, batchId: 'b_storm' });
    expect(group.group!.individualAlertIds).toEqual(records.slice(0, 5).map((r) => alertIdFor(LAO, { kind: 'payment', key: r.recordId })));
    expect(members.get(group.alertId)).toEqual([records[5]!.recordId]);
    expect(group.groupMembers![0]!.payeeAccountMasked).toBe('******0006');
    expect(group.reasons.th).toContain('การแจ้งเตือนแบบกลุ่ม');
  });

  it('when 2,000 unregistered payments arrive in one batch, then 6 alerts result, the list is capped and every member is counted once', () => {
    const records = unregistered(2_000);
    const { alerts, members } = feed(stormEngine(), records);
    expect(alerts.size).toBe(6);
    const group = [...alerts.values()].find((a) => a.group)!;
    const expectedTotal = records.slice(5).reduce((s, r) => s + r.amountSatang, 0);
    expect(group.group).toMatchObject({ count: 1_995, totalSatang: expectedTotal, listed: 50 });
    expect(group.payments).toHaveLength(50);
    expect(group.evidence['payee-not-registered']).toMatchObject({ group: { count: 1_995, threshold: 5 } });
    expect(group.findings[0]!.unmasked!['paymentDetails[0].payeeAccountMasked']).toBe(records[5]!.payeeAccount);
    const listed = members.get(group.alertId)!;
    expect(listed).toHaveLength(1_995);
    expect(new Set(listed).size).toBe(1_995);
  });

  it('when another batch or another LAO storms, then each (LAO, batch, rule) gets its own threshold and group id', () => {
    const engine = stormEngine();
    const { alerts } = feed(engine, [...unregistered(8, 'b_one'), ...unregistered(8, 'b_two', 100)]);
    const groups = [...alerts.values()].filter((a) => a.group);
    expect(groups.map((g) => g.group!.batchId).sort()).toEqual(['b_one', 'b_two']);
    expect(new Set(groups.map((g) => g.alertId)).size).toBe(2);
    expect(alerts.size).toBe(12);
  });

  it('when the engine is snapshotted mid-batch and restored, then the rest of the batch gives byte-identical output to never stopping', () => {
    const records = unregistered(300);
    const straight = stormEngine();
    const expected = records.map((r) => JSON.stringify(straight.process(r)));
    const first = stormEngine();
    const out = records.slice(0, 123).map((r) => JSON.stringify(first.process(r)));
    const restored = stormEngine();
    restored.restore(JSON.parse(JSON.stringify(first.snapshot())));
    out.push(...records.slice(123).map((r) => JSON.stringify(restored.process(r))));
    expect(out).toEqual(expected);
    // A replayed record (already folded in) gives nothing: no second member.
    expect(restored.process(records[200]!)).toEqual([]);
  });

  it('when grouping is disabled, then every alert stays individual', () => {
    const { alerts } = feed(stormEngine({ enabled: false }), unregistered(20));
    expect(alerts.size).toBe(20);
  });
});
