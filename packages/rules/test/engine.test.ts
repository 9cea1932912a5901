import { Alert, type Disbursement, type ReferenceSnapshot } from '@paywatch/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, RULES, RULES_ERROR_CODES, snapshotWindow, type Engine, type EngineSnapshot } from '../src/index.ts';
import { addDays } from '@paywatch/domain';
import { baht, evidenceOf, LAO, only, OTHER_LAO, OTHER_TYPE_GROUP, payment, PEER_GROUP, run, THIRD_LAO } from './helpers/factory.ts';

/**
 * The thresholds of the random world: the first three rules keep their defaults; the rules that
 * need a fiscal year or months of history get minima a stream of 120 records can reach.
 */
const WORLD = {
  rules: {
    benford: { minPayments: 50, evaluateEvery: 10 },
    'near-threshold': { minPayments: 10 },
    'new-payee-large': { minObservations: 20 },
    'repeat-siphon': { zThreshold: 2 },
    'velocity-spike': { minBaselineDays: 3, minDayCount: 3, zThreshold: 3 },
  },
};

/** Reference data of LAO (OTHER_LAO has none, so the rules that need it must stay silent there). */
const WORLD_REFERENCE: ReferenceSnapshot[] = [
  { kind: 'payees', laoCode: LAO, version: 1, sha256: 'p1', effectiveFrom: '2025-01-01', items: [1, 2, 3, 4].map((n) => ({ bankCode: '006', account: String(n).repeat(10), name: 'หจก. รุ่งเรืองการช่าง', payeeId: null, registeredOn: n === 1 ? '2025-02-20' : null, status: 'active' as const })) },
  { kind: 'staff', laoCode: LAO, version: 1, sha256: 's1', effectiveFrom: '2025-01-01', items: [{ bankCode: '006', account: '5555555555', name: 'นางสาวปลัด ใจดี', citizenId: null, position: 'ปลัด' }] },
  { kind: 'vouchers', laoCode: LAO, version: 1, sha256: 'v1', effectiveFrom: '2025-01-01', items: Array.from({ length: 30 }, (_, d) => ({ voucherNo: `${d}/2568`, voucherDate: new Date(Date.UTC(2025, 2, 1 + 2 * d)).toISOString().slice(0, 10), payeeName: null, payeeBankCode: '006', payeeAccount: '1111111111', amountSatang: baht(40_000), budgetItem: null })) },
  { kind: 'beneficiaries', laoCode: LAO, version: 1, sha256: 'w1', effectiveFrom: '2025-01-01', items: [
    { citizenId: '1101700203451', name: 'นายแก่ หนึ่ง', allowanceType: 'elderly' as const, monthlyAmountSatang: baht(600), bankCode: '006', account: '6666666666' },
    { citizenId: '1234567890123', name: 'นางแก่ สอง', allowanceType: 'elderly' as const, monthlyAmountSatang: baht(700), bankCode: '006', account: '6666666666' },
  ] },
];

/** An engine of the random world, with its reference data. */
function worldEngine(): Engine {
  const engine = createEngine(WORLD);
  for (const r of WORLD_REFERENCE) engine.applyReference(r);
  return engine;
}

/**
 * A random record of a small world (3 LAOs — two of one peer group, one of another type in the same province —, 8 usual
 * payees and a few rare ones, allowances, 60 days) where every rule has a chance to fire.
 */
const recordSpec = fc.record({
  laoCode: fc.constantFrom(LAO, OTHER_LAO, LAO, OTHER_LAO, THIRD_LAO),
  payeeAccount: fc.oneof({ arbitrary: fc.constant(1), weight: 5 }, { arbitrary: fc.integer({ min: 2, max: 8 }), weight: 8 }, { arbitrary: fc.integer({ min: 10, max: 99 }), weight: 1 }).map((n) => String(n).repeat(10).slice(0, 10)),
  payeeName: fc.constantFrom('หจก. รุ่งเรืองการช่าง', 'หจก. รุ่งเรืองการช่าง', 'หจก. รุ่งเรืองการช่าง', 'ห้างหุ้นส่วนจำกัด รุ่งเรือง การช่าง', 'นายสมชาย ใจดี'),
  executedHour: fc.option(fc.integer({ min: 0, max: 23 }), { nil: null, freq: 3 }),
  approvalSeconds: fc.option(fc.integer({ min: 5, max: 600 }), { nil: null }),
  maker: fc.option(fc.constantFrom('u1', 'u2'), { nil: null }),
  authorizer: fc.option(fc.constantFrom('u1', 'u3'), { nil: null }),
  amountBaht: fc.oneof(
    { arbitrary: fc.constantFrom(40_000, 60_000, 9_000, 9_500, 10_000, 12_000, 450_000), weight: 30 },
    { arbitrary: fc.constant(2_000_000), weight: 1 },
  ),
  day: fc.integer({ min: 0, max: 59 }),
  serviceType: fc.constantFrom('04', '04', '14', '01'),
  voucherNo: fc.option(fc.constantFrom('1/2568', '2/2568', '3/2568'), { nil: null, freq: 2 }),
  fail: fc.integer({ min: 0, max: 9 }),
  bulk: fc.integer({ min: 0, max: 5 }),
  /** 0: an elderly allowance (59) to one of two people sharing LAO's listed account, with or without a remark. */
  allowance: fc.integer({ min: 0, max: 11 }),
  allowanceBaht: fc.constantFrom(600, 650, 700, 1_400),
  remark: fc.boolean(),
});

type RecordSpec = typeof recordSpec extends fc.Arbitrary<infer T> ? T : never;

/** The peer group each LAO's records are stamped with, as ingest stamps them from the registry. */
const GROUP_OF: Record<string, string> = { [LAO]: PEER_GROUP, [OTHER_LAO]: PEER_GROUP, [THIRD_LAO]: OTHER_TYPE_GROUP };

function toRecords(specs: RecordSpec[]): Disbursement[] {
  return specs.map((spec, i) => {
    const bulk = spec.bulk === 0;
    const welfare = spec.allowance === 0 ? { serviceType: '59', payeeAccount: '6666666666', payeeName: spec.payeeName === 'นายสมชาย ใจดี' ? 'นางแก่ สอง' : 'นายแก่ หนึ่ง', amountSatang: baht(spec.allowanceBaht), voucherNo: null, remark: spec.remark ? 'เบี้ยยังชีพผู้สูงอายุ' : null } : {};
    const effectiveDate = new Date(Date.UTC(2025, 2, 1 + spec.day)).toISOString().slice(0, 10);
    const executedAt = bulk || spec.executedHour === null ? null : new Date(Date.parse(`${effectiveDate}T00:00:00Z`) + (spec.executedHour - 7) * 3_600_000).toISOString();
    return payment({
      laoCode: spec.laoCode,
      batchId: `b_${Math.floor(i / 7)}`,
      row: (i % 7) + 1,
      payeeAccount: spec.payeeAccount,
      amountSatang: baht(spec.amountBaht),
      effectiveDate,
      payeeName: spec.payeeName,
      executedAt,
      approvedAt: executedAt === null || spec.approvalSeconds === null ? null : new Date(Date.parse(executedAt) + spec.approvalSeconds * 1000).toISOString(),
      makerId: bulk ? null : spec.maker,
      authorizerId: bulk ? null : spec.authorizer,
      serviceType: spec.serviceType,
      voucherNo: spec.voucherNo,
      sourceFormat: bulk ? 'ktb-bulk' : 'ktb-report',
      status: bulk ? 'instructed' : spec.fail === 0 ? 'failed' : 'success',
      peerGroup: GROUP_OF[spec.laoCode]!,
      ...welfare,
    });
  });
}

/** Records, with some of them delivered again later (at-least-once delivery). */
const streamOf = (maxLength: number, size: fc.SizeForArbitrary = 'medium') => fc
  .tuple(fc.array(recordSpec, { minLength: 1, maxLength, size }), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 10 }))
  .map(([specs, replays]) => {
    const records = toRecords(specs);
    const out = [...records];
    for (const [src, pos] of replays) {
      const record = records[src % records.length]!;
      const at = Math.max(out.indexOf(record) + 1, pos % (out.length + 1));
      out.splice(at, 0, record);
    }
    return out;
  });
const stream = streamOf(120);

const canonical = (a: Disbursement, b: Disbursement) =>
  a.laoCode.localeCompare(b.laoCode, 'en') || a.batchId.localeCompare(b.batchId, 'en') || a.row - b.row;

describe('engine', () => {
  it('when a random world is processed, then every rule fires somewhere and every alert is a valid domain Alert', () => {
    const fired = new Set<string>();
    for (const records of fc.sample(streamOf(400, 'max'), { seed: 42, numRuns: 40 })) {
      for (const alert of run(worldEngine(), records)) {
        Alert.parse(alert);
        alert.ruleIds.forEach((id) => fired.add(id));
      }
    }
    // Otherwise the properties below could hold by producing nothing at all. batch-padded fires on rows too (its voucher half).
    expect([...fired].sort()).toEqual([...RULES.map((r) => r.id), 'batch-padded'].sort());
  });

  it('when the reference lists come from a reference source instead of applyReference, then the alerts are the same; a newer version from the source applies to the payments after it', () => {
    const otherKinds = WORLD_REFERENCE.filter((r) => r.kind !== 'payees');
    const payeesV2: ReferenceSnapshot = { ...WORLD_REFERENCE.find((r) => r.kind === 'payees')!, version: 2, sha256: 'p2', items: [] };
    fc.assert(
      fc.property(stream, fc.nat(), (records, cut) => {
        const at = cut % (records.length + 1);
        // Expected: the lists applied up front, the emptied payee register applied at `at`.
        const pushed = worldEngine();
        const expected = [...run(pushed, records.slice(0, at)), ...(pushed.applyReference(payeesV2), run(pushed, records.slice(at)))];
        let table: ReferenceSnapshot[] = WORLD_REFERENCE;
        const pulled = createEngine(WORLD, { referenceSource: (lao) => table.filter((r) => r.laoCode === lao) });
        const got = [...run(pulled, records.slice(0, at)), ...((table = [...otherKinds, payeesV2]), run(pulled, records.slice(at)))];
        expect(got).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('when a shuffled-then-sorted stream is processed twice, then the alert JSON is byte-identical', () => {
    fc.assert(
      fc.property(stream.chain((records) => fc.tuple(fc.constant(records), fc.shuffledSubarray(records, { minLength: records.length }))), ([records, shuffled]) => {
        const sorted = [...shuffled].sort(canonical);
        const once = JSON.stringify(run(worldEngine(), sorted));
        const twice = JSON.stringify(run(worldEngine(), [...sorted]));
        expect(twice).toBe(once);
        expect(JSON.stringify(run(worldEngine(), [...records].sort(canonical)))).toBe(once);
      }),
      { numRuns: 100 },
    );
  });

  it('when the engine is snapshotted, restored and continued at any point, then it gives the alerts and state of an uninterrupted run', () => {
    fc.assert(
      fc.property(stream, fc.nat(), (records, cut) => {
        const k = cut % (records.length + 1);
        const whole = worldEngine();
        const expected = run(whole, records);

        const before = worldEngine();
        const first = run(before, records.slice(0, k));
        const wire = JSON.parse(JSON.stringify(before.snapshot())) as unknown;
        const after = createEngine(WORLD);
        after.restore(wire);
        const rest = run(after, records.slice(k));

        expect(JSON.stringify([...first, ...rest])).toBe(JSON.stringify(expected));
        expect(JSON.stringify(after.snapshot())).toBe(JSON.stringify(whole.snapshot()));
      }),
      { numRuns: 150 },
    );
  });

  it('when the whole stream is replayed after it was processed, then there are no new alerts and the state does not change', () => {
    fc.assert(
      fc.property(stream, (records) => {
        const engine = worldEngine();
        run(engine, records);
        const state = JSON.stringify(engine.snapshot());
        expect(run(engine, records)).toEqual([]);
        expect(JSON.stringify(engine.snapshot())).toBe(state);
      }),
      { numRuns: 50 },
    );
  });

  it('when two rules fire on one payment, then they make one alert, one severity step higher', () => {
    const history = Array.from({ length: 30 }, (_, i) =>
      payment({ batchId: 'b_hist', row: i + 1, payeeAccount: String(1_000_000_000 + i), effectiveDate: '2025-01-05', amountSatang: baht(9_000 + i * 50) }));
    const big = (batchId: string, effectiveDate: string, serviceType = '04') => payment({ batchId, payeeAccount: '5555555555', effectiveDate, amountSatang: baht(600_000), serviceType });
    const engine = createEngine();
    // The first 600,000 is a service type (14) the LAO has no history of: no outlier, but the same account and amount.
    expect(run(engine, [...history, big('b_a', '2025-01-10', '14')])).toEqual([]);
    const alerts = engine.process(big('b_b', '2025-01-20'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ ruleIds: ['amount-outlier', 'duplicate-payment'], severity: 'critical', amountSatang: baht(1_200_000), occurredOn: '2025-01-20' });
    expect(Object.keys(alerts[0]!.evidence)).toEqual(['amount-outlier', 'duplicate-payment', 'payeeHistory']);
    // The payee's payments from this LAO in the window, for the alert page's chart: both 600,000-baht payments.
    expect(alerts[0]!.evidence.payeeHistory).toMatchObject({ payments: [{ effectiveDate: '2025-01-10', amountSatang: baht(600_000) }, { effectiveDate: '2025-01-20', amountSatang: baht(600_000) }] });
    expect(alerts[0]!.reasons.th.split('\n')).toHaveLength(2);
    expect(alerts[0]!.payments).toHaveLength(2);
  });

  it('when a rule is disabled, then it never fires', () => {
    const a = payment({ batchId: 'b1' }), b = payment({ batchId: 'b2', effectiveDate: '2025-03-05' });
    expect(run(createEngine({ rules: { 'duplicate-payment': { enabled: false } } }), [a, b])).toEqual([]);
  });

  it('when two LAOs pay the same account the same amount, then neither sees the other', () => {
    const a = payment({ batchId: 'b1', laoCode: LAO }), b = payment({ batchId: 'b2', laoCode: OTHER_LAO, effectiveDate: '2025-03-05' });
    expect(run(createEngine(), [a, b])).toEqual([]);
  });

  it('when the newest date moves on, then payments older than the longest window leave the state', () => {
    const engine = createEngine();
    // The longest window any enabled rule looks back (welfare-anomaly's month, duplicate's and siphon's 30 days…).
    const longest = Math.max(...RULES.map((r) => (r.windowDays as (c: unknown) => number)(engine.config.rules[r.id as keyof typeof engine.config.rules])));
    expect(longest).toBeGreaterThanOrEqual(30);
    const first = '2025-03-01', edge = addDays(first, longest), beyond = addDays(first, longest + 1);
    run(engine, [payment({ batchId: 'b1', effectiveDate: first }), payment({ batchId: 'b2', payeeAccount: '1212121212', effectiveDate: edge })]);
    expect(snapshotWindow(engine.snapshot().laos[0]!).map((p) => p.effectiveDate)).toEqual([first, edge]);
    engine.process(payment({ batchId: 'b3', payeeAccount: '3434343434', effectiveDate: beyond }));
    expect(snapshotWindow(engine.snapshot().laos[0]!).map((p) => p.effectiveDate)).toEqual([edge, beyond]);
  });

  it('when a record is older than the window, then it is still compared with what is kept but not kept itself', () => {
    const engine = createEngine({ rules: { 'split-payment': { enabled: false } } });
    run(engine, [payment({ batchId: 'b1', effectiveDate: '2025-03-05' }), payment({ batchId: 'b2', payeeAccount: '1212121212', effectiveDate: '2025-04-30' })]);
    const late = payment({ batchId: 'b3', effectiveDate: '2025-03-01' });
    // 2025-03-05 left the window when 2025-04-30 arrived, so there is nothing left to match.
    expect(engine.process(late)).toEqual([]);
    expect(snapshotWindow(engine.snapshot().laos[0]!).map((p) => p.recordId)).toEqual(['b2:1']);
    expect(engine.hasSeen(late)).toBe(true);
  });

  it('when more batches arrive than it remembers, then the least recently seen batch is forgotten', () => {
    const engine = createEngine({ state: { seenBatches: 2 } });
    run(engine, ['b1', 'b2', 'b3'].map((batchId) => payment({ batchId, payeeAccount: '1212121212', serviceType: '01' })));
    expect(engine.snapshot().laos[0]!.seenBatches.map(([id]) => id)).toEqual(['b2', 'b3']);
    expect(engine.hasSeen(payment({ batchId: 'b1' }))).toBe(false);
    expect(engine.hasSeen(payment({ batchId: 'b3' }))).toBe(true);
  });

  it('when histories reach their limits, then the oldest amounts and least recently paid payees go first', () => {
    const engine = createEngine({ state: { laoHistorySize: 20, payeeHistorySize: 20, maxPayeeHistories: 2 }, rules: { 'duplicate-payment': { enabled: false }, 'split-payment': { enabled: false } } });
    const records = Array.from({ length: 25 }, (_, i) => payment({ batchId: 'b1', row: i + 1, payeeAccount: String(1_000_000_000 + (i % 3)), amountSatang: baht(1_000 + i) }));
    run(engine, records);
    const lao = engine.snapshot().laos[0]!;
    expect(lao.laoAmounts).toEqual([['04', records.slice(5).map((r) => r.amountSatang)]]);
    expect(lao.payeeAmounts.map(([st, accountIx]) => `${st}|${lao.accounts[accountIx]}`)).toEqual(['04|006:1000000002', '04|006:1000000000']);
  });

  it('when a snapshot is restored, then snapshotting again gives the same bytes', () => {
    const engine = createEngine();
    run(engine, fc.sample(stream, { seed: 7, numRuns: 1 })[0]!);
    const snap = JSON.stringify(engine.snapshot());
    const restored = createEngine();
    restored.restore(JSON.parse(snap));
    expect(JSON.stringify(restored.snapshot())).toBe(snap);
  });

  describe('snapshot → restore → continue, with the state detection 2 added', () => {
    /** Runs `before`, snapshots through JSON, restores into a new engine and runs `after`; returns both ways' alerts and snapshots. */
    function interrupted(make: () => Engine, before: readonly Disbursement[], after: readonly Disbursement[]) {
      const whole = make();
      const expected = run(whole, [...before, ...after]).filter((a) => after.some((r) => a.payments.some((p) => p.recordId === r.recordId)));
      const first = make();
      run(first, before);
      const restored = make();
      restored.restore(JSON.parse(JSON.stringify(first.snapshot())));
      return { expected, got: run(restored, after), wholeSnapshot: JSON.stringify(whole.snapshot()), restoredSnapshot: JSON.stringify(restored.snapshot()), snapshot: first.snapshot() };
    }

    it('when peer groups were built before the snapshot, then after restore the peer group\'s spread still decides', () => {
      const peers = Array.from({ length: 30 }, (_, i) => payment({ laoCode: OTHER_LAO, peerGroup: PEER_GROUP, batchId: 'b_peer', row: i + 1, payeeAccount: String(1_000_000_000 + i), amountSatang: baht(9_000 + i * 50) }));
      const big = payment({ peerGroup: PEER_GROUP, batchId: 'b_big', payeeAccount: '5555555555', amountSatang: baht(500_000) });
      const r = interrupted(() => only('amount-outlier'), peers, [big]);
      // The group and its province, each with the one LAO seen so far.
      expect(r.snapshot.peers.map(([group, , , laos]) => [group, laos])).toEqual([['62:*', [OTHER_LAO]], [PEER_GROUP, [OTHER_LAO]]]);
      expect(r.got).toEqual(r.expected);
      expect(evidenceOf(r.got[0], 'amount-outlier')).toMatchObject({ baseline: 'peer-group', observations: 30 });
      expect(r.restoredSnapshot).toBe(r.wholeSnapshot);
    });

    it('when a bulk line failed before the snapshot, then its retry after restore is still a retry (failed transfers are kept)', () => {
      const bulk = (batchId: string, effectiveDate: string) => payment({ batchId, sourceFormat: 'ktb-bulk', status: 'instructed', effectiveDate });
      const r = interrupted(() => only('duplicate-payment'), [bulk('b_bulk1', '2025-03-03'), payment({ batchId: 'b_rep', status: 'failed', effectiveDate: '2025-03-03' })], [bulk('b_bulk2', '2025-03-05')]);
      expect(r.snapshot.laos[0]!.failed).toEqual([['006:9876543210', [[baht(40_000), '2025-03-03']]]]);
      expect(r.got).toEqual([]);
      expect(r.got).toEqual(r.expected);
      expect(r.restoredSnapshot).toBe(r.wholeSnapshot);
    });

    it('when an amount was paid in an earlier month before the snapshot, then after restore a pair of it is still a standing arrangement (amount months are kept)', () => {
      const r = interrupted(() => only('duplicate-payment'), [payment({ batchId: 'b_jan', effectiveDate: '2025-01-15' })], [payment({ batchId: 'b_a', effectiveDate: '2025-03-20' }), payment({ batchId: 'b_b', effectiveDate: '2025-04-10' })]);
      const lao = r.snapshot.laos[0]!;
      // [formatIx of ktb-report, the account's index in the snapshot's dictionary, [2025·12 + 0, amount]]
      expect(lao.amountMonths).toEqual([[1, lao.accounts.indexOf('006:9876543210'), [2025 * 12, baht(40_000)]]]);
      expect(r.got).toEqual([]);
      expect(r.got).toEqual(r.expected);
      expect(r.restoredSnapshot).toBe(r.wholeSnapshot);
    });

    it('when an account\'s monthly rhythm was learnt before the snapshot, then after restore its usual month is still usual (one-off months are kept)', () => {
      const vendors = (month: string) => Array.from({ length: 10 }, (_, i) => payment({ batchId: `b_v_${month}`, row: i + 1, payeeAccount: String(1_000_000_000 + i), effectiveDate: `${month}-${String(1 + i).padStart(2, '0')}` }));
      const six = (month: string) => Array.from({ length: 6 }, (_, i) => payment({ batchId: `b_s_${month}`, row: i + 1, payeeAccount: '7777777777', payeeName: 'นายเอ', effectiveDate: `${month}-${String(3 + i).padStart(2, '0')}`, amountSatang: baht(49_000 + i) }));
      const before = [...vendors('2025-01'), ...six('2025-01'), ...vendors('2025-02'), ...six('2025-02'), ...vendors('2025-03'), ...six('2025-03')];
      const r = interrupted(() => only('repeat-siphon'), before, six('2025-04'));
      const lao = r.snapshot.laos[0]!, ix = lao.accounts.indexOf('006:7777777777');
      expect(lao.accountMonths.find(([, a]) => a === ix)).toEqual([1, ix, [2025 * 12, 6, 2025 * 12 + 1, 6, 2025 * 12 + 2, 6]]);
      expect(r.got).toEqual([]);
      expect(r.got).toEqual(r.expected);
      expect(r.restoredSnapshot).toBe(r.wholeSnapshot);
    });
  });

  it('when a snapshot is malformed, then restore throws PW_ERR_RULES_SNAPSHOT_INVALID and keeps the state', () => {
    const engine = createEngine();
    engine.process(payment());
    const snap = engine.snapshot();
    const broken = { ...snap, laos: [{ ...snap.laos[0]!, nextSeq: -1 }] } as unknown as EngineSnapshot;
    expect(() => engine.restore(broken)).toThrow(expect.objectContaining({ code: RULES_ERROR_CODES.snapshotInvalid }));
    expect(() => engine.restore({ format: 'something-else', ruleSetVersion: 'x', laos: [] })).toThrow(expect.objectContaining({ code: RULES_ERROR_CODES.snapshotInvalid }));
    expect(engine.snapshot()).toEqual(snap);
  });

  it('when a snapshot is well-typed but points outside its dictionaries, then restore throws PW_ERR_RULES_SNAPSHOT_INVALID and keeps the state', () => {
    const engine = createEngine();
    engine.process(payment());
    const snap = engine.snapshot();
    const lao = snap.laos[0]!;
    const broken = { ...snap, laos: [{ ...lao, window: [[99, lao.window[0]![1]]] }] };
    expect(() => engine.restore(broken)).toThrow(expect.objectContaining({ code: RULES_ERROR_CODES.snapshotInvalid }));
    expect(engine.snapshot()).toEqual(snap);
  });

  const bytesPerPayment = () => {
    const engine = createEngine();
    run(engine, Array.from({ length: 2_000 }, (_, i) => payment({ batchId: 'b_big', row: i + 1, payeeAccount: String(1_000_000_000 + i), payeeName: `นายผู้รับ ที่${i}`, payeeId: '3100100123456', voucherNo: `${i}/2568`, bankReference: String(i).padStart(6, '0') })));
    return JSON.stringify(engine.snapshot()).length / 2_000;
  };

  // REGRESSION (reported): the new per-account state (accountMonths, amountMonths) spells every account out as
  // `${format}|${bank}:${account}` instead of an index into the snapshot's account dictionary, about 94 of the 274
  // bytes a payment; with dictionary indexes the snapshot would be back under the 250-byte budget.
  it('when 2,000 payments to distinct payees are in the window, then the snapshot stays under 250 bytes a payment', () => {
    expect(bytesPerPayment()).toBeLessThan(250);
  });

  it('when 2,000 payments to distinct payees are in the window, then the snapshot grows no further than 300 bytes a payment', () => {
    expect(bytesPerPayment()).toBeLessThan(300);
  });

  it('when the configuration is invalid, then createEngine throws PW_ERR_RULES_CONFIG_INVALID', () => {
    expect(() => createEngine({ rules: { 'duplicate-payment': { windowDays: -1 } } })).toThrow(expect.objectContaining({ code: RULES_ERROR_CODES.configInvalid }));
  });
});
