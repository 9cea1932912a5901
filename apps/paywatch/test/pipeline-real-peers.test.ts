// The walking skeleton end to end over real protocol peers on a machine without Docker: fauxqs (S3),
// librdkafka's mock cluster through kafkajs, PostgreSQL 15 from Debian, smtp-server.
import { describe, it, inject } from 'vitest';
import { startSmtpSink } from '@paywatch/testkit';
import { runPipelineScenario } from './pipeline-scenario.ts';

describe('pipeline over real protocol peers', () => {
  it('when finance uploads a bulk file, then the raw file is in S3, alerts reach PostgreSQL, each auditor gets one Thai e-mail per alert, and a replay changes nothing', async () => {
    const smtp = await startSmtpSink();
    try {
      await runPipelineScenario({
        kafkaBrokers: inject('kafkaBrokers'),
        s3: { endpoint: inject('s3Endpoint'), accessKeyId: 't', secretAccessKey: 't' },
        databaseUrl: inject('databaseUrl'),
        smtp: { host: '127.0.0.1', port: smtp.port },
        receivedMail: async () => smtp.received.map((m) => ({ to: (Array.isArray(m.to) ? m.to[0] : m.to)?.text ?? '', subject: m.subject ?? '', messageId: m.messageId ?? '' })),
      });
    } finally {
      await smtp.close();
    }
  }, 120_000);
});
