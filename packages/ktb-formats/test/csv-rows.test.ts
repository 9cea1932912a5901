import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvRows } from '../src/csv-rows.ts';
import { csvParseRows } from '../src/csv-parse-rows.ts';
import type { TextSource } from '../src/text-source.ts';

/** A source whose chunks end after the given line ends (as a file read in pieces is). */
function chunked(text: string, cuts: number[]): TextSource {
  const ends = text.split('').flatMap((c, i) => (c === '\n' ? [i + 1] : []));
  const at = [...new Set(cuts.map((c) => ends[c % Math.max(1, ends.length)]).filter((x): x is number => x !== undefined))].sort((a, b) => a - b);
  return {
    head: text,
    *chunks() { let from = 0; for (const end of at) { if (end > from) { yield text.slice(from, end); from = end; } } yield text.slice(from); },
  };
}

const cell = fc.oneof(
  fc.stringMatching(/^[a-zก-ฮ0-9 .]{0,6}$/),
  fc.stringMatching(/^[a-z]{0,3}$/).map((s) => `"${s}"`),
  fc.stringMatching(/^[a-z,\n"]{0,6}$/).map((s) => `"${s.replace(/"/g, '""')}"`),
);
const plainCsv = fc.array(fc.tuple(fc.array(cell, { minLength: 1, maxLength: 5 }), fc.constantFrom('\n', '\r\n')), { maxLength: 12 })
  .map((rows) => rows.map(([cells, eol]) => cells.join(',') + eol).join(''));
const anyCsv = fc.stringMatching(/^[a"ก,;\n\r ]{0,60}$/);

const read = (gen: Iterable<unknown>) => [...gen];

describe('csvRows (fast reader)', () => {
  it('when the CSV is plain or malformed, chunked anyhow, from any start, then it reads exactly what csv-parse reads', () => {
    fc.assert(fc.property(fc.oneof(plainCsv, anyCsv), fc.array(fc.nat(), { maxLength: 4 }), fc.nat(), fc.constantFrom(',', ';'), fc.integer({ min: 5, max: 200 }), (text, cuts, skip, delimiter, max) => {
      // Start at a line start, as callers do (the header row's offset).
      const nl = text.indexOf('\n', skip % Math.max(1, text.length));
      const offset = skip % 3 === 0 || nl === -1 ? 0 : nl + 1;
      // The same source for both: csv-parse's own reader shows less of a malformed record's start when it began in an earlier chunk.
      expect(read(csvRows(chunked(text, cuts), offset, 1, delimiter, max))).toEqual(read(csvParseRows(chunked(text, cuts), offset, 1, delimiter, max)));
      expect(read(csvRows(text, offset, 1, delimiter, max))).toEqual(read(csvParseRows(text, offset, 1, delimiter, max)));
    }), { numRuns: 3_000 });
  });

  it('when a quoted cell spans lines and chunks, then it is one record and the next record has the right line number', () => {
    const text = 'a,"x\ny\r\nz",b\nc,d\n';
    const rows = read(csvRows(chunked(text, [0, 1]), 0, 1, ',', 1_000));
    expect(rows).toEqual([{ row: 1, cells: ['a', 'x\ny\r\nz', 'b'], raw: 'a,"x\ny\r\nz",b' }, { row: 4, cells: ['c', 'd'], raw: 'c,d' }]);
  });
});
