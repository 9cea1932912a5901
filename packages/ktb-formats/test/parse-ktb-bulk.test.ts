import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  KTB_BULK_DETAIL as D,
  KTB_BULK_HEADER as H,
  REJECT_CODES,
  REPORT_ONLY_REJECT_CODES,
  decodeBytes,
  generateBulkBatch,
  parseFile,
  parseKtbBulk,
  renderKtbBulkText,
  type KtbBulkSpec,
  type RejectCode,
} from '../src/index.ts';
import { LAO, REGISTRY, collect, withField } from './helpers.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

describe('parseKtbBulk: the hand-written fixture', () => {
  it('when the same three lines come in Windows-874 and in UTF-8, then both give identical records', () => {
    const cp874 = fixture('three-lines.cp874.txt');
    const utf8 = fixture('three-lines.utf8.txt');
    // one byte per character in CP874: 3 × (498 + CRLF)
    expect(cp874.length).toBe(1500);
    expect(utf8.length).toBeGreaterThan(1500);
    expect(decodeBytes(cp874).encoding).toBe('windows-874');
    expect(decodeBytes(utf8).encoding).toBe('utf-8');

    const a = collect(parseFile(cp874, { laoCode: LAO.laoCode }));
    const b = collect(parseFile(utf8, { laoCode: LAO.laoCode }));
    expect(a.records).toHaveLength(2);
    expect(a.records).toEqual(b.records);
    expect(a.manifest.encoding).toBe('windows-874');
    expect(b.manifest.encoding).toBe('utf-8');
    expect({ ...a.manifest, encoding: null }).toEqual({ ...b.manifest, encoding: null });
  });

  it('when the fixture is parsed, then every field of its rows has the value the layout puts there', () => {
    const { records, rejects, manifest } = collect(parseFile(fixture('three-lines.cp874.txt'), { laoCode: LAO.laoCode }));
    expect(rejects).toEqual([]);
    const [first, second] = records;
    expect(first!.row).toBe(2);
    const r = first!.record;
    expect(r.sourceFormat).toBe('ktb-bulk');
    expect(r.laoCode).toBe('6600101');
    expect(r.companyId).toBe('GMIS660101');
    expect(r.debitAccount).toBe('9800012345');
    expect(r.payeeBankCode).toBe('004');
    expect(r.payeeAccount).toBe('0123456789');
    expect(r.payeeName).toBe('นางสาวสมศรี ใจดี');
    expect(r.payeeId).toBe('1101700203450');
    expect(r.amountSatang).toBe(1_234_550);
    expect(r.feeSatang).toBeNull();
    expect(r.effectiveDate).toBe('2024-10-28'); // 28102567 BE
    expect(r.executedAt).toBeNull();
    expect(r.approvedAt).toBeNull();
    expect(r.serviceType).toBe('01');
    expect(r.voucherNo).toBe('ฎ123/2567');
    expect(r.bankReference).toBe('000001');
    expect(r.batchNo).toBe('000123');
    expect(r.makerId).toBe('SOMSRI.K');
    expect(r.authorizerId).toBeNull();
    expect(r.status).toBe('instructed');
    expect(r.remark).toBe('เงินเดือนพนักงานจ้าง');
    expect(r.extra).toEqual({});

    expect(second!.row).toBe(3);
    expect(second!.record).toMatchObject({
      payeeBankCode: '030', payeeAccount: '20012345678', payeeName: 'บริษัท สมชาย ก่อสร้าง จำกัด', payeeId: null,
      amountSatang: 50_000_000, serviceType: '04', voucherNo: null, bankReference: '000002', remark: null,
    });
    expect(manifest).toMatchObject({ format: 'ktb-bulk', rowsRead: 2, rowsAccepted: 2, rowsRejected: 0, totalSatang: 51_234_550, refusal: null });
    expect(manifest.header).toEqual({ effectiveDate: '2024-10-28', declaredCount: 2, declaredTotalSatang: 51_234_550, detailCount: 2, detailTotalSatang: 51_234_550, matches: true });
  });
});

/** A valid batch of `rows` lines as text, with its lines split out for editing. */
function validBatch(rows: number, overrides: Partial<KtbBulkSpec['header']> = {}) {
  const g = generateBulkBatch({ seed: 42, ...LAO, rows, effectiveDate: '2024-10-28' });
  const spec: KtbBulkSpec = { ...g.spec, header: { ...g.spec.header, ...overrides } };
  const lines = renderKtbBulkText(spec, { eol: '\n' }).split('\n').slice(0, -1);
  return { g, spec, lines };
}

describe('parseKtbBulk: row rejects', () => {
  // Each bad line breaks exactly one rule of a good line; the good line's company/debit are the LAO's.
  const { lines } = validBatch(1);
  const [header, good] = [lines[0]!, lines[1]!];
  const KBANK_GOOD = withField(withField(good, D.payeeBankCode, '004'), D.payeeAccount, '00123456789');
  const bad: Array<{ code: keyof typeof REJECT_CODES; field: string; line: string }> = [
    { code: 'PW_ROW_RECORD_TYPE', field: 'recordType', line: withField(good, D.recordType, '103') },
    { code: 'PW_ROW_BLANK_LINE', field: 'line', line: '   ' },
    { code: 'PW_ROW_LINE_TOO_LONG', field: 'line', line: good + 'X' },
    { code: 'PW_ROW_BATCH_MISMATCH', field: 'batchNo', line: withField(good, D.batchNo, '999999') },
    { code: 'PW_ROW_BANK_UNKNOWN', field: 'payeeBankCode', line: withField(good, D.payeeBankCode, '999') },
    { code: 'PW_ROW_ACCOUNT_NOT_DIGITS', field: 'payeeAccount', line: withField(good, D.payeeAccount, '0012-345678') },
    { code: 'PW_ROW_ACCOUNT_LENGTH', field: 'payeeAccount', line: withField(KBANK_GOOD, D.payeeAccount, '12345678901') },
    { code: 'PW_ROW_ACCOUNT_LENGTH', field: 'payeeAccount', line: withField(KBANK_GOOD, D.payeeAccount, '00000000000') },
    { code: 'PW_ROW_DEBIT_ACCOUNT_NOT_DIGITS', field: 'debitAccount', line: withField(good, D.senderAccount, '098000123 5') },
    { code: 'PW_ROW_DATE_INVALID', field: 'effectiveDate', line: withField(good, D.effectiveDate, '31022024') },
    { code: 'PW_ROW_DATE_INVALID', field: 'effectiveDate', line: withField(good, D.effectiveDate, '28100001') },
    { code: 'PW_ROW_DATE_TOO_FAR', field: 'effectiveDate', line: withField(good, D.effectiveDate, '01012570') },
    { code: 'PW_ROW_SERVICE_TYPE_UNKNOWN', field: 'serviceType', line: withField(good, D.serviceType, '99') },
    { code: 'PW_ROW_AMOUNT_NOT_DIGITS', field: 'amountSatang', line: withField(good, D.amountSatang, '0000000012,345.50') },
    { code: 'PW_ROW_AMOUNT_TOO_LARGE', field: 'amountSatang', line: withField(good, D.amountSatang, '99999999999999999') },
    { code: 'PW_ROW_AMOUNT_ZERO', field: 'amountSatang', line: withField(good, D.amountSatang, '00000000000000000') },
    { code: 'PW_ROW_PAYEE_NAME_EMPTY', field: 'payeeName', line: withField(good, D.payeeName, ' '.repeat(100)) },
  ];
  // good, bad, good, bad, …: row of bad[i] is 3 + 2i (header is row 1, first good line row 2)
  const text = [header, ...bad.flatMap((b) => [good, b.line]), good].join('\r\n') + '\r\n';
  const parsed = collect(parseKtbBulk(text, { laoCode: LAO.laoCode, today: '2024-10-28' }));

  it.each(bad.map((b, i) => ({ ...b, row: 3 + 2 * i })))('when a line breaks a rule ($code at row $row), then it is rejected with that code, row and field', ({ code, field, row, line }) => {
    const reject = parsed.rejects.find((r) => r.row === row);
    expect(reject).toMatchObject({ kind: 'reject', row, field, code, raw: line });
    expect(reject!.message.th).toMatch(/[\u0E00-\u0E7F]/);
    expect(reject!.message.en).toMatch(/[a-z]/);
    expect(`${reject!.message.th} ${reject!.message.en}`).not.toMatch(/\{(value|detail)\}/);
  });

  it('when good and bad lines alternate, then every line is counted once and the good ones are accepted', () => {
    expect(parsed.manifest.rowsRead).toBe(2 * bad.length + 1);
    expect(parsed.manifest.rowsRejected).toBe(bad.length);
    expect(parsed.manifest.rowsAccepted).toBe(bad.length + 1);
    expect(parsed.records.map((r) => r.row)).toEqual(Array.from({ length: bad.length + 1 }, (_, i) => 2 + 2 * i));
  });

  it('when the catalogue lists a reject code, then a crafted line above produces it', () => {
    expect(new Set(parsed.rejects.map((r) => r.code))).toEqual(new Set(Object.keys(REJECT_CODES).filter((c) => !REPORT_ONLY_REJECT_CODES.has(c as RejectCode))));
  });

  it('when no today is given, then a far-future date is not checked', () => {
    const far = withField(good, D.effectiveDate, '01012570');
    const { records } = collect(parseKtbBulk([header, far].join('\n'), { laoCode: LAO.laoCode }));
    expect(records[0]?.record.effectiveDate).toBe('2027-01-01');
  });

  it('when an amount or date uses Thai digits, then it reads like ASCII digits', () => {
    const thai = withField(withField(good, D.amountSatang, '๐๐๐๐๐๐๐๐๐๐๐๑๒๓๔๕๐'), D.effectiveDate, '๒๘๑๐๒๕๖๗');
    const { records } = collect(parseKtbBulk([header, thai].join('\n'), { laoCode: LAO.laoCode }));
    expect(records[0]?.record).toMatchObject({ amountSatang: 123_450, effectiveDate: '2024-10-28' });
  });
});

describe('parseKtbBulk: lines and blanks', () => {
  const { g, lines } = validBatch(3);
  it('when blank lines and a Ctrl-Z end the file, then they are not rows', () => {
    const text = lines.join('\r\n') + '\r\n\r\n   \r\n\u001a';
    const { records, manifest } = collect(parseKtbBulk(text, { laoCode: LAO.laoCode }));
    expect(records.map((r) => r.record)).toEqual(g.records);
    expect(manifest.rowsRead).toBe(3);
  });

  it('when a detail line is a 10 MB runaway, then it is one rejected row whose raw text is cut to 2,000 characters, and the other rows are read', () => {
    const runaway = lines[1]! + 'x'.repeat(10 * 1024 * 1024);
    const { records, rejects } = collect(parseKtbBulk([lines[0], runaway, lines[2], lines[3]].join('\n'), { laoCode: LAO.laoCode }));
    expect(records.map((r) => r.row)).toEqual([3, 4]);
    expect(rejects.map((r) => [r.row, r.code])).toEqual([[2, 'PW_ROW_LINE_TOO_LONG']]);
    expect(rejects[0]!.raw).toHaveLength(2_001);
    expect(rejects[0]!.raw.endsWith('x…')).toBe(true);
  });

  it('when blank lines come before the header, then row numbers still count them', () => {
    const { records } = collect(parseKtbBulk('\n\n' + lines.join('\n'), { laoCode: LAO.laoCode }));
    expect(records.map((r) => r.row)).toEqual([4, 5, 6]);
  });

  it('when the receiver ID span holds no valid ID but other info 1 does, then that ID is the payee ID', () => {
    const line = withField(withField(lines[1]!, [D.receiverInfo[0], D.receiverId[1]], ' '.repeat(18)), D.otherInfo1, 'ผู้รับ 1101700203450'.padEnd(40));
    const bad = withField(lines[1]!, [D.receiverInfo[0], D.receiverId[1]], '1101700203451     ');
    const { records } = collect(parseKtbBulk([lines[0], line, bad].join('\n'), { laoCode: LAO.laoCode }));
    expect(records.map((r) => r.record.payeeId)).toEqual(['1101700203450', null]);
  });
});

describe('parseKtbBulk: header check', () => {
  it('when the header declares another count and total, then matches is false and the rows are still read', () => {
    const { g, lines } = validBatch(4, { detailCount: 5, totalSatang: 1 });
    const { records, manifest } = collect(parseKtbBulk(lines.join('\n'), { laoCode: LAO.laoCode }));
    expect(records).toHaveLength(4);
    const total = g.records.reduce((s, r) => s + r.amountSatang, 0);
    expect(manifest.header).toEqual({ effectiveDate: '2024-10-28', declaredCount: 5, declaredTotalSatang: 1, detailCount: 4, detailTotalSatang: total, matches: false });
  });

  it('when a line is rejected for another field, then its readable amount still counts against the header, which matches', () => {
    const { g, lines } = validBatch(2);
    const broken = withField(lines[2]!, D.serviceType, '99');
    const { manifest } = collect(parseKtbBulk([lines[0], lines[1], broken].join('\n'), { laoCode: LAO.laoCode }));
    const both = g.records[0]!.amountSatang + g.records[1]!.amountSatang;
    expect(manifest.header).toMatchObject({ declaredCount: 2, detailCount: 2, detailTotalSatang: both, matches: true });
    expect(manifest.totalSatang).toBe(g.records[0]!.amountSatang); // the manifest's own total is accepted rows only
  });

  it("when a rejected line's amount is unreadable, then it cannot count and the header disagrees", () => {
    const { g, lines } = validBatch(2);
    const broken = withField(lines[2]!, D.amountSatang, '0000000000000X000');
    const { manifest } = collect(parseKtbBulk([lines[0], lines[1], broken].join('\n'), { laoCode: LAO.laoCode }));
    expect(manifest.header).toMatchObject({ detailTotalSatang: g.records[0]!.amountSatang, matches: false });
  });

  it('when the header count is not a number, then the whole file is refused as a damaged header', () => {
    const { lines } = validBatch(1);
    const { manifest } = collect(parseKtbBulk([withField(lines[0]!, H.detailCount, '00000X1'), lines[1]].join('\n'), { laoCode: LAO.laoCode }));
    expect(manifest.refusal?.code).toBe('PW_ERR_BAD_HEADER');
    expect(manifest.rowsRead).toBe(0);
  });
});

describe('parseKtbBulk: which LAO the file belongs to', () => {
  const foreign = (companyId: string) => {
    const { lines } = validBatch(3, { companyId });
    lines[3] = withField(lines[3]!, D.senderAccount, '01111111111');
    return lines.join('\n');
  };

  it('when a sending account is not the LAO\'s and neither is the company ID, then the whole file is refused', () => {
    const { manifest } = collect(parseKtbBulk(foreign('GMIS999999'), { laoCode: LAO.laoCode, registry: REGISTRY }));
    expect(manifest.refusal?.code).toBe('PW_ERR_FOREIGN_ACCOUNT');
    expect(manifest.refusal?.message.en).toContain('line 4');
    expect(manifest.refusal?.message.en).toContain('******1111'); // masked, never the full account
    expect(manifest.refusal?.message.th).toContain('อปท. อื่น');
    expect(manifest.rowsAccepted).toBe(0);
  });

  it('when the LAO is found from a sending account and another line debits another LAO, then the file is refused', () => {
    const { manifest } = collect(parseKtbBulk(foreign('GMIS999999'), { registry: REGISTRY }));
    expect(manifest.refusal?.code).toBe('PW_ERR_FOREIGN_ACCOUNT');
  });

  it('when the header company ID is the LAO\'s, then the file is its own even with an account the registry lacks', () => {
    const { records } = collect(parseKtbBulk(foreign(LAO.companyId), { laoCode: LAO.laoCode, registry: REGISTRY }));
    expect(records).toHaveLength(3);
  });

  it('when only a registry is given, then the LAO comes from the company ID, else from the sending account', () => {
    const byCompany = collect(parseKtbBulk(validBatch(1, { companyId: 'GMIS660202' }).lines.join('\n'), { registry: REGISTRY }));
    expect(byCompany.records[0]?.record.laoCode).toBe('6600202');
    const byAccount = collect(parseKtbBulk(validBatch(1, { companyId: 'GMIS000000' }).lines.join('\n'), { registry: REGISTRY }));
    expect(byAccount.records[0]?.record.laoCode).toBe('6600101');
  });

  it('when neither a LAO code nor a registry that knows the file is given, then the file is refused as of unknown LAO', () => {
    const text = validBatch(1, { companyId: 'GMIS000000' }).lines.join('\n');
    for (const ctx of [{}, { registry: REGISTRY.slice(1) }]) {
      const { manifest } = collect(parseKtbBulk(text, ctx));
      expect(manifest.refusal?.code).toBe('PW_ERR_UNKNOWN_LAO');
      expect(manifest.refusal?.message.en).toMatch(/LAO code|registry/);
    }
  });

  it('when the LAO code is not 7 digits, then the file is refused', () => {
    const { manifest } = collect(parseKtbBulk(validBatch(1).lines.join('\n'), { laoCode: '66001' }));
    expect(manifest.refusal?.code).toBe('PW_ERR_INVALID_LAO_CODE');
  });
});
