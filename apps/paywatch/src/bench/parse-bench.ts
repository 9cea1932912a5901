/** Parser throughput on a generated bulk file, next to a bare decode + split of the same bytes in the same run. */
import { generateBulkBatch, parseFile, renderKtbBulk } from '@paywatch/ktb-formats';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';
import type { Disbursement } from '@paywatch/domain';
import { batchIdFor, recordIdOf, sha256Hex } from '@paywatch/domain';

/** Best of `runs` timings of fn, in ms: the least disturbed run is the closest to the code's own cost. */
export function bestOf(runs: number, fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) { const t0 = performance.now(); fn(); best = Math.min(best, performance.now() - t0); }
  return best;
}

/** A generated KTB bulk file of `rows` details for a seed LAO, Windows-874 bytes. */
export function bulkBytes(rows: number, laoCode = '6600101', seed = 1): Uint8Array {
  const lao = SEED_LAO_REGISTRY.find((l) => l.laoCode === laoCode)!;
  const g = generateBulkBatch({ seed, laoCode, companyId: lao.companyIds[0]!, debitAccount: lao.accounts[0]!, rows, effectiveDate: '2026-10-05' });
  return renderKtbBulk(g.spec, { encoding: 'windows-874', eol: '\r\n' });
}

/** Parses bytes into published-shape records (what the detector consumes). */
export function toDisbursements(bytes: Uint8Array, file: string): Disbursement[] {
  const sha = sha256Hex(bytes);
  const out: Disbursement[] = [];
  for (const ev of parseFile(bytes, { registry: SEED_LAO_REGISTRY })) {
    if (ev.kind !== 'record') continue;
    const batchId = batchIdFor(ev.record.laoCode, sha);
    out.push({ ...ev.record, recordId: recordIdOf(batchId, ev.row), batchId, row: ev.row, sourceFile: file });
  }
  return out;
}

export function benchParse(rows: number) {
  const bytes = bulkBytes(rows);
  let sink = 0;
  const bareMs = bestOf(3, () => {
    const text = new TextDecoder('windows-874').decode(bytes);
    for (const line of text.split('\n')) sink += line.length;
  });
  let accepted = 0;
  const parseMs = bestOf(3, () => {
    accepted = 0;
    for (const ev of parseFile(bytes, { registry: SEED_LAO_REGISTRY })) if (ev.kind === 'record') accepted++;
  });
  if (accepted !== rows || sink === 0) throw new Error(`bench parse read ${accepted} of ${rows} rows`);
  const parseRowsPerSec = Math.round(rows / (parseMs / 1000));
  const bareRowsPerSec = Math.round(rows / (bareMs / 1000));
  return { rows, bytes: bytes.length, parseRowsPerSec, bareDecodeSplitRowsPerSec: bareRowsPerSec, ratioToBare: Number((parseRowsPerSec / bareRowsPerSec).toFixed(3)) };
}
