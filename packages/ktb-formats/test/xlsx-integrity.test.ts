import { describe, expect, it } from 'vitest';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { generateReportBatch, parseFileAsync, parseReferenceFile, renderKtbReportXlsx, renderReferenceXlsx, unzipParts, zipEntries, zipParts, type ParseEvent, type ZipPart } from '../src/index.ts';
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

/** A ZIP whose entry `name` holds `deflated` as its data but declares `declaredSize` uncompressed bytes (a lie). */
function zipWithLyingEntry(parts: readonly ZipPart[], name: string, deflated: Uint8Array, declaredSize: number): Uint8Array {
  const honest = zipParts(parts.map((p) => (p.name === name ? { name, data: new Uint8Array(declaredSize) } : p)));
  const entries = zipEntries(honest)!;
  const out: Uint8Array[] = [];
  const offsets = new Map<string, number>();
  let at = 0;
  const view = new DataView(honest.buffer, honest.byteOffset, honest.byteLength);
  for (const e of entries) {
    const start = e.localHeaderOffset;
    const nameLen = view.getUint16(start + 26, true);
    const header = honest.slice(start, start + 30 + nameLen);
    const data = e.name === name ? deflated : honest.subarray(start + 30 + nameLen, start + 30 + nameLen + e.compressedSize);
    new DataView(header.buffer).setUint32(18, data.length, true);
    offsets.set(e.name, at);
    out.push(header, data);
    at += header.length + data.length;
  }
  const cdStart = at;
  let cd = view.getUint32(honest.length - 22 + 16, true);
  for (const e of entries) {
    const len = 46 + view.getUint16(cd + 28, true) + view.getUint16(cd + 30, true) + view.getUint16(cd + 32, true);
    const rec = honest.slice(cd, cd + len);
    const rv = new DataView(rec.buffer);
    if (e.name === name) rv.setUint32(20, deflated.length, true);
    rv.setUint32(42, offsets.get(e.name)!, true);
    out.push(rec);
    at += len;
    cd += len;
  }
  const end = honest.slice(honest.length - 22);
  new DataView(end.buffer).setUint32(12, at - cdStart, true);
  new DataView(end.buffer).setUint32(16, cdStart, true);
  out.push(end);
  const bytes = new Uint8Array(out.reduce((n, b) => n + b.length, 0));
  let w = 0;
  for (const b of out) { bytes.set(b, w); w += b.length; }
  return bytes;
}

/** A raw deflate stream of a worksheet padded with `mib` MiB of spaces, about 1 KB per MiB (built, never inflated here). */
function deflatedBomb(mib: number): Uint8Array {
  const sync = { finishFlush: constants.Z_SYNC_FLUSH };
  const head = deflateRawSync(Buffer.from('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'), sync);
  const mebibyte = deflateRawSync(Buffer.alloc(1024 * 1024, 0x20), sync);
  const tail = deflateRawSync(Buffer.from('</sheetData></worksheet>'));
  return Buffer.concat([head, ...Array<Buffer>(mib).fill(mebibyte), tail]);
}

describe('XLSX parts that inflate past what they declare', () => {
  const GIB = 1024;
  it('when a worksheet declares 5,000 bytes but inflates to 1 GiB, then the report is refused as soon as it passes 5,000, well under a second', async () => {
    const { parts } = await workbook(3);
    const bytes = zipWithLyingEntry(parts, 'xl/worksheets/sheet1.xml', deflatedBomb(GIB), 5_000);
    expect(zipEntries(bytes)!.find((e) => e.name === 'xl/worksheets/sheet1.xml')).toMatchObject({ uncompressedSize: 5_000 });
    const t0 = performance.now();
    const got = collect(await events(bytes));
    const ms = performance.now() - t0;
    expect(got.manifest.refusal).toMatchObject({ code: 'PW_ERR_XLSX_DAMAGED', message: { en: expect.stringMatching(/sheet1\.xml: inflates past the 5000 bytes declared/) } });
    expect(got.records).toEqual([]);
    expect(ms).toBeLessThan(1_000);
  });

  it('when a reference workbook\'s styles (read, but not a sheet) declare 5,000 bytes and inflate to 1 GiB, then it is refused at once too', async () => {
    const xlsx = await renderReferenceXlsx('payees', [{ laoCode: LAO.laoCode, item: { name: 'ร้านสมใจพาณิชย์', payeeId: null, bankCode: '002', account: '2223334445', registeredOn: null, status: 'active' } }]);
    const parts = unzipParts(xlsx)!;
    const styles = parts.find((p) => p.name === 'xl/styles.xml');
    expect(styles).toBeDefined();
    const t0 = performance.now();
    const parsed = await parseReferenceFile(zipWithLyingEntry(parts, 'xl/styles.xml', deflatedBomb(GIB), 5_000), 'payees', { laoCode: LAO.laoCode });
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(parsed.refusal).toMatchObject({ code: 'PW_ERR_XLSX_DAMAGED', message: { en: expect.stringMatching(/styles\.xml: inflates past the 5000 bytes declared/) } });
  });

  it('when a worksheet inflates to exactly what it declares, then it is read as before', async () => {
    const { records, parts } = await workbook(4);
    const sheet = parts.find((p) => p.name === 'xl/worksheets/sheet1.xml')!;
    const bytes = zipWithLyingEntry(parts, sheet.name, deflateRawSync(sheet.data), sheet.data.length);
    // The rebuilt entry keeps its honest CRC-32 (zipParts computed it for the declared bytes, so fix it here).
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const entries = zipEntries(bytes)!;
    let cd = view.getUint32(bytes.length - 22 + 16, true);
    for (const e of entries) {
      if (e.name === sheet.name) { view.setUint32(cd + 16, crc32(sheet.data), true); view.setUint32(e.localHeaderOffset + 14, crc32(sheet.data), true); }
      cd += 46 + view.getUint16(cd + 28, true) + view.getUint16(cd + 30, true) + view.getUint16(cd + 32, true);
    }
    expect(collect(await events(bytes)).records.map((r) => r.record)).toEqual(records);
  });
});
