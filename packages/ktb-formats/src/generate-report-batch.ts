/** Seeded transfer reports (`ktb-report`): the records the bank would list, for round-trip tests and sample files. */
import { bangkokWallClockToUtc, type PaymentRecord, type TransferStatus } from '@paywatch/domain';
import { generateBulkBatch } from './generate-bulk-batch.ts';
import { mulberry32 } from './mulberry32.ts';

/** What to generate. Same options ⇒ same records. */
export interface GenerateReportBatchOptions {
  seed: number;
  laoCode: string;
  companyId: string;
  debitAccount: string;
  rows: number;
  /** Transaction date `YYYY-MM-DD` (CE). */
  date: string;
  /** Share of failed and of rejected transfers (default 0.1 and 0.05). */
  failedShare?: number;
  rejectedShare?: number;
}

/** A generated report: its records are both what to render and what parsing must give back. */
export interface GeneratedReportBatch { records: PaymentRecord[] }

const pad = (n: number): string => String(n).padStart(2, '0');

/** Realistic report rows: the bulk generator's payees and amounts, executed and approved on `date` in office hours, with statuses and fees. */
export function generateReportBatch(o: GenerateReportBatchOptions): GeneratedReportBatch {
  const { records, spec } = generateBulkBatch({ seed: o.seed, laoCode: o.laoCode, companyId: o.companyId, debitAccount: o.debitAccount, rows: o.rows, effectiveDate: o.date });
  const rnd = mulberry32(o.seed ^ 0x5eed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const failed = o.failedShare ?? 0.1;
  const rejected = o.rejectedShare ?? 0.05;
  const batchNo = String((o.seed >>> 0) % 1_000_000).padStart(6, '0');
  return {
    records: records.map((r, i): PaymentRecord => {
      const roll = rnd();
      const status: TransferStatus = roll < rejected ? 'rejected' : roll < rejected + failed ? 'failed' : 'success';
      const hh = int(8, 15), mm = int(0, 59), ss = int(0, 59);
      const approvedMinutes = Math.max(0, hh * 60 + mm - int(1, 90));
      const fee = [null, 0, 1_000, 2_500][int(0, 3)]!;
      return {
        ...r,
        sourceFormat: 'ktb-report',
        // The bank lists the account whole (a GSB or BAAC account with its 12 digits, TISCO and KKP with 14).
        payeeAccount: spec.details[i]!.payeeAccount.replace(/\D/g, ''),
        receiverId: r.payeeId,
        executedAt: bangkokWallClockToUtc(o.date, hh, mm, ss),
        approvedAt: bangkokWallClockToUtc(o.date, Math.floor(approvedMinutes / 60), approvedMinutes % 60, int(0, 59)),
        feeSatang: fee,
        bankReference: `KTB${o.date.replace(/-/g, '')}${pad(hh)}${String(i + 1).padStart(6, '0')}`,
        batchNo,
        makerId: 'MAKER01',
        authorizerId: 'AUTH01',
        status,
      };
    }),
  };
}
