import { describe, expect, it } from 'vitest';
import { decodeBytes, encodeText, TEXT_ENCODINGS } from '../src/index.ts';

const SAMPLE = 'นางสาวสมศรี ใจดี ฎ123/2567 ๑๒๓';

describe('decodeBytes', () => {
  it('when text is encoded in each supported encoding, then it decodes back and the encoding is recognised', () => {
    for (const encoding of TEXT_ENCODINGS) {
      expect(decodeBytes(encodeText(SAMPLE, encoding))).toEqual({ text: SAMPLE, encoding });
    }
  });

  it('when the text is Windows-874, then every Thai character is one byte', () => {
    expect(encodeText(SAMPLE, 'windows-874').length).toBe(SAMPLE.length);
    expect(encodeText(SAMPLE, 'utf-8').length).toBeGreaterThan(SAMPLE.length);
  });

  it('when the bytes are plain ASCII, then they are UTF-8', () => {
    expect(decodeBytes(new TextEncoder().encode('101000001')).encoding).toBe('utf-8');
  });

  it('when a UTF-8 BOM is present, then it is removed from the text', () => {
    const { text, encoding } = decodeBytes(Uint8Array.of(0xef, 0xbb, 0xbf, 0x41));
    expect(encoding).toBe('utf-8-bom');
    expect(text).toBe('A');
  });
});
