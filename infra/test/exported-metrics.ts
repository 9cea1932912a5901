// The metrics the services really export: each service is built in-process from its own build function (the
// embedded adapters: in-process event log, blob folder, PGlite, a mail outbox file) and its /metrics scraped.
// Names come from the exposition's `# TYPE` lines; label names from the registry's metric objects.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAlertsService } from '@paywatch/alerts';
import { createFolderBlobStore } from '@paywatch/blob-store';
import { buildConsoleService } from '@paywatch/console';
import { createPgliteDb } from '@paywatch/db';
import { buildDetectorService } from '@paywatch/detector';
import { createInProcessEventLog } from '@paywatch/event-log';
import { buildIngestService } from '@paywatch/ingest';
import { createLocalOutboxMailer } from '@paywatch/mail';
import { createLogger, createMetricsRegistry, type Registry } from '@paywatch/observability';
import { RuleSetConfig } from '@paywatch/rules';
import { SEED_LAO_REGISTRY, SEED_USERS } from '@paywatch/seed';

/** One exported metric: its type and every label a series of it can carry. */
export interface ExportedMetric { name: string; type: string; service: string; labels: Set<string> }

/** Labels Prometheus adds to every scraped series (the target's job and instance). */
export const TARGET_LABELS = ['job', 'instance'] as const;

const SUFFIXES: Record<string, string[]> = { histogram: ['_bucket', '_sum', '_count'], summary: ['_sum', '_count'] };

/** The series names a metric appears under in the exposition, e.g. a histogram's `_bucket`, `_sum`, `_count`. */
function seriesNames(m: { name: string; type: string }): Array<{ name: string; extra: string[] }> {
  const suffixes = SUFFIXES[m.type];
  if (!suffixes) return [{ name: m.name, extra: [] }];
  return suffixes.map((s) => ({ name: m.name + s, extra: s === '_bucket' ? ['le'] : [] })).concat(m.type === 'summary' ? [{ name: m.name, extra: ['quantile'] }] : []);
}

async function scrape(service: string, registry: Registry, get: () => Promise<string>): Promise<ExportedMetric[]> {
  const text = await get();
  const types = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
  const defaults = Object.keys((registry as unknown as { _defaultLabels?: Record<string, string> })._defaultLabels ?? {});
  const out: ExportedMetric[] = [];
  for (const metric of registry.getMetricsAsArray() as unknown as Array<{ name: string; labelNames?: string[] }>) {
    const type = types.get(metric.name);
    if (!type) throw new Error(`${service}: ${metric.name} is registered but not in /metrics`);
    for (const s of seriesNames({ name: metric.name, type })) {
      out.push({ name: s.name, type, service, labels: new Set([...(metric.labelNames ?? []), ...s.extra, ...defaults, ...TARGET_LABELS]) });
    }
  }
  // Whatever /metrics shows must be accounted for by the registry (nothing added behind its back).
  for (const name of types.keys()) if (!out.some((o) => o.name === name || o.name.startsWith(`${name}_`))) throw new Error(`${service}: ${name} in /metrics but not registered`);
  return out;
}

/** Builds ingest, detector, alerts and the console in-process and returns what each exports, by series name. */
export async function exportedMetrics(): Promise<Map<string, ExportedMetric[]>> {
  const dir = await mkdtemp(join(tmpdir(), 'pw-metrics-'));
  const logger = createLogger({ service: 'metrics-test', level: 'silent' });
  const jwtSecret = 'metrics-test-secret-'.padEnd(40, 'x');
  const eventLog = createInProcessEventLog();
  const blobStore = createFolderBlobStore(join(dir, 'blobs'));
  const db = await createPgliteDb();
  const registries = { ingest: createMetricsRegistry('ingest'), detector: createMetricsRegistry('detector'), alerts: createMetricsRegistry('alerts'), console: createMetricsRegistry('console') };
  const ingest = await buildIngestService({ blobStore, eventLog, registry: SEED_LAO_REGISTRY, logger, metrics: registries.ingest, jwtSecret });
  const detector = await buildDetectorService({ eventLog, blobStore, ruleSet: RuleSetConfig.parse({}), logger, metrics: registries.detector, jwtSecret });
  const alerts = await buildAlertsService({ db, eventLog, mailer: createLocalOutboxMailer(join(dir, 'outbox.jsonl')), registry: SEED_LAO_REGISTRY, users: SEED_USERS, logger, metrics: registries.alerts, jwtSecret, audit: { key: 'metrics-test-audit-key-'.padEnd(40, 'x'), anchorStore: blobStore }, consoleBaseUrl: 'http://console.invalid' });
  const consoleService = await buildConsoleService({ logger, metrics: registries.console, jwtSecret, cookieSecret: 'c'.repeat(40), upstream: { ingest: 'http://ingest.invalid', detector: 'http://detector.invalid', alerts: 'http://alerts.invalid' } });
  const apps = { ingest: ingest.app, detector: detector.app, alerts: alerts.app, console: consoleService.app };
  try {
    const byName = new Map<string, ExportedMetric[]>();
    for (const [service, app] of Object.entries(apps)) {
      await app.ready();
      for (const m of await scrape(service, registries[service as keyof typeof registries], async () => (await app.inject('/metrics')).body)) {
        byName.set(m.name, [...(byName.get(m.name) ?? []), m]);
      }
    }
    return byName;
  } finally {
    await Promise.allSettled([ingest.stop(), detector.stop(), alerts.stop(), consoleService.stop()]);
    await db.close();
    await eventLog.close();
    await rm(dir, { recursive: true, force: true });
  }
}
