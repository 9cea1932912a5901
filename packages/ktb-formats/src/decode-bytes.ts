/** Text encodings of uploaded files: UTF-8 (with or without BOM) and Windows-874 (TIS-620 plus a few symbols). */
import iconv from 'iconv-lite';
import { cp874Decoder } from './cp874-decoder.ts';

/** The encodings paywatch reads and the generator writes. */
export const TEXT_ENCODINGS = ['utf-8', 'utf-8-bom', 'windows-874'] as const;
/** One of {@link TEXT_ENCODINGS}. */
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];

/** Decoded text and the encoding it was found in. */
export interface DecodedText { text: string; encoding: TextEncoding }

// fatal: a CP874 file is almost never valid UTF-8 (Thai bytes 0xA1–0xFB are not valid lead/continuation
// sequences in runs), so the first invalid sequence is the signal to fall back.
const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Lenient = new TextDecoder('utf-8', { ignoreBOM: true });

const hasUtf8Bom = (b: Uint8Array): boolean => b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;


/** Decodes a file: UTF-8 with BOM (BOM removed), else valid UTF-8, else Windows-874. Never throws. */
export function decodeBytes(bytes: Uint8Array): DecodedText {
  // A BOM states the encoding; damaged sequences after it become U+FFFD rather than a guess at CP874.
  if (hasUtf8Bom(bytes)) return { text: utf8Lenient.decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
  try {
    return { text: utf8Strict.decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: cp874Decoder()(bytes), encoding: 'windows-874' };
  }
}

// Plain Uint8Array views, so callers comparing bytes never meet Buffer's extra methods.
const asView = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

const BOM = Uint8Array.of(0xef, 0xbb, 0xbf);

/** Encodes text for a file; characters Windows-874 cannot hold become `?` (iconv-lite's substitute). */
export function encodeText(text: string, encoding: TextEncoding): Uint8Array {
  if (encoding === 'windows-874') return asView(iconv.encode(text, 'cp874'));
  const body = Buffer.from(text, 'utf8');
  if (encoding === 'utf-8') return asView(body);
  const out = new Uint8Array(BOM.length + body.byteLength);
  out.set(BOM, 0);
  out.set(body, BOM.length);
  return out;
}
