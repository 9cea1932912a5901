// A bank report lists a GSB account whole (12 digits); the bulk line of the same transfer carries its shortened
// 11-digit form. Records keep what their file wrote; the engine matches accounts by `accountKey`.
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/index.ts';
import { baht, only, payment, run } from '../helpers/factory.ts';

const WHOLE = '020012345678';
const SHORT = '20012345678';

describe('account forms', () => {
  it('when one GSB account comes whole in a report and shortened in a bulk file, then the engine sees one payee', () => {
    const engine = only('account-many-names');
    const alerts = run(engine, [
      payment({ payeeBankCode: '030', payeeAccount: WHOLE, payeeName: 'นางสมศรี ใจดี' }),
      payment({ payeeBankCode: '030', payeeAccount: SHORT, payeeName: 'นายอื่น ไม่ใช่', sourceFormat: 'ktb-bulk', status: 'instructed', row: 2 }),
    ]);
    // Two names on one account: only possible if both forms were recognised as the same account.
    expect(alerts.flatMap((a) => a.ruleIds)).toContain('account-many-names');
  });

  it('when the window is snapshotted and restored, then each payment keeps its account as its file wrote it', () => {
    const engine = createEngine();
    engine.process(payment({ payeeBankCode: '030', payeeAccount: WHOLE, amountSatang: baht(800) }));
    engine.process(payment({ payeeBankCode: '030', payeeAccount: SHORT, amountSatang: baht(800), row: 2, sourceFormat: 'ktb-bulk', status: 'instructed' }));
    const snap = JSON.stringify(engine.snapshot());
    const restored = createEngine();
    restored.restore(JSON.parse(snap));
    expect(JSON.stringify(restored.snapshot())).toBe(snap);
    expect(snap).toContain(`030:${WHOLE}`);
    expect(snap).toContain(`030:${SHORT}`);
  });
});
