import { describe, expect, it } from 'vitest';
import kafkajs from 'kafkajs';
import { compressionTypeOf } from '../src/kafka-compression.ts';

describe('kafka record-batch codecs', () => {
  it('when zstd is asked for, then kafkajs gets a codec that shrinks JSON records and gives them back byte for byte', async () => {
    expect(compressionTypeOf('zstd')).toBe(kafkajs.CompressionTypes.ZSTD);
    const codec = (kafkajs.CompressionCodecs as unknown as Record<number, () => { compress(e: { buffer: Buffer }): Promise<Buffer>; decompress(b: Buffer): Promise<Buffer> }>)[kafkajs.CompressionTypes.ZSTD]!();
    const records = Buffer.from(Array.from({ length: 500 }, (_, i) => JSON.stringify({ laoCode: '6600101', row: i, payeeName: 'นางสมศรี ใจดี', amountSatang: 80_000 + i })).join(''));
    const packed = await codec.compress({ buffer: records });
    expect(packed.length).toBeLessThan(records.length / 4);
    expect(Buffer.compare(await codec.decompress(packed), records)).toBe(0);
    expect(compressionTypeOf('none')).toBe(kafkajs.CompressionTypes.None);
    expect(compressionTypeOf('gzip')).toBe(kafkajs.CompressionTypes.GZIP);
  });
});
