/**
 * The whole pipeline in one process on embedded adapters, everything kept in one data folder (ADR 0010): the
 * SQLite event log, the blob folder (fsync'd), PGlite, the local mail outbox and the audit log's key (its anchors
 * go to the blob folder). `paywatch serve` and `paywatch dev` are both this; dev adds the demo data. A composition
 * root: it reads no environment itself, the commands pass what they read.
 */
import type { Db } from '@paywatch/db';
import type { HttpGuards } from '@paywatch/http-kit';
import { createFolderBlobStore } from '@paywatch/blob-store';
import { createLocalOutboxMailer } from '@paywatch/mail';
import { createMetricsRegistry, type Logger } from '@paywatch/observability';
import { RuleSetConfig } from '@paywatch/rules';
import { SEED_LAO_REGISTRY, SEED_USERS } from '@paywatch/seed';
import { buildIngestService, type IngestService } from '@paywatch/ingest';
import { buildDetectorService } from '@paywatch/detector';
import { buildAlertsService } from '@paywatch/alerts';
import { buildConsoleService } from '@paywatch/console';
import { openDataDir, type OpenDataDir } from './data-dir/open-data-dir.ts';
import { openPglite } from './data-dir/open-pglite.ts';
import { dataDirAuditKey } from './data-dir/audit-key.ts';

/** The ingest replica's name in a data folder: one ingest per folder (its lock), so the name never changes (ADR 0014). */
export const EMBEDDED_INGEST_REPLICA_ID = 'ingest-embedded';

/** What the pipeline needs from its command. */
export interface EmbeddedPipelineOptions {
  dataDir: string;
  /** Console on `portBase`, ingest +1, detector +2, alerts +3. */
  portBase: number;
  host: string;
  logger: Logger;
  jwtSecret: string;
  cookieSecret: string;
  /** The demo users' password for the built-in login (`POST /v1/auth/login`). */
  demoPassword: string;
  /** The audit log's HMAC key (AUDIT_HMAC_KEY) when the operator keeps it; null: the folder's own key. */
  auditKey: string | null;
  /** Rate limits and trusted proxies of every service (http-kit defaults when absent). */
  http?: HttpGuards;
}

/** A running pipeline. */
export interface EmbeddedPipeline {
  dataDir: OpenDataDir;
  urls: { console: string; ingest: string; detector: string; alerts: string };
  ingest: IngestService;
  /** The file holding the audit key, or null when the key came from the environment (for `paywatch audit verify`). */
  auditKeyFile: string | null;
  /** Stops every service, then closes the stores (the event log last: it is the folder's lock). */
  stop(): Promise<void>;
}

/** Opens the data folder (refusing one that is not paywatch's), starts every service on it and listens. */
export async function startEmbeddedPipeline(o: EmbeddedPipelineOptions): Promise<EmbeddedPipeline> {
  const dataDir = await openDataDir(o.dataDir, { logger: o.logger });
  const { paths, eventLog } = dataDir;
  let db: Db | null = null;
  try {
    const blobStore = createFolderBlobStore(paths.blobs, { fsync: true });
    db = await openPglite(paths);
    const mailer = createLocalOutboxMailer(paths.outbox);
    const at = (offset: number) => `http://${o.host}:${o.portBase + offset}`;
    const urls = { console: at(0), ingest: at(1), detector: at(2), alerts: at(3) };
    const logger = o.logger;
    const http = o.http ? { http: o.http } : {};
    // Kept in the folder (and so in its backups) unless the operator keeps it: the chain needs the same key at every start.
    const auditKey = o.auditKey ?? await dataDirAuditKey(paths.auditKey);

    // A fixed replica name: after a kill, the restart (or a re-upload) retakes the claims the dead run held at once
    // instead of waiting out their lease (ADR 0014).
    const ingest = await buildIngestService({ blobStore, eventLog, registry: SEED_LAO_REGISTRY, logger: logger.child({ service: 'ingest' }), metrics: createMetricsRegistry('ingest'), jwtSecret: o.jwtSecret, replicaId: EMBEDDED_INGEST_REPLICA_ID, ...http });
    const detector = await buildDetectorService({ eventLog, blobStore, ruleSet: RuleSetConfig.parse({}), logger: logger.child({ service: 'detector' }), metrics: createMetricsRegistry('detector'), jwtSecret: o.jwtSecret, ...http });
    const alerts = await buildAlertsService({
      db, eventLog, mailer, registry: SEED_LAO_REGISTRY, users: SEED_USERS, logger: logger.child({ service: 'alerts' }),
      demoPasswords: Object.fromEntries(SEED_USERS.map((u) => [u.sub, o.demoPassword])),
      metrics: createMetricsRegistry('alerts'), jwtSecret: o.jwtSecret, consoleBaseUrl: urls.console, ...http,
      // Anchors of the chain's head go to the blob folder (and the log), outside PGlite.
      audit: { key: auditKey, anchorStore: blobStore },
      // One dispatcher per folder (the folder's lock sees to it): a claim only has to outlast one write to the local
      // outbox, so a send cut short by a crash goes out seconds after the restart, not after the 5-minute default.
      dispatcher: { leaseMs: 10_000 },
    });
    // Ingest first: it queues the batches a crash left unpublished before anything new can arrive.
    await ingest.start();
    await Promise.all([detector.start(), alerts.start()]);
    await ingest.app.listen({ port: o.portBase + 1, host: o.host });
    await detector.app.listen({ port: o.portBase + 2, host: o.host });
    await alerts.app.listen({ port: o.portBase + 3, host: o.host });
    // The web console calls the three services over HTTP, like a browser would.
    const consoleService = await buildConsoleService({ logger: logger.child({ service: 'console' }), metrics: createMetricsRegistry('console'), jwtSecret: o.jwtSecret, upstream: urls, cookieSecret: o.cookieSecret, ...http });
    await consoleService.app.listen({ port: o.portBase, host: o.host });

    const openDb = db;
    let stopping: Promise<void> | null = null;
    return {
      dataDir, urls, ingest, auditKeyFile: o.auditKey === null ? paths.auditKey : null,
      stop() {
        stopping ??= (async () => {
          await consoleService.stop();
          await ingest.stop();
          await detector.stop();
          await alerts.stop();
          await openDb.close();
          await dataDir.close();
        })();
        return stopping;
      },
    };
  } catch (e) {
    await db?.close().catch(() => undefined);
    await dataDir.close();
    throw e;
  }
}
