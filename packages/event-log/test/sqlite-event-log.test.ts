import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createSqliteEventLog, EventLogError, partitionForKey, type ConsumedMessage } from '../src/index.ts';
import { runEventLogContract } from './contract.ts';
import { recorder, unique, waitFor } from './helpers.ts';

const dirs: string[] = [];
async function tempFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pw-sqlite-log-'));
  dirs.push(dir);
  return join(dir, 'event-log.sqlite');
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

runEventLogContract('sqlite', {
  makeLog: async () => createSqliteEventLog({ file: await tempFile(), defaultPartitions: 4 }),
  timeoutMs: 5_000,
});

const root = resolve(import.meta.dirname, '../../..');
const child = (file: string): ChildProcess =>
  spawn(process.execPath, ['--import', 'tsx', 'packages/event-log/test/sqlite-writer-child.ts', file], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });

describe('sqlite event log', () => {
  it('when the log is closed and reopened, then topics, partitions, keys, headers, values and committed offsets are all there', async () => {
    const file = await tempFile();
    const first = createSqliteEventLog({ file, partitions: { payments: 3 } });
    const producer = await first.producer();
    await producer.send('payments', Array.from({ length: 30 }, (_, i) => ({ key: `lao-${i % 5}`, value: `v${i}`, headers: { seq: String(i), note: 'เงินเดือน' } })));
    await producer.send('payments', [{ key: null, value: Buffer.from([0, 255, 7]), headers: { seq: '30' } }]);
    const rec = recorder({ commit: false, beforeCommit: async (batch, ctx) => {
      // Commit up to offset 4 of each partition only: the rest must come again after the restart.
      const next = Math.min(Number(batch.offsets.at(-1)!) + 1, 4);
      await ctx.commit(String(next));
    } });
    const c1 = first.consumer({ groupId: 'g', topics: ['payments'] });
    await c1.run(rec.handler);
    await waitFor(() => rec.messages.length >= 31, { timeoutMs: 5_000, what: '31 messages' });
    await first.close();

    const second = createSqliteEventLog({ file });
    const lag = await second.consumer({ groupId: 'g', topics: ['payments'] }).lag();
    expect(lag).toHaveLength(3);
    expect(lag.reduce((s, p) => s + Number(p.endOffset), 0)).toBe(31);
    for (const p of lag) expect(p.committedOffset).toBe(Number(p.endOffset) === 0 ? null : String(Math.min(4, Number(p.endOffset))));
    const again = recorder();
    const c2 = second.consumer({ groupId: 'g', topics: ['payments'] });
    await c2.run(again.handler);
    const expected = lag.reduce((s, p) => s + p.lag, 0);
    await waitFor(() => again.messages.length >= expected, { timeoutMs: 5_000, what: `${expected} uncommitted messages` });
    // Exactly what was not committed, nothing before it.
    for (const m of again.messages) expect(Number(m.offset)).toBeGreaterThanOrEqual(4);
    const byOffset = new Map(rec.messages.map((m) => [`${m.partition}@${m.offset}`, m]));
    for (const m of again.messages) {
      const before = byOffset.get(`${m.partition}@${m.offset}`)!;
      expect({ key: m.key, value: m.value.toString('hex'), headers: m.headers, timestamp: m.timestamp }).toEqual({ key: before.key, value: before.value.toString('hex'), headers: before.headers, timestamp: before.timestamp });
      if (m.key) expect(m.partition).toBe(partitionForKey(m.key, 3));
    }
    // New messages continue the offsets where the first run stopped.
    const p = partitionForKey('lao-0', 3);
    const endBefore = Number(lag.find((x) => x.partition === p)!.endOffset);
    await (await second.producer()).send('payments', [{ key: 'lao-0', value: 'after restart' }]);
    await waitFor(() => again.messages.some((m) => m.value.toString() === 'after restart'), { timeoutMs: 5_000, what: 'the new message' });
    expect(again.messages.find((m) => m.value.toString() === 'after restart')!.offset).toBe(String(endBefore));
    await second.close();
  });

  it('when a compacted topic is reopened, then a new reader gets only the latest value of each key', async () => {
    const file = await tempFile();
    const first = createSqliteEventLog({ file });
    await first.ensureTopics([{ topic: 'registry', partitions: 2, compacted: true }]);
    const producer = await first.producer();
    await producer.send('registry', [{ key: 'a', value: 'a1' }, { key: 'b', value: 'b1' }, { key: 'a', value: 'a2' }, { key: null, value: 'keyless' }]);
    await producer.send('registry', [{ key: 'b', value: 'b2' }, { key: 'a', value: 'a3' }]);
    await first.close();
    const second = createSqliteEventLog({ file });
    await second.ensureTopics([{ topic: 'registry', partitions: 2, compacted: true }]);
    await (await second.producer()).send('registry', [{ key: 'b', value: 'b3' }]);
    const rec = recorder();
    const c = second.consumer({ groupId: unique('g'), topics: ['registry'] });
    await c.run(rec.handler);
    await waitFor(async () => (await c.lag()).every((x) => x.lag === 0), { timeoutMs: 2_000, what: 'caught up' });
    expect(rec.messages.map((m) => m.value.toString()).sort()).toEqual(['a3', 'b3', 'keyless']);
    await second.close();
  });

  it('when another process holds the log open, then opening it fails with PW_ERR_EVENT_LOG_LOCKED; after that process dies, it opens', async () => {
    const file = await tempFile();
    const writer = child(file);
    const lines = createInterface({ input: writer.stdout! });
    await new Promise<void>((res) => lines.on('line', (l) => { if (l.startsWith('acked')) res(); }));
    let err: unknown;
    try { createSqliteEventLog({ file }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(EventLogError);
    expect((err as EventLogError).code).toBe('PW_ERR_EVENT_LOG_LOCKED');
    await new Promise<void>((res) => { writer.once('exit', () => res()); writer.kill('SIGKILL'); });
    // kill -9 releases the lock: it is the kernel's, not a file left behind.
    const log = createSqliteEventLog({ file });
    expect(await log.ping()).toBe(true);
    await log.close();
  }, 30_000);

  it('when a writing process is SIGKILLed at random moments, then every acknowledged message and commit is there after reopening, with no gap', async () => {
    const file = await tempFile();
    const seed = Number(process.env.PAYWATCH_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));
    let state = seed;
    const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
    let acked = -1;
    const committed = new Map<number, number>();
    for (let run = 0; run < 3; run++) {
      const writer = child(file);
      const lines = createInterface({ input: writer.stdout! });
      let acksThisRun = 0;
      lines.on('line', (l) => {
        const [what, a, b] = l.split(' ');
        if (what === 'acked') { acked = Number(a); acksThisRun++; }
        if (what === 'committed') committed.set(Number(a), Math.max(committed.get(Number(a)) ?? 0, Number(b)));
      });
      await waitFor(() => acksThisRun >= 5, { timeoutMs: 20_000, what: `run ${run} producing (seed ${seed})` });
      await new Promise((r) => setTimeout(r, Math.floor(random() * 400)));
      await new Promise<void>((res) => { writer.once('exit', () => res()); writer.kill('SIGKILL'); });
    }
    const log = createSqliteEventLog({ file });
    const rec = recorder({ commit: false });
    const reader = log.consumer({ groupId: unique('check'), topics: ['payments'] });
    const lag = await reader.lag();
    const total = lag.reduce((s, p) => s + Number(p.endOffset), 0);
    await reader.run(rec.handler);
    await waitFor(() => rec.messages.length >= total, { timeoutMs: 10_000, what: `${total} messages (seed ${seed})` });
    const seqs = rec.messages.map((m: ConsumedMessage) => Number(m.headers.seq)).sort((a, b) => a - b);
    // Everything acknowledged is there, once, with no hole (a send is all or nothing).
    expect(seqs.length, `seed ${seed}`).toBeGreaterThan(acked);
    expect(seqs, `seed ${seed}`).toEqual(Array.from({ length: seqs.length }, (_, i) => i));
    for (const m of rec.messages) expect(JSON.parse(m.value.toString()).seq).toBe(Number(m.headers.seq));
    const readerLag = await log.consumer({ groupId: 'reader', topics: ['payments'] }).lag();
    for (const [partition, next] of committed) expect(Number(readerLag.find((p) => p.partition === partition)!.committedOffset), `seed ${seed}`).toBeGreaterThanOrEqual(next);
    await log.close();
  }, 90_000);

  it('when the file was written by a newer layout, then opening it fails with PW_ERR_EVENT_LOG_FORMAT', async () => {
    const file = await tempFile();
    const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
    const raw = new DatabaseSync(file);
    raw.exec('PRAGMA user_version = 99');
    raw.close();
    expect(() => createSqliteEventLog({ file })).toThrow(expect.objectContaining({ code: 'PW_ERR_EVENT_LOG_FORMAT' }));
  });

  it('when copied while in use, then the copy opens with the same messages and committed offsets', async () => {
    const file = await tempFile();
    const log = createSqliteEventLog({ file, defaultPartitions: 2 });
    await (await log.producer()).send('t', Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })));
    const c = log.consumer({ groupId: 'g', topics: ['t'] });
    const rec = recorder();
    await c.run(rec.handler);
    await waitFor(async () => (await c.lag()).every((p) => p.lag === 0), { timeoutMs: 2_000, what: 'committed' });
    const copy = `${file}.copy`;
    await log.copyTo(copy);
    await log.close();
    const reopened = createSqliteEventLog({ file: copy });
    const lag = await reopened.consumer({ groupId: 'g', topics: ['t'] }).lag();
    for (const p of lag) expect(p.committedOffset).toBe(p.endOffset);
    expect(lag.reduce((s, p) => s + Number(p.endOffset), 0)).toBe(20);
    await reopened.close();
  });
});
