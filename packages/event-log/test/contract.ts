// The event-log port's contract, run against every adapter (in-process and kafkajs on the Kafka mock
// cluster): both must behave the same for the services, which only know the port.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { EventLogError, partitionForKey, type ConsumedMessage, type Consumer, type ConsumerOptions, type EventLog, type OutgoingMessage } from '../src/index.ts';
import { assignmentTracker, deferred, recorder, seqOf, unique, waitFor } from './helpers.ts';

/** How the contract suite gets a log to test. */
export interface ContractSetup {
  /** Creates the log shared by the suite's tests (closed after the suite). */
  makeLog(): EventLog | Promise<EventLog>;
  /** Longest a condition may take to hold (joins and rebalances are slow on the Kafka mock). */
  timeoutMs: number;
}

/** Every topic of the suite has this many partitions (the Kafka mock's auto-create default). */
export const PARTITIONS = 4;

const tp = (m: { partition: number; offset: string }) => `${m.partition}@${m.offset}`;

/** Runs the port contract against the log `setup` makes. Tests are concurrent: each uses its own topics and groups. */
export function runEventLogContract(name: string, setup: ContractSetup): void {
  describe.concurrent(`${name}: event-log contract`, () => {
    let log: EventLog;
    const consumers: Consumer[] = [];
    const { timeoutMs } = setup;

    beforeAll(async () => {
      log = await setup.makeLog();
    });
    afterAll(async () => {
      await Promise.allSettled(consumers.map((c) => c.stop()));
      await log?.close();
    });

    /** A fresh topic with PARTITIONS partitions. */
    async function freshTopic(prefix: string): Promise<string> {
      const topic = unique(prefix);
      await log.ensureTopics([{ topic, partitions: PARTITIONS }]);
      return topic;
    }

    function consumerOf(options: ConsumerOptions): Consumer {
      const c = log.consumer(options);
      consumers.push(c);
      return c;
    }

    /** Sends `count` messages numbered from `from` (header `seq`), keys spread over `keys` distinct values. */
    async function produce(topic: string, from: number, count: number, keys = 16): Promise<OutgoingMessage[]> {
      const producer = await log.producer();
      const sent: OutgoingMessage[] = [];
      // Several sends, so that consumers see several batches per partition.
      for (let start = from; start < from + count; start += 25) {
        const chunk: OutgoingMessage[] = [];
        for (let seq = start; seq < Math.min(start + 25, from + count); seq++) {
          chunk.push({ key: `lao-${seq % keys}`, value: JSON.stringify({ seq, amountSatang: seq * 100 }), headers: { seq: String(seq), 'content-type': 'application/json' } });
        }
        await producer.send(topic, chunk);
        sent.push(...chunk);
      }
      await producer.close();
      return sent;
    }

    const sumLag = async (c: Consumer) => (await c.lag()).reduce((sum, p) => sum + p.lag, 0);

    it('when messages are produced, then they are consumed with keys, headers and values intact, in offset order per partition', async ({ expect }) => {
      const topic = await freshTopic('intact');
      const sent = await produce(topic, 0, 200);
      // Binary values, unicode and a null key must survive the trip too.
      const producer = await log.producer();
      const binary = Buffer.from([0, 255, 1, 254, 0x80]);
      await producer.send(topic, [
        { key: 'ผู้รับเงิน-1', value: binary, headers: { seq: '200', note: 'เงินเดือน' } },
        { key: null, value: 'no key', headers: { seq: '201' } },
      ]);
      await producer.close();

      const rec = recorder();
      const c = consumerOf({ groupId: unique('g-intact'), topics: [topic] });
      await c.run(rec.handler);
      await waitFor(() => rec.messages.length >= 202, { timeoutMs, what: '202 messages', state: () => rec.messages.length });

      const bySeq = new Map(rec.messages.map((m) => [seqOf(m), m]));
      expect(bySeq.size).toBe(202);
      for (const s of sent) {
        const got = bySeq.get(Number(s.headers!.seq))!;
        expect(got.topic).toBe(topic);
        expect(got.key).toBe(s.key);
        expect(got.value.toString('utf8')).toBe(s.value);
        expect(got.headers).toEqual(s.headers);
        expect(Number(got.timestamp)).toBeGreaterThan(Date.now() - 120_000);
        // Same partitioner everywhere: Kafka's murmur2, so the key alone decides the partition.
        expect(got.partition).toBe(partitionForKey(s.key!, PARTITIONS));
      }
      const bin = bySeq.get(200)!;
      expect(Buffer.compare(bin.value, binary)).toBe(0);
      expect(bin.key).toBe('ผู้รับเงิน-1');
      expect(bin.headers.note).toBe('เงินเดือน');
      expect(bySeq.get(201)!.key).toBeNull();
      expect(bySeq.get(201)!.value.toString()).toBe('no key');

      // Per partition: offsets strictly increasing in delivery order, and per key the send order is kept.
      for (let p = 0; p < PARTITIONS; p++) {
        const inPartition = rec.messages.filter((m) => m.partition === p);
        const offsets = inPartition.map((m) => Number(m.offset));
        expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
        expect(new Set(offsets).size).toBe(offsets.length);
      }
      const seqsByKey = new Map<string, number[]>();
      for (const m of rec.messages) if (m.key) seqsByKey.set(m.key, [...(seqsByKey.get(m.key) ?? []), seqOf(m)]);
      for (const seqs of seqsByKey.values()) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      const partitionsByKey = new Map<string, Set<number>>();
      for (const m of rec.messages) if (m.key) partitionsByKey.set(m.key, (partitionsByKey.get(m.key) ?? new Set()).add(m.partition));
      for (const ps of partitionsByKey.values()) expect(ps.size).toBe(1);
    });

    it('when a consumer commits and stops, then a new consumer of the same group resumes after the committed offset', async ({ expect }) => {
      const topic = await freshTopic('resume');
      const groupId = unique('g-resume');
      await produce(topic, 0, 60);
      const first = recorder();
      const c1 = consumerOf({ groupId, topics: [topic] });
      await c1.run(first.handler);
      await waitFor(async () => first.messages.length >= 60 && (await sumLag(c1)) === 0, { timeoutMs, what: 'first 60 consumed and committed' });
      await c1.stop();
      expect(first.messages.length).toBe(60);

      await produce(topic, 60, 40);
      const second = recorder();
      const c2 = consumerOf({ groupId, topics: [topic] });
      await c2.run(second.handler);
      await waitFor(() => second.messages.length >= 40, { timeoutMs, what: '40 new messages', state: () => second.messages.length });
      // Per partition the old messages precede the new ones, so a re-read would have arrived by now.
      expect(second.messages.map(seqOf).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => 60 + i));
    });

    it('when a consumer stops without committing, then a new consumer of the same group gets the messages again', async ({ expect }) => {
      const topic = await freshTopic('nocommit');
      const groupId = unique('g-nocommit');
      await produce(topic, 0, 50);
      const first = recorder({ commit: false });
      const c1 = consumerOf({ groupId, topics: [topic] });
      await c1.run(first.handler);
      await waitFor(() => first.messages.length >= 50, { timeoutMs, what: '50 messages', state: () => first.messages.length });
      await c1.stop();
      // The adapter never commits on its own.
      for (const p of await c1.lag()) expect(p.committedOffset).toBeNull();

      const second = recorder({ commit: false });
      const c2 = consumerOf({ groupId, topics: [topic] });
      await c2.run(second.handler);
      await waitFor(() => second.messages.length >= 50, { timeoutMs, what: '50 messages again', state: () => second.messages.length });
      expect(second.messages.map(tp).sort()).toEqual(first.messages.map(tp).sort());
    });

    it('when the handler throws once, then the batch is redelivered from the committed offset and nothing is lost', async ({ expect }) => {
      const topic = await freshTopic('redeliver');
      const key = 'lao-one-partition';
      const partition = partitionForKey(key, PARTITIONS);
      const producer = await log.producer();
      const send = (from: number) => producer.send(topic, Array.from({ length: 10 }, (_, i) => ({ key, value: `v${from + i}`, headers: { seq: String(from + i) } })));
      let commit = true;
      let failures = 0;
      const events: string[] = [];
      const rec = recorder({
        commit: () => commit,
        beforeCommit: (batch) => {
          if (failures === 0 && batch.offsets.some((o) => Number(o) >= 20)) {
            failures++;
            events.push(`fail ${batch.offsets[0]}`);
            throw new Error('simulated handler failure');
          }
          events.push(`ok ${batch.offsets[0]}-${batch.offsets.at(-1)}`);
        },
      });
      const c = consumerOf({ groupId: unique('g-redeliver'), topics: [topic] });
      await c.run(rec.handler);
      const committedOffset = async () => (await c.lag()).find((p) => p.partition === partition)!.committedOffset;

      // 0–9 handled and committed; 10–19 handled but not committed; 20–29 fail once.
      await send(0);
      await waitFor(async () => (await committedOffset()) === '10', { timeoutMs, what: 'commit of 10' });
      commit = false;
      await send(10);
      await waitFor(() => rec.messages.length >= 20, { timeoutMs, what: '20 messages', state: () => events });
      commit = true;
      await send(20);
      await producer.close();
      await waitFor(async () => (await committedOffset()) === '30', { timeoutMs, what: 'commit of 30', state: () => events });

      expect(failures).toBe(1);
      const failedAt = events.findIndex((e) => e.startsWith('fail'));
      // Redelivery restarts at the committed offset (10), not where the failed batch began.
      expect(events[failedAt + 1]).toMatch(/^ok 10-/);
      const delivered = new Set(rec.messages.map((m) => Number(m.offset)));
      expect([...delivered].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    });

    it('when the handler throws, then nothing is committed until a handler commits', async ({ expect }) => {
      const topic = await freshTopic('nocommit-on-error');
      await produce(topic, 0, 20);
      let calls = 0;
      const c = consumerOf({ groupId: unique('g-err'), topics: [topic] });
      await c.run(async () => {
        calls++;
        throw new Error('always fails');
      });
      await waitFor(() => calls >= 6, { timeoutMs, what: 'repeated redeliveries', state: () => calls });
      for (const p of await c.lag()) expect(p.committedOffset).toBeNull();
      expect(await sumLag(c)).toBe(20);
    });

    it('when one partition keeps failing, then the other partitions still flow', async ({ expect }) => {
      const topic = await freshTopic('isolate');
      const poisoned = partitionForKey('lao-0', PARTITIONS);
      await produce(topic, 0, 64);
      const rec = recorder({
        beforeCommit: (batch) => {
          if (batch.partition === poisoned) throw new Error('poison');
        },
      });
      const c = consumerOf({ groupId: unique('g-isolate'), topics: [topic] });
      await c.run(rec.handler);
      const expected = (await c.lag()).filter((p) => p.partition !== poisoned).reduce((s, p) => s + Number(p.endOffset), 0);
      await waitFor(() => rec.messages.length >= expected, { timeoutMs, what: `${expected} messages of healthy partitions`, state: () => rec.messages.length });
      expect(rec.messages.some((m) => m.partition === poisoned)).toBe(false);
      expect(expected).toBeGreaterThan(0);
    });

    it('when two consumers share a group, then they split the partitions and consume every message once; when one stops, the other takes over', async ({ expect }) => {
      const topic = await freshTopic('split');
      const groupId = unique('g-split');
      const ta = assignmentTracker();
      const tb = assignmentTracker();
      const ra = recorder();
      const rb = recorder();
      const a = consumerOf({ groupId, topics: [topic], onAssigned: ta.onAssigned, onRevoked: ta.onRevoked });
      const b = consumerOf({ groupId, topics: [topic], onAssigned: tb.onAssigned, onRevoked: tb.onRevoked });
      await a.run(ra.handler);
      expect(ta.state.assigned).toHaveLength(PARTITIONS);
      await b.run(rb.handler);
      const parts = (t: typeof ta) => t.state.assigned.map((x) => x.partition).sort();
      await waitFor(() => parts(ta).length > 0 && parts(tb).length > 0 && parts(ta).length + parts(tb).length === PARTITIONS, {
        timeoutMs,
        what: 'both members assigned',
        state: () => [parts(ta), parts(tb)],
      });
      // Under CPU load the group may rebalance again (a missed heartbeat): go on once the assignment held still 1.5 s.
      let seen = '';
      let stableSince = Date.now();
      await waitFor(() => {
        const now = JSON.stringify([ta.state.history, tb.state.history]);
        if (now !== seen) { seen = now; stableSince = Date.now(); }
        return Date.now() - stableSince >= 1_500 && parts(ta).length > 0 && parts(tb).length > 0 && parts(ta).length + parts(tb).length === PARTITIONS;
      }, { timeoutMs, what: 'a stable assignment of both members', state: () => [parts(ta), parts(tb)] });
      expect(new Set([...parts(ta), ...parts(tb)])).toEqual(new Set(Array.from({ length: PARTITIONS }, (_, i) => i)));
      // a gave partitions away to b: it was told so. Under CPU load the group may rebalance more than once (a
      // missed heartbeat), so a may have been told several times; every partition b holds was revoked from a.
      const revokedFromA = new Set(ta.state.revoked.flat().map((x) => x.partition));
      expect(parts(tb).filter((p) => !revokedFromA.has(p)), JSON.stringify([ta.state.history, tb.state.history])).toEqual([]);

      await produce(topic, 0, 200);
      await waitFor(() => ra.messages.length + rb.messages.length >= 200, { timeoutMs, what: '200 messages', state: () => [ra.messages.length, rb.messages.length] });
      expect(ra.messages.length).toBeGreaterThan(0);
      expect(rb.messages.length).toBeGreaterThan(0);
      const all: ConsumedMessage[] = [...ra.messages, ...rb.messages];
      const diagnose = () => JSON.stringify({ a: ta.state.history, b: tb.state.history, aBatches: ra.batches.map((x) => `${x.partition}@${x.offsets[0]}-${x.offsets.at(-1)}`), bBatches: rb.batches.map((x) => `${x.partition}@${x.offsets[0]}-${x.offsets.at(-1)}`) });
      expect(new Set(all.map(tp)).size, diagnose()).toBe(200);
      expect(all.length, diagnose()).toBe(200);
      for (const m of ra.messages) expect(parts(ta), diagnose()).toContain(m.partition);
      for (const m of rb.messages) expect(parts(tb), diagnose()).toContain(m.partition);

      const bPartitions = parts(tb);
      await b.stop();
      expect(tb.state.revoked.at(-1)!.map((x) => x.partition).sort()).toEqual(bPartitions);
      await waitFor(() => parts(ta).length === PARTITIONS, { timeoutMs, what: 'a owns every partition', state: () => parts(ta) });
      // Produced once the group is stable: a commit racing a rebalance may legitimately redeliver (at-least-once).
      await produce(topic, 200, 100);
      await waitFor(() => ra.messages.length + rb.messages.length >= 300, { timeoutMs, what: '300 messages', state: () => [ra.messages.length, rb.messages.length] });
      const everything = [...ra.messages, ...rb.messages];
      expect(everything.length, diagnose()).toBe(300);
      expect(new Set(everything.map(seqOf)).size).toBe(300);
      // a resumed b's partitions where b had committed: only the new messages, none b had handled.
      const takenOver = ra.messages.filter((m) => bPartitions.includes(m.partition));
      expect(takenOver.length).toBeGreaterThan(0);
      for (const m of takenOver) expect(seqOf(m)).toBeGreaterThanOrEqual(200);
    });

    it('when messages are consumed and partly committed, then lag reports end minus committed', async ({ expect }) => {
      const topic = await freshTopic('lag');
      const groupId = unique('g-lag');
      await produce(topic, 0, 80);
      const c = consumerOf({ groupId, topics: [topic] });
      const before = await c.lag();
      expect(before).toHaveLength(PARTITIONS);
      expect(before.reduce((s, p) => s + Number(p.endOffset), 0)).toBe(80);
      for (const p of before) {
        expect(p.committedOffset).toBeNull();
        expect(p.lag).toBe(Number(p.endOffset));
      }
      // Commit at most up to offset 5 in every partition.
      const cap = 5n;
      const rec = recorder({ commit: false, beforeCommit: async (batch, ctx) => {
        const next = BigInt(batch.offsets.at(-1)!) + 1n;
        await ctx.commit(String(next < cap ? next : cap));
      } });
      await c.run(rec.handler);
      await waitFor(() => rec.messages.length >= 80, { timeoutMs, what: '80 messages', state: () => rec.messages.length });
      const expectedCommitted = (end: number) => (end === 0 ? null : String(Math.min(end, Number(cap))));
      await waitFor(async () => (await c.lag()).every((p) => p.committedOffset === expectedCommitted(Number(p.endOffset))), { timeoutMs, what: 'commits' });
      for (const p of await c.lag()) {
        const end = Number(p.endOffset);
        expect(p.lag).toBe(end - Math.min(end, Number(cap)));
      }
    });

    it('when stop() is called during a batch, then it waits for the batch and keeps its commit', async ({ expect }) => {
      const topic = await freshTopic('stop');
      const groupId = unique('g-stop');
      const producer = await log.producer();
      await producer.send(topic, [{ key: 'k', value: 'only', headers: { seq: '0' } }]);
      await producer.close();
      const entered = deferred();
      const release = deferred();
      let finished = false;
      const c = consumerOf({ groupId, topics: [topic] });
      await c.run(async (batch, ctx) => {
        entered.resolve();
        await release.promise;
        await ctx.commit(String(Number(batch.messages.at(-1)!.offset) + 1));
        finished = true;
      });
      await entered.promise;
      let stopped = false;
      const stopping = c.stop().then(() => {
        stopped = true;
      });
      await new Promise((r) => setImmediate(r));
      expect(stopped).toBe(false);
      release.resolve();
      await stopping;
      expect(finished).toBe(true);
      expect(await sumLag(c)).toBe(0);
    });

    it('when run() is called twice, then the second call fails with PW_ERR_EVENT_LOG_ALREADY_RUNNING', async ({ expect }) => {
      const topic = await freshTopic('twice');
      const c = consumerOf({ groupId: unique('g-twice'), topics: [topic] });
      await c.run(async () => {});
      const err = await c.run(async () => {}).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EventLogError);
      expect((err as EventLogError).code).toBe('PW_ERR_EVENT_LOG_ALREADY_RUNNING');
    });

    it('when the log is reachable, then ping answers true', async ({ expect }) => {
      expect(await log.ping()).toBe(true);
    });
  });
}
