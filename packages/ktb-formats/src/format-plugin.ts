/** The shape every input format plugs into `parseFile` and `detectFormat` with. */
import type { Bilingual, SourceFormat } from '@paywatch/domain';
import type { TextEncoding } from './decode-bytes.ts';
import type { ParseContext, ParseEvent } from './parse-event.ts';
import type { Refusal } from './refusal-codes.ts';
import type { TextSource } from './text-source.ts';

/** A sniff's verdict: this format, not this format, or this format but unusable (the refusal says why). */
export type FormatSniff = 'match' | 'no-match' | Refusal;

/** A format read from decoded text (fixed width, CSV). It only sees text that passed the binary check. */
export interface TextFormat {
  kind: 'text';
  format: SourceFormat;
  /** How a person recognises this format; refusals list every format's `expected`. */
  expected: Bilingual;
  /** Looks at the text's head only (see TextSource), so a streamed file and the same text in memory get one verdict. */
  sniff(head: string): FormatSniff;
  parse(text: TextSource, ctx: ParseContext, encoding: TextEncoding): Iterable<ParseEvent>;
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
  /** True when a file starting with these bytes may be this format (its magic number): parseFileStream then reads it whole. */
  mayMatch(head: Uint8Array): boolean;
  sniff(bytes: Uint8Array): FormatSniff;
  parse(bytes: Uint8Array, ctx: ParseContext): AsyncIterable<ParseEvent>;
}

/** Any input format. */
export type FormatPlugin = TextFormat | BinaryFormat;
