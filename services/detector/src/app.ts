/** Builds the detector service from its ports; reads no environment (see main.ts). */
import { z } from 'zod';
import { TOPICS, referenceTopic, type Alert, type ReferenceKind } from '@paywatch/domain';
import type { BlobStore } from '@paywatch/blob-store';
import type { Consumer, EventLog } from '@paywatch/event-log';
import { createHttpApp, requireRole, type HttpGuards, type OidcOptions } from '@paywatch/http-kit';
import type { Logger, Registry } from '@paywatch/observability';
import { collectedGauge, counter, gauge, histogram, registerConsumerLag } from '@paywatch/observability';
import { createPayeeEngine, type RuleSetConfig } from '@paywatch/rules';
import { createCheckpointStore } from './checkpoint-store.ts';
import { createPartitionDetector } from './partition-detector.ts';
import { createReferenceTable } from './reference-table.ts';

export interface DetectorServiceDeps {
  eventLog: EventLog;
  blobStore: BlobStore;
  ruleSet: RuleSetConfig;
  logger: Logger;
  metrics: Registry;
  jwtSecret: string;
  /** Accept the identity provider's tokens too (http-kit OIDC). */
  oidc?: OidcOptions;
  /** Rate limits and trusted proxies (http-kit defaults when absent). */
  http?: HttpGuards;
  groupId?: string;
  /** `byPayee` enables stage 2 (cross-LAO rules over records re-keyed by payee account). */
  topics?: { disbursements: string; alerts: string; deadLetter: string; batches?: string; byPayee?: string };
  /** Checkpoint after this many records or milliseconds (default 5,000 / 2,000), snapshots within `maxShare` of the time (0.1). */
  checkpointEvery?: { records?: number; ms?: number; maxShare?: number };
  /** Reference topic per kind (tests give each run its own); null disables the reference table. Default `reference.{kind}.v1`. */
  referenceTopicOf?: ((kind: ReferenceKind) => string) | null;
  /** How long start-up waits for the reference table to read what was published before it (default 30 s). */
  referenceCatchUpMs?: number;
}

/** The detector: a consumer group over `disbursements.v1` producing `alerts.v1`, with an ops HTTP surface. */
export async function buildDetectorService(deps: DetectorServiceDeps) {
  const groupId = deps.groupId ?? 'detector';
  const topics = deps.topics ?? { disbursements: TOPICS.disbursements, alerts: TOPICS.alerts, deadLetter: `${TOPICS.disbursements}.dlq`, batches: TOPICS.batches, byPayee: TOPICS.disbursementsByPayee };
  const producer = await deps.eventLog.producer();
  const records = counter(deps.metrics, 'paywatch_detector_records_total', 'Records evaluated, by stage (lao: per LAO, payee: cross-LAO by payee)', ['stage']);
  const alertsOut = counter(deps.metrics, 'paywatch_detector_alerts_total', 'Alerts emitted, by rule and severity (a replay after a crash emits the same alert again)', ['rule', 'severity']);
  const dlq = counter(deps.metrics, 'paywatch_detector_dead_letters_total', 'Records sent to a dead-letter topic, by stage', ['stage']);
  const cpBytes = gauge(deps.metrics, 'paywatch_detector_checkpoint_bytes', 'Size of the last checkpoint written');
  // Snapshot: how long the partition's stream waited for it; write: how long the store took meanwhile (ADR 0015).
  const cpSeconds = histogram(deps.metrics, 'paywatch_detector_checkpoint_seconds', 'Checkpoint cost by stage and step (snapshot: the partition waits; write: in the background)', ['stage', 'step'], [0.001, 0.005, 0.02, 0.1, 0.5, 2, 10, 60]);
  const timed = (stage: string) => (bytes: number, t?: { snapshotMs: number; writeMs: number }) => {
    if (stage === 'lao') cpBytes.set(bytes);
    if (t) { cpSeconds.observe({ stage, step: 'snapshot' }, t.snapshotMs / 1000); cpSeconds.observe({ stage, step: 'write' }, t.writeMs / 1000); }
  };
  const cpFailed = counter(deps.metrics, 'paywatch_detector_checkpoint_failures_total', 'Checkpoints that could not be saved (retried at the next flush)', ['stage']);
  // Both stages start at 0, so the first dead letter or failure after a restart shows in increase().
  for (const stage of ['lao', 'payee']) { dlq.inc({ stage }, 0); cpFailed.inc({ stage }, 0); records.inc({ stage }, 0); }
  const countAlerts = (as: readonly Alert[]) => { for (const a of as) for (const r of a.ruleIds) alertsOut.inc({ rule: r, severity: a.severity }); };
  const referenceApplied = counter(deps.metrics, 'paywatch_detector_reference_snapshots_total', 'Reference list versions taken into the table, by kind', ['kind']);
  const referenceInvalid = counter(deps.metrics, 'paywatch_detector_reference_invalid_total', 'Reference announcements skipped (unreadable, or items missing)');
  const referenceTopicOf = deps.referenceTopicOf === undefined ? referenceTopic : deps.referenceTopicOf;
  const referenceTable = referenceTopicOf ? createReferenceTable({
    eventLog: deps.eventLog, blobStore: deps.blobStore, logger: deps.logger, groupPrefix: `${groupId}-reference`, topicOf: referenceTopicOf,
    onApplied: (s) => referenceApplied.inc({ kind: s.kind }), onInvalid: () => referenceInvalid.inc(),
  }) : null;
  const detector = createPartitionDetector({
    producer, checkpoints: createCheckpointStore(deps.blobStore, groupId), ruleSet: deps.ruleSet, logger: deps.logger,
    topics: { alerts: topics.alerts, deadLetter: topics.deadLetter, ...(topics.batches ? { batches: topics.batches } : {}) },
    onRecords: (n) => records.inc({ stage: 'lao' }, n),
    onAlerts: countAlerts,
    onDeadLetter: (n) => dlq.inc({ stage: 'lao' }, n),
    onCheckpoint: timed('lao'),
    onCheckpointFailed: () => cpFailed.inc({ stage: 'lao' }),
    ...(deps.checkpointEvery ? { checkpointEvery: deps.checkpointEvery } : {}),
    ...(topics.byPayee ? { forward: { topic: topics.byPayee } } : {}),
    ...(referenceTable ? { referenceSource: (lao: string) => referenceTable.snapshotsFor(lao) } : {}),
  });
  // Stage 2: its own consumer group over the re-keyed copy, its own checkpoints, the same alert topic.
  const payeeGroupId = `${groupId}-payee`;
  const payeeDetector = topics.byPayee ? createPartitionDetector({
    producer, checkpoints: createCheckpointStore(deps.blobStore, payeeGroupId), ruleSet: deps.ruleSet, logger: deps.logger,
    topics: { alerts: topics.alerts, deadLetter: `${topics.byPayee}.dlq` },
    createEngine: () => createPayeeEngine(deps.ruleSet),
    onRecords: (n) => records.inc({ stage: 'payee' }, n),
    onAlerts: countAlerts,
    onDeadLetter: (n) => dlq.inc({ stage: 'payee' }, n),
    onCheckpoint: timed('payee'),
    onCheckpointFailed: () => cpFailed.inc({ stage: 'payee' }),
    ...(deps.checkpointEvery ? { checkpointEvery: deps.checkpointEvery } : {}),
  }) : null;
  let consumer: Consumer | null = null;
  let payeeConsumer: Consumer | null = null;
  let stopFlusher: (() => void) | null = null;
  let stopPayeeFlusher: (() => void) | null = null;
  let consuming = false;
  registerConsumerLag(deps.metrics, [
    { groupId, lag: async () => (await consumer?.lag()) ?? [] },
    ...(topics.byPayee ? [{ groupId: payeeGroupId, lag: async () => (await payeeConsumer?.lag()) ?? [] }] : []),
  ]);
  // Seconds each owned partition's state has been ahead of its saved checkpoint: what a crash now would replay (ADR 0004).
  collectedGauge(deps.metrics, 'paywatch_detector_checkpoint_age_seconds', 'Seconds since the partition\'s state first got ahead of its last saved checkpoint (0 when everything is saved)', ['group', 'topic', 'partition'], (g) => {
    for (const [group, d] of [[groupId, detector], [payeeGroupId, payeeDetector]] as const) {
      for (const l of d?.checkpointLag() ?? []) g.set({ group, topic: l.topic, partition: String(l.partition) }, l.unsavedMs / 1000);
    }
  });

  const app = await createHttpApp({
    service: 'detector', logger: deps.logger, metrics: deps.metrics, jwtSecret: deps.jwtSecret, ...(deps.oidc ? { oidc: deps.oidc } : {}),
    description: 'Evaluates payment records against the rule set and emits alerts.',
    // `consuming`: start-up (reference catch-up, group join) is over; /health answers before that, /ready after.
    readiness: { eventLog: () => deps.eventLog.ping(), blobStore: () => deps.blobStore.ping(), consuming: async () => consuming },
    ...deps.http,
  });
  app.get('/v1/rule-set', { schema: { summary: 'The rule set in force, with its thresholds', response: { 200: z.object({ ruleSet: z.unknown() }) } } }, async (req) => {
    requireRole(req, 'central', 'admin', 'ops', 'provincial-auditor', 'district-auditor');
    return { ruleSet: deps.ruleSet };
  });
  const Lag = z.array(z.object({ topic: z.string(), partition: z.number(), committedOffset: z.string().nullable(), endOffset: z.string(), lag: z.number() }));
  app.get('/v1/ops/lag', { schema: { summary: 'Consumer lag per partition: stage 1 (per LAO) and, under `payee`, stage 2 (per payee account)', response: { 200: z.object({ groupId: z.string(), partitions: Lag, payee: z.object({ groupId: z.string(), partitions: Lag }).nullable() }) } } }, async (req) => {
    requireRole(req, 'ops', 'admin', 'central');
    return {
      groupId, partitions: consumer ? await consumer.lag() : [],
      payee: payeeConsumer ? { groupId: payeeGroupId, partitions: await payeeConsumer.lag() } : null,
    };
  });

  app.get('/v1/ops/reference', { schema: { summary: 'The reference table: lists held, LAOs covered, and whether start-up read everything published before it', response: { 200: z.object({ enabled: z.boolean(), lists: z.number(), laos: z.number(), applied: z.number(), caughtUp: z.boolean() }) } } }, async (req) => {
    requireRole(req, 'ops', 'admin', 'central');
    return referenceTable ? { enabled: true, ...referenceTable.status() } : { enabled: false, lists: 0, laos: 0, applied: 0, caughtUp: false };
  });

  return {
    app,
    async start() {
      if (referenceTable) {
        await referenceTable.start();
        // Payments evaluated before the lists published earlier are read would raise payee-not-registered
        // and no-voucher alerts that a moment later would not fire: wait, but never for ever.
        if (!(await referenceTable.waitUntilCaughtUp(deps.referenceCatchUpMs ?? 30_000))) {
          deps.logger.warn({ status: referenceTable.status() }, 'reference table not caught up in time; payments are evaluated with what has been read');
        }
      }
      consumer = deps.eventLog.consumer({ groupId, topics: [topics.disbursements, ...(topics.batches ? [topics.batches] : [])], fromBeginning: true, onRevoked: detector.onRevoked });
      await consumer.run(detector.handle);
      stopFlusher = detector.startFlusher();
      if (payeeDetector && topics.byPayee) {
        payeeConsumer = deps.eventLog.consumer({ groupId: payeeGroupId, topics: [topics.byPayee], fromBeginning: true, onRevoked: payeeDetector.onRevoked });
        await payeeConsumer.run(payeeDetector.handle);
        stopPayeeFlusher = payeeDetector.startFlusher();
      }
      consuming = true;
    },
    async stop() {
      consuming = false;
      stopFlusher?.();
      stopPayeeFlusher?.();
      await consumer?.stop();
      await payeeConsumer?.stop();
      await referenceTable?.stop();
      // Save what the last batches reflected; their commits may be refused after stop, which is safe (0004).
      await detector.flush({ commit: false });
      await payeeDetector?.flush({ commit: false });
      await app.close();
      await producer.close();
    },
    /** Lag of both stages' consumer groups. */
    lag: async () => [...(await consumer?.lag() ?? []), ...(await payeeConsumer?.lag() ?? [])],
  };
}
export type DetectorService = Awaited<ReturnType<typeof buildDetectorService>>;
