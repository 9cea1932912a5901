// Record-batch codecs for kafkajs. kafkajs ships gzip only and takes other codecs from a registry it reads on every
// batch; zstd comes from Node's own zlib (no native add-on, no extra package).
import { promisify } from 'node:util';
import { constants, zstdCompress, zstdDecompress } from 'node:zlib';
import kafkajs from 'kafkajs';

// Node's ESM view of kafkajs (CommonJS) does not detect every named export: take them from the module object.
const { CompressionCodecs, CompressionTypes } = kafkajs;
type CompressionTypes = kafkajs.CompressionTypes;

/** The codecs the adapter can produce with (every consumer reads all three). */
export type Compression = 'none' | 'gzip' | 'zstd';

const compress = promisify(zstdCompress);
const decompress = promisify(zstdDecompress);
// Level 1: the cheapest level still shrinks paywatch's JSON records several times; higher levels cost CPU the
// detector needs for its rules.
const params = { [constants.ZSTD_c_compressionLevel]: 1 };

/** kafkajs codec shape: `compress` gets kafkajs's Encoder, `decompress` a Buffer. */
const zstdCodec = () => ({
  compress: (encoder: { buffer: Buffer }) => compress(encoder.buffer, { params }),
  decompress: (buffer: Buffer) => decompress(buffer),
});

let registered = false;
/** Registers the codecs kafkajs lacks (idempotent) and maps a name to kafkajs's compression type. */
export function compressionTypeOf(name: Compression): CompressionTypes {
  if (!registered) {
    (CompressionCodecs as Record<number, unknown>)[CompressionTypes.ZSTD] = zstdCodec;
    registered = true;
  }
  return { none: CompressionTypes.None, gzip: CompressionTypes.GZIP, zstd: CompressionTypes.ZSTD }[name];
}
