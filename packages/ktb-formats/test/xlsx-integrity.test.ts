import { describe, expect, it } from 'vitest';
import { generateReportBatch, parseFileAsync, renderKtbReportXlsx, unzipParts, zipEntries, zipParts, type ParseEvent } from '../src/index.ts';
import { LAO, collect } from './helpers.ts';

async function events(bytes: Uint8Array): Promise<ParseEvent[]> {
  const out: ParseEvent[] = [];
  for await (const e of parseFileAsync(bytes, { laoCode: LAO.laoCode, limits: { xlsxStallMs: 1_000 } })) out.push(e);
  return out;
}

async function workbook(rows: number) {
  const { records } = generateReportBatch({ seed: 21, ...LAO, rows, date: '2025-10-05' });
  return { records, parts: unzipParts(await renderKtbReportXlsx(records))! };
}

const cutPart = (parts: ReturnType<typeof unzipParts> & object, name: string, keep: number) =>
  zipParts(parts.map((p) => (p.name === name ? { name, data: p.data.subarray(0, Math.floor(p.data.length * keep)) } : p)));

describe('XLSX parts must be whole', () => {
  it('when the worksheet XML stops half-way inside a well-formed ZIP, then the report is refused rather than read up to the cut', async () => {
    const { records, parts } = await workbook(8);
    // exceljs alone reads such a sheet as its first rows, without an error
    const got = collect(await events(cutPart(parts, 'xl/worksheets/sheet1.xml', 0.6)));
    expect(got.manifest.refusal).toMatchObject({ code: 'PW_ERR_XLSX_DAMAGED', message: { en: expect.stringMatching(/sheet1\.xml: the XML stops before its closing <\/worksheet>/) } });
    expect(collect(await events(zipParts(parts))).records.map((r) => r.record)).toEqual(records);
  });

  it('when the shared strings stop half-way, then the report is refused', async () => {
    const { parts } = await workbook(5);
    expect(collect(await events(cutPart(parts, 'xl/sharedStrings.xml', 0.8))).manifest.refusal?.code).toBe('PW_ERR_XLSX_DAMAGED');
  });

  it('when a worksheet does not match the CRC-32 its ZIP entry declares, then the report is refused', async () => {
    const { parts } = await workbook(3);
    const bytes = zipParts(parts);
    const sheet = zipEntries(bytes)!.findIndex((e) => e.name === 'xl/worksheets/sheet1.xml');
    const view = new DataView(bytes.buffer);
    let cd = view.getUint32(bytes.length - 22 + 16, true);
    for (let i = 0; i < sheet; i++) cd += 46 + view.getUint16(cd + 28, true);
    view.setUint32(cd + 16, view.getUint32(cd + 16, true) ^ 1, true);
    expect(collect(await events(bytes)).manifest.refusal?.message.en).toMatch(/CRC-32 differs/);
  });
});
