/** Bytes in, events out: decode, recognise, dispatch. The single entry point for uploads. */
import { decodeBytes } from './decode-bytes.ts';
import { matchTextFormat } from './detect-format.ts';
import type { FormatPlugin } from './format-plugin.ts';
import { FORMATS } from './formats.ts';
import { refusedManifest, type ParseContext, type ParseEvent } from './parse-event.ts';
import { knownBinaryKind, refusalExpecting, utf16Bom } from './sniff-content.ts';

/**
 * Parses an uploaded text file (KTB bulk, CSV transfer report). Every outcome, refusals included, is a
 * sequence of events ending in one manifest; this never throws on content. Well-known non-text
 * files are refused, and the rest is decoded once and handed to the text format that recognises it.
 * Binary formats (XLSX) need {@link parseFileAsync}: here an XLSX is refused as a binary file.
 */
export function* parseFile(bytes: Uint8Array, ctx: ParseContext = {}, formats: readonly FormatPlugin[] = FORMATS): Generator<ParseEvent, void, undefined> {
  const expected = formats.map((f) => f.expected);
  if (bytes.length === 0) {
    yield refusedManifest(null, null, refusalExpecting('PW_ERR_EMPTY_FILE', expected));
    return;
  }
  const utf16 = utf16Bom(bytes);
  if (utf16 !== null) {
    yield refusedManifest(null, null, refusalExpecting('PW_ERR_UNSUPPORTED_ENCODING', expected, { kindEn: utf16 }));
    return;
  }
  const kind = knownBinaryKind(bytes);
  if (kind !== null) {
    yield refusedManifest(null, null, refusalExpecting('PW_ERR_BINARY_FILE', expected, { ...kind }));
    return;
  }
  const { text, encoding } = decodeBytes(bytes);
  const match = matchTextFormat(text, formats);
  if (match.plugin === null) {
    yield refusedManifest(match.format, encoding, match.refusal);
    return;
  }
  yield* match.plugin.parse(text, ctx, encoding);
}

/**
 * Parses an uploaded file of any format, XLSX included: binary formats are asked first, on the raw
 * bytes; everything else goes as in {@link parseFile}. Same events, same guarantees.
 */
export async function* parseFileAsync(bytes: Uint8Array, ctx: ParseContext = {}, formats: readonly FormatPlugin[] = FORMATS): AsyncGenerator<ParseEvent, void, undefined> {
  if (bytes.length > 0) {
    for (const f of formats) {
      if (f.kind !== 'binary') continue;
      const verdict = f.sniff(bytes);
      if (verdict === 'match') {
        yield* f.parse(bytes, ctx);
        return;
      }
      if (verdict !== 'no-match') {
        yield refusedManifest(f.format, null, verdict);
        return;
      }
    }
  }
  yield* parseFile(bytes, ctx, formats);
}
