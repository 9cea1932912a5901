import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nameSimilarity } from '../../src/text/name-similarity.ts';

describe('nameSimilarity', () => {
  it('when names are equal, unlike or one letter apart, then it is 1, near 0 and high', () => {
    expect(nameSimilarity('ศรีสุขการช่าง', 'ศรีสุขการช่าง')).toBe(1);
    expect(nameSimilarity('นำชัยค้าไม้', 'ปากพนังวัสดุภัณฑ์')).toBe(0);
    expect(nameSimilarity('ศรีสุขการช่าง', 'ศรีสุขการชาง')).toBeGreaterThan(0.8);
    expect(nameSimilarity('a', 'ab')).toBe(0);
  });

  it('when any two strings are compared, then it is symmetric and within [0, 1]', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => {
      const s = nameSimilarity(a, b);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
      expect(nameSimilarity(b, a)).toBeCloseTo(s, 12);
    }));
  });
});
