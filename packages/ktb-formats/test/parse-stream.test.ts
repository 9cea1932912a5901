// Streaming parse (parseFileStream over a ByteSource) against the whole-file parse: the same events for every
// input, however the bytes are cut into chunks, and a file read a chunk at a time is never decoded whole.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bytesSource, decodedSource, fileSource, fuzzCorpus, fuzzInput, generateBulkBatch, generateReportBatch, parseFileAsync, parseFileStream,
  renderKtbBulk, renderKtbReportCsv, renderKtbReportXlsx, sourceEncoding, TEXT_ENCODINGS, type ByteSource, type ParseContext, type ParseEvent,
} from '../src/index.ts';
import { LAO, REGISTRY } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'pw-parse-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function events(it: AsyncIterable<ParseEvent>): Promise<ParseEvent[]> {
  const out: ParseEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

const whole = (bytes: Uint8Array, ctx: ParseContext) => events(parseFileAsync(bytes, ctx));
const streamed = (source: ByteSource, ctx: ParseContext) => events(parseFileStream(source, ctx));

describe('streaming parse', () => {
  it('when generated bulk files and reports are cut into chunks of any size, then the streamed events equal the whole-file events', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seed: fc.integer(),
          rows: fc.integer({ min: 1, max: 30 }),
          encoding: fc.constantFrom(...TEXT_ENCODINGS),
          eol: fc.constantFrom('\r\n' as const, '\n' as const),
          report: fc.boolean(),
          delimiter: fc.constantFrom(',' as const, ';' as const, '\t' as const),
          chunkBytes: fc.integer({ min: 1, max: 700 }),
        }),
        async (p) => {
          const bytes = p.report
            ? renderKtbReportCsv(generateReportBatch({ seed: p.seed, ...LAO, rows: p.rows, date: '2026-10-05' }).records, { encoding: p.encoding, delimiter: p.delimiter, eol: p.eol })
            : renderKtbBulk(generateBulkBatch({ seed: p.seed, ...LAO, rows: p.rows, effectiveDate: '2026-10-05' }).spec, { encoding: p.encoding, eol: p.eol });
          const ctx = { registry: REGISTRY, today: '2026-10-05' };
          const expected = await whole(bytes, ctx);
          expect(expected.at(-1)).toMatchObject({ kind: 'manifest', refusal: null, rowsRead: p.rows });
          expect(await streamed(bytesSource(bytes, p.chunkBytes), ctx)).toEqual(expected);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('when damaged files of every text format are streamed in small chunks, then every event equals the whole-file parse', async () => {
    const corpus = await fuzzCorpus(7, ['ktb-bulk', 'ktb-report-csv']);
    let refused = 0;
    let rejected = 0;
    for (const format of ['ktb-bulk', 'ktb-report-csv'] as const) {
      for (let i = 0; i < 100; i++) {
        const input = fuzzInput(corpus, 7, format, i);
        const expected = await whole(input.bytes, input.ctx);
        const chunkBytes = 7 + ((i * 397) % 4000);
        expect(await streamed(bytesSource(input.bytes, chunkBytes), input.ctx), `${format} #${i}, ${chunkBytes}-byte chunks`).toEqual(expected);
        const m = expected.at(-1);
        if (m?.kind === 'manifest' && m.refusal !== null) refused++;
        if (expected.some((e) => e.kind === 'reject')) rejected++;
      }
    }
    // The damaged inputs reach refusals and row rejects, not only clean parses.
    expect(refused).toBeGreaterThan(10);
    expect(rejected).toBeGreaterThan(10);
  });

  it('when a workbook is streamed from disk, then it is read whole and parsed as parseFileAsync parses it', async () => {
    const g = generateReportBatch({ seed: 3, ...LAO, rows: 12, date: '2026-10-05' });
    const bytes = await renderKtbReportXlsx(g.records);
    const file = join(dir, 'report.xlsx');
    writeFileSync(file, bytes);
    const ctx = { registry: REGISTRY };
    const expected = await whole(bytes, ctx);
    expect(expected.at(-1)).toMatchObject({ format: 'ktb-report', refusal: null, rowsAccepted: 12 });
    expect(await streamed(fileSource(file, 1000), ctx)).toEqual(expected);
  });

  it('when a multi-megabyte Windows-874 file is read from disk, then it is decoded a chunk at a time, never whole, and parsed exactly', async () => {
    const g = generateBulkBatch({ seed: 11, ...LAO, rows: 8_000, effectiveDate: '2026-10-05' });
    const bytes = renderKtbBulk(g.spec, { encoding: 'windows-874', eol: '\r\n' });
    expect(bytes.length).toBeGreaterThan(3 * 1024 * 1024);
    const file = join(dir, 'bulk.txt');
    writeFileSync(file, bytes);
    const source = fileSource(file);
    expect(sourceEncoding(source, bytes.subarray(0, 4096))).toBe('windows-874');
    const chunkLengths = [...decodedSource(source, 'windows-874').chunks()].map((c) => c.length);
    expect(chunkLengths.length).toBeGreaterThan(3);
    // A chunk is at most what 1 MiB of bytes decodes to, plus the rest of the line it cut.
    expect(Math.max(...chunkLengths)).toBeLessThanOrEqual(1024 * 1024 + 500);
    const got = await streamed(source, { registry: REGISTRY });
    expect(got.filter((e) => e.kind === 'record').map((e) => (e.kind === 'record' ? e.record : null))).toEqual(g.records);
    expect(got.at(-1)).toMatchObject({ kind: 'manifest', encoding: 'windows-874', rowsRead: 8_000, rowsAccepted: 8_000, refusal: null });
  });

  it('when a UTF-8 character or the BOM straddles two chunks, then the encoding is still found and the text decoded intact', () => {
    const text = 'ชื่อ,จำนวนเงิน\nนายก,1\n';
    for (const encoding of TEXT_ENCODINGS) {
      const bytes = encoding === 'utf-8-bom' ? Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]) : encoding === 'utf-8' ? new TextEncoder().encode(text) : null;
      if (bytes === null) continue;
      for (let k = 1; k <= 8; k++) {
        const source = bytesSource(bytes, k);
        expect(sourceEncoding(source, bytes.subarray(0, 3))).toBe(encoding);
        expect([...decodedSource(source, encoding).chunks()].join('')).toBe(text);
      }
    }
    // A lone lead byte at the very end is not UTF-8, however it is chunked.
    const cut = new TextEncoder().encode('นาย').subarray(0, 7);
    for (let k = 1; k <= 7; k++) expect(sourceEncoding(bytesSource(cut, k), cut.subarray(0, 3))).toBe('windows-874');
  });
});
