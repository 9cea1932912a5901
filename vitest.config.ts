import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'infra/test/**/*.test.ts'],
    // Real protocol peers (Kafka mock cluster, S3 emulator, PostgreSQL) start once per run.
    globalSetup: ['packages/testkit/src/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // 2 cores on CI: two workers keep peers and suites from starving each other.
    maxWorkers: 2,
  },
});
