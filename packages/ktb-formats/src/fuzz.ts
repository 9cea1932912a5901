/**
 * A seeded fuzzer for the parsers: valid files from the generators, damaged by byte mutations (fuzz-mutate.ts), read
 * by the real entry points, and checked against the invariants every parse must keep (fuzz-invariants.ts). A crash
 * is a throw or rejection (content must never make a parser throw: only a malformed context may, and the fuzzer's
 * context is well formed), a broken invariant, or an input that takes longer than `hangMs` (a parser waiting on
 * something that never comes; synchronous work cannot be interrupted, so slow inputs show in `onResult` timings
 * instead). Pure apart from the timer of the hang check: same seed ⇒ same inputs, and (seed, format, iteration)
 * names one input exactly.
 */
import { ReferenceKind, type LaoRegistryEntry } from '@paywatch/domain';
import { generateBulkBatch } from './generate-bulk-batch.ts';
import { generateReferenceList } from './generate-reference-list.ts';
import { generateReportBatch } from './generate-report-batch.ts';
import { parseViolations, referenceViolations } from './fuzz-invariants.ts';
import { mutate } from './fuzz-mutate.ts';
import { canonicalXlsx, mutateXlsx } from './fuzz-xlsx.ts';
import type { ParseContext, ParseEvent } from './parse-event.ts';
import { bytesSource } from './byte-source.ts';
import { parseFileAsync, parseFileStream } from './parse-file.ts';
import type { ReferenceParse } from './parse-reference.ts';
import { parseReferenceFile } from './parse-reference-file.ts';
import { renderKtbBulk } from './render-ktb-bulk.ts';
import { renderKtbReportCsv, renderKtbReportXlsx } from './render-ktb-report.ts';
import { renderReferenceCsv, renderReferenceXlsx } from './render-reference.ts';
import { SeededRandom } from './seeded-random.ts';

/** What the fuzzer feeds: the three upload formats and reference files. */
export const FUZZ_FORMATS = ['ktb-bulk', 'ktb-report-csv', 'ktb-report-xlsx', 'reference'] as const;
export type FuzzFormat = (typeof FUZZ_FORMATS)[number];

/** The entry points under test. Tests swap in a broken one to prove that the fuzzer reports crashes. */
export interface FuzzTarget {
  parse(bytes: Uint8Array, ctx: ParseContext): AsyncIterable<ParseEvent>;
  /** When given, `parse` must give exactly the events this gives (the streamed path against the whole-file one). */
  parseWhole?(bytes: Uint8Array, ctx: ParseContext): AsyncIterable<ParseEvent>;
  parseReference(bytes: Uint8Array, kind: ReferenceKind, ctx: ParseContext): ReferenceParse | Promise<ReferenceParse>;
}

/** Chunk size of the fuzzer's streamed parse: small and odd, so lines, characters and CSV records straddle chunks. */
const FUZZ_CHUNK_BYTES = 4_093;

/** Uploads are parsed the way ingest parses them (streamed from a source), checked against the whole-file parse. */
export const DEFAULT_FUZZ_TARGET: FuzzTarget = {
  parse: (bytes, ctx) => parseFileStream(bytesSource(bytes, FUZZ_CHUNK_BYTES), ctx),
  parseWhole: parseFileAsync,
  parseReference: parseReferenceFile,
};

/** One input: which case it is, its bytes, and what was done to the valid file it came from. */
export interface FuzzInput { format: FuzzFormat; seed: number; iteration: number; bytes: Uint8Array; mutations: string[]; ctx: ParseContext; referenceKind: ReferenceKind | null }

/** A crash: the input and how it failed. Re-run it with the same seed, format and iteration. */
export interface FuzzCrash extends FuzzInput { kind: 'threw' | 'invariant' | 'hang'; message: string; detail: string[] }

/** A valid file the mutations start from, with the context it parses under. */
interface BaseInput { bytes: Uint8Array; ctx: ParseContext; referenceKind: ReferenceKind | null }

const LAO: LaoRegistryEntry = {
  laoCode: '6600101', nameTh: 'องค์การบริหารส่วนตำบลตัวอย่าง', type: 'sao', provinceCode: '66', provinceNameTh: 'พิจิตร', districtTh: 'เมืองพิจิตร',
  companyIds: ['GMIS660101'], accounts: ['9800012345'],
};
const GEN = { laoCode: LAO.laoCode, companyId: LAO.companyIds[0]!, debitAccount: LAO.accounts[0]! };
/** A damaged workbook must be given up on quickly, not after the upload default of 15 s. */
const FUZZ_STALL_MS = 1_000;
const BASES_PER_FORMAT = 6;

/** A 32-bit mix of the case coordinates, so each (seed, format, iteration) has its own stream. */
export function caseSeed(seed: number, format: FuzzFormat, iteration: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(FUZZ_FORMATS.indexOf(format) + 1, 0xc2b2ae35) ^ Math.imul(iteration + 1, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return (h ^ (h >>> 13)) >>> 0;
}

async function baseInput(format: FuzzFormat, dice: SeededRandom): Promise<BaseInput> {
  const seed = dice.int(0, 0x7fffffff);
  const rows = dice.int(1, 12);
  const ctx: ParseContext = dice.chance(0.5) ? { registry: [LAO] } : { laoCode: LAO.laoCode };
  const thaiHeaders = dice.chance(0.5), beYears = dice.chance(0.5);
  switch (format) {
    case 'ktb-bulk': {
      const { spec } = generateBulkBatch({ seed, ...GEN, rows, effectiveDate: '2025-10-05' });
      const bytes = renderKtbBulk(spec, { encoding: dice.pick(['windows-874', 'utf-8', 'utf-8-bom'] as const), eol: dice.pick(['\r\n', '\n'] as const), trimTrailing: dice.chance(0.3), beYears });
      return { bytes, ctx, referenceKind: null };
    }
    case 'ktb-report-csv': {
      const { records } = generateReportBatch({ seed, ...GEN, rows, date: '2025-10-05' });
      const bytes = renderKtbReportCsv(records, { encoding: dice.pick(['windows-874', 'utf-8', 'utf-8-bom'] as const), delimiter: dice.pick([',', ';', '\t'] as const), thaiHeaders, beYears, splitDateTime: dice.chance(0.3), eol: dice.pick(['\r\n', '\n'] as const) });
      return { bytes, ctx, referenceKind: null };
    }
    case 'ktb-report-xlsx': {
      const { records } = generateReportBatch({ seed, ...GEN, rows, date: '2025-10-05' });
      const bytes = canonicalXlsx(await renderKtbReportXlsx(records, { thaiHeaders, beYears, numericAmounts: dice.chance(0.5) }));
      return { bytes, ctx: { ...ctx, limits: { xlsxStallMs: FUZZ_STALL_MS } }, referenceKind: null };
    }
    case 'reference': {
      const kind = dice.pick(ReferenceKind.options);
      const list = generateReferenceList({ seed, kind, laoCodes: [LAO.laoCode, '6600202'], rows });
      // Reference lists come as CSV or as workbooks (parseReferenceFile tells them apart).
      const bytes = dice.chance(0.5)
        ? renderReferenceCsv(kind, list, { encoding: dice.pick(['windows-874', 'utf-8', 'utf-8-bom'] as const), delimiter: dice.pick([',', ';', '\t'] as const), thaiHeaders, thaiDates: beYears })
        : canonicalXlsx(await renderReferenceXlsx(kind, list, { thaiHeaders, thaiDates: beYears }));
      return { bytes, ctx: { limits: { xlsxStallMs: FUZZ_STALL_MS } }, referenceKind: kind };
    }
  }
}

/** The valid files of a run: a few per format, from the run's seed. */
export async function fuzzCorpus(seed: number, formats: readonly FuzzFormat[] = FUZZ_FORMATS): Promise<Map<FuzzFormat, BaseInput[]>> {
  const corpus = new Map<FuzzFormat, BaseInput[]>();
  for (const f of formats) {
    const dice = new SeededRandom(caseSeed(seed, f, -1));
    const bases: BaseInput[] = [];
    for (let i = 0; i < BASES_PER_FORMAT; i++) bases.push(await baseInput(f, dice));
    corpus.set(f, bases);
  }
  return corpus;
}

/** The input of one case: a base file of the corpus, mutated; sometimes parsed under tight limits to reach their refusals. */
export function fuzzInput(corpus: ReadonlyMap<FuzzFormat, readonly BaseInput[]>, seed: number, format: FuzzFormat, iteration: number): FuzzInput {
  const dice = new SeededRandom(caseSeed(seed, format, iteration));
  const base = dice.pick(corpus.get(format) ?? []);
  if (base === undefined) throw new Error(`no corpus for ${format}`);
  // Most workbook inputs are damaged inside a well-formed ZIP, or the reader behind the ZIP checks is never reached
  // (mutateXlsx gives null for a CSV reference file, which then gets byte mutations).
  const { bytes, applied } = ((format === 'ktb-report-xlsx' || format === 'reference') && dice.chance(0.75) ? mutateXlsx(base.bytes, dice) : null) ?? mutate(base.bytes, dice);
  const tight = dice.chance(0.1) ? { limits: { ...base.ctx.limits, maxRows: dice.int(1, 6), maxLineChars: dice.int(200, 2_000) } } : {};
  return { format, seed, iteration, bytes, mutations: applied, ctx: { ...base.ctx, ...tight }, referenceKind: base.referenceKind };
}

/** Index of the first event that differs between two parses (compared as JSON), or -1. */
function firstDifference(a: readonly ParseEvent[], b: readonly ParseEvent[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) return i;
  return -1;
}

const errorText = (e: unknown): { message: string; detail: string[] } =>
  e instanceof Error ? { message: `${e.name}: ${e.message}`, detail: (e.stack ?? '').split('\n').slice(1, 8).map((l) => l.trim()) } : { message: String(e), detail: [] };

/** Runs one input through its entry point and checks the result; the crash, or null. */
export async function runFuzzInput(input: FuzzInput, target: FuzzTarget = DEFAULT_FUZZ_TARGET, hangMs = 30_000): Promise<FuzzCrash | null> {
  const work = async (): Promise<string[]> => {
    if (input.referenceKind !== null) return referenceViolations(input.referenceKind, await target.parseReference(input.bytes, input.referenceKind, input.ctx));
    const events: ParseEvent[] = [];
    for await (const e of target.parse(input.bytes, input.ctx)) events.push(e);
    const violations = parseViolations(events);
    // Text formats only: a workbook is read whole on both paths, and its stall timer would make two runs differ under load.
    if (target.parseWhole !== undefined && violations.length === 0 && input.format !== 'ktb-report-xlsx') {
      const whole: ParseEvent[] = [];
      for await (const e of target.parseWhole(input.bytes, input.ctx)) whole.push(e);
      const at = firstDifference(events, whole);
      if (at !== -1) violations.push(`the streamed parse differs from the whole-file parse at event ${at} of ${events.length}/${whole.length}`);
    }
    return violations;
  };
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => { timer = setTimeout(() => resolve('hang'), hangMs); });
  try {
    const running = work();
    running.catch(() => {}); // a failure after a hang was reported must not become an unhandled rejection
    const outcome = await Promise.race([running, hang]);
    if (outcome === 'hang') return { ...input, kind: 'hang', message: `no result after ${hangMs} ms`, detail: [] };
    return outcome.length === 0 ? null : { ...input, kind: 'invariant', message: outcome[0]!, detail: outcome.slice(1) };
  } catch (e) {
    return { ...input, kind: 'threw', ...errorText(e) };
  } finally {
    clearTimeout(timer);
  }
}

/** What to fuzz and for how long. */
export interface FuzzOptions {
  seed: number;
  formats?: readonly FuzzFormat[];
  /** Inputs per format at most (tests); without it the run lasts until `stop` says so. */
  iterations?: number;
  /** Asked before each round (one input of every format); true ends the run (the command's clock lives there, not here). */
  stop?: () => boolean;
  /** An input taking longer than this is a hang (ms, default 30,000). */
  hangMs?: number;
  target?: FuzzTarget;
  /** Called before each input is run (the command attributes stray asynchronous errors to it). */
  onInput?: (input: FuzzInput) => void;
  /** Called after each input with its crash or null (the command times inputs here). */
  onResult?: (input: FuzzInput, crash: FuzzCrash | null) => void;
  onCrash?: (crash: FuzzCrash) => void | Promise<void>;
}

/** How a run went: inputs tried per format, and every crash. */
export interface FuzzReport { seed: number; tried: Record<FuzzFormat, number>; crashes: FuzzCrash[] }

/** Feeds mutated inputs to the parsers, format after format in turn, until `iterations` or `stop`. */
export async function fuzz(o: FuzzOptions): Promise<FuzzReport> {
  const formats = o.formats ?? FUZZ_FORMATS;
  if (o.iterations === undefined && o.stop === undefined) throw new TypeError('fuzz: give iterations or stop, or it never ends');
  const corpus = await fuzzCorpus(o.seed, formats);
  const tried = Object.fromEntries(FUZZ_FORMATS.map((f) => [f, 0])) as Record<FuzzFormat, number>;
  const crashes: FuzzCrash[] = [];
  for (let iteration = 0; o.iterations === undefined || iteration < o.iterations; iteration++) {
    // Asked per round, not per input: every format gets the same number of inputs, and at least one.
    if (o.stop?.()) break;
    for (const format of formats) {
      const input = fuzzInput(corpus, o.seed, format, iteration);
      o.onInput?.(input);
      const crash = await runFuzzInput(input, o.target, o.hangMs);
      tried[format]++;
      o.onResult?.(input, crash);
      if (crash !== null) {
        crashes.push(crash);
        await o.onCrash?.(crash);
      }
    }
  }
  return { seed: o.seed, tried, crashes };
}
