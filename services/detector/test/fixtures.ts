// Shared fixtures of the detector tests.
import { batchIdFor, disbursementOf, recordIdOf, sha256Hex, type Disbursement } from '@paywatch/domain';
import { generateBulkBatch, parseFile, renderKtbBulk } from '@paywatch/ktb-formats';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';

/** Records of generated batches for two LAOs, with a duplicate payment and a split purchase injected. */
export function worldRecords(rows = 60, laos: readonly string[] = ['6600101', '6000101']): Disbursement[] {
  const out: Disbursement[] = [];
  for (const [i, laoCode] of laos.entries()) {
    const lao = SEED_LAO_REGISTRY.find((l) => l.laoCode === laoCode)!;
    const g = generateBulkBatch({ seed: 40 + i, laoCode, companyId: lao.companyIds[0]!, debitAccount: lao.accounts[0]!, rows, effectiveDate: '2026-10-05' });
    const vendor = { payeeBankCode: '014', payeeAccount: '4071234567', debitAccount: lao.accounts[0]!, effectiveDate: '2026-10-06', serviceType: '04', payeeName: 'ร้านวัสดุ', voucherNo: null };
    const details = [...g.spec.details, { ...vendor, amountSatang: 4_900_000 }, { ...vendor, amountSatang: 4_900_000 }, { ...vendor, amountSatang: 3_000_000 }];
    const bytes = renderKtbBulk({ header: g.spec.header, details }, { encoding: 'utf-8', eol: '\n' });
    const batchId = batchIdFor(laoCode, sha256Hex(bytes));
    for (const ev of parseFile(bytes, { registry: SEED_LAO_REGISTRY })) {
      if (ev.kind === 'record') out.push(disbursementOf(ev.record, batchId, ev.row, `${laoCode}.txt`));
    }
  }
  return out;
}

