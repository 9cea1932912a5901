import { Alert, type BatchManifest } from '@paywatch/domain';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/index.ts';
import { baht, LAO } from '../helpers/factory.ts';

function manifest(header: BatchManifest['header']): BatchManifest {
  return {
    batchId: 'b_padded', laoCode: LAO, sha256: 'ab'.repeat(32), fileName: 'pay-2568-03.txt', sizeBytes: 1_000, rawKey: 'raw/b_padded',
    format: 'ktb-bulk', encoding: 'cp874', rowsRead: 11, rowsAccepted: 11, rowsRejected: 0, totalSatang: header?.detailTotalSatang ?? 0,
    header, status: 'published', refusal: null, uploadedBy: 'u1', receivedAt: '2025-03-04T03:00:00Z', publishedAt: '2025-03-04T03:00:01Z',
  };
}
const check = (declaredCount: number, declaredTotalSatang: number, detailCount: number, detailTotalSatang: number) =>
  ({ declaredCount, declaredTotalSatang, detailCount, detailTotalSatang, matches: declaredCount === detailCount && declaredTotalSatang === detailTotalSatang });

describe('batch-padded (header vs detail lines)', () => {
  it('when the detail lines hold one line and 29 baht more than the header declares, then a high batch alert gives both counts and totals', () => {
    const alerts = createEngine().processManifest(manifest(check(10, baht(100_000), 11, baht(100_029))));
    expect(alerts).toHaveLength(1);
    const alert = Alert.parse(alerts[0]);
    expect(alert).toMatchObject({ ruleIds: ['batch-padded'], severity: 'high', subject: { kind: 'batch', key: 'b_padded' }, laoCode: LAO });
    expect(alert.evidence['batch-padded']).toMatchObject({ declaredCount: 10, detailCount: 11, countDifference: 1, declaredTotalSatang: baht(100_000), detailTotalSatang: baht(100_029), totalDifferenceSatang: baht(29) });
    expect(alert.reasons.th).toContain('100,029.00');
    expect(alert.reasons.en).toContain('declares 10 lines');
  });

  it('when the lines add up to less than the header, then it is medium', () => {
    expect(createEngine().processManifest(manifest(check(10, baht(100_000), 10, baht(90_000))))[0]).toMatchObject({ severity: 'medium' });
  });

  it('when the header matches, or there is no header (a bank report), or the rule is off, then there is no alert', () => {
    expect(createEngine().processManifest(manifest(check(10, baht(100_000), 10, baht(100_000))))).toEqual([]);
    expect(createEngine().processManifest(manifest(null))).toEqual([]);
    expect(createEngine({ rules: { 'batch-padded': { enabled: false } } }).processManifest(manifest(check(1, 1, 2, 2)))).toEqual([]);
  });

  it('when the same manifest is processed twice, then the alerts are byte-identical (same alert id, updated not duplicated)', () => {
    const m = manifest(check(10, baht(100_000), 11, baht(100_029)));
    expect(JSON.stringify(createEngine().processManifest(m))).toBe(JSON.stringify(createEngine().processManifest(structuredClone(m))));
  });
});
