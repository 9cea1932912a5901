// Measures parse+validate against a bare split + slice of the same fields (target: ≥ 0.8× its speed).
// Run: pnpm tsx packages/ktb-formats/scripts/bench-parse.ts [rows]
import { KTB_BULK_DETAIL as D, decodeBytes, generateBulkBatch, parseKtbBulk, renderKtbBulk } from '../src/index.ts';

const rows = Number(process.argv[2] ?? 200_000);
const g = generateBulkBatch({ seed: 1, laoCode: '6600101', companyId: 'GMIS660101', debitAccount: '9800012345', rows, effectiveDate: '2024-10-28' });
const FIELDS = [D.batchNo, D.payeeBankCode, D.payeeAccount, D.senderAccount, D.effectiveDate, D.serviceType, D.amountSatang, D.receiverInfo, D.payeeName, D.otherInfo1, D.refNo, D.referenceNo];

function baseline(text: string): number {
  let n = 0;
  for (const line of text.split('\n')) for (const [a, b] of FIELDS) n += line.slice(a, b).length;
  return n;
}
function parse(text: string): number {
  let n = 0;
  for (const e of parseKtbBulk(text, { laoCode: '6600101', today: '2024-10-28' })) if (e.kind === 'record') n++;
  return n;
}
/** Best of n alternating runs of each: the machine is shared, so the minimum is the least noisy figure. */
function bestOf(n: number, text: string): { base: number; full: number } {
  let base = Infinity;
  let full = Infinity;
  for (let i = 0; i < n; i++) {
    let t0 = performance.now();
    baseline(text);
    base = Math.min(base, performance.now() - t0);
    t0 = performance.now();
    parse(text);
    full = Math.min(full, performance.now() - t0);
  }
  return { base, full };
}

for (const encoding of ['windows-874', 'utf-8'] as const) {
  const bytes = renderKtbBulk(g.spec, { encoding, eol: '\r\n', beYears: true });
  const t0 = performance.now();
  const { text } = decodeBytes(bytes);
  const decodeMs = performance.now() - t0;
  if (parse(text) !== rows) throw new Error('not every row was accepted');
  const { base, full } = bestOf(12, text);
  console.log(`${encoding}: ${rows} rows, ${(bytes.length / 1e6).toFixed(1)} MB | decode ${decodeMs.toFixed(0)} ms | split+slice ${base.toFixed(0)} ms | parse ${full.toFixed(0)} ms | ratio ${(base / full).toFixed(2)}×`);
}
