// `pnpm build` output runs as the images run it: plain `node dist/main.js`, only the production dependencies
// beside it, against the real test peers (Kafka-protocol mock, S3 emulator, PostgreSQL, an SMTP sink).
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createS3BlobStore } from '@paywatch/blob-store';
import { createPgDb } from '@paywatch/db';
import { startSmtpSink, type SmtpSink } from '@paywatch/testkit';
import { buildService, SERVICES, type ServiceBuild, type ServiceName } from '../src/build-service.ts';
import { ClosureError, resolveProductionImport } from '../src/production-closure.ts';
import { startBuiltService, type BuiltServiceProcess } from '../src/start-built-service.ts';
import { ROOT } from './repo-files.ts';

/** Packages that exist only for development: none may reach an image. */
const DEV_ONLY = ['tsx', 'typescript', 'vitest', 'esbuild', 'vite', 'fast-check', 'testcontainers', 'playwright-core', 'axe-core', 'fauxqs', 'smtp-server', 'mailparser', '@types/pg', '@types/nodemailer'];

let out: string;
const builds = new Map<ServiceName, ServiceBuild>();
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'pw-build-'));
  for (const s of SERVICES) builds.set(s, await buildService(ROOT, s, join(out, s)));
  // Copies every service's production node_modules (ingest's alone is about 110 MB): minutes on a loaded CI disk.
}, 240_000);
afterAll(async () => { if (out) await rm(out, { recursive: true, force: true }); });

describe('pnpm build', () => {
  it('when a service is built, then dist/main.js holds its compiled code and the workspace packages, and imports npm packages only from its own node_modules', () => {
    for (const s of SERVICES) {
      const b = builds.get(s)!;
      const js = readFileSync(join(b.outDir, 'dist/main.js'), 'utf8');
      expect(js, s).not.toMatch(/from\s*["']@paywatch\//); // workspace code is compiled in, not imported
      expect(js, s).not.toMatch(/from\s*["'][^"']+\.ts["']/);
      expect(JSON.parse(readFileSync(join(b.outDir, 'package.json'), 'utf8')).type, s).toBe('module');
      for (const i of b.imports) expect(existsSync(join(b.outDir, 'node_modules', i, 'package.json')), `${s} needs ${i}`).toBe(true);
      expect(b.bundleBytes, s).toBeGreaterThan(50_000);
    }
    expect(existsSync(join(builds.get('console')!.outDir, 'assets/console.css'))).toBe(true);
  });

  it('when node_modules is assembled, then it holds production dependencies only: no dev tool, no workspace source', () => {
    for (const s of SERVICES) {
      const b = builds.get(s)!;
      const entries = readdirSync(join(b.outDir, 'node_modules/.pnpm'));
      expect(entries, s).toEqual(b.packages);
      for (const dev of DEV_ONLY) expect(entries.filter((e) => e.startsWith(`${dev.replace('/', '+')}@`)), `${s} has ${dev}`).toEqual([]);
      expect(existsSync(join(b.outDir, 'node_modules/@paywatch')), s).toBe(false);
    }
    // What the detector needs is a fraction of what ingest's parsers pull in (exceljs and friends).
    expect(builds.get('detector')!.packages.length).toBeLessThan(builds.get('ingest')!.packages.length);
  });

  it('when a workspace package imports one of its devDependencies, then the build refuses it by name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pw-build-dev-'));
    mkdirSync(join(dir, 'node_modules'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@paywatch/x', dependencies: {}, devDependencies: { tsx: '4.23.15' } }));
    expect(() => resolveProductionImport('tsx', dir)).toThrow(ClosureError);
    expect(() => resolveProductionImport('tsx', dir)).toThrow(/@paywatch\/x imports tsx, which is a devDependency/);
    expect(() => resolveProductionImport('left-pad', dir)).toThrow(/not declared/);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('built services under plain node', () => {
  const running: BuiltServiceProcess[] = [];
  let smtp: SmtpSink;
  afterAll(async () => { await Promise.all(running.map((r) => r.stop())); await smtp?.close(); });

  it('when the four built services start against the real peers, then each answers /health, ingest and detector get ready, and the console serves its pages, Chart.js and the font; a login runs argon2', async () => {
    const run = randomBytes(4).toString('hex');
    const bucket = `build-${run}`;
    const s3 = { S3_BUCKET: bucket, S3_ENDPOINT: inject('s3Endpoint'), AWS_ACCESS_KEY_ID: 't', AWS_SECRET_ACCESS_KEY: 't', AWS_REGION: 'ap-southeast-1' };
    await createS3BlobStore({ bucket, endpoint: inject('s3Endpoint'), credentials: { accessKeyId: 't', secretAccessKey: 't' } }).ensureBucket();
    const admin = createPgDb({ connectionString: inject('databaseUrl'), max: 1 });
    await admin.query(`CREATE DATABASE pw_build_${run}`);
    await admin.close();
    smtp = await startSmtpSink();
    const common = { JWT_SECRET: 'built-service-secret-'.padEnd(40, 'x'), KAFKA_BROKERS: inject('kafkaBrokers').join(','), TOPIC_SUFFIX: `.build-${run}` };
    // One after the other, so each start-up time is its own and not three processes sharing two cores.
    const start = async (s: ServiceName, env: Record<string, string>) => { const p = await startBuiltService(join(out, s), env); running.push(p); return p; };
    const ingest = await start('ingest', { ...common, ...s3 });
    const detector = await start('detector', { ...common, ...s3, DETECTOR_GROUP_ID: `detector-build-${run}` });
    // Alerts anchors its audit chain in the bucket, keyed by AUDIT_HMAC_KEY (ADR 0012).
    const alerts = await start('alerts', {
      ...common, ...s3, AUDIT_HMAC_KEY: 'built-service-audit-key-'.padEnd(40, 'x'), DATABASE_URL: inject('databaseUrl').replace(/\/[^/]*$/, `/pw_build_${run}`), SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port),
      SMTP_FROM: 'paywatch@example.go.th', CONSOLE_BASE_URL: 'http://127.0.0.1',
    });
    const started = [ingest, detector, alerts];
    const consoleP = await start('console', { JWT_SECRET: common.JWT_SECRET, CONSOLE_COOKIE_SECRET: 'c'.repeat(40), INGEST_URL: ingest.url, DETECTOR_URL: detector.url, ALERTS_URL: alerts.url });
    console.log(`[built services] ms to /health: ${JSON.stringify(Object.fromEntries(SERVICES.map((s, i) => [s, [...started, consoleP][i]!.msToHealth])))}`);

    const ready = async (url: string) => (await fetch(`${url}/ready`)).status;
    const waitReady = async (url: string) => { for (let i = 0; i < 300 && (await ready(url)) !== 200; i++) await new Promise((r) => setTimeout(r, 100)); return ready(url); };
    expect(await waitReady(ingest.url)).toBe(200);
    expect(await waitReady(detector.url)).toBe(200);
    expect(await waitReady(alerts.url)).toBe(200);
    expect(await waitReady(consoleP.url)).toBe(200);
    const login = await fetch(`${consoleP.url}/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('<html lang="th">');
    expect((await fetch(`${consoleP.url}/assets/chart.umd.js`)).status).toBe(200);
    expect((await fetch(`${consoleP.url}/assets/fonts/sarabun-thai-400-normal.woff2`)).status).toBe(200);
    // A login is checked with argon2, a native module: it loads from the built node_modules (a wrong password is a 401, not a crash).
    const refused = await fetch(`${alerts.url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'central-1', password: 'not-the-password' }) });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('PW_ERR_LOGIN_FAILED');
    const metrics = await (await fetch(`${detector.url}/metrics`)).text();
    expect(metrics).toMatch(/paywatch_consumer_lag\{group="detector-build-/);
  }, 120_000);
});
