// The same walking-skeleton scenario on testcontainers (Kafka, MinIO, PostgreSQL, Mailpit) — only where a
// Docker engine exists. Elsewhere (CI here has none) it says why it skips; the real-protocol-peer suite runs instead.
import { describe, it } from 'vitest';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { runPipelineScenario } from './pipeline-scenario.ts';

async function dockerAvailable(): Promise<{ ok: boolean; why: string }> {
  if (!process.env.DOCKER_HOST && !existsSync('/var/run/docker.sock')) return { ok: false, why: 'no DOCKER_HOST and no /var/run/docker.sock' };
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return { ok: true, why: '' };
  } catch (e) {
    return { ok: false, why: (e as Error).message };
  }
}

const docker = await dockerAvailable();
if (!docker.ok) console.warn(`[testcontainers] skipping the Docker suite: no container runtime (${docker.why}); the real-protocol-peer suite covers the same scenario`);

/** A free TCP port on the host, for Kafka's advertised listener (it must be known before the broker starts). */
const freePort = () => new Promise<number>((res) => { const s = createServer().listen(0, () => { const p = (s.address() as { port: number }).port; s.close(() => res(p)); }); });

describe.skipIf(!docker.ok)('pipeline on testcontainers (Kafka, MinIO, PostgreSQL, Mailpit)', () => {
  it('when finance uploads a bulk file, then alerts reach PostgreSQL and each auditor gets one e-mail per alert', async () => {
    const { GenericContainer, Wait } = await import('testcontainers');
    const kafkaPort = await freePort();
    const [kafka, minio, postgres, mailpit] = await Promise.all([
      new GenericContainer('apache/kafka:3.9.1')
        .withExposedPorts({ container: 9092, host: kafkaPort })
        .withEnvironment({
          KAFKA_NODE_ID: '1', KAFKA_PROCESS_ROLES: 'broker,controller',
          KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093', KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${kafkaPort}`,
          KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER', KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
          KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093', KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
          KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1', KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1', KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
        })
        .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/)).start(),
      new GenericContainer('minio/minio:RELEASE.2025-04-22T22-12-26Z').withCommand(['server', '/data'])
        .withEnvironment({ MINIO_ROOT_USER: 'paywatch', MINIO_ROOT_PASSWORD: 'paywatch-secret' }).withExposedPorts(9000)
        .withWaitStrategy(Wait.forHttp('/minio/health/ready', 9000)).start(),
      new GenericContainer('postgres:15').withEnvironment({ POSTGRES_PASSWORD: 'pw' }).withExposedPorts(5432)
        .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2)).start(),
      new GenericContainer('axllent/mailpit:v1.27').withExposedPorts(1025, 8025).withWaitStrategy(Wait.forListeningPorts()).start(),
    ]);
    try {
      const mailApi = `http://${mailpit.getHost()}:${mailpit.getMappedPort(8025)}`;
      await runPipelineScenario({
        kafkaBrokers: [`127.0.0.1:${kafkaPort}`],
        s3: { endpoint: `http://${minio.getHost()}:${minio.getMappedPort(9000)}`, accessKeyId: 'paywatch', secretAccessKey: 'paywatch-secret' },
        databaseUrl: `postgres://postgres:pw@${postgres.getHost()}:${postgres.getMappedPort(5432)}/postgres`,
        smtp: { host: mailpit.getHost(), port: mailpit.getMappedPort(1025) },
        receivedMail: async () => {
          const r = (await (await fetch(`${mailApi}/api/v1/messages?limit=500`)).json()) as { messages: { To: { Address: string }[]; Subject: string; MessageID: string }[] };
          return r.messages.map((m) => ({ to: m.To[0]?.Address ?? '', subject: m.Subject, messageId: m.MessageID }));
        },
        sessionTimeoutMs: 10_000,
      });
    } finally {
      await Promise.all([kafka.stop(), minio.stop(), postgres.stop(), mailpit.stop()]);
    }
  }, 300_000);
});
