/** Bytes in, events out: decode, recognise, dispatch. The single entry point for uploads. */
import { bytesSource, headBytes, readAll, type ByteSource } from './byte-source.ts';
import { decodedSource, sourceEncoding } from './decode-source.ts';
import { matchTextFormat } from './detect-format.ts';
import type { FormatPlugin } from './format-plugin.ts';
import { FORMATS } from './formats.ts';
import { refusedManifest, type ParseContext, type ParseEvent } from './parse-event.ts';
import { knownBinaryKind, refusalExpecting, utf16Bom } from './sniff-content.ts';

/**
 * Parses an uploaded text file (KTB bulk, CSV transfer report). Every outcome, refusals included, is a
 * sequence of events ending in one manifest; this never throws on content. Well-known non-text
 * files are refused, and the rest is decoded and handed to the text format that recognises it.
 * Binary formats (XLSX) need {@link parseFileAsync}: here an XLSX is refused as a binary file.
 */
export function parseFile(bytes: Uint8Array, ctx: ParseContext = {}, formats: readonly FormatPlugin[] = FORMATS): Generator<ParseEvent, void, undefined> {
  // parseText's own generator, not one wrapping it: every event of a 10-million-row day would otherwise pass
  // through each wrapper's yield* on its way out.
  return parseText(bytesSource(bytes), null, ctx, formats);
}

/**
 * {@link parseFile} over a re-readable source (a file on disk): the bytes are read a chunk at a time in a few
 * passes (encoding, then the format's own checks, then rows), so memory stays flat however large the file.
 */
export function parseTextFile(source: ByteSource, ctx: ParseContext = {}, formats: readonly FormatPlugin[] = FORMATS): Generator<ParseEvent, void, undefined> {
  return parseText(source, null, ctx, formats);
}

/** {@link parseTextFile}, with the source's first bytes (`headBytes`) when already read; read on the first step otherwise. */
function* parseText(source: ByteSource, headRead: Uint8Array | null, ctx: ParseContext, formats: readonly FormatPlugin[]): Generator<ParseEvent, void, undefined> {
  const head = headRead ?? headBytes(source);
  const expected = formats.map((f) => f.expected);
  if (head.length === 0) {
    yield refusedManifest(null, null, refusalExpecting('PW_ERR_EMPTY_FILE', expected));
    return;
  }
  const utf16 = utf16Bom(head);
  if (utf16 !== null) {
    yield refusedManifest(null, null, refusalExpecting('PW_ERR_UNSUPPORTED_ENCODING', expected, { kindEn: utf16 }));
    return;
  }
  const kind = knownBinaryKind(head);
  if (kind !== null) {
    yield refusedManifest(null, null, refusalExpecting('PW_ERR_BINARY_FILE', expected, { ...kind }));
    return;
  }
  const encoding = sourceEncoding(source, head);
  const text = decodedSource(source, encoding);
  const match = matchTextFormat(text.head, formats);
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

/**
 * {@link parseFileAsync} over a re-readable source, in bounded memory for text formats. A file whose first
 * bytes are a binary format's magic number (a workbook is a ZIP, whose directory is at its end) is read
 * whole, as parseFileAsync would get it; its size is the upload limit's business and the XLSX reader's
 * uncompressed-size limit guards the rest.
 */
export function parseFileStream(source: ByteSource, ctx: ParseContext = {}, formats: readonly FormatPlugin[] = FORMATS): AsyncGenerator<ParseEvent, void, undefined> {
  return eventsAsAsync(() => {
    const head = headBytes(source);
    if (formats.some((f) => f.kind === 'binary' && f.mayMatch(head))) return parseFileAsync(readAll(source), ctx, formats);
    return parseText(source, head, ctx, formats);
  });
}

type EventIterator = Iterator<ParseEvent, void, undefined> | AsyncIterator<ParseEvent, void, undefined>;

/**
 * Events as an AsyncGenerator that hands each over in one resolved promise. An async generator's `yield*` over the
 * synchronous parsers costs several microtask turns per event, a fifth of a streamed bulk parse. Like a generator,
 * nothing runs before the first `next()`, and `return()` / `throw()` reach the parser (closing the file).
 */
function eventsAsAsync(open: () => EventIterator): AsyncGenerator<ParseEvent, void, undefined> {
  let inner: EventIterator | null = null;
  let finished = false;
  const doneResult: IteratorReturnResult<void> = { done: true, value: undefined };
  const settle = (step: () => IteratorResult<ParseEvent, void> | Promise<IteratorResult<ParseEvent, void>>): Promise<IteratorResult<ParseEvent, void>> => {
    try {
      const r = step();
      if (r instanceof Promise) return r.then((v) => { if (v.done) finished = true; return v; }, (e: unknown) => { finished = true; throw e; });
      if (r.done) finished = true;
      return Promise.resolve(r);
    } catch (e) {
      finished = true;
      return Promise.reject(e);
    }
  };
  const self: AsyncGenerator<ParseEvent, void, undefined> = {
    next: () => (finished ? Promise.resolve(doneResult) : settle(() => (inner ??= open()).next())),
    return: () => {
      if (finished || inner === null || inner.return === undefined) { finished = true; return Promise.resolve(doneResult); }
      const it = inner;
      finished = true;
      return settle(() => it.return!()).then(() => doneResult);
    },
    throw: (e: unknown) => {
      if (finished || inner === null || inner.throw === undefined) { finished = true; return Promise.reject(e); }
      const it = inner;
      return settle(() => it.throw!(e));
    },
    [Symbol.asyncIterator]: () => self,
    [Symbol.asyncDispose]: () => self.return(undefined).then(() => undefined),
  };
  return self;
}
