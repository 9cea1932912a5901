/** Recognises the format of decoded content, never from the file name. */
import type { SourceFormat } from '@paywatch/domain';
import type { FormatPlugin, TextFormat } from './format-plugin.ts';
import { FORMATS } from './formats.ts';
import type { Refusal } from './refusal-codes.ts';
import { headOf } from './text-source.ts';
import { binaryKindOfText, contentRefusal, isBlankText } from './sniff-content.ts';

/** The format of some content, or null and the refusal that says why and what was expected. */
export type DetectedFormat = { format: SourceFormat; refusal: null } | { format: null; refusal: Refusal };

/** Internal form that also carries the plugin to dispatch to. */
export type TextFormatMatch = { plugin: TextFormat; refusal: null } | { plugin: null; refusal: Refusal; format: SourceFormat | null };

/**
 * Finds the text format of decoded content from its head (see TextSource): empty and binary content is
 * refused first, then each text format sniffs in turn; a format that recognises but cannot use the
 * content refuses it.
 */
export function matchTextFormat(text: string, formats: readonly FormatPlugin[] = FORMATS): TextFormatMatch {
  const expected = formats.map((f) => f.expected);
  if (isBlankText(text) || binaryKindOfText(text) !== null) return { plugin: null, refusal: contentRefusal(text, expected), format: null };
  for (const f of formats) {
    if (f.kind !== 'text') continue;
    const verdict = f.sniff(text);
    if (verdict === 'match') return { plugin: f, refusal: null };
    if (verdict !== 'no-match') return { plugin: null, refusal: verdict, format: f.format };
  }
  return { plugin: null, refusal: contentRefusal(text, expected), format: null };
}

/** `{ format: 'ktb-bulk' }` for a bulk file, else `{ format: null, refusal }` naming what was expected. */
export function detectFormat(text: string, formats: readonly FormatPlugin[] = FORMATS): DetectedFormat {
  const m = matchTextFormat(headOf(text), formats);
  return m.plugin !== null ? { format: m.plugin.format, refusal: null } : { format: null, refusal: m.refusal };
}
