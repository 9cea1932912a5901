import { describe, expect, it } from 'vitest';
import { encodeText, parseReferenceCsv } from '../src/index.ts';

describe('reference data CSV', () => {
  it('when registered payees come with Thai headers in Windows-874, then each row is an item of its LAO and bad rows are rejected with reasons', () => {
    const csv = [
      'รหัส อปท.,ชื่อผู้รับเงิน,เลขประจำตัวผู้เสียภาษี/ประชาชน,รหัสธนาคาร,เลขที่บัญชี,วันที่ลงทะเบียน,สถานะ',
      '6600101,ห้างหุ้นส่วนจำกัด รุ่งเรืองวัสดุ,,014,407-1-23456-7,01/10/2568,ใช้งาน',
      '6600101,นายสมชาย ใจดี,,006,123456789,2025-10-02,ยกเลิก',
      '66001,ร้านผิดรหัส,,006,1234567890,,',
      '6600102,ร้านธนาคารผิด,,999,1234567890,,',
    ].join('\r\n');
    const r = parseReferenceCsv(encodeText(csv, 'windows-874'), 'payees');
    expect(r.rowsRead).toBe(4);
    expect(r.byLao.get('6600101')).toEqual([
      { name: 'ห้างหุ้นส่วนจำกัด รุ่งเรืองวัสดุ', payeeId: null, bankCode: '014', account: '4071234567', registeredOn: '2025-10-01', status: 'active' },
      { name: 'นายสมชาย ใจดี', payeeId: null, bankCode: '006', account: '123456789', registeredOn: '2025-10-02', status: 'inactive' },
    ]);
    expect(r.rejects.map((x) => [x.row, x.field])).toEqual([[4, 'laoCode'], [5, 'bankCode']]);
    expect(r.rejects[0]!.message.th).toMatch(/7 หลัก/);
  });
  it('when beneficiaries come with English headers, semicolons and baht amounts, then amounts are satang and types mapped', () => {
    const csv = 'LAO Code;Citizen ID;Name;Allowance Type;Monthly Amount;Bank Code;Account No.\n6600101;1101700203450;นางมาลี ศรีสุข;เบี้ยยังชีพผู้สูงอายุ;"700.00";006;1234567890\n';
    const r = parseReferenceCsv(encodeText(csv, 'utf-8'), 'beneficiaries');
    expect(r.byLao.get('6600101')).toEqual([{ citizenId: '1101700203450', name: 'นางมาลี ศรีสุข', allowanceType: 'elderly', monthlyAmountSatang: 70000, bankCode: '006', account: '1234567890' }]);
  });
  it('when reference rows carry a bad ID, an unknown bank, a missing amount or an empty voucher number, then each is refused with its field and a Thai reason that names the value', () => {
    const staffCsv = [
      'LAO Code,Name,Citizen ID,Position,Bank Code,Account No.',
      '6600101,นางมาลี ศรีสุข,1101700203452,ปลัด,006,1234567890', // check digit wrong (…450 is right)
    ].join('\n');
    const st = parseReferenceCsv(encodeText(staffCsv, 'utf-8'), 'staff');
    expect(st.byLao.size).toBe(0);
    expect(st.rejects.map((x) => [x.row, x.field, x.code])).toEqual([[2, 'citizenId', 'PW_ROW_REFERENCE_INVALID']]);
    expect(st.rejects[0]!.message.th).toMatch(/^ช่องเลขประจำตัวประชาชน ไม่ถูกต้อง: ต้องเป็นตัวเลข 13 หลัก \(ตรวจหลักสุดท้ายแล้ว\) \(ได้ "\*+3452"\)$/);
    expect(st.rejects[0]!.message.th).not.toContain('1101700203452'); // IDs are masked in messages
    const beneficiaries = [
      'LAO Code,Citizen ID,Name,Allowance Type,Monthly Amount,Bank Code,Account No.',
      '6600101,1101700203450,นางมาลี ศรีสุข,ผู้สูงอายุ,,006,1234567890', // no amount
      '6600101,1101700203450,นางมาลี ศรีสุข,ผู้สูงอายุ,700.00,999,1234567890', // no such bank
    ].join('\n');
    const b = parseReferenceCsv(encodeText(beneficiaries, 'utf-8'), 'beneficiaries');
    expect(b.byLao.size).toBe(0);
    expect(b.rejects.map((x) => [x.row, x.field, x.code])).toEqual([[2, 'monthlyAmountSatang', 'PW_ROW_REFERENCE_INVALID'], [3, 'bankCode', 'PW_ROW_REFERENCE_INVALID']]);
    expect(b.rejects[0]!.message.th).toContain('จำนวนเงินต่อเดือน');
    expect(b.rejects[0]!.message.en).toContain('it is empty');
    expect(b.rejects[1]!.message.th).toContain('"999"');
    // Thai first: no English words from the schema library in the Thai message.
    for (const r of [...b.rejects, ...st.rejects]) expect(r.message.th).not.toMatch(/[A-Za-z]{4,}/);
    const vouchers = 'รหัส อปท.,เลขที่ฎีกา,วันที่ฎีกา,ชื่อผู้รับเงิน,จำนวนเงิน\n6600101,,05/10/2569,ร้านก,1500.00\n';
    const v = parseReferenceCsv(encodeText(vouchers, 'utf-8'), 'vouchers');
    expect(v.rejects.map((x) => [x.row, x.field])).toEqual([[2, 'voucherNo']]);
    expect(v.rejects[0]!.message.th).toBe('ช่องเลขที่ฎีกา ไม่ถูกต้อง: ต้องไม่ว่าง (ไม่มีค่า)');
  });

  it('when a beneficiary\'s citizen ID fails its check digit, then the row is kept as an item and flagged, never dropped', () => {
    const csv = [
      'LAO Code,Citizen ID,Name,Allowance Type,Monthly Amount,Bank Code,Account No.',
      '6600101,1101700203452,นางมาลี ศรีสุข,ผู้สูงอายุ,700.00,006,1234567890', // check digit wrong: an invented person?
      '6600101,1101700203450,นายสมชาย ดีใจ,ผู้สูงอายุ,700.00,006,1234567891',
    ].join('\n');
    const b = parseReferenceCsv(encodeText(csv, 'utf-8'), 'beneficiaries');
    expect(b.rejects).toEqual([]);
    expect((b.byLao.get('6600101') as { citizenId: string }[]).map((x) => x.citizenId)).toEqual(['1101700203452', '1101700203450']);
    expect(b.flagged.map((x) => [x.row, x.field, x.code])).toEqual([[2, 'citizenId', 'PW_ROW_REFERENCE_FLAGGED']]);
    expect(b.flagged[0]!.message.th).toMatch(/[\u0E00-\u0E7F]/);
  });
});
