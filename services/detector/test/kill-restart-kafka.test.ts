// Invariant 3 with real process death: the detector runs as a child process against the Kafka-protocol peer
// (librdkafka's mock cluster) and S3 (fauxqs), is SIGKILLed at arbitrary points while a stream flows, restarted,
// and must end with exactly the alert ids of an uninterrupted run.
import { describe, expect, it, inject } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Alert, TOPICS } from '@paywatch/domain';
import { createKafkaEventLog } from '@paywatch/event-log';
import { createS3BlobStore } from '@paywatch/blob-store';
import { createEngine, RuleSetConfig } from '@paywatch/rules';
import { waitUntil } from '@paywatch/testkit';
import { worldRecords } from './fixtures.ts';

const root = resolve(import.meta.dirname, '../../..');

describe('detector killed and restarted as a process, over the Kafka-protocol peer', () => {
  it('when SIGKILLed at arbitrary points while records flow, then after restarts the alert ids equal an uninterrupted run', async () => {
    const records = worldRecords(120, ['6600101', '6000101', '1900101', '8000101']);
    const reference = createEngine(RuleSetConfig.parse({}));
    const expected = new Set<string>();
    for (const r of records) for (const a of reference.process(r)) expected.add(a.alertId);
    expect(expected.size).toBeGreaterThan(3);

    const suffix = `.kill-${randomUUID().slice(0, 8)}`;
    const bucket = `kill-${randomUUID().slice(0, 8)}`;
    await createS3BlobStore({ bucket, endpoint: inject('s3Endpoint'), credentials: { accessKeyId: 't', secretAccessKey: 't' } }).ensureBucket();
    const log = createKafkaEventLog({ brokers: inject('kafkaBrokers'), clientId: 'kill-test', consumerSessionTimeoutMs: 5000, consumerHeartbeatIntervalMs: 500, consumerRebalanceTimeoutMs: 5000, consumerMaxWaitTimeMs: 100 });
    const producer = await log.producer();
    const seen = new Set<string>();
    const reader = log.consumer({ groupId: `reader${suffix}`, topics: [TOPICS.alerts + suffix], fromBeginning: true });
    const env = {
      ...process.env, KAFKA_BROKERS: inject('kafkaBrokers').join(','), TOPIC_SUFFIX: suffix, DETECTOR_GROUP_ID: `detector${suffix}`,
      KAFKA_SESSION_TIMEOUT_MS: '5000', KAFKA_HEARTBEAT_INTERVAL_MS: '500', S3_BUCKET: bucket, S3_ENDPOINT: inject('s3Endpoint'),
      AWS_ACCESS_KEY_ID: 't', AWS_SECRET_ACCESS_KEY: 't', JWT_SECRET: 'k'.repeat(40), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn',
    };
    const start = () => spawn(process.execPath, ['--import', 'tsx', 'services/detector/src/main.ts'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
    const kill = (c: ChildProcess) => new Promise<void>((r) => { c.once('exit', () => r()); c.kill('SIGKILL'); });
    let child = start();
    try {
      await reader.run(async (batch) => { for (const m of batch.messages) seen.add(Alert.parse(JSON.parse(m.value.toString('utf8'))).alertId); });
      // Feed the stream in chunks and kill the detector at different moments: during start-up, mid-stream, after output.
      const chunks = [records.slice(0, 150), records.slice(150, 330), records.slice(330)];
      const killAfterMs = [1500, 4500];
      for (const [i, chunk] of chunks.entries()) {
        for (let j = 0; j < chunk.length; j += 20) {
          await producer.send(TOPICS.disbursements + suffix, chunk.slice(j, j + 20).map((r) => ({ key: r.laoCode, value: JSON.stringify(r) })));
        }
        if (i < killAfterMs.length) {
          await new Promise((r) => setTimeout(r, killAfterMs[i]));
          await kill(child);
          child = start();
        }
      }
      await waitUntil(() => seen.size, (n) => n >= expected.size, { timeoutMs: 60_000, what: `${expected.size} alert ids (seen ${seen.size})` });
      await new Promise((r) => setTimeout(r, 1000)); // anything extra would show up now
      expect([...seen].sort()).toEqual([...expected].sort());
    } finally {
      await kill(child).catch(() => undefined);
      await reader.stop();
      await producer.close();
      await log.close();
    }
  }, 120_000);
});
