/**
 * The event log a pipeline benchmark runs over, as a parameter: the Kafka-protocol peer (a separate process every
 * detector process connects to) or the in-process log (everything in the bench's own process). A log that can be
 * shared between processes names itself with a spec a child can open; the in-process one cannot, so its detectors
 * run inside the bench process. A further adapter (a durable embedded log) plugs in as one more spec kind.
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { TOPIC_PARTITIONS } from '@paywatch/domain';
import { createInProcessEventLog, createKafkaEventLog, type EventLog } from '@paywatch/event-log';
import { RuleSetConfig } from '@paywatch/rules';
import { peakRssBytes } from './detector-process.ts';

/** How a process opens the bench's event log. */
export type EventLogSpec = { kind: 'kafka'; brokers: string[] };

/** Rules on (the default rule set) or every rule off (the engine still keeps its state): the pipeline's own cost. */
export type RuleSetKind = 'default' | 'trivial';

/** The rule set of a kind. */
export function benchRuleSet(kind: RuleSetKind): RuleSetConfig {
  const defaults = RuleSetConfig.parse({});
  if (kind === 'default') return defaults;
  return RuleSetConfig.parse({ version: `${defaults.version}-all-off`, rules: Object.fromEntries(Object.keys(defaults.rules).map((id) => [id, { enabled: false }])) });
}

/**
 * Opens a shared log in this process (the kafkajs adapter on the peer). Session timeout 20 s: a detector holding
 * gigabytes of state pauses for garbage collection long enough to miss a short one, and the rebalance that follows
 * is not what the bench measures (the peer's group code has also failed an assertion in such rejoins).
 */
export function openEventLog(spec: EventLogSpec, clientId: string): EventLog {
  return createKafkaEventLog({ brokers: spec.brokers, clientId, consumerSessionTimeoutMs: 20_000, consumerHeartbeatIntervalMs: 2_000, consumerRebalanceTimeoutMs: 20_000, consumerMaxWaitTimeMs: 50 });
}

/** The log a bench runs over: how to open it here, whether child processes can share it, how to shut it. */
export interface BenchEventLog {
  name: string;
  /** A client of the log for one role in this process. */
  open(who: string): EventLog;
  /** What a child process opens, or null when the log lives in this process only (detectors then run here). */
  spec: EventLogSpec | null;
  /** The broker's process, when it has one: its pid, for its peak RSS. */
  brokerPid: number | null;
  close(): Promise<void>;
}

const root = resolve(import.meta.dirname, '../../../..');

/** librdkafka's mock cluster (the Kafka-protocol peer), with the production partition counts (TOPIC_PARTITIONS). */
export async function kafkaPeerLog(): Promise<BenchEventLog> {
  const bin = resolve(root, '.cache/kafka-mock');
  if (!existsSync(bin)) execFileSync('bash', [resolve(root, 'scripts/build-kafka-mock.sh')], { stdio: 'inherit' });
  const topics = Object.entries(TOPIC_PARTITIONS).flatMap(([t, n]) => ['-t', `${t}:${n}`]);
  const child = spawn(bin, ['-b', '1', ...topics, '-t', `${'disbursements.v1.dlq'}:3`, '-t', `${'disbursements.by-payee.v1.dlq'}:3`], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((res, rej) => { child.once('error', rej); createInterface({ input: child.stdout! }).once('line', res); });
  const spec: EventLogSpec = { kind: 'kafka', brokers: line.trim().split(',') };
  const opened: EventLog[] = [];
  return {
    name: 'kafka-protocol peer (librdkafka mock cluster, kafkajs)',
    open: (who) => { const log = openEventLog(spec, who); opened.push(log); return log; },
    spec, brokerPid: child.pid ?? null,
    async close() {
      await Promise.all(opened.map((l) => l.close()));
      await new Promise<void>((r) => { child.once('exit', () => r()); child.stdin!.end(); });
    },
  };
}

/** The in-process log of the embedded mode: one instance shared by every role of this process. */
export function inProcessLog(): BenchEventLog {
  const log = createInProcessEventLog({ partitions: TOPIC_PARTITIONS });
  return { name: 'in-process (embedded mode)', open: () => log, spec: null, brokerPid: null, close: () => log.close() };
}

/** Peak RSS of the broker process, bytes (0 when it has none). */
export const brokerPeakRss = (log: BenchEventLog) => (log.brokerPid ? peakRssBytes(log.brokerPid) : 0);
