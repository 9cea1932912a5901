import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReferenceKind } from '@paywatch/domain';
import { generateReferenceList, parseReferenceCsv, parseReferenceFile, renderReferenceCsv, renderReferenceXlsx, type ReferenceRow } from '../src/index.ts';

const LAOS = ['6600101', '6600202', '6000101'];

/** The items per LAO, in file order: what parsing a rendering of `rows` must give. */
function byLao(rows: readonly ReferenceRow[]): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const r of rows) out.set(r.laoCode, [...(out.get(r.laoCode) ?? []), r.item]);
  return out;
}

describe('reference data round trip (CSV)', () => {
  it('when generated reference lists are written as CSV in any header language, date style, encoding and delimiter, then parsing gives exactly the items per LAO', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer(), rows: fc.integer({ min: 1, max: 25 }), kind: fc.constantFrom(...ReferenceKind.options),
          thaiHeaders: fc.boolean(), thaiDates: fc.boolean(), encoding: fc.constantFrom('utf-8' as const, 'utf-8-bom' as const, 'windows-874' as const),
          delimiter: fc.constantFrom(',' as const, ';' as const, '\t' as const), eol: fc.constantFrom('\r\n' as const, '\n' as const),
        }),
        (p) => {
          const rows = generateReferenceList({ seed: p.seed, kind: p.kind, laoCodes: LAOS, rows: p.rows });
          const parsed = parseReferenceCsv(renderReferenceCsv(p.kind, rows, p), p.kind);
          expect(parsed.rejects).toEqual([]);
          expect(parsed.rowsRead).toBe(p.rows);
          expect(parsed.byLao).toEqual(byLao(rows));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('when the same CSV goes through parseReferenceFile, then it gives what parseReferenceCsv gives', async () => {
    const rows = generateReferenceList({ seed: 12, kind: 'vouchers', laoCodes: LAOS, rows: 20 });
    const bytes = renderReferenceCsv('vouchers', rows, { encoding: 'windows-874' });
    expect(await parseReferenceFile(bytes, 'vouchers')).toEqual(parseReferenceCsv(bytes, 'vouchers'));
  });
});

describe('reference data round trip (XLSX)', () => {
  it('when generated reference lists are written as a workbook in either header language and date style, then parseReferenceFile gives exactly the items per LAO', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ seed: fc.integer(), rows: fc.integer({ min: 1, max: 25 }), kind: fc.constantFrom(...ReferenceKind.options), thaiHeaders: fc.boolean(), thaiDates: fc.boolean() }),
        async (p) => {
          const rows = generateReferenceList({ seed: p.seed, kind: p.kind, laoCodes: LAOS, rows: p.rows });
          const parsed = await parseReferenceFile(await renderReferenceXlsx(p.kind, rows, p), p.kind);
          expect(parsed.refusal).toBeNull();
          expect(parsed.rejects).toEqual([]);
          expect(parsed.rowsRead).toBe(p.rows);
          expect(parsed.byLao).toEqual(byLao(rows));
        },
      ),
      { numRuns: 30 },
    );
  });
});
