// Thai text in workbooks large enough that the streamed XML arrives in several chunks: every character is read back
// whole. exceljs 4.4.0 decoded each chunk on its own, so a 3-byte Thai letter cut at a chunk boundary became two
// replacement characters (patches/exceljs@4.4.0.patch).
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseReferenceFile } from '../src/index.ts';

const NAMES = ['นางสายสุนีย์ เพชรรัตน์พงษ์', 'ห้างหุ้นส่วนจำกัด ท่าช้าง วัสดุภัณฑ์ นำชัย', 'นายวิรัตน์ ศรีบุญไพบูลย์', 'สหกรณ์โคนมหนองโพ จำกัด'];

describe('XLSX with Thai text over many stream chunks', () => {
  it('when a staff list of 3,000 Thai names is read, then no name has a replacement character and every name is as written', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('staff');
    ws.addRow(['รหัส อปท.', 'ชื่อ-สกุล', 'ตำแหน่ง', 'รหัสธนาคาร', 'เลขที่บัญชี']);
    const written: string[] = [];
    for (let i = 0; i < 3_000; i++) {
      // A varying number of ASCII characters moves the Thai bytes across every offset of a chunk boundary.
      const name = `${NAMES[i % NAMES.length]!}${' '.repeat(i % 3)}${i}`;
      written.push(name.replace(/ +/g, ' '));
      ws.addRow(['6600101', name, `ตำแหน่ง ${i}`, '006', String(1_000_000_000 + i)]);
    }
    const bytes = new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    const parsed = await parseReferenceFile(bytes, 'staff');
    const names = (parsed.byLao.get('6600101') as { name: string }[]).map((s) => s.name);
    expect(parsed.rejects).toEqual([]);
    expect(names.filter((n) => n.includes('\uFFFD'))).toEqual([]);
    expect(names).toEqual(written);
  });
});
