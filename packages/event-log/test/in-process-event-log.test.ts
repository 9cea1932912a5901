import { describe, expect, it } from 'vitest';
import { createInProcessEventLog, EventLogError } from '../src/index.ts';
import { runEventLogContract } from './contract.ts';
import { capturingLogger, recorder, unique, waitFor } from './helpers.ts';

runEventLogContract('in-process', {
  // Same partition count as the Kafka mock's auto-created topics, so the contract reads the same for both.
  makeLog: () => createInProcessEventLog({ defaultPartitions: 4 }),
  timeoutMs: 5_000,
});

describe('in-process event log', () => {
  it('when a topic has a configured partition count, then it is created with it on first use', async () => {
    const log = createInProcessEventLog({ partitions: { 'payments.v1': 3 } });
    const c = log.consumer({ groupId: 'g', topics: ['payments.v1', 'other.v1'] });
    const lag = await c.lag();
    expect(lag.filter((p) => p.topic === 'payments.v1')).toHaveLength(3);
    expect(lag.filter((p) => p.topic === 'other.v1')).toHaveLength(6);
  });

  it('when ensureTopics meets an existing topic with another partition count, then it keeps the topic and warns', async () => {
    const { logger, lines } = capturingLogger();
    const log = createInProcessEventLog({ logger });
    await log.ensureTopics([{ topic: 't', partitions: 2 }]);
    await log.ensureTopics([{ topic: 't', partitions: 5 }]);
    expect(await log.consumer({ groupId: 'g', topics: ['t'] }).lag()).toHaveLength(2);
    expect(lines.some((l) => l.level === 'warn' && l.obj.topic === 't')).toBe(true);
  });

  it('when a topic spec is invalid, then ensureTopics fails with PW_ERR_EVENT_LOG_INVALID_TOPIC', async () => {
    const log = createInProcessEventLog();
    await expect(log.ensureTopics([{ topic: 't', partitions: 0 }])).rejects.toMatchObject({ code: 'PW_ERR_EVENT_LOG_INVALID_TOPIC' });
  });

  it('when a topic is compacted, then a new consumer reads only the latest value of each key', async () => {
    const log = createInProcessEventLog();
    await log.ensureTopics([{ topic: 'registry', partitions: 2, compacted: true }]);
    const producer = await log.producer();
    await producer.send('registry', [
      { key: 'a', value: 'a1' },
      { key: 'b', value: 'b1' },
      { key: 'a', value: 'a2' },
      { key: null, value: 'keyless' },
      { key: 'b', value: 'b2' },
      { key: 'a', value: 'a3' },
    ]);
    const rec = recorder();
    const c = log.consumer({ groupId: unique('g'), topics: ['registry'] });
    await c.run(rec.handler);
    await waitFor(async () => (await c.lag()).every((p) => p.lag === 0), { timeoutMs: 2_000, what: 'caught up' });
    expect(rec.messages.map((m) => m.value.toString()).sort()).toEqual(['a3', 'b2', 'keyless']);
    await c.stop();
  });

  it('when the handler fails, then the error is logged with its partition and the batch is retried after a back-off', async () => {
    const { logger, lines } = capturingLogger();
    const log = createInProcessEventLog({ logger, defaultPartitions: 1, retryBackoff: { initialMs: 20, maxMs: 40 } });
    const producer = await log.producer();
    await producer.send('t', [{ key: 'k', value: 'v' }]);
    const attempts: number[] = [];
    const c = log.consumer({ groupId: 'g', topics: ['t'] });
    await c.run(async () => {
      attempts.push(performance.now());
      throw new Error('boom');
    });
    await waitFor(() => attempts.length >= 4, { timeoutMs: 2_000, what: '4 attempts' });
    await c.stop();
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    // 20, 40, 40 ms: doubling, capped (timers may fire a little late, never early).
    expect(gaps[0]).toBeGreaterThanOrEqual(19);
    expect(gaps[1]).toBeGreaterThanOrEqual(39);
    expect(gaps[2]).toBeGreaterThanOrEqual(39);
    const errors = lines.filter((l) => l.level === 'error');
    expect(errors.length).toBeGreaterThanOrEqual(3);
    expect(errors[0]!.obj).toMatchObject({ groupId: 'g', topic: 't', partition: 0, offset: '0' });
  });

  it('when nothing is produced, then an idle consumer does not spin', async () => {
    const log = createInProcessEventLog();
    const c = log.consumer({ groupId: 'g', topics: ['idle'] });
    await c.run(async () => {});
    const before = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 200));
    const used = process.cpuUsage(before);
    await c.stop();
    // A busy loop would burn ~200 ms of CPU here; waiting on a promise burns next to nothing.
    expect((used.user + used.system) / 1000).toBeLessThan(60);
  });

  it('when the log is closed, then consumers are stopped and producing fails with PW_ERR_EVENT_LOG_CLOSED', async () => {
    const log = createInProcessEventLog();
    const producer = await log.producer();
    const revoked: number[] = [];
    const c = log.consumer({ groupId: 'g', topics: ['t'], onRevoked: (tps) => void revoked.push(...tps.map((t) => t.partition)) });
    await c.run(async () => {});
    await log.close();
    expect(revoked.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const err = await producer.send('t', [{ key: 'k', value: 'v' }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EventLogError);
    expect((err as EventLogError).code).toBe('PW_ERR_EVENT_LOG_CLOSED');
    expect(await log.ping()).toBe(false);
  });

  it('when a commit comes from a consumer that lost the partition, then it fails with PW_ERR_EVENT_LOG_NOT_ASSIGNED', async () => {
    const log = createInProcessEventLog({ defaultPartitions: 1 });
    const producer = await log.producer();
    await producer.send('t', [{ key: 'k', value: 'v' }]);
    let saved: ((offset: string) => Promise<void>) | null = null;
    const c = log.consumer({ groupId: 'g', topics: ['t'] });
    await c.run(async (_batch, ctx) => {
      saved = ctx.commit;
    });
    await waitFor(() => saved !== null, { timeoutMs: 2_000 });
    await c.stop();
    await expect(saved!('1')).rejects.toMatchObject({ code: 'PW_ERR_EVENT_LOG_NOT_ASSIGNED' });
  });
});
