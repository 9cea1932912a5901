import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Partitioners } from 'kafkajs';
import { murmur2, partitionForKey } from '../src/index.ts';

describe('partitioner', () => {
  it('when hashing the Java client test vectors, then murmur2 gives the same values', () => {
    // org.apache.kafka.common.utils.UtilsTest#testMurmur2
    expect(murmur2('21')).toBe(-973932308);
    expect(murmur2('foobar')).toBe(-790332482);
    expect(murmur2('a-little-bit-long-string')).toBe(-985981536);
    expect(murmur2('a-little-bit-longer-string')).toBe(-1486304829);
    expect(murmur2('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8')).toBe(-58897971);
    expect(murmur2(new Uint8Array([97, 98, 99]))).toBe(479470107);
  });

  it("when any key is partitioned, then the partition equals kafkajs's DefaultPartitioner", () => {
    const kafkajsPartition = Partitioners.DefaultPartitioner();
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.integer({ min: 1, max: 64 }), (key, n) => {
        const partitionMetadata = Array.from({ length: n }, (_, partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 1, replicas: [1], isr: [1] }));
        expect(partitionForKey(key, n)).toBe(kafkajsPartition({ topic: 't', partitionMetadata, message: { key, value: null } }));
      }),
      { numRuns: 2_000 },
    );
  });

  it('when the partition count is not a positive integer, then it throws', () => {
    expect(() => partitionForKey('k', 0)).toThrow(RangeError);
  });
});
