/** @paywatch/ktb-formats — reads KTB bulk-payment files (encoding, format detection, parser) and writes them (generator). */
export { decodeBytes, encodeText, TEXT_ENCODINGS, type DecodedText, type TextEncoding } from './decode-bytes.ts';
export { detectFormat, type DetectedFormat } from './detect-format.ts';
export { parseFile } from './parse-file.ts';
export { parseKtbBulk, KTB_BULK_EXPECTED, DEFAULT_MAX_FUTURE_DAYS } from './parse-ktb-bulk.ts';
export type { ParseContext, ParseEvent, RecordEvent, RejectEvent, ManifestEvent } from './parse-event.ts';
export { FORMATS, ktbBulkFormat } from './formats.ts';
export type { FormatPlugin, TextFormat, BinaryFormat, FormatSniff } from './format-plugin.ts';
export { REJECT_CODES, rejectMessage, type RejectCode } from './reject-codes.ts';
export { REFUSAL_CODES, type RefusalCode, type Refusal } from './refusal-codes.ts';
export { KTB_BULK_LINE_LENGTH, KTB_BULK_HEADER, KTB_BULK_DETAIL, KTB_BULK_RECORD_TYPE, type KtbBulkField } from './ktb-bulk-layout.ts';
export { STANDARD_SERVICE_TYPES, DIRECT_SERVICE_TYPES, SERVICE_TYPE_CODES } from './service-types.ts';
export { renderKtbBulk, renderKtbBulkText, type KtbBulkSpec, type KtbBulkHeaderSpec, type KtbBulkDetailSpec, type RenderKtbBulkOptions } from './render-ktb-bulk.ts';
export { generateBulkBatch, recordsOfSpec, type GenerateBulkBatchOptions, type GeneratedBulkBatch } from './generate-bulk-batch.ts';
export { mulberry32 } from './mulberry32.ts';
