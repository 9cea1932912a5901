import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBytes, encodeText, generateReportBatch, loadReportHeaderMap, parseFile, renderKtbReportCsv, ReportHeaderMapError } from '../src/index.ts';
import { LAO, REGISTRY, collect } from './helpers.ts';

const mapFile = (headers: unknown) => JSON.stringify({ version: 1, headers });
const thrown = (text: string): ReportHeaderMapError => {
  try { loadReportHeaderMap(text); } catch (e) { return e as ReportHeaderMapError; }
  throw new Error('no error');
};

describe('report header mapping file', () => {
  it('when a bank export renames the amount and payee name columns, then the report is refused without the map and read exactly with it', () => {
    const { records } = generateReportBatch({ seed: 41, ...LAO, rows: 12, date: '2025-10-05' });
    const { text } = decodeBytes(renderKtbReportCsv(records));
    const renamed = encodeText(text.replace('จำนวนเงิน', 'ยอดโอน').replace('ชื่อบัญชีผู้รับ', 'ชื่อผู้รับโอน'), 'utf-8');
    const without = collect(parseFile(renamed, { registry: REGISTRY }));
    expect(without.manifest.refusal?.code).toBe('PW_ERR_REPORT_MISSING_COLUMNS');
    expect(without.manifest.refusal?.message.th).toMatch(/จำนวนเงิน/);
    const reportHeaderMap = loadReportHeaderMap(mapFile({ amount: ['ยอดโอน'], payeeName: ['ชื่อผู้รับโอน'] }));
    const withMap = collect(parseFile(renamed, { registry: REGISTRY, reportHeaderMap }));
    expect(withMap.rejects).toEqual([]);
    expect(withMap.records.map((r) => r.record)).toEqual(records);
  });

  it('when the example mapping file is loaded, then it is valid and names only report fields', () => {
    const map = loadReportHeaderMap(readFileSync(resolve(import.meta.dirname, '../../../examples/report-header-map.json'), 'utf8'));
    expect(map.amount).toContain('ยอดโอน');
    expect(Object.keys(map).length).toBeGreaterThan(0);
  });

  it('when a field name is unknown, then the error names it and lists the fields, in Thai and English', () => {
    const e = thrown(mapFile({ amout: ['ยอดโอน'] }));
    expect(e).toBeInstanceOf(ReportHeaderMapError);
    expect(e.bilingual.th).toMatch(/ไม่รู้จักช่อง "amout".*payeeName/);
    expect(e.bilingual.en).toMatch(/Unknown field "amout" .*the fields are .*amount/);
  });

  it('when the file is not JSON, has another version, a wrong shape, an empty header or one header for two fields, then each is refused with its reason', () => {
    expect(thrown('{ version: 1').bilingual.en).toMatch(/not valid JSON/);
    expect(thrown(JSON.stringify({ version: 2, headers: {} })).bilingual).toMatchObject({ th: expect.stringMatching(/รุ่น "2"/), en: expect.stringMatching(/version "2" is not supported/) });
    expect(thrown(JSON.stringify({ version: 1, headers: { amount: 'ยอดโอน' } })).bilingual.en).toMatch(/not valid at headers\.amount/);
    expect(thrown(JSON.stringify({ version: 1, headers: {}, extra: true })).bilingual.en).toMatch(/not valid at its top level/);
    expect(thrown(mapFile({ amount: [' . '] })).bilingual.th).toMatch(/หัวคอลัมน์ว่าง/);
    expect(thrown(mapFile({ amount: ['ยอดโอน'], fee: ['ยอด โอน'] })).bilingual.en).toMatch(/given to both amount and fee/);
  });
});
