// The fast bulk parser (char-code field reads, caches per distinct value, a table decoder for Windows-874, streamed
// chunks) against the parser as it was before that work (test/oracle/, a verbatim copy, fed text decoded by
// iconv-lite as decodeBytes did): the same records, rejects (row, field, code, Thai/English message, raw) and
// manifest, event for event, on many generated bulk files damaged line by line and byte by byte.
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  bytesSource, encodeText, FORMATS, generateBulkBatch, ktbBulkFormat, MUTATIONS, parseFile, parseFileStream, parseKtbBulk, renderKtbBulkText,
  SeededRandom, TEXT_ENCODINGS, KTB_BULK_DETAIL as D, KTB_BULK_HEADER as H, type FormatPlugin, type ParseContext, type ParseEvent, type TextEncoding,
} from '../src/index.ts';
import { parseKtbBulkV1 } from './oracle/parse-ktb-bulk-v1.ts';
import { LAO, REGISTRY } from './helpers.ts';

/** decodeBytes as it was: UTF-8 with BOM, else strict UTF-8, else iconv-lite's cp874. */
function oracleDecode(bytes: Uint8Array): string {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(3));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'cp874');
  }
}

/** The formats parseFile tries, with the bulk parser swapped for the oracle over the oracle's own decoding of `bytes`. */
const oracleFormats = (bytes: Uint8Array): FormatPlugin[] => FORMATS.map((f) => (f === ktbBulkFormat ? { ...ktbBulkFormat, parse: (_text, ctx, encoding) => parseKtbBulkV1(oracleDecode(bytes), ctx, encoding) } : f));

type Field = readonly [number, number];
const put = (line: string, [from, to]: Field, value: string): string => line.slice(0, from) + value.padEnd(to - from).slice(0, to - from) + line.slice(to);
const digitsToThai = (s: string): string => s.replace(/[0-9]/g, (d) => String.fromCharCode(0x0e50 + Number(d)));

/** What damaged or unusual detail lines look like: each returns the new line (any length). */
const LINE_MUTATIONS: ReadonlyArray<(line: string, dice: SeededRandom) => string> = [
  (l) => put(l, D.recordType, '103'),
  (l, d) => put(l, D.batchNo, d.digits(6)),
  (l, d) => put(l, D.payeeBankCode, d.pick(['000', '999', '0A6', '   ', '030', '034', '066', '067', '069', '033', '014'])),
  (l, d) => put(l, D.payeeAccount, d.pick(['12345678901', '00000000000', '1234567890A', '00012345678', '           ', '๑๒๓๔๕๖๗๘๙๐๑'])),
  (l, d) => put(l, D.senderAccount, d.pick(['9800012345X', '09800099999', '00000000000', '98000123450'])),
  (l, d) => put(l, D.effectiveDate, d.pick(['32102567', '29022567', '29022568', '01011899', '01012200', '05102026', '05102569', 'AB102567', '        ', '๐๕๑๐๒๕๖๙', '05 12567', '31042567', '01012400'])),
  (l, d) => put(l, D.serviceType, d.pick(['00', '99', '1 ', 'XX', '59', '01', '04', '๐๑'])),
  (l, d) => put(l, D.amountSatang, d.pick(['00000000000000000', '99999999999999999', '0000000000000012A', '            12345', '12345            ', '๐๐๐๐๐๐๐๐๐๐๐๑๒๓๔๕๖', '00009007199254740', '09007199254740991', '-0000000000001000'])),
  (l) => put(l, D.payeeName, ''),
  (l, d) => put(l, D.payeeName, d.pick(['  นายสมชาย  ใจดี', 'นาง\tมาลี\u200bทองดี', 'ร้าน\u00adศรีสุข', '\ufeffบริษัท ก จำกัด', 'Mr.  John   Smith', 'นาย สมชาย ใจดี '])),
  (l, d) => put(l, [D.receiverInfo[0], D.receiverId[1]], d.pick(['1-1017-00203-45-0', '๑๑๐๑๗๐๐๒๐๓๔๕๐', '1101700203450', '1101700203451', '  1101700203450', '0105536000011', 'ABCDEFGH12345', '          12345'])),
  (l, d) => put(l, D.otherInfo1, d.pick(['ผู้รับ 1101700203450 ค่าวัสดุ', 'เลข 11017002034501', '   ', 'ค่าจ้าง  เหมา'])),
  (l, d) => put(l, D.otherInfo2, d.pick(['1101700203450', 'ID 3100600145962', ''])),
  // An ID with a bad check digit (or none) where the ID goes, and a valid one further on: which one is the payee's.
  (l, d) => put(put(put(l, [D.receiverInfo[0], D.receiverId[1]], d.pick(['1101700203451', '', '  3100600145961  '])), D.otherInfo1, d.pick(['', 'ค่าวัสดุ'])), D.otherInfo2, d.pick(['1101700203450', 'ID 3100600145962'])),
  (l, d) => put(l, D.refNo, d.pick(['ฎ.123/2567', '  07/2567', ''])),
  (l, d) => put(l, D.referenceNo, d.pick(['000001', '  ', 'ABC   '])),
  (l, d) => l.slice(0, d.int(0, l.length - 1)), // cut short (a trimmed or truncated line)
  (l) => l.trimEnd(),
  (l, d) => l + 'X'.repeat(d.int(1, 5)), // too long
  (l) => '   ',
  (l) => '',
];

/** A generated bulk file with `mutations` damaged lines, blank lines, header edits; as text. */
function damagedBulkText(seed: number, rows: number, mutations: number, opts: { eol: '\r\n' | '\n'; beYears: boolean; trimTrailing: boolean }): string {
  const dice = new SeededRandom(seed);
  const g = generateBulkBatch({ seed, ...LAO, rows, effectiveDate: '2026-10-05' });
  const text = renderKtbBulkText(g.spec, { eol: '\n', beYears: opts.beYears, trimTrailing: opts.trimTrailing });
  const lines = text.split('\n').slice(0, -1);
  for (let n = 0; n < mutations; n++) {
    const at = dice.int(1, lines.length - 1);
    lines[at] = dice.pick(LINE_MUTATIONS)(lines[at]!.padEnd(498), dice);
  }
  if (dice.chance(0.3)) lines[0] = put(lines[0]!.padEnd(498), H.detailCount, String(rows + dice.int(-2, 2)).padStart(7, '0'));
  if (dice.chance(0.2)) lines[0] = put(lines[0]!.padEnd(498), H.totalSatang, dice.pick(['0000000000000000001', 'ABC', '99999999999999999999']));
  if (dice.chance(0.1)) lines[0] = put(lines[0]!.padEnd(498), H.companyId, dice.pick(['GMIS660202', '', 'GMIS999999']));
  if (dice.chance(0.1)) lines[0] = put(lines[0]!.padEnd(498), H.effectiveDate, '31022567');
  const trailingBlanks = dice.chance(0.2) ? ['', '  ', '\x1a'].slice(0, dice.int(1, 3)) : [];
  return [...lines, ...trailingBlanks].join(opts.eol) + (dice.chance(0.8) ? opts.eol : '');
}

const CONTEXTS: ParseContext[] = [
  { registry: REGISTRY, today: '2026-10-05' },
  { registry: REGISTRY },
  { laoCode: LAO.laoCode, today: '2024-01-01', maxFutureDays: 30 },
  { registry: REGISTRY, today: '2026-10-05', unknownLao: 'allow' },
  { laoCode: '6600202', registry: REGISTRY },
];

const sync = (it: Iterable<ParseEvent>): ParseEvent[] => Array.from(it);
async function all(it: AsyncIterable<ParseEvent>): Promise<ParseEvent[]> {
  const out: ParseEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

const fileArb = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  rows: fc.integer({ min: 1, max: 40 }),
  mutations: fc.integer({ min: 0, max: 12 }),
  encoding: fc.constantFrom<TextEncoding>(...TEXT_ENCODINGS, 'windows-874', 'windows-874'),
  eol: fc.constantFrom('\r\n' as const, '\n' as const),
  beYears: fc.boolean(),
  trimTrailing: fc.boolean(),
  ctx: fc.constantFrom(...CONTEXTS),
  chunkBytes: fc.integer({ min: 1, max: 3_000 }),
});

describe('bulk parser equals the pre-optimisation oracle', () => {
  it('when generated bulk files are damaged line by line, then parseFile, the streamed parse and parseKtbBulk give the oracle’s events exactly', async () => {
    let rejects = 0;
    let records = 0;
    await fc.assert(
      fc.asyncProperty(fileArb, async (p) => {
        const text = damagedBulkText(p.seed, p.rows, p.mutations, p);
        const bytes = encodeText(text, p.encoding);
        const expected = sync(parseFile(bytes, p.ctx, oracleFormats(bytes)));
        expect(sync(parseFile(bytes, p.ctx))).toEqual(expected);
        expect(await all(parseFileStream(bytesSource(bytes, p.chunkBytes), p.ctx))).toEqual(expected);
        expect(sync(parseKtbBulk(oracleDecode(bytes), p.ctx, p.encoding))).toEqual(sync(parseKtbBulkV1(oracleDecode(bytes), p.ctx, p.encoding)));
        for (const e of expected) if (e.kind === 'reject') rejects++; else if (e.kind === 'record') records++;
      }),
      { numRuns: 400, seed: 20261203 },
    );
    // The generated files exercise both sides: plenty of accepted lines and plenty of rejects.
    expect(records).toBeGreaterThan(2_000);
    expect(rejects).toBeGreaterThan(500);
  });

  it('when generated bulk files are damaged byte by byte (bit rot, cuts, pasted Thai, stray line ends), then parseFile and the streamed parse give the oracle’s events exactly', async () => {
    await fc.assert(
      fc.asyncProperty(fileArb, fc.integer({ min: 1, max: 6 }), async (p, n) => {
        const dice = new SeededRandom(p.seed ^ 0x5eed);
        let bytes = encodeText(damagedBulkText(p.seed, p.rows, Math.min(p.mutations, 3), p), p.encoding);
        for (let i = 0; i < n; i++) {
          const m = dice.pick(MUTATIONS);
          if (m.name !== 'huge-line') bytes = m.apply(bytes, dice);
        }
        const expected = sync(parseFile(bytes, p.ctx, oracleFormats(bytes)));
        expect(sync(parseFile(bytes, p.ctx))).toEqual(expected);
        expect(await all(parseFileStream(bytesSource(bytes, p.chunkBytes), p.ctx))).toEqual(expected);
      }),
      { numRuns: 300, seed: 20261204 },
    );
  });

  it('when a large Windows-874 file is parsed whole and in 1 MiB chunks, then both give the oracle’s events exactly', async () => {
    const text = damagedBulkText(7, 5_000, 400, { eol: '\r\n', beYears: true, trimTrailing: false });
    const bytes = encodeText(text, 'windows-874');
    const ctx = CONTEXTS[0]!;
    const expected = sync(parseFile(bytes, ctx, oracleFormats(bytes)));
    expect(expected.at(-1)).toMatchObject({ kind: 'manifest', refusal: null, rowsRead: 5_000 });
    expect(sync(parseFile(bytes, ctx))).toEqual(expected);
    expect(await all(parseFileStream(bytesSource(bytes, 1 << 20), ctx))).toEqual(expected);
    expect(await all(parseFileStream(bytesSource(bytes, 4_093), ctx))).toEqual(expected);
  });
});
