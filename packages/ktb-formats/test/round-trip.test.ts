import fc from 'fast-check';
import { addDays, cleanText } from '@paywatch/domain';
import { describe, expect, it } from 'vitest';
import { TEXT_ENCODINGS, generateBulkBatch, parseFile, recordsOfSpec, renderKtbBulk, type ParseContext } from '../src/index.ts';
import { LAO, REGISTRY, collect } from './helpers.ts';

// Thai letters, vowels and tone marks, Thai digits, ASCII letters and punctuation found in names.
const NAME_CHARS = [...'กขคงจฉชซญดตถทธนบปผพฟภมยรลวศษสหอฮะัาำิีึืุูเแโใไ่้๊๋็์ๆ๑๒๓ABCxyz.()&-', ' ', '  '];
const payeeName = fc
  .array(fc.constantFrom(...NAME_CHARS), { minLength: 1, maxLength: 60 })
  .map((cs) => cs.join('').slice(0, 100))
  .filter((s) => cleanText(s) !== '');

describe('round trip: generated batches', () => {
  it('when a generated batch is rendered in any encoding × line end × trimming × era, then parsing gives exactly the generated records', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer(),
          rows: fc.integer({ min: 1, max: 25 }),
          encoding: fc.constantFrom(...TEXT_ENCODINGS),
          eol: fc.constantFrom('\r\n' as const, '\n' as const),
          trimTrailing: fc.boolean(),
          beYears: fc.boolean(),
          day: fc.integer({ min: 0, max: 18_000 }),
          name: fc.option(payeeName, { nil: undefined }),
          withRegistry: fc.boolean(),
        }),
        (p) => {
          const effectiveDate = addDays('1995-01-01', p.day);
          const g = generateBulkBatch({ seed: p.seed, ...LAO, rows: p.rows, effectiveDate });
          const spec = p.name === undefined ? g.spec : { ...g.spec, details: g.spec.details.map((d, i) => (i === 0 ? { ...d, payeeName: p.name! } : d)) };
          const expected = p.name === undefined ? g.records : recordsOfSpec(spec, LAO.laoCode);
          const bytes = renderKtbBulk(spec, p);
          const ctx: ParseContext = p.withRegistry ? { registry: REGISTRY, today: effectiveDate } : { laoCode: LAO.laoCode, today: effectiveDate };
          const { records, rejects, manifest } = collect(parseFile(bytes, ctx));
          expect(rejects).toEqual([]);
          expect(records.map((r) => r.record)).toEqual(expected);
          expect(records.map((r) => r.row)).toEqual(expected.map((_, i) => i + 2));
          expect(manifest).toMatchObject({ format: 'ktb-bulk', encoding: p.encoding, rowsRead: p.rows, refusal: null });
          expect(manifest.header?.matches).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('robustness: damaged files', () => {
  const mutation = fc.record({ at: fc.nat(), kind: fc.constantFrom('set', 'insert', 'delete'), byte: fc.integer({ min: 0, max: 255 }) });

  it('when random bytes of a valid file are changed, inserted or deleted, then parsing never throws and the manifest adds up', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom(...TEXT_ENCODINGS),
        fc.array(mutation, { minLength: 1, maxLength: 12 }),
        fc.constantFrom<ParseContext>({ laoCode: LAO.laoCode }, { registry: REGISTRY }, { laoCode: LAO.laoCode, registry: REGISTRY, today: '2024-10-28' }),
        (seed, rows, encoding, mutations, ctx) => {
          const g = generateBulkBatch({ seed, ...LAO, rows, effectiveDate: '2024-10-28' });
          const bytes = Array.from(renderKtbBulk(g.spec, { encoding, eol: '\r\n', beYears: seed % 2 === 0 }));
          for (const m of mutations) {
            const at = m.at % (bytes.length + 1);
            if (m.kind === 'set') bytes[Math.min(at, bytes.length - 1)] = m.byte;
            else if (m.kind === 'insert') bytes.splice(at, 0, m.byte);
            else bytes.splice(at, 1);
          }
          const { manifest } = collect(parseFile(Uint8Array.from(bytes), ctx));
          if (manifest.refusal === null) expect(manifest.header).not.toBeNull();
        },
      ),
      { numRuns: 500 },
    );
  });

  it('when the bytes are entirely random, then parsing never throws and ends in one manifest', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2_000 }), (bytes) => {
        collect(parseFile(bytes, { laoCode: LAO.laoCode }));
      }),
      { numRuns: 300 },
    );
  });
});
