/**
 * batch-padded@1.0.0 — extra lines in a bulk batch. This version checks the second half of the
 * typology, which needs no reference data: the file's header declares a count and total that its
 * detail lines do not add up to (a line added or changed after the header was produced).
 * Comparing the batch with its approved vouchers needs the voucher list (reference data).
 */
import { recordIdOf, toBangkok, z, type BatchManifest, type Finding } from '@paywatch/domain';
import type { ManifestRule } from '../rule.ts';
import { baht } from './explain.ts';

/** Thresholds of batch-padded: the check is exact, so there is only the switch. */
export const BatchPaddedConfig = z.strictObject({
  enabled: z.boolean().default(true),
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
