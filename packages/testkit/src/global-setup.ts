// Starts the real protocol peers once per test run and hands their addresses to the tests (inject()).
// Kafka: librdkafka's mock cluster (infra/kafka-mock), S3: fauxqs, PostgreSQL: a throwaway cluster
// from Debian's binaries (scripts/pg-start.sh). See docs/decisions/0002-test-peers.md.
import { spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';

const root = resolve(import.meta.dirname, '../../..');

async function startKafkaMock(args: string[]) {
  const bin = process.env.KAFKA_MOCK_BIN ?? resolve(root, '.cache/kafka-mock');
  if (!existsSync(bin)) throw new Error(`kafka-mock binary missing at ${bin}: run scripts/build-kafka-mock.sh (the test command does)`);
  // stdin is a pipe: the helper exits when it closes, so a crashed test run never leaks it
  const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((res, rej) => {
    child.once('error', rej);
    child.once('exit', (c) => rej(new Error(`kafka-mock exited with ${c}`)));
    createInterface({ input: child.stdout! }).once('line', res);
  });
  return {
    brokers: line.trim().split(','),
    stop: () => new Promise<void>((r) => { child.once('exit', () => r()); child.stdin!.end(); }),
  };
}

export default async function setup(project: TestProject) {
  const teardown: Array<() => unknown> = [];
  const t0 = performance.now();
  const [kafka, s3, pgUrl] = await Promise.all([
    startKafkaMock(['-b', '1', ...(process.env.KAFKA_MOCK_ARGS?.split(' ').filter(Boolean) ?? [])]),
    import('fauxqs').then(({ startFauxqs }) => startFauxqs({ port: 0, logger: false, host: '127.0.0.1' })),
    (async () => {
      if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
      const out = execFileSync(resolve(root, 'scripts/pg-start.sh'), { env: { ...process.env, PG_TMP: process.env.PG_TMP ?? '/tmp' } }).toString();
      const vars = Object.fromEntries([...out.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
      teardown.push(() => execFileSync(resolve(root, 'scripts/pg-stop.sh'), [vars.PGROOT!]));
      return vars.DATABASE_URL!;
    })(),
  ]);
  teardown.push(kafka.stop, () => s3.stop());
  project.provide('kafkaBrokers', kafka.brokers);
  project.provide('s3Endpoint', `http://127.0.0.1:${s3.port}`);
  project.provide('databaseUrl', pgUrl);
  console.log(`[global-setup] kafka ${kafka.brokers} | s3 :${s3.port} | ${pgUrl} | ${Math.round(performance.now() - t0)} ms`);
  return async () => { for (const fn of teardown.reverse()) await fn(); };
}

declare module 'vitest' {
  export interface ProvidedContext { kafkaBrokers: string[]; s3Endpoint: string; databaseUrl: string }
}
