/**
 * `paywatch serve --data-dir DIR [--port-base N] [--host H]`: the whole pipeline on embedded adapters, for real —
 * everything under DIR survives restarts, clean or kill -9 (ADR 0010). A composition root: it reads the
 * environment (JWT_SECRET, CONSOLE_COOKIE_SECRET, PAYWATCH_DEMO_PASSWORD, AUDIT_HMAC_KEY, LOG_LEVEL, and the services'
 * RATE_LIMIT_PER_MINUTE, LOGIN_RATE_LIMIT_PER_MINUTE, UPLOAD_RATE_LIMIT_PER_MINUTE, TRUST_PROXY).
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { HttpEnv, httpGuardsOf, readConfig } from '@paywatch/config';
import type { HttpGuards } from '@paywatch/http-kit';
import { createLogger, type Logger } from '@paywatch/observability';
import { opt, parseArgs } from '../args.ts';
import { startEmbeddedPipeline, type EmbeddedPipeline } from '../embedded-pipeline.ts';

/** Options every embedded command shares, read from argv and the environment. */
export interface EmbeddedSettings {
  dataDir: string;
  portBase: number;
  host: string;
  logger: Logger;
  jwtSecret: string;
  cookieSecret: string;
  demoPassword: string;
  /** True when no JWT_SECRET was given: sessions end with the process. */
  ephemeralSecret: boolean;
  /** AUDIT_HMAC_KEY when the operator keeps the audit key; null: the data folder's own key. */
  auditKey: string | null;
  /** The services' rate limits and trusted proxies, from the same variables as in production (their defaults otherwise). */
  http: HttpGuards;
}

/** Reads the settings; `defaultDataDir` is dev's `.data/dev` (serve requires --data-dir). */
export function embeddedSettings(argv: readonly string[], flags: readonly string[], defaultDataDir: string | null, env: NodeJS.ProcessEnv = process.env) {
  const args = parseArgs(argv, flags);
  const dataDir = opt(args, 'data-dir') ?? defaultDataDir;
  if (!dataDir) throw new Error('usage: paywatch serve --data-dir DIR [--port-base N] [--host H]');
  const portBase = Number(opt(args, 'port-base') ?? env.PAYWATCH_PORT_BASE ?? 8080);
  if (!Number.isInteger(portBase) || portBase < 1 || portBase > 65_531) throw new Error(`--port-base must be a port number, got ${opt(args, 'port-base')}`);
  const settings: EmbeddedSettings = {
    dataDir: resolve(dataDir), portBase, host: opt(args, 'host') ?? '127.0.0.1',
    // Logs go to stderr: stdout carries what the operator reads (where to look, tokens).
    logger: createLogger({ service: 'paywatch', level: env.LOG_LEVEL ?? 'warn' }, process.stderr),
    // Without JWT_SECRET a per-run secret: the data survives a restart, sessions do not (log in again).
    jwtSecret: env.JWT_SECRET ?? randomBytes(32).toString('hex'),
    cookieSecret: env.CONSOLE_COOKIE_SECRET ?? randomBytes(32).toString('hex'),
    // The seed users' password for the built-in login; production users sign in through the identity provider.
    demoPassword: env.PAYWATCH_DEMO_PASSWORD ?? 'paywatch-demo',
    ephemeralSecret: env.JWT_SECRET === undefined,
    // Without it, the folder's own key (kept in the folder, so restarts and backups keep the chain verifiable).
    auditKey: env.AUDIT_HMAC_KEY ?? null,
    http: httpGuardsOf(readConfig(HttpEnv, env)),
  };
  return { args, settings };
}

/** Resolves on SIGINT or SIGTERM. */
export const untilSignalled = () => new Promise<void>((r) => { process.once('SIGINT', () => r()); process.once('SIGTERM', () => r()); });

/** Prints where the running pipeline answers. */
export function describePipeline(p: EmbeddedPipeline, s: EmbeddedSettings, say: (line: string) => void): void {
  const d = p.dataDir;
  say('');
  say(`paywatch is serving from ${d.paths.root} (data folder format ${d.marker.format}${d.migratedFrom ? `, migrated from format ${d.migratedFrom}` : d.created ? ', new' : ''})`);
  say('  event log, blob folder, PGlite, mail outbox and audit key are all kept there, across restarts');
  say(`  console  ${p.urls.console}/login   (seed users, password ${s.demoPassword})`);
  say(`  API docs         ${p.urls.ingest}/docs  ${p.urls.detector}/docs  ${p.urls.alerts}/docs`);
  say(`  metrics          ${p.urls.ingest}/metrics  ${p.urls.detector}/metrics  ${p.urls.alerts}/metrics`);
  if (s.ephemeralSecret) say('  JWT_SECRET not set: sessions last until this process stops (data does not depend on it)');
  if (!p.auditKeyFile) say('  audit key from AUDIT_HMAC_KEY: keep it yourself (backups of the folder do not hold it)');
}

/** The command that checks the folder's audit chain against its key and its anchors. */
export function auditVerifyCommand(p: EmbeddedPipeline): string {
  const { paths } = p.dataDir;
  return `pnpm paywatch audit verify --pglite ${paths.pglite}${p.auditKeyFile ? ` --key-file ${p.auditKeyFile}` : ''} --anchors-dir ${paths.blobs}`;
}

/** Runs serve until a signal; returns the exit code. */
export async function runServe(argv: readonly string[], say: (line: string) => void): Promise<number> {
  const { settings } = embeddedSettings(argv, [], null);
  const pipeline = await startEmbeddedPipeline(settings);
  describePipeline(pipeline, settings, say);
  say(`  audit            ${auditVerifyCommand(pipeline)}   (after stopping)`);
  say('paywatch serve is ready; press Ctrl-C to stop');
  await untilSignalled();
  await pipeline.stop();
  return 0;
}
