import { describe, expect, it } from 'vitest';
import { detectFormat, encodeText, generateBulkBatch, parseFile, renderKtbBulkText, type Refusal } from '../src/index.ts';
import { LAO, collect } from './helpers.ts';

const refusalOf = (bytes: Uint8Array): { refusal: Refusal | null; format: string | null } => {
  const { manifest } = collect(parseFile(bytes, { laoCode: LAO.laoCode }));
  return { refusal: manifest.refusal, format: manifest.format };
};

/** A refusal must say, in both languages, that a KTB bulk file was expected. */
function expectNamesExpected(refusal: Refusal | null) {
  expect(refusal?.message.en).toContain('KTB Corporate Online bulk-payment file');
  expect(refusal?.message.en).toContain('101');
  expect(refusal?.message.th).toContain('แฟ้มจ่ายเงินแบบกลุ่ม');
}

const ascii = (s: string) => new TextEncoder().encode(s);
const text = renderKtbBulkText(generateBulkBatch({ seed: 1, ...LAO, rows: 2, effectiveDate: '2024-10-28' }).spec, { eol: '\r\n' });

describe('parseFile: what is refused', () => {
  it('when the file is empty or only white space, then it is refused as empty, naming what was expected', () => {
    for (const bytes of [new Uint8Array(0), ascii(' \r\n\r\n\t'), Uint8Array.of(0xef, 0xbb, 0xbf, 0x0a)]) {
      const { refusal } = refusalOf(bytes);
      expect(refusal?.code).toBe('PW_ERR_EMPTY_FILE');
      expectNamesExpected(refusal);
    }
  });

  it('when the bytes are binary (NUL bytes or mostly control characters), then the file is refused as binary', () => {
    const withNul = ascii('101000001\u0000\u0000\u0000 abc');
    const controls = Uint8Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? 0x01 : 0x41));
    for (const bytes of [withNul, controls]) {
      const { refusal } = refusalOf(bytes);
      expect(refusal?.code).toBe('PW_ERR_BINARY_FILE');
      expectNamesExpected(refusal);
    }
  });

  it('when the file is a PDF, then it is refused as a PDF document, naming what was expected', () => {
    const pdf = ascii('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n');
    const { refusal } = refusalOf(pdf);
    expect(refusal?.code).toBe('PW_ERR_BINARY_FILE');
    expect(refusal?.message.en).toContain('PDF');
    expect(refusal?.message.th).toContain('PDF');
    expectNamesExpected(refusal);
  });

  it('when the file is an XLSX workbook, then it is refused as a spreadsheet until the report format is added', () => {
    const { refusal } = refusalOf(Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00));
    expect(refusal?.code).toBe('PW_ERR_BINARY_FILE');
    expect(refusal?.message.en).toContain('.xlsx');
  });

  it('when the file is a CSV, then it is refused as an unknown format quoting its first line', () => {
    const csv = encodeText('ชื่อผู้รับเงิน,เลขที่บัญชี,จำนวนเงิน\nนายสมชาย ใจดี,1234567890,"1,234.50"\n', 'windows-874');
    const { refusal, format } = refusalOf(csv);
    expect(format).toBeNull();
    expect(refusal?.code).toBe('PW_ERR_UNKNOWN_FORMAT');
    expect(refusal?.message.th).toContain('ชื่อผู้รับเงิน,เลขที่บัญชี');
    expectNamesExpected(refusal);
  });

  it('when the file is UTF-16, then it is refused with the encodings to save it in', () => {
    const { refusal } = refusalOf(Uint8Array.of(0xff, 0xfe, 0x31, 0x00, 0x30, 0x00, 0x31, 0x00));
    expect(refusal?.code).toBe('PW_ERR_UNSUPPORTED_ENCODING');
    expect(refusal?.message.en).toContain('UTF-16LE');
    expect(refusal?.message.en).toContain('Windows-874');
  });

  it('when the file has a header but no detail line, then it is refused as a bulk file without payments', () => {
    const { refusal, format } = refusalOf(ascii(text.split('\r\n')[0] + '\r\n'));
    expect(refusal?.code).toBe('PW_ERR_NO_DETAILS');
    expect(format).toBe('ktb-bulk');
  });
});

describe('detectFormat', () => {
  it('when the first non-blank line starts 101 and the next 102, then it is ktb-bulk, even with trimmed lines', () => {
    expect(detectFormat(text)).toEqual({ format: 'ktb-bulk', refusal: null });
    expect(detectFormat('\n' + text.replace(/ +\r\n/g, '\n'))).toEqual({ format: 'ktb-bulk', refusal: null });
  });

  it('when the content is not a bulk file, then the format is null with a refusal', () => {
    expect(detectFormat('').refusal?.code).toBe('PW_ERR_EMPTY_FILE');
    expect(detectFormat('a,b,c\n1,2,3\n').refusal?.code).toBe('PW_ERR_UNKNOWN_FORMAT');
    expect(detectFormat('%PDF-1.7\n').refusal?.code).toBe('PW_ERR_BINARY_FILE');
    expect(detectFormat('102000001\n101000001\n')).toMatchObject({ format: null, refusal: { code: 'PW_ERR_UNKNOWN_FORMAT' } });
    expect(detectFormat('101000001\nname,amount\n')).toMatchObject({ format: null, refusal: { code: 'PW_ERR_UNKNOWN_FORMAT' } });
  });
});
