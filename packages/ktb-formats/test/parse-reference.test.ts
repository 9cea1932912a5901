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
    const csv = 'LAO Code;Citizen ID;Name;Allowance Type;Monthly Amount;Bank Code;Account No.\n6600101;1101700203451;นางมาลี ศรีสุข;เบี้ยยังชีพผู้สูงอายุ;"700.00";006;1234567890\n';
    const r = parseReferenceCsv(encodeText(csv, 'utf-8'), 'beneficiaries');
    expect(r.byLao.get('6600101')).toEqual([{ citizenId: '1101700203451', name: 'นางมาลี ศรีสุข', allowanceType: 'elderly', monthlyAmountSatang: 70000, bankCode: '006', account: '1234567890' }]);
  });
});
