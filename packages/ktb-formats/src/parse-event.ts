/** What a parser emits: one event per accepted or rejected line, then exactly one manifest. */
import type { BatchManifest, HeaderCheck, LaoRegistryEntry, PaymentRecord, RowReject, SourceFormat } from '@paywatch/domain';
import type { TextEncoding } from './decode-bytes.ts';
import type { Refusal } from './refusal-codes.ts';

/** What the caller knows about the upload; the parser itself does no I/O and reads no clock. */
export interface ParseContext {
  /** The uploading LAO (7 digits). Without it the LAO is looked up in `registry`. */
  laoCode?: string;
  /** LAO registry: finds the LAO from the file and checks that the sending accounts are its own. */
  registry?: readonly LaoRegistryEntry[];
  /** Today's date `YYYY-MM-DD` (Bangkok), for the future-date check; no check without it. */
  today?: string;
  /** How many days after `today` an effective date may lie (default 400). */
  maxFutureDays?: number;
  /**
   * Extra header spellings for the `ktb-report` columns, field → spellings (e.g. `{ amount: ['ยอดโอน'] }`).
   * They come before the built-in ones, so a new bank export version needs configuration, not code.
   */
  reportHeaderMap?: Record<string, string[]>;
  /**
   * `allow`: a file whose LAO no registry entry claims is read anyway, its records with `laoCode` null (`paywatch
   * parse` on someone's file). Default `refuse`: ingest must know the LAO of everything it publishes.
   */
  unknownLao?: 'refuse' | 'allow';
  /** Size limits; a file over one is refused as a whole. */
  limits?: ParseLimits;
}

/** Size limits for uploads (ktb-report). */
export interface ParseLimits {
  /** Data rows at most (default 2,000,000). */
  maxRows?: number;
  /** Characters per line at most (default 100,000). */
  maxLineChars?: number;
  /** Declared uncompressed size of an XLSX worksheet at most, bytes (default 200 MB). */
  maxXlsxUncompressedBytes?: number;
  /** An XLSX whose reader makes no progress for this long is refused as damaged, ms (default 15,000). */
  xlsxStallMs?: number;
}

/** An accepted line, as the domain's PaymentRecord. `row` is the 1-based line number in the file. */
export interface RecordEvent { kind: 'record'; row: number; record: PaymentRecord }

/** A rejected line (domain RowReject): row, field, stable code, Thai and English message, raw line. */
export type RejectEvent = { kind: 'reject' } & RowReject;

/** The last event of every parse: counts, totals, header check, and the refusal when the whole file was refused. */
export type ManifestEvent = { kind: 'manifest'; encoding: TextEncoding | null; header: HeaderCheck | null; refusal: Refusal | null }
  & Pick<BatchManifest, 'rowsRead' | 'rowsAccepted' | 'rowsRejected' | 'totalSatang'>
  & { format: SourceFormat | null };

/** Discriminated on `kind`. Invariants: exactly one manifest, last; rowsRead = rowsAccepted + rowsRejected. */
export type ParseEvent = RecordEvent | RejectEvent | ManifestEvent;

/**
 * The manifest of a refused file. Counts are all zero: nothing was read as rows, and no reject
 * events were emitted, so consumers that count events agree with the manifest.
 */
export function refusedManifest(format: SourceFormat | null, encoding: TextEncoding | null, refusal: Refusal): ManifestEvent {
  return { kind: 'manifest', format, encoding, rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, totalSatang: 0, header: null, refusal };
}

/**
 * Characters of a rejected line kept in its `raw`: a whole bulk line (498) and any sane report row fit; a runaway
 * line (a pasted 10 MB cell) would otherwise travel whole into the rejected-rows topic, the store and the page.
 */
export const MAX_RAW_CHARS = 2_000;

/** A rejected line's text as its reject carries it: cut at {@link MAX_RAW_CHARS}, with `…` when cut. */
export const shownRaw = (line: string): string => (line.length <= MAX_RAW_CHARS ? line : line.slice(0, MAX_RAW_CHARS) + '…');
