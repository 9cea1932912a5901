/**
 * One detector process of a pipeline benchmark: the real detector service (both stages) over the event log the
 * parent names, checkpoints in a shared folder. Run as a child (`node --import tsx detector-process.ts`): it
 * reports progress over IPC every few hundred ms and, when told to stop, its final counts and peak RSS. The parent
 * side is {@link startDetectorProcess}. A child per detector, so each one's memory and CPU are its own.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createFolderBlobStore } from '@paywatch/blob-store';
import { buildDetectorService } from '@paywatch/detector';
import { createLogger, createMetricsRegistry, type Registry } from '@paywatch/observability';
import type { EventLog } from '@paywatch/event-log';
import { createStageTrace } from './stage-trace.ts';
import { benchRuleSet, openEventLog, type EventLogSpec, type RuleSetKind } from './bench-event-log.ts';

/** What a detector process is given. */
export interface DetectorProcessSpec {
  eventLog: EventLogSpec;
  /** Folder of the shared blob store (checkpoints, reference items). */
  blobDir: string;
  groupId: string;
  ruleSet: RuleSetKind;
  /** Time every produce, handled batch and commit in this process; the final report carries the breakdown. */
  trace?: boolean;
  /** Checkpoint cadence (the service's default when absent). */
  checkpointEvery?: { records?: number; ms?: number; maxShare?: number };
}

/** Counts a detector reports: records evaluated per stage, alerts emitted, checkpoint costs. */
export interface DetectorProgress {
  stage1Records: number;
  stage2Records: number;
  alerts: number;
  checkpoints: number;
  /** Milliseconds the partitions' snapshots held their streams, in total. */
  snapshotMsTotal: number;
  /** Peak resident set so far, bytes (the kernel's high-water mark). */
  peakRssBytes: number;
  /** CPU seconds (user + system) so far. */
  cpuSeconds: number;
  /** With `trace`: where this process's time went (final report only). */
  trace?: unknown;
}

/** Peak resident set of this process so far, bytes: the kernel's high-water mark (VmHWM), else getrusage's maxRSS. */
export function peakRssBytes(pid: number | 'self' = 'self'): number {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    if (hwm) return Number(hwm) * 1024;
  } catch { /* not Linux, or the process is gone */ }
  return pid === 'self' ? process.resourceUsage().maxRSS * 1024 : 0;
}

const sumOf = (registry: Registry, name: string, label?: [string, string]) => {
  const metric = registry.getSingleMetric(name) as { get(): Promise<{ values: { value: number; labels: Record<string, string | number> }[] }> } | undefined;
  return metric ? metric.get().then((m) => m.values.filter((v) => !label || v.labels[label[0]] === label[1]).reduce((s, v) => s + v.value, 0)) : Promise.resolve(0);
};

/** Builds and starts a detector in this process; `progress()` reads its counts. Used by the child and in-process runs. */
export async function runDetector(spec: DetectorProcessSpec, eventLog: EventLog) {
  const metrics = createMetricsRegistry('detector');
  const service = await buildDetectorService({
    eventLog, blobStore: createFolderBlobStore(spec.blobDir), ruleSet: benchRuleSet(spec.ruleSet),
    logger: createLogger({ service: 'bench-detector', level: 'error' }), metrics, jwtSecret: 'bench-secret'.padEnd(40, '-'),
    groupId: spec.groupId, referenceTopicOf: null, ...(spec.checkpointEvery ? { checkpointEvery: spec.checkpointEvery } : {}),
  });
  await service.start();
  const cpu0 = process.cpuUsage();
  return {
    service,
    async progress(): Promise<DetectorProgress> {
      const cpu = process.cpuUsage(cpu0);
      const snapshot = metrics.getSingleMetric('paywatch_detector_checkpoint_seconds') as { get(): Promise<{ values: { value: number; labels: Record<string, string | number>; metricName?: string }[] }> } | undefined;
      const values = snapshot ? (await snapshot.get()).values.filter((v) => v.labels.step === 'snapshot') : [];
      const sumS = values.filter((v) => v.metricName?.endsWith('_sum')).reduce((s, v) => s + v.value, 0);
      const count = values.filter((v) => v.metricName?.endsWith('_count')).reduce((s, v) => s + v.value, 0);
      return {
        stage1Records: await sumOf(metrics, 'paywatch_detector_records_total', ['stage', 'lao']),
        stage2Records: await sumOf(metrics, 'paywatch_detector_records_total', ['stage', 'payee']),
        alerts: await sumOf(metrics, 'paywatch_detector_alerts_total'),
        checkpoints: count, snapshotMsTotal: Math.round(sumS * 1000),
        peakRssBytes: peakRssBytes(), cpuSeconds: (cpu.user + cpu.system) / 1e6,
      };
    },
  };
}

/** Parent side: a detector child process, its latest progress, and how to stop it (resolving with its final counts). */
export async function startDetectorProcess(spec: DetectorProcessSpec) {
  const child: ChildProcess = fork(new URL(import.meta.url).pathname, ['--child'], { execArgv: ['--import', 'tsx', '--max-old-space-size=3584'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let latest: DetectorProgress | null = null;
  let final: ((p: DetectorProgress) => void) | null = null;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await new Promise<void>((resolve, reject) => {
    child.on('message', (m: { type: string; progress?: DetectorProgress; error?: string }) => {
      if (m.progress) latest = m.progress;
      if (m.type === 'ready') resolve();
      if (m.type === 'final') final?.(m.progress!);
      if (m.type === 'error') reject(new Error(`detector process: ${m.error}`));
    });
    child.once('exit', (code) => reject(new Error(`detector process exited with ${code} before it was ready`)));
    child.send({ type: 'start', spec });
  });
  return {
    pid: child.pid!,
    progress: () => latest,
    /** Stops the service (checkpoints saved) and the process; resolves with its last counts. */
    async stop(): Promise<DetectorProgress> {
      const done = new Promise<DetectorProgress>((r) => { final = r; });
      child.send({ type: 'stop' });
      const p = await Promise.race([done, exited.then((code) => { throw new Error(`detector process exited with ${code} while stopping`); })]);
      await exited;
      return p;
    },
    /** SIGKILL, as a crash. */
    kill: () => new Promise<void>((r) => { child.once('exit', () => r()); child.kill('SIGKILL'); }),
  };
}
export type DetectorProcess = Awaited<ReturnType<typeof startDetectorProcess>>;

if (process.argv.includes('--child') && process.send) {
  const send = (m: unknown) => process.send!(m);
  // The bench is gone (killed, or crashed): a detector left behind would hold its group and its memory.
  process.once('disconnect', () => process.exit(1));
  process.once('message', async (m: { type: string; spec: DetectorProcessSpec }) => {
    try {
      const log = openEventLog(m.spec.eventLog, `bench-detector-${process.pid}`);
      const trace = createStageTrace();
      const d = await runDetector(m.spec, m.spec.trace ? trace.eventLog(log, 'detector') : log);
      const timer = setInterval(() => { void d.progress().then((progress) => send({ type: 'progress', progress })); }, 250);
      send({ type: 'ready', progress: await d.progress() });
      process.on('message', async (msg: { type: string }) => {
        if (msg.type !== 'stop') return;
        clearInterval(timer);
        await d.service.stop();
        await log.close();
        send({ type: 'final', progress: { ...(await d.progress()), ...(m.spec.trace ? { trace: trace.report() } : {}) } });
        process.removeAllListeners('disconnect');
        process.disconnect();
        process.exit(0);
      });
    } catch (err) {
      send({ type: 'error', error: (err as Error).stack ?? String(err) });
      process.exit(1);
    }
  });
}
