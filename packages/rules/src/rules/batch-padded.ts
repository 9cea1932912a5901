/**
 * batch-padded@1.0.0 — extra lines in a bulk batch. This version checks the second half of the
 * typology, which needs no reference data: the file's header declares a count and total that its
 * detail lines do not add up to (a line added or changed after the header was produced).
 * Comparing the batch with its approved vouchers needs the voucher list (reference data).
 */
import { isOutflow, recordIdOf, toBangkok, z, type BatchManifest, type Disbursement, type Finding } from '@paywatch/domain';
import type { ManifestRule, Rule } from '../rule.ts';
import { toWindowPayment, type LaoStateView } from '../state/lao-state.ts';
import { baht, paymentDetail, paymentRef, unmaskedAccounts } from './explain.ts';

/** Thresholds of batch-padded: the check is exact, so there is only the switch. */
export const BatchPaddedConfig = z.strictObject({
  enabled: z.boolean().default(true),
  /** Lines of a batch an approved voucher covers before its uncovered lines count as padding (the batch was approved). */
  minCoveredLines: z.number().int().min(1).default(1),
});
/** Parsed batch-padded configuration. */
export type BatchPaddedConfig = z.infer<typeof BatchPaddedConfig>;

/**
 * The rule. Subject `batch` keyed by the batch id, so the same manifest processed again gives
 * the same alert. The finding points at row 0, the file as a whole: no single detail line is the
 * padded one, and the manifest does not say on which line the header was.
 */
export const batchPaddedRule: ManifestRule<BatchPaddedConfig> = {
  id: 'batch-padded',
  version: '1.0.0',
  configSchema: BatchPaddedConfig,
  evaluate(manifest: BatchManifest): Finding[] {
    const h = manifest.header;
    if (!h || h.matches) return [];
    const countDiff = h.detailCount - h.declaredCount, totalDiff = h.detailTotalSatang - h.declaredTotalSatang;
    const signed = (n: number, text: string) => `${n > 0 ? '+' : n < 0 ? '−' : '±'}${text}`;
    return [{
      ruleId: batchPaddedRule.id,
      ruleVersion: batchPaddedRule.version,
      // More money in the lines than the header declared is money nobody approved.
      severity: countDiff > 0 || totalDiff > 0 ? 'high' : 'medium',
      laoCode: manifest.laoCode,
      subject: { kind: 'batch', key: manifest.batchId },
      reasons: {
        th: `ยอดในไฟล์ไม่ตรงกับส่วนหัว: ไฟล์ ${manifest.fileName} ส่วนหัวระบุ ${h.declaredCount} รายการ รวม ${baht(h.declaredTotalSatang)} บาท แต่รายการในไฟล์มี ${h.detailCount} รายการ รวม ${baht(h.detailTotalSatang)} บาท (ต่างกัน ${signed(countDiff, String(Math.abs(countDiff)))} รายการ, ${signed(totalDiff, baht(Math.abs(totalDiff)))} บาท; เกณฑ์: ต้องตรงกันทุกสตางค์) ควรตรวจสอบว่ามีการเพิ่มหรือแก้ไขรายการหลังจัดทำไฟล์หรือไม่ และเทียบกับฎีกาที่อนุมัติ`,
        en: `Batch does not match its header: file ${manifest.fileName} declares ${h.declaredCount} lines totalling ${baht(h.declaredTotalSatang)} baht, but its detail lines are ${h.detailCount} totalling ${baht(h.detailTotalSatang)} baht (difference ${signed(countDiff, String(Math.abs(countDiff)))} lines, ${signed(totalDiff, baht(Math.abs(totalDiff)))} baht; threshold: exact). Check whether lines were added or changed after the file was produced, and compare it with the approved vouchers.`,
      },
      evidence: {
        fileName: manifest.fileName,
        declaredCount: h.declaredCount,
        detailCount: h.detailCount,
        countDifference: countDiff,
        declaredTotalSatang: h.declaredTotalSatang,
        detailTotalSatang: h.detailTotalSatang,
        totalDifferenceSatang: totalDiff,
        tolerance: 'exact',
        // The batch as one "payment" for the alert's amount (the unexplained difference) and date (the header's).
        paymentDetails: [{ recordId: recordIdOf(manifest.batchId, 0), batchId: manifest.batchId, file: manifest.fileName, row: 0, effectiveDate: batchDate(manifest), amountSatang: Math.abs(totalDiff) }],
      },
      payments: [{ recordId: recordIdOf(manifest.batchId, 0), batchId: manifest.batchId, file: manifest.fileName, row: 0 }],
    }];
  },
};

/** When the batch was meant to be paid: the header's effective date, else the Bangkok day it was received. */
function batchDate(manifest: BatchManifest): string {
  if (manifest.header?.effectiveDate) return manifest.header.effectiveDate;
  const received = Date.parse(manifest.receivedAt);
  return Number.isFinite(received) ? toBangkok(new Date(received)).date : '1970-01-01';
}

/**
 * batch-padded@2.0.0, the first half of the typology (needs the LAO's approved vouchers): lines added to a bulk
 * batch, header recomputed so it agrees, with no approved voucher behind them — the batch's count and total no longer
 * equal its vouchers'. Fires on a line no voucher covers in a batch whose other lines are covered (an approved batch
 * was padded), and on the first covered line of a batch that began with uncovered ones. Subject `batch` keyed
 * `${batchId}:vouchers` (the header check keeps the plain batch id), updated as more padded lines arrive.
 */
export const batchPaddedLinesRule: Rule<BatchPaddedConfig> = {
  id: 'batch-padded',
  version: '2.0.0',
  configSchema: BatchPaddedConfig,
  needs: 'vouchers',
  windowDays: () => 0,
  evaluate(record: Disbursement, state: LaoStateView, config: BatchPaddedConfig): Finding[] {
    if (record.sourceFormat !== 'ktb-bulk' || !isOutflow(record.status) || state.isRecurring(record)) return [];
    const covered = state.voucherCovered(record);
    if (covered === undefined) return [];
    const tally = state.batchVouchers(record.batchId);
    const current = toWindowPayment(record, state.nextSeq, false);
    const uncovered = covered ? tally.uncovered : [...tally.uncovered, current];
    const coveredLines = tally.covered + (covered ? 1 : 0);
    // Speak when this line changes the picture: a new uncovered line of an approved batch, or the batch turning out approved.
    const changes = covered ? coveredLines === config.minCoveredLines && tally.uncovered.length > 0 : coveredLines >= config.minCoveredLines;
    if (!changes || coveredLines < config.minCoveredLines || uncovered.length === 0) return [];
    const total = uncovered.reduce((s, p) => s + p.amountSatang, 0);
    const file = record.sourceFile;
    return [{
      ruleId: batchPaddedLinesRule.id,
      ruleVersion: batchPaddedLinesRule.version,
      severity: 'high',
      laoCode: state.laoCode,
      subject: { kind: 'batch', key: `${record.batchId}:vouchers` },
      reasons: {
        th: `มีรายการเพิ่มเข้ามาในชุดจ่ายเงิน: ไฟล์ ${file} มี ${uncovered.length} รายการ รวม ${baht(total)} บาท ที่ไม่มีฎีกาอนุมัติในระบบ e-LAAS รองรับ (แถวที่ ${uncovered.map((p) => p.row).join(', ')}) ขณะที่อีก ${coveredLines} รายการในไฟล์เดียวกันมีฎีกาอนุมัติ จำนวนรายการและยอดรวมของชุดจึงไม่ตรงกับฎีกาที่อนุมัติ ควรเทียบไฟล์กับฎีกาทีละรายการ และตรวจสอบว่าผู้ใดเพิ่มรายการเหล่านี้`,
        en: `Lines added to a payment batch: file ${file} has ${uncovered.length} line(s) totalling ${baht(total)} baht with no approved e-LAAS voucher behind them (rows ${uncovered.map((p) => p.row).join(', ')}), while ${coveredLines} other line(s) of the same file are covered, so the batch's count and total differ from its approved vouchers. Compare the file with the vouchers line by line and find who added these lines.`,
      },
      evidence: {
        fileName: file,
        coveredLines,
        uncoveredLines: uncovered.length,
        uncoveredTotalSatang: total,
        minCoveredLines: config.minCoveredLines,
        voucherListVersion: state.reference.vouchers?.version ?? null,
        paymentDetails: uncovered.map(paymentDetail),
      },
      unmasked: unmaskedAccounts(uncovered),
      payments: uncovered.map(paymentRef),
    }];
  },
};
