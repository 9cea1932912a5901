/** The shape every input format plugs into `parseFile` and `detectFormat` with. */
import type { Bilingual, SourceFormat } from '@paywatch/domain';
import type { TextEncoding } from './decode-bytes.ts';
import type { ParseContext, ParseEvent } from './parse-event.ts';
import type { Refusal } from './refusal-codes.ts';

/** A sniff's verdict: this format, not this format, or this format but unusable (the refusal says why). */
export type FormatSniff = 'match' | 'no-match' | Refusal;

/** A format read from decoded text (fixed width, CSV). It only sees text that passed the binary check. */
export interface TextFormat {
  kind: 'text';
  format: SourceFormat;
  /** How a person recognises this format; refusals list every format's `expected`. */
  expected: Bilingual;
  sniff(text: string): FormatSniff;
  parse(text: string, ctx: ParseContext, encoding: TextEncoding): Iterable<ParseEvent>;
}

/**
 * A format read from raw bytes (XLSX). It is asked before decoding and before the binary check, by
 * `parseFileAsync` only: its parser is asynchronous (exceljs streams). The synchronous `parseFile`
 * leaves such files to the binary check (refused as a ZIP / .xlsx file).
 */
export interface BinaryFormat {
  kind: 'binary';
  format: SourceFormat;
  /** How a person recognises this format; refusals list every format's `expected`. */
  expected: Bilingual;
  sniff(bytes: Uint8Array): FormatSniff;
  parse(bytes: Uint8Array, ctx: ParseContext): AsyncIterable<ParseEvent>;
}

/** Any input format. */
export type FormatPlugin = TextFormat | BinaryFormat;
