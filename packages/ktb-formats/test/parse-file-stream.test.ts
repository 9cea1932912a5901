// parseFileStream hands events over through a hand-written async iterator: it must still behave like the async
// generator it replaced — lazy until the first step, and closing the file when the reader stops early or fails.
import { describe, expect, it } from 'vitest';
import { bytesSource, generateBulkBatch, parseFileStream, renderKtbBulk, type ByteSource } from '../src/index.ts';
import { LAO, REGISTRY } from './helpers.ts';

/** A source that counts passes begun and passes closed (the finally a file source closes its descriptor in). */
function countingSource(bytes: Uint8Array): ByteSource & { opened: number; closed: number } {
  const inner = bytesSource(bytes, 4_096);
  const src = {
    opened: 0,
    closed: 0,
    *chunks() {
      src.opened++;
      try { yield* inner.chunks(); } finally { src.closed++; }
    },
  };
  return src;
}

const bulk = renderKtbBulk(generateBulkBatch({ seed: 5, ...LAO, rows: 200, effectiveDate: '2026-10-05' }).spec, { encoding: 'windows-874', eol: '\r\n' });

describe('parseFileStream', () => {
  it('when it is called but not iterated, then the source is not read', () => {
    const src = countingSource(bulk);
    parseFileStream(src, { registry: REGISTRY });
    expect(src.opened).toBe(0);
  });

  it('when the reader stops after the first record, then every pass over the source is closed and the stream is done', async () => {
    const src = countingSource(bulk);
    const stream = parseFileStream(src, { registry: REGISTRY });
    let seen = 0;
    for await (const ev of stream) {
      if (ev.kind === 'record') { seen++; break; }
    }
    expect(seen).toBe(1);
    expect(src.opened).toBeGreaterThan(0);
    expect(src.closed).toBe(src.opened);
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it('when the reader throws into the stream, then the error comes back, the source is closed and the stream is done', async () => {
    const src = countingSource(bulk);
    const stream = parseFileStream(src, { registry: REGISTRY });
    await stream.next();
    await expect(stream.throw(new Error('reader gave up'))).rejects.toThrow('reader gave up');
    expect(src.closed).toBe(src.opened);
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it('when it is read to the end, then it gives every line and one manifest, then stays done', async () => {
    const stream = parseFileStream(countingSource(bulk), { registry: REGISTRY });
    const kinds: string[] = [];
    for await (const ev of stream) kinds.push(ev.kind);
    expect(kinds.filter((k) => k === 'record')).toHaveLength(200);
    expect(kinds.at(-1)).toBe('manifest');
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });
});
