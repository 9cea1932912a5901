import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RowReject } from '@paywatch/domain';
import { encodeText, parseLaoRegistryCsv, parseLaoRegistryFile, readLaoRegistryFile } from '../src/index.ts';

const EXAMPLE = readFileSync(fileURLToPath(new URL('../../../examples/lao-registry.csv', import.meta.url)));

describe('LAO registry (lao-registry.csv)', () => {
  it('when the department\'s Thai-header CSV lists an LAO on two rows, then they merge into one entry with both accounts, and types read from Thai names and abbreviations', () => {
    const { entries, rejects, rowsRead } = parseLaoRegistryCsv(EXAMPLE);
    expect(rejects).toEqual([]);
    expect(rowsRead).toBe(4);
    expect(entries.map((e) => [e.laoCode, e.type])).toEqual([['6000101', 'subdistrict-municipality'], ['6600101', 'town-municipality'], ['6600102', 'sao']]);
    expect(entries.find((e) => e.laoCode === '6600101')).toEqual({
      laoCode: '6600101', nameTh: 'เทศบาลเมืองพิจิตร', type: 'town-municipality', provinceCode: '66', provinceNameTh: 'พิจิตร', districtTh: 'เมืองพิจิตร',
      companyIds: ['GMIS660101'], accounts: ['9800012345', '9800012999'],
    });
  });

  it('when the file is Windows-874 with English headers and lists in one cell, then it reads the same', () => {
    const csv = 'LAO Code;Name;Type;Province Code;Province Name;District;KTB Company ID;Account No.\r\n6600101;เทศบาลเมืองพิจิตร;Town Municipality;66;พิจิตร;เมืองพิจิตร;GMIS660101;9800012345|9800012999\r\n';
    const { entries, rejects } = parseLaoRegistryCsv(encodeText(csv, 'windows-874'));
    expect(rejects).toEqual([]);
    expect(entries[0]).toMatchObject({ laoCode: '6600101', type: 'town-municipality', accounts: ['9800012345', '9800012999'] });
  });

  it('when rows are wrong (short code, unknown type, non-KTB account, a code repeated with another name) or headers are missing, then each is refused with its row and a Thai and English reason', () => {
    const csv = [
      'รหัส อปท.,ชื่อ อปท.,ประเภท อปท.,รหัสจังหวัด,จังหวัด,อำเภอ,รหัสบริษัท,เลขที่บัญชี',
      '660010,ก,อบต.,66,พิจิตร,เมือง,GMIS1,9800012345',
      '6600102,ข,สหกรณ์,66,พิจิตร,เมือง,GMIS2,9800012346',
      '6600103,ค,อบต.,66,พิจิตร,เมือง,GMIS3,12345',
      '6600104,ง,อบต.,66,พิจิตร,เมือง,GMIS4,9800012347',
      '6600104,จ,อบต.,66,พิจิตร,เมือง,GMIS4,9800012348',
    ].join('\n');
    const { entries, rejects } = parseLaoRegistryCsv(new TextEncoder().encode(csv));
    expect(entries.map((e) => e.laoCode)).toEqual(['6600104']);
    expect(rejects.map((r) => [r.row, r.field])).toEqual([[2, 'laoCode'], [3, 'type'], [4, 'accounts'], [6, 'laoCode']]);
    for (const r of rejects) { expect(r.message.th).toMatch(/[\u0E00-\u0E7F]/); expect(r.code).toBe('PW_ROW_REGISTRY_INVALID'); }
    const noHeaders = parseLaoRegistryCsv(new TextEncoder().encode('a,b\n1,2\n'));
    expect(noHeaders.entries).toEqual([]);
    expect(noHeaders.rejects[0]!.message.en).toMatch(/LAO Code, Name, Type, Province Code, Province Name, District/);
  });

  it('when the file is a JSON array of entries (what gen writes), then parseLaoRegistryFile reads it and refuses the bad entries', () => {
    const good = parseLaoRegistryCsv(EXAMPLE).entries;
    const parsed = parseLaoRegistryFile(new TextEncoder().encode(JSON.stringify([...good, { laoCode: 'x' }])));
    expect(parsed.entries).toEqual(good);
    expect(parsed.rejects.map((r) => r.row)).toEqual([good.length + 1]);
    expect(parseLaoRegistryFile(EXAMPLE).entries).toEqual(good);
  });

  it('when a row has an unclosed quote, then the rows before it are read and it is refused with a reason, never thrown', () => {
    const csv = 'LAO Code,Name,Type,Province Code,Province Name,District\n6600101,เทศบาลเมืองพิจิตร,เทศบาลเมือง,66,พิจิตร,เมืองพิจิตร\n6600102,"อบต. ป่ามะคาบ,อบต.,66,พิจิตร,เมืองพิจิตร\n';
    const parsed = parseLaoRegistryCsv(new TextEncoder().encode(csv));
    expect(parsed.entries.map((e) => e.laoCode)).toEqual(['6600101']);
    expect(parsed.rejects).toHaveLength(1);
    expect(parsed.rejects[0]).toMatchObject({ row: 3, field: 'row' });
  });

  it('when a service reads its LAO_REGISTRY_FILE, then a CSV with a bad row gives the good LAOs and reports the bad row, and a file with no usable LAO stops it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-registry-'));
    try {
      const withBad = join(dir, 'registry.csv');
      writeFileSync(withBad, Buffer.concat([EXAMPLE, Buffer.from('12345,อบต.ผิด,อบต.,66,พิจิตร,เมืองพิจิตร,GMIS1,9800000000\n')]));
      const refused: RowReject[] = [];
      const entries = readLaoRegistryFile(withBad, (r) => refused.push(r));
      expect(entries.map((e) => e.laoCode)).toEqual(['6000101', '6600101', '6600102']);
      expect(refused).toHaveLength(1);
      expect(refused[0]!.message.th).toMatch(/[ก-๙]/);
      const empty = join(dir, 'empty.json');
      writeFileSync(empty, '[]');
      expect(() => readLaoRegistryFile(empty, () => {})).toThrow(/no usable LAO/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
