import { describe, expect, it } from 'vitest';
import { accountKey } from '@paywatch/domain';
import { encodeText, parseFile, parseKtbReportCsv, REJECT_CODES, REPORT_ONLY_REJECT_CODES, type ParseContext } from '../src/index.ts';
import { LAO, REGISTRY, collect } from './helpers.ts';

const TH_HEADER = 'วันที่ทำรายการ,วันที่มีผล,เลขที่อ้างอิง,รหัสบริษัท,บัญชีผู้โอน,รหัสธนาคารผู้รับ,เลขที่บัญชีผู้รับ,ชื่อบัญชีผู้รับ,เลขประจำตัวผู้รับ,จำนวนเงิน,ค่าธรรมเนียม,ประเภทบริการ,เลขที่ฎีกา,ผู้ทำรายการ,ผู้อนุมัติ,วันเวลาอนุมัติ,สถานะ,หมายเหตุ';
const TH_ROWS = [
  '28/10/2567 14:05:39,28/10/2567,KTB0001,GMIS660101,980-0-01234-5,004,123-4-56789-0,บริษัท สมชาย ก่อสร้าง จำกัด,0-1055-45012-34-5,"1,234,567.50",10.00,04,ฎ123/2567,MAKER01,AUTH01,28/10/2567 13:00,สำเร็จ,ค่าจ้างเหมาซ่อมแซมถนน',
  '28/10/2567 14:06:00,28/10/2567,KTB0002,GMIS660101,9800012345,030,020012345678,นางสมศรี ใจดี,,800.00,,59,,MAKER01,AUTH01,,ไม่สำเร็จ,เบี้ยยังชีพผู้สูงอายุ',
  '29/10/2567 09:00,,KTB0003,GMIS660101,9800012345,ธนาคารกรุงไทย,1234567890,นายวิชัย บุญมา,,"2,000",,ค่าสินค้าและบริการ,,MAKER01,AUTH01,,ปฏิเสธ,',
];
const thCsv = [TH_HEADER, ...TH_ROWS].join('\r\n') + '\r\n';
const ctx: ParseContext = { laoCode: LAO.laoCode };

describe('ktb-report CSV: a hand-written Thai report', () => {
  const { records, rejects, manifest } = collect(parseFile(encodeText(thCsv, 'windows-874'), ctx));

  it('when a Windows-874 report with Thai headers is parsed, then every field of every row has its exact value', () => {
    expect(rejects).toEqual([]);
    expect(records.map((r) => r.row)).toEqual([2, 3, 4]);
    expect(records[0]!.record).toEqual({
      sourceFormat: 'ktb-report', laoCode: '6600101', companyId: 'GMIS660101', debitAccount: '9800012345', payeeBankCode: '004', payeeAccount: '1234567890',
      payeeName: 'บริษัท สมชาย ก่อสร้าง จำกัด', payeeId: '0105545012345', receiverId: '0-1055-45012-34-5', amountSatang: 123456750, feeSatang: 1000, effectiveDate: '2024-10-28',
      executedAt: '2024-10-28T07:05:39.000Z', approvedAt: '2024-10-28T06:00:00.000Z', serviceType: '04', voucherNo: 'ฎ123/2567', bankReference: 'KTB0001',
      batchNo: null, makerId: 'MAKER01', authorizerId: 'AUTH01', status: 'success', remark: 'ค่าจ้างเหมาซ่อมแซมถนน', extra: {},
    });
    // A GSB account is listed whole, 12 digits, as the auditor quotes it to the bank; rules match it by its bulk form.
    expect(records[1]!.record).toMatchObject({ payeeBankCode: '030', payeeAccount: '020012345678', receiverId: null, payeeId: null, amountSatang: 80000, feeSatang: null, serviceType: '59', approvedAt: null, status: 'failed', voucherNo: null });
    expect(accountKey('030', records[1]!.record.payeeAccount)).toBe('030:20012345678');
    expect(records[2]!.record).toMatchObject({ payeeBankCode: '006', effectiveDate: '2024-10-29', executedAt: '2024-10-29T02:00:00.000Z', amountSatang: 200000, serviceType: '04', status: 'rejected', remark: null });
  });

  it('when rows failed or were rejected by the bank, then they are records with their status and only successful ones count in the total', () => {
    expect(records.map((r) => r.record.status)).toEqual(['success', 'failed', 'rejected']);
    expect(manifest).toMatchObject({ format: 'ktb-report', encoding: 'windows-874', rowsRead: 3, rowsAccepted: 3, rowsRejected: 0, totalSatang: 123456750, header: null, refusal: null });
  });
});

describe('ktb-report CSV: layouts', () => {
  const EN = 'Status;Amount;Receiver Name;Receiving Account No.;Receiving Bank Code;Service Type;Transaction Date;Branch Note;Reference No.\n';

  it('when English headers come in another order with a semicolon and an unknown column, then fields are found by name and the unknown column is kept in extra', () => {
    const text = EN + 'Success;600.00;Mrs Malee;111-1-11111-1;KBANK;59;01/11/2024 10:00:00;=HYPERLINK("http://x.example","open");R1\n';
    const { records, rejects } = collect(parseKtbReportCsv(text, ctx));
    expect(rejects).toEqual([]);
    expect(records[0]!.record).toMatchObject({ status: 'success', amountSatang: 60000, payeeName: 'Mrs Malee', payeeAccount: '1111111111', payeeBankCode: '004', effectiveDate: '2024-11-01', bankReference: 'R1', extra: { 'Branch Note': '=HYPERLINK("http://x.example","open")' } });
  });

  it('when cells look like formulas (=, +, -, @), then they are kept as text, never evaluated', () => {
    const text = 'สถานะ\tจำนวนเงิน\tชื่อบัญชีผู้รับ\tเลขที่บัญชีผู้รับ\tรหัสธนาคารผู้รับ\tประเภทบริการ\tวันที่ทำรายการ\tหมายเหตุ\n'
      + 'สำเร็จ\t100\t=HYPERLINK("http://evil","x")\t1234567890\t006\t04\t01/11/2567\t@SUM(A1:A9)\n'
      + 'สำเร็จ\t100\t+cmd|\' /C calc\'!A0\t1234567890\t006\t04\t01/11/2567\t-2+3\n';
    const { records } = collect(parseKtbReportCsv(text, ctx));
    expect(records.map((r) => [r.record.payeeName, r.record.remark])).toEqual([['=HYPERLINK("http://evil","x")', '@SUM(A1:A9)'], ["+cmd|' /C calc'!A0", '-2+3']]);
  });

  it('when the date and the time are in two columns, then executedAt joins them in Bangkok time', () => {
    const text = 'Transaction Date,Transaction Time,Amount,Receiver Name,Receiving Account No.,Receiving Bank Code,Service Type,Status\n01/11/2024,23:30:05,5.00,A,1234567890,006,04,Success\n';
    const { records } = collect(parseKtbReportCsv(text, ctx));
    expect(records[0]!.record).toMatchObject({ effectiveDate: '2024-11-01', executedAt: '2024-11-01T16:30:05.000Z' });
  });

  it('when the delimiter is a tab, then the report is recognised and read', () => {
    const text = 'Transaction Date\tAmount\tReceiver Name\tReceiving Account No.\tReceiving Bank Code\tService Type\tStatus\n01/11/2024\t"1,000.00"\tA, B and C\t1234567890\t006\t04\tFailed\n';
    const { records, manifest } = collect(parseFile(encodeText(text, 'utf-8-bom'), ctx));
    expect(manifest).toMatchObject({ format: 'ktb-report', encoding: 'utf-8-bom', totalSatang: 0 });
    expect(records[0]!.record).toMatchObject({ payeeName: 'A, B and C', amountSatang: 100000, status: 'failed' });
  });

  it('when amounts, dates and accounts use Thai digits, then they read as ASCII digits', () => {
    const text = 'วันที่ทำรายการ,จำนวนเงิน,ชื่อบัญชีผู้รับ,เลขที่บัญชีผู้รับ,รหัสธนาคารผู้รับ,ประเภทบริการ,สถานะ\n๒๘/๑๐/๒๕๖๗ ๐๙:๑๕,"๑,๒๓๔.๕๐",ก,๑๒๓-๔-๕๖๗๘๙-๐,๐๐๖,๐๔,สำเร็จ\n';
    const { records } = collect(parseKtbReportCsv(text, ctx));
    expect(records[0]!.record).toMatchObject({ effectiveDate: '2024-10-28', executedAt: '2024-10-28T02:15:00.000Z', amountSatang: 123450, payeeAccount: '1234567890', payeeBankCode: '006', serviceType: '04' });
  });

  it('when banks are given by Thai name, English name or short name, then each becomes its code', () => {
    const rows = ['ธนาคารไทยพาณิชย์', 'กสิกรไทย', 'Bangkok Bank', 'bay', '25'].map((b) => `01/11/2024,1.00,A,1234567890,${b},04,Success`);
    const text = 'Transaction Date,Amount,Receiver Name,Receiving Account No.,Receiving Bank,Service Type,Status\n' + rows.join('\n');
    const { records } = collect(parseKtbReportCsv(text, ctx));
    expect(records.map((r) => r.record.payeeBankCode)).toEqual(['014', '004', '002', '025', '025']);
  });

  it('when the mapping override names a new header, then that column is read as the field', () => {
    const text = 'วันที่ทำรายการ,ยอดโอนสุทธิ,ชื่อบัญชีผู้รับ,เลขที่บัญชีผู้รับ,รหัสธนาคารผู้รับ,ประเภทบริการ,สถานะ\n01/11/2567,50.00,ก,1234567890,006,04,สำเร็จ\n';
    expect(collect(parseKtbReportCsv(text, ctx)).manifest.refusal?.code).toBe('PW_ERR_REPORT_MISSING_COLUMNS');
    const { records } = collect(parseKtbReportCsv(text, { ...ctx, reportHeaderMap: { amount: ['ยอดโอนสุทธิ'] } }));
    expect(records[0]!.record.amountSatang).toBe(5000);
    expect(() => [...parseKtbReportCsv(text, { ...ctx, reportHeaderMap: { amout: ['x'] } })]).toThrow(TypeError);
  });

  it('when title lines sit above the header row, then they are skipped and rows keep their file line numbers', () => {
    const text = 'รายงานการโอนเงิน KTB Corporate Online\nวันที่ 01/11/2567,,,\n\nTransaction Date,Amount,Receiver Name,Receiving Account No.,Receiving Bank Code,Service Type,Status\n01/11/2024,1.00,A,1234567890,006,04,Success\n';
    const { records, manifest } = collect(parseFile(encodeText(text, 'utf-8'), ctx));
    expect(manifest).toMatchObject({ format: 'ktb-report', rowsRead: 1, refusal: null });
    expect(records.map((r) => r.row)).toEqual([5]);
  });

  it('when a quoted cell spans two lines, then the next row keeps its own line number', () => {
    const text = 'Transaction Date,Amount,Receiver Name,Receiving Account No.,Receiving Bank Code,Service Type,Status\r\n01/11/2024,1.00,"two\r\nlines",1234567890,006,04,Success\r\n01/11/2024,2.00,B,1234567890,006,04,Success\r\n';
    const { records } = collect(parseKtbReportCsv(text, ctx));
    expect(records.map((r) => [r.row, r.record.payeeName])).toEqual([[2, 'two lines'], [4, 'B']]);
  });
});

describe('ktb-report CSV: row rejects', () => {
  const H = 'วันที่ทำรายการ,วันที่มีผล,บัญชีผู้โอน,รหัสธนาคารผู้รับ,เลขที่บัญชีผู้รับ,ชื่อบัญชีผู้รับ,จำนวนเงิน,ค่าธรรมเนียม,ประเภทบริการ,วันเวลาอนุมัติ,สถานะ';
  const good = '28/10/2567 10:00,28/10/2567,980-0-01234-5,006,123-4-56789-0,นายสมชาย ใจดี,100.00,,04,,สำเร็จ';
  const cells = good.split(',');
  const edit = (i: number, v: string) => cells.map((c, k) => (k === i ? v : c)).join(',');
  const bad = [
    { code: 'PW_ROW_REPORT_COLUMN_COUNT', field: 'line', line: good + ',extra' },
    { code: 'PW_ROW_REPORT_BANK_UNKNOWN', field: 'payeeBankCode', line: edit(3, '999') },
    { code: 'PW_ROW_REPORT_ACCOUNT_INVALID', field: 'payeeAccount', line: edit(4, '12345-ABC') },
    { code: 'PW_ROW_REPORT_ACCOUNT_INVALID', field: 'payeeAccount', line: edit(4, '123456789012') },
    { code: 'PW_ROW_REPORT_DEBIT_ACCOUNT_INVALID', field: 'debitAccount', line: edit(2, '98000X2345') },
    { code: 'PW_ROW_REPORT_DATE_INVALID', field: 'executedAt', line: edit(0, '31/02/2567 10:00') },
    { code: 'PW_ROW_REPORT_DATE_INVALID', field: 'effectiveDate', line: edit(1, '2024-10-28') },
    { code: 'PW_ROW_REPORT_DATE_INVALID', field: 'approvedAt', line: edit(9, '28/10/2567 25:00') },
    { code: 'PW_ROW_DATE_TOO_FAR', field: 'effectiveDate', line: edit(1, '01/01/2570') },
    { code: 'PW_ROW_REPORT_SERVICE_TYPE_UNKNOWN', field: 'serviceType', line: edit(8, '99') },
    { code: 'PW_ROW_AMOUNT_NEGATIVE', field: 'amountSatang', line: edit(6, '-100.00') },
    { code: 'PW_ROW_AMOUNT_NEGATIVE', field: 'amountSatang', line: edit(6, '(100.00)') },
    { code: 'PW_ROW_REPORT_AMOUNT_INVALID', field: 'amountSatang', line: edit(6, '=SUM(A1:A2)') },
    { code: 'PW_ROW_REPORT_AMOUNT_ZERO', field: 'amountSatang', line: edit(6, '0.00') },
    { code: 'PW_ROW_FEE_INVALID', field: 'feeSatang', line: edit(7, '-5') },
    { code: 'PW_ROW_STATUS_UNKNOWN', field: 'status', line: edit(10, 'รอ') },
    { code: 'PW_ROW_REPORT_PAYEE_NAME_EMPTY', field: 'payeeName', line: edit(5, '  ') },
    { code: 'PW_ROW_BLANK_LINE', field: 'line', line: '' },
  ];
  // good, bad, good, bad, …, good, then an unclosed quote: row of bad[i] is 3 + 2i
  const text = [H, ...bad.flatMap((b) => [good, b.line]), good, good.replace('นายสมชาย', '"นายสมชาย')].join('\n') + '\n';
  const parsed = collect(parseKtbReportCsv(text, { laoCode: LAO.laoCode, today: '2024-10-28' }));

  it.each(bad.map((b, i) => ({ ...b, row: 3 + 2 * i })))('when a row breaks a rule ($code at row $row), then it is rejected with that code, row, field and raw line', ({ code, field, row, line }) => {
    const reject = parsed.rejects.find((r) => r.row === row);
    expect(reject).toMatchObject({ kind: 'reject', row, field, code, raw: line });
    expect(reject!.message.th).toMatch(/[\u0E00-\u0E7F]/);
    expect(reject!.message.en).toMatch(/[a-z]/);
    expect(`${reject!.message.th} ${reject!.message.en}`).not.toMatch(/\{(value|detail)\}/);
  });

  it('when a quote is opened and never closed, then the rest of the file is one PW_ROW_REPORT_MALFORMED reject at its first line', () => {
    const last = parsed.rejects.at(-1)!;
    expect(last).toMatchObject({ code: 'PW_ROW_REPORT_MALFORMED', row: 3 + 2 * bad.length, field: 'line' });
    expect(last.raw).toContain('"นายสมชาย');
  });

  it('when good and bad rows alternate, then every row is counted once', () => {
    expect(parsed.manifest).toMatchObject({ rowsRead: 2 * bad.length + 2, rowsRejected: bad.length + 1, rowsAccepted: bad.length + 1 });
  });

  it('when the catalogue lists a report reject code, then a crafted row above produces it', () => {
    const expected = new Set([...REPORT_ONLY_REJECT_CODES, 'PW_ROW_BLANK_LINE', 'PW_ROW_DATE_TOO_FAR']);
    expect(new Set(parsed.rejects.map((r) => r.code))).toEqual(expected);
    for (const c of expected) expect(REJECT_CODES).toHaveProperty(c);
  });
});

describe('ktb-report CSV: refusals and the LAO', () => {
  const H = 'รหัสบริษัท,บัญชีผู้โอน,วันที่ทำรายการ,จำนวนเงิน,ชื่อบัญชีผู้รับ,เลขที่บัญชีผู้รับ,รหัสธนาคารผู้รับ,ประเภทบริการ,สถานะ';
  const row = (company: string, debit: string) => `${company},${debit},01/11/2567,100.00,ก,1234567890,006,04,สำเร็จ`;

  it('when no laoCode is given, then the LAO is found in the registry by the report\'s company ID', () => {
    const { records } = collect(parseKtbReportCsv(`${H}\n${row('GMIS660202', '9800099999')}\n`, { registry: REGISTRY }));
    expect(records[0]!.record.laoCode).toBe('6600202');
  });

  it('when no company ID is known, then the LAO is found by its debit account', () => {
    const { records } = collect(parseKtbReportCsv(`${H}\n${row('', '980-0-09999-9')}\n`, { registry: REGISTRY }));
    expect(records[0]!.record.laoCode).toBe('6600202');
  });

  it('when a row debits another LAO\'s account, then the whole file is refused', () => {
    const text = `${H}\n${row('', '9800012345')}\n${row('', '9800099999')}\n`;
    const { manifest } = collect(parseKtbReportCsv(text, { laoCode: LAO.laoCode, registry: REGISTRY }));
    expect(manifest.refusal?.code).toBe('PW_ERR_FOREIGN_ACCOUNT');
    expect(manifest.refusal?.message.en).toContain('line 3');
  });

  it('when the LAO cannot be told, then the file is refused as of an unknown LAO', () => {
    expect(collect(parseKtbReportCsv(`${H}\n${row('X', '1111111111')}\n`, { registry: REGISTRY })).manifest.refusal?.code).toBe('PW_ERR_UNKNOWN_LAO');
  });

  it('when a required column is missing, then the file is refused naming it in both languages', () => {
    const { manifest } = collect(parseKtbReportCsv('วันที่ทำรายการ,จำนวนเงิน,ชื่อบัญชีผู้รับ,เลขที่บัญชีผู้รับ,สถานะ\n01/11/2567,1,ก,1234567890,สำเร็จ\n', ctx));
    expect(manifest.refusal?.code).toBe('PW_ERR_REPORT_MISSING_COLUMNS');
    expect(manifest.refusal?.message.th).toContain('รหัสธนาคารผู้รับ');
    expect(manifest.refusal?.message.en).toContain('Service Type');
  });

  it('when the report has only its header, then it is refused as having no rows', () => {
    expect(collect(parseFile(encodeText(`${H}\r\n\r\n`, 'utf-8'), ctx)).manifest).toMatchObject({ format: 'ktb-report', refusal: { code: 'PW_ERR_REPORT_NO_ROWS' } });
  });

  it('when the file has more rows than limits.maxRows, then it is refused before any row is read', () => {
    const text = `${H}\n${row('', '')}\n${row('', '')}\n${row('', '')}\n`;
    expect(collect(parseKtbReportCsv(text, { ...ctx, limits: { maxRows: 3 } })).manifest.refusal).toBeNull();
    expect(collect(parseKtbReportCsv(text, { ...ctx, limits: { maxRows: 2 } })).manifest.refusal?.code).toBe('PW_ERR_TOO_MANY_ROWS');
  });

  it('when a line is longer than limits.maxLineChars, then the file is refused naming the line', () => {
    const text = `${H}\n${row('', '')}\n${row('', '')},${'x'.repeat(5000)}\n`;
    const { manifest } = collect(parseFile(encodeText(text, 'utf-8'), { ...ctx, limits: { maxLineChars: 1000 } }));
    expect(manifest.refusal?.code).toBe('PW_ERR_LINE_TOO_LONG');
    expect(manifest.refusal?.message.en).toContain('Line 3');
  });

  it('when the first line names too few report headers, then it is not taken for a report', () => {
    expect(collect(parseFile(encodeText('name,amount\nA,1\n', 'utf-8'), ctx)).manifest.refusal?.code).toBe('PW_ERR_UNKNOWN_FORMAT');
  });
});
