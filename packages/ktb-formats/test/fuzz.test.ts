import { describe, expect, it } from 'vitest';
import { sha256Hex } from '@paywatch/domain';
import {
  fuzz, fuzzCorpus, fuzzInput, parseFileAsync, parseViolations, referenceViolations, type FuzzTarget, type ManifestEvent, type ParseEvent,
} from '../src/index.ts';

const SEED = 20_261_122;
const describeCrash = (c: { format: string; iteration: number; kind: string; message: string; mutations: string[] }) => `${c.format} #${c.iteration} ${c.kind}: ${c.message} (${c.mutations.join(', ')})`;

async function* brokenCounts(bytes: Uint8Array, ctx: Parameters<FuzzTarget['parse']>[1]): AsyncGenerator<ParseEvent> {
  for await (const e of parseFileAsync(bytes, ctx)) yield e.kind === 'manifest' ? { ...e, rowsRead: e.rowsRead + 1 } : e;
}

describe('fuzz', () => {
  it('when 50 mutated inputs of every format are parsed, then none throws and every parse keeps its invariants', async () => {
    const report = await fuzz({ seed: SEED, iterations: 50 });
    expect(report.crashes.map(describeCrash)).toEqual([]);
    expect(report.tried).toEqual({ 'ktb-bulk': 50, 'ktb-report-csv': 50, 'ktb-report-xlsx': 50, reference: 50 });
  }, 60_000);

  it('when the parser under test breaks the counts, then every input is reported as an invariant crash that replays to the same bytes', async () => {
    const target: FuzzTarget = { parse: brokenCounts, parseReference: () => { throw new Error('not fuzzed here'); } };
    const report = await fuzz({ seed: SEED, iterations: 5, formats: ['ktb-bulk'], target });
    expect(report.crashes).toHaveLength(5);
    expect(report.crashes.every((c) => c.kind === 'invariant' && /rowsRead \d+ ≠ rowsAccepted/.test(c.message))).toBe(true);
    const crash = report.crashes[3]!;
    const replay = fuzzInput(await fuzzCorpus(SEED, ['ktb-bulk']), SEED, 'ktb-bulk', crash.iteration);
    expect(sha256Hex(replay.bytes)).toBe(sha256Hex(crash.bytes));
    expect(replay.mutations).toEqual(crash.mutations);
  });

  it('when the streamed parse loses a row the whole-file parse keeps, then the input is an invariant crash naming the difference', async () => {
    // Drops the first record and recounts, so every single-parse invariant still holds: only the comparison can see it.
    async function* dropsFirstRecord(bytes: Uint8Array, ctx: Parameters<FuzzTarget['parse']>[1]): AsyncGenerator<ParseEvent> {
      let dropped = false;
      for await (const e of parseFileAsync(bytes, ctx)) {
        if (e.kind === 'record' && !dropped) { dropped = true; continue; }
        yield e.kind === 'manifest' && dropped ? { ...e, rowsRead: e.rowsRead - 1, rowsAccepted: e.rowsAccepted - 1, totalSatang: e.totalSatang - firstAmount } : e;
      }
    }
    let firstAmount = 0;
    const target: FuzzTarget = {
      parse: async function* (bytes, ctx) {
        for await (const e of parseFileAsync(bytes, ctx)) if (e.kind === 'record') { firstAmount = e.record.amountSatang; break; }
        yield* dropsFirstRecord(bytes, ctx);
      },
      parseWhole: parseFileAsync,
      parseReference: () => { throw new Error('not fuzzed here'); },
    };
    const report = await fuzz({ seed: SEED, iterations: 20, formats: ['ktb-bulk'], target });
    expect(report.crashes.length).toBeGreaterThan(0);
    expect(report.crashes.map((c) => c.message).filter((m) => !/^the streamed parse differs from the whole-file parse at event \d+ /.test(m))).toEqual([]);
  });

  it('when the parser under test throws or never finishes, then the input is a crash of kind threw or hang', async () => {
    const throwing: FuzzTarget = { parse: () => { throw new RangeError('boom'); }, parseReference: () => { throw new Error('bad reference'); } };
    const thrown = await fuzz({ seed: SEED, iterations: 2, formats: ['ktb-report-csv', 'reference'], target: throwing });
    expect(thrown.crashes.map((c) => [c.format, c.kind, c.message])).toEqual([
      ['ktb-report-csv', 'threw', 'RangeError: boom'], ['reference', 'threw', 'Error: bad reference'],
      ['ktb-report-csv', 'threw', 'RangeError: boom'], ['reference', 'threw', 'Error: bad reference'],
    ]);
    const stuck: FuzzTarget = { parse: async function* () { await new Promise(() => {}); }, parseReference: () => new Promise(() => {}) };
    const hung = await fuzz({ seed: SEED, iterations: 1, formats: ['ktb-bulk'], target: stuck, hangMs: 20 });
    expect(hung.crashes.map((c) => c.kind)).toEqual(['hang']);
  });

  it('when the same seed is fuzzed twice, then the inputs are the same, and another seed gives other inputs', async () => {
    const seen = async (seed: number) => {
      const inputs: string[] = [];
      await fuzz({ seed, iterations: 3, onInput: (i) => inputs.push(`${i.format}:${i.mutations.join(',')}:${sha256Hex(i.bytes)}`) });
      return inputs;
    };
    const a = await seen(7);
    expect(await seen(7)).toEqual(a);
    expect(await seen(8)).not.toEqual(a);
  });
});

describe('fuzz invariants', () => {
  const manifest = (m: Partial<ManifestEvent>): ManifestEvent => ({ kind: 'manifest', format: 'ktb-bulk', encoding: 'utf-8', rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, totalSatang: 0, header: null, refusal: null, ...m });
  const reject: ParseEvent = { kind: 'reject', row: 2, field: 'line', code: 'PW_ROW_BLANK_LINE', message: { th: 'ก', en: 'a' }, raw: '' };

  it('when the events keep every invariant, then there is no violation', () => {
    expect(parseViolations([reject, manifest({ rowsRead: 1, rowsRejected: 1 })])).toEqual([]);
  });

  it('when the events break an invariant, then each broken one is named', () => {
    expect(parseViolations([reject])).toEqual(['expected exactly one manifest, got 0', 'the last event is not the manifest']);
    expect(parseViolations([reject, manifest({ rowsRead: 2, rowsRejected: 1 })])).toEqual(['rowsRead 2 ≠ rowsAccepted 0 + rowsRejected 1']);
    expect(parseViolations([reject, reject, manifest({ rowsRead: 2, rowsRejected: 2 })])).toEqual(['row 2 does not follow row 2']);
    expect(parseViolations([manifest({ totalSatang: 0.5 })])).toEqual(['totalSatang 0.5 is not an exact integer']);
    expect(parseViolations([reject, manifest({ rowsRead: 1, rowsRejected: 1, refusal: { code: 'PW_ERR_EMPTY_FILE', message: { th: 'ก', en: 'a' } } })]))
      .toEqual(['a refused file (PW_ERR_EMPTY_FILE) came with 1 row events and rowsRead 1']);
  });

  it('when a reference parse loses a row, then the count is named', () => {
    expect(referenceViolations('staff', { kind: 'staff', byLao: new Map([['6600101', []]]), rejects: [], flagged: [], rowsRead: 1, refusal: null })).toEqual(['rowsRead 1 ≠ 0 items + 0 rejects']);
  });
});
