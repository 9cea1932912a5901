import { afterAll, describe, expect, inject, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { createKafkaEventLog, type KafkaEventLogOptions } from '../src/index.ts';
import { runEventLogContract } from './contract.ts';
import { capturingLogger, unique, waitFor } from './helpers.ts';

const brokers = inject('kafkaBrokers');

// The mock (librdkafka 2.0.2) delays the first join of every group by 3 s: sessions must outlast it.
const testTimings = {
  consumerSessionTimeoutMs: 4_000,
  consumerHeartbeatIntervalMs: 500,
  consumerRebalanceTimeoutMs: 5_000,
  handlerRetryBackoff: { initialMs: 100, maxMs: 1_000 },
} satisfies Partial<KafkaEventLogOptions>;

runEventLogContract('kafka', {
  makeLog: () => createKafkaEventLog({ brokers, clientId: unique('contract'), ...testTimings }),
  timeoutMs: 20_000,
});

describe.concurrent('kafka event log', () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    await Promise.allSettled(closers.map((c) => c()));
  });

  it('when the idempotent producer sends, then the records carry a producer id and are appended once', async () => {
    const log = createKafkaEventLog({ brokers, clientId: unique('idem'), ...testTimings });
    closers.push(() => log.close());
    const topic = unique('idempotent');
    const producer = await log.producer();
    for (let i = 0; i < 3; i++) await producer.send(topic, Array.from({ length: 10 }, (_, j) => ({ key: `k${j}`, value: `v${i}-${j}` })));
    const lag = await log.consumer({ groupId: unique('g'), topics: [topic] }).lag();
    expect(lag.reduce((s, p) => s + Number(p.endOffset), 0)).toBe(30);

    // Read the raw record batches: an idempotent producer got a producer id from InitProducerId.
    const kafka = new Kafka({ brokers, clientId: 'raw', logLevel: logLevel.NOTHING });
    const raw = kafka.consumer({ groupId: unique('raw'), sessionTimeout: 4_000, heartbeatInterval: 500 });
    closers.push(() => raw.disconnect());
    const producerIds = new Set<string>();
    let seen = 0;
    await raw.connect();
    await raw.subscribe({ topics: [topic], fromBeginning: true });
    await raw.run({
      eachMessage: async ({ message }) => {
        const context = (message as unknown as { batchContext: { producerId: string } }).batchContext;
        producerIds.add(String(context.producerId));
        seen++;
      },
    });
    await waitFor(() => seen >= 30, { timeoutMs: 20_000, what: '30 raw records' });
    expect(seen).toBe(30);
    expect([...producerIds]).toHaveLength(1);
    expect(BigInt([...producerIds][0]!)).toBeGreaterThanOrEqual(0n);
  });

  it('when the broker cannot create topics (the mock), then ensureTopics warns and the topics exist with its default count', async () => {
    const { logger, lines } = capturingLogger();
    const log = createKafkaEventLog({ brokers, clientId: unique('topics'), logger, ...testTimings });
    closers.push(() => log.close());
    const topic = unique('ensured');
    await log.ensureTopics([{ topic, partitions: 4, compacted: true }]);
    await log.ensureTopics([{ topic, partitions: 4 }]);
    const warnings = lines.filter((l) => l.level === 'warn' && l.msg?.includes('CreateTopics'));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]!.obj.partitions).toEqual({ [topic]: 4 });
  });

  it('when no broker answers, then ping is false within its timeout', async () => {
    const log = createKafkaEventLog({ brokers: ['127.0.0.1:1'], clientId: unique('down'), pingTimeoutMs: 500, retry: { retries: 0 }, connectionTimeoutMs: 300 });
    closers.push(() => log.close());
    const t0 = performance.now();
    expect(await log.ping()).toBe(false);
    expect(performance.now() - t0).toBeLessThan(1_500);
  });

  it('when kafkajs logs, then its lines reach the given logger', async () => {
    const { logger, lines } = capturingLogger();
    const log = createKafkaEventLog({ brokers: ['127.0.0.1:1'], clientId: unique('logs'), logger, pingTimeoutMs: 500, retry: { retries: 0 }, connectionTimeoutMs: 300 });
    closers.push(() => log.close());
    await log.ping();
    await waitFor(() => lines.some((l) => l.obj.lib === 'kafkajs' && l.level === 'error'), { timeoutMs: 3_000, what: 'a kafkajs error line', state: () => lines });
  });
});
