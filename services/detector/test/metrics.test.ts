// What the detector exports for dashboards and alert rules: throughput per stage, alerts by rule and severity,
// dead letters, consumer lag per group, and how long each partition's state has been ahead of its checkpoint.
import { describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS } from '@paywatch/domain';
import { createInProcessEventLog } from '@paywatch/event-log';
import { createFolderBlobStore, type BlobStore } from '@paywatch/blob-store';
import { createLogger, createMetricsRegistry } from '@paywatch/observability';
import { RuleSetConfig } from '@paywatch/rules';
import { waitUntil } from '@paywatch/testkit';
import { buildDetectorService } from '../src/index.ts';
import { worldRecords } from './fixtures.ts';

interface Sample { name: string; labels: Record<string, string>; value: number }
function samples(text: string): Sample[] {
  return text.split('\n').flatMap((line) => {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) return [];
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1]!, x[2]!]));
    return [{ name: m[1]!, labels, value: Number(m[3]) }];
  });
}
const sum = (ss: Sample[], name: string, labels: Record<string, string> = {}) =>
  ss.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((n, s) => n + s.value, 0);

async function detector(blobStore: BlobStore, checkpointEvery?: { records?: number; ms?: number }) {
  const log = createInProcessEventLog();
  const d = await buildDetectorService({
    eventLog: log, blobStore, ruleSet: RuleSetConfig.parse({}), logger: createLogger({ service: 'detector-test', level: 'silent' }),
    metrics: createMetricsRegistry('detector'), jwtSecret: 'x'.repeat(32), ...(checkpointEvery ? { checkpointEvery } : {}),
  });
  const scrape = async () => samples((await d.app.inject('/metrics')).body);
  return { log, d, scrape };
}
const blobDir = async () => createFolderBlobStore(await mkdtemp(join(tmpdir(), 'pw-det-metrics-')));

describe('detector metrics', () => {
  it('when records flow, then both stages count them, alerts are counted by rule and severity, and the lag of both groups is exported per partition', async () => {
    const { log, d, scrape } = await detector(await blobDir());
    const records = worldRecords().slice(0, 200);
    const p = await log.producer();
    await p.send(TOPICS.disbursements, [{ key: '6600101', value: 'not json' }]);
    await p.send(TOPICS.disbursements, records.map((r) => ({ key: r.laoCode, value: JSON.stringify(r) })));
    expect(sum(await scrape(), 'paywatch_consumer_lag')).toBe(0); // not consuming yet: no group, no series
    await d.start();
    const ss = await waitUntil(scrape, (x) => sum(x, 'paywatch_detector_records_total', { stage: 'lao' }) === records.length && sum(x, 'paywatch_detector_records_total', { stage: 'payee' }) > 0, { what: 'both stages counted' });
    expect(sum(ss, 'paywatch_detector_dead_letters_total', { stage: 'lao' })).toBe(1);
    const alerts = ss.filter((s) => s.name === 'paywatch_detector_alerts_total');
    expect(alerts.length).toBeGreaterThan(0);
    for (const a of alerts) expect(['low', 'medium', 'high', 'critical']).toContain(a.labels.severity);
    await waitUntil(() => d.lag(), (ls) => ls.length > 0 && ls.every((l) => l.lag === 0), { what: 'drained' });
    const lag = (await scrape()).filter((s) => s.name === 'paywatch_consumer_lag');
    expect(new Set(lag.map((s) => s.labels.group))).toEqual(new Set(['detector', 'detector-payee']));
    expect(lag.filter((s) => s.labels.group === 'detector' && s.labels.topic === TOPICS.disbursements).length).toBeGreaterThan(0);
    expect(lag.every((s) => s.value === 0)).toBe(true);
    await d.stop();
  });

  it('when checkpoints cannot be saved, then the age of the unsaved state grows and failures are counted; once the store answers again, then the age is back to 0', async () => {
    const folder = await blobDir();
    let failing = false;
    const flaky: BlobStore = { ...folder, put: async (k, b, c) => { if (failing && k.startsWith('detector/checkpoints/')) throw new Error('store down'); return folder.put(k, b, c); } };
    const { log, d, scrape } = await detector(flaky, { records: 1_000_000, ms: 200 });
    await d.start();
    failing = true;
    const records = worldRecords().slice(0, 50);
    await (await log.producer()).send(TOPICS.disbursements, records.map((r) => ({ key: r.laoCode, value: JSON.stringify(r) })));
    const age = (ss: Sample[]) => Math.max(0, ...ss.filter((s) => s.name === 'paywatch_detector_checkpoint_age_seconds' && s.labels.group === 'detector').map((s) => s.value));
    const stuck = await waitUntil(scrape, (ss) => age(ss) >= 1 && sum(ss, 'paywatch_detector_checkpoint_failures_total') > 0, { what: 'age past a second, failures counted', timeoutMs: 15_000 });
    expect(stuck.some((s) => s.name === 'paywatch_detector_checkpoint_age_seconds' && s.labels.topic === TOPICS.disbursements)).toBe(true);
    failing = false;
    await waitUntil(scrape, (ss) => age(ss) === 0, { what: 'age back to 0 after a saved checkpoint', timeoutMs: 15_000 });
    await d.stop();
  });
});
