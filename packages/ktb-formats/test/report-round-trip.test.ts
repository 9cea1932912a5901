import fc from 'fast-check';
import { addDays } from '@paywatch/domain';
import { describe, expect, it } from 'vitest';
import { TEXT_ENCODINGS, generateReportBatch, parseFile, renderKtbReportCsv, type ParseContext } from '../src/index.ts';
import { LAO, REGISTRY, collect } from './helpers.ts';

const EXTRA_VALUES = ['สาขาพิจิตร', '=HYPERLINK("http://x.example","ดู")', 'a;b,c\tq "quoted"', '', '+66 81 234 5678', '@note'];

describe('ktb-report CSV round trip', () => {
  it('when generated records are rendered in any encoding × delimiter × header language × BE/CE × one- or two-column time, then parsing gives exactly those records', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer(),
          rows: fc.integer({ min: 1, max: 20 }),
          encoding: fc.constantFrom(...TEXT_ENCODINGS),
          delimiter: fc.constantFrom(',' as const, ';' as const, '\t' as const),
          thaiHeaders: fc.boolean(),
          beYears: fc.boolean(),
          splitDateTime: fc.boolean(),
          eol: fc.constantFrom('\r\n' as const, '\n' as const),
          day: fc.integer({ min: 0, max: 18_000 }),
          extra: fc.option(fc.constantFrom(...EXTRA_VALUES), { nil: undefined }),
          withRegistry: fc.boolean(),
        }),
        (p) => {
          const date = addDays('1995-01-01', p.day);
          const g = generateReportBatch({ seed: p.seed, ...LAO, rows: p.rows, date });
          const records = p.extra === undefined ? g.records : g.records.map((r) => ({ ...r, extra: { 'หมายเหตุสาขา': p.extra! } }));
          const bytes = renderKtbReportCsv(records, p);
          const ctx: ParseContext = p.withRegistry ? { registry: REGISTRY, today: date } : { laoCode: LAO.laoCode, today: date };
          const { records: got, rejects, manifest } = collect(parseFile(bytes, ctx));
          expect(rejects).toEqual([]);
          expect(got.map((r) => r.record)).toEqual(records);
          expect(got.map((r) => r.row)).toEqual(records.map((_, i) => i + 2));
          const success = records.filter((r) => r.status === 'success').reduce((s, r) => s + r.amountSatang, 0);
          expect(manifest).toMatchObject({ format: 'ktb-report', encoding: p.encoding, rowsRead: p.rows, totalSatang: success, refusal: null });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('when random bytes of a valid report are changed, inserted or deleted, then parsing never throws and the manifest adds up', () => {
    const mutation = fc.record({ at: fc.nat(), kind: fc.constantFrom('set', 'insert', 'delete'), byte: fc.constantFrom(0x22, 0x2c, 0x3b, 0x09, 0x0a, 0x0d, 0x2d, 0x3d, 0x30, 0xa1, 0xff, 0x00, 0x41) });
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom(...TEXT_ENCODINGS),
        fc.constantFrom(',' as const, ';' as const, '\t' as const),
        fc.array(mutation, { minLength: 1, maxLength: 10 }),
        fc.constantFrom<ParseContext>({ laoCode: LAO.laoCode }, { registry: REGISTRY }, { laoCode: LAO.laoCode, registry: REGISTRY, today: '2024-10-28', limits: { maxRows: 4, maxLineChars: 400 } }),
        (seed, rows, encoding, delimiter, mutations, ctx) => {
          const { records } = generateReportBatch({ seed, ...LAO, rows, date: '2024-10-28' });
          const bytes = Array.from(renderKtbReportCsv(records, { encoding, delimiter }));
          for (const m of mutations) {
            const at = m.at % (bytes.length + 1);
            if (m.kind === 'set' && at < bytes.length) bytes[at] = m.byte;
            else if (m.kind === 'insert') bytes.splice(at, 0, m.byte);
            else if (m.kind === 'delete') bytes.splice(at, 1);
          }
          collect(parseFile(Uint8Array.from(bytes), ctx));
        },
      ),
      { numRuns: 400 },
    );
  });
});
