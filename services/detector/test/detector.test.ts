import { describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Alert, TOPICS, referenceTopic, type Disbursement, type ReferenceAnnouncement } from '@paywatch/domain';
import { createInProcessEventLog, type EventLog } from '@paywatch/event-log';
import { createFolderBlobStore, type BlobStore } from '@paywatch/blob-store';
import { createLogger, createMetricsRegistry } from '@paywatch/observability';
import { RuleSetConfig } from '@paywatch/rules';
import { worldRecords } from './fixtures.ts';
import { readTopic, waitUntil } from '@paywatch/testkit';
import { signToken } from '@paywatch/http-kit';
import { buildDetectorService } from '../src/index.ts';

async function publish(log: EventLog, records: Disbursement[], chunk = 25) {
  const p = await log.producer();
  for (let i = 0; i < records.length; i += chunk) {
    await p.send(TOPICS.disbursements, records.slice(i, i + chunk).map((r) => ({ key: r.laoCode, value: JSON.stringify(r) })));
  }
}

async function detectorOn(log: EventLog, blobs: BlobStore) {
  const d = await buildDetectorService({
    eventLog: log, blobStore: blobs, ruleSet: RuleSetConfig.parse({}), logger: createLogger({ service: 'detector-test', level: 'silent' }),
    metrics: createMetricsRegistry('detector'), jwtSecret: 'x'.repeat(32),
  });
  await d.start();
  return d;
}

/** Alerts on the topic, latest version per id. */
async function alertsOn(log: EventLog, atLeast: number): Promise<Map<string, Alert>> {
  const msgs = await readTopic(log, TOPICS.alerts, atLeast);
  const byId = new Map<string, Alert>();
  for (const m of msgs) { const a = Alert.parse(JSON.parse(m.value.toString('utf8'))); byId.set(a.alertId, a); }
  return byId;
}

async function drained(d: { lag(): Promise<{ lag: number }[]> }) {
  await waitUntil(() => d.lag(), (ls) => ls.length > 0 && ls.every((l) => l.lag === 0), { what: 'detector lag 0' });
}

/** The alerts (latest version per id) of one detector that never stops: the reference of the restart tests. */
async function uninterruptedRun(records: Disbursement[]): Promise<Map<string, Alert>> {
  const log = createInProcessEventLog();
  const d = await detectorOn(log, await blobDir());
  await publish(log, records);
  await drained(d);
  const alerts = await alertsOn(log, 1);
  await d.stop();
  return alerts;
}

const blobDir = async () => createFolderBlobStore(await mkdtemp(join(tmpdir(), 'pw-det-')));

/** Announces an LAO's payee register the way ingest does: items in the blob store, a pointer on the compacted topic. */
async function announcePayees(log: EventLog, blobs: BlobStore, laoCode: string, version: number, accounts: Array<Pick<Disbursement, 'payeeBankCode' | 'payeeAccount' | 'payeeName'>>) {
  const items = accounts.map((a) => ({ bankCode: a.payeeBankCode, account: a.payeeAccount, name: a.payeeName, payeeId: null, registeredOn: null, status: 'active' }));
  const itemsKey = `reference/${laoCode}/payees/v${version}.items.json`;
  await blobs.put(itemsKey, JSON.stringify(items));
  const announcement: ReferenceAnnouncement = { kind: 'payees', laoCode, version, sha256: `sha-${version}`, effectiveFrom: '2026-10-01', itemCount: items.length, itemsKey };
  await (await log.producer()).send(referenceTopic('payees'), [{ key: laoCode, value: JSON.stringify(announcement) }]);
}

describe('detector service', () => {
  const records = worldRecords();

  it('when an LAO\'s payee register was published before start, then only payments to accounts outside it raise payee-not-registered, only in that LAO; a newer register published later applies to later payments', async () => {
    const log = createInProcessEventLog();
    const blobs = await blobDir();
    const vendor = (r: Disbursement) => r.payeeAccount === '4071234567';
    const registered = records.filter((r) => r.laoCode === '6600101' && !vendor(r));
    await announcePayees(log, blobs, '6600101', 1, registered);
    const d = await detectorOn(log, blobs);
    await publish(log, records);
    await drained(d);
    const notRegistered = (alerts: Map<string, Alert>) => [...alerts.values()].flatMap((a) => a.findings).filter((f) => f.ruleId === 'payee-not-registered').flatMap((f) => f.payments.map((p) => p.recordId));
    const flaggedRecords = new Set(notRegistered(await alertsOn(log, 1)));
    expect([...flaggedRecords].sort()).toEqual(records.filter((r) => r.laoCode === '6600101' && vendor(r)).map((r) => r.recordId).sort());

    // Version 2 registers the vendor too; the same payments in a new batch are then not flagged.
    await announcePayees(log, blobs, '6600101', 2, records.filter((r) => r.laoCode === '6600101'));
    await waitUntil(async () => (await d.app.inject({ url: '/v1/ops/reference', headers: { authorization: `Bearer ${signToken(d.app, { sub: 'ops', role: 'ops' })}` } })).json(), (s) => s.applied === 2 && s.caughtUp, { what: 'reference table with version 2' });
    const later = records.filter((r) => r.laoCode === '6600101' && vendor(r)).map((r) => ({ ...r, batchId: 'b_later', recordId: `b_later:${r.row}`, effectiveDate: '2026-12-20' }));
    await publish(log, later);
    await drained(d);
    const alertsAfter = await alertsOn(log, 1);
    expect([...alertsAfter.values()].some((a) => a.payments.some((p) => p.batchId === 'b_later'))).toBe(true);
    expect(notRegistered(alertsAfter).filter((id) => id.startsWith('b_later'))).toEqual([]);
    await d.stop();
  });

  it('when records flow, then duplicate and split alerts come out with deterministic ids and Thai/English reasons', async () => {
    const log = createInProcessEventLog();
    const d = await detectorOn(log, await blobDir());
    await publish(log, records);
    await drained(d);
    const alerts = await alertsOn(log, 1);
    const rules = new Set([...alerts.values()].flatMap((a) => a.ruleIds));
    expect(rules).toContain('duplicate-payment');
    expect(rules).toContain('split-payment');
    for (const a of alerts.values()) {
      expect(a.reasons.th).toMatch(/[\u0E00-\u0E7F]/);
      expect(a.ruleSetVersion).toBe(RuleSetConfig.parse({}).version);
    }
    // Same input, fresh detector and log ⇒ same alert ids.
    const log2 = createInProcessEventLog();
    const d2 = await detectorOn(log2, await blobDir());
    await publish(log2, records, 7);
    await drained(d2);
    expect([...(await alertsOn(log2, 1)).keys()].sort()).toEqual([...alerts.keys()].sort());
    await d.stop(); await d2.stop();
  });

  it('when the detector is stopped mid-stream and restarted, then it reaches the same alerts as an uninterrupted run', async () => {
    const expected = await uninterruptedRun(records);

    const log = createInProcessEventLog();
    const blobs = await blobDir();
    const first = await detectorOn(log, blobs);
    await publish(log, records.slice(0, 61));
    await drained(first);
    await first.stop();
    await publish(log, records.slice(61));
    const second = await detectorOn(log, blobs);
    await drained(second);
    const got = await alertsOn(log, 1);
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [id, a] of expected) expect(got.get(id)).toEqual(a);
    await second.stop();
  });

  it('when two detector instances share one consumer group, then together they reach the alerts of a single instance', async () => {
    const expected = await uninterruptedRun(records);

    const log = createInProcessEventLog();
    const blobs = await blobDir();
    const [a, b] = [await detectorOn(log, blobs), await detectorOn(log, blobs)];
    await publish(log, records);
    await drained(a);
    await drained(b);
    const got = await alertsOn(log, 1);
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
    await a.stop();
    // The survivor takes over the stopped member's partitions (restoring their checkpoints) and keeps up.
    await publish(log, records);
    await drained(b);
    expect([...(await alertsOn(log, 1)).keys()].sort()).toEqual([...expected.keys()].sort());
    await b.stop();
  });

  it('when the detector is stopped at random points many times, then the alert set equals an uninterrupted run', async () => {
    const expected = [...(await uninterruptedRun(records)).keys()].sort();

    const log = createInProcessEventLog();
    const blobs = await blobDir();
    // Deterministic "random" cut points, so a failure reproduces.
    const cuts = [17, 40, 61, 62, 99, 130, records.length];
    let from = 0;
    for (const cut of cuts) {
      const d = await detectorOn(log, blobs);
      await publish(log, records.slice(from, cut), 5);
      from = cut;
      await drained(d);
      await d.stop();
    }
    const last = await detectorOn(log, blobs);
    await drained(last);
    expect([...(await alertsOn(log, 1)).keys()].sort()).toEqual(expected);
    await last.stop();
  });

  it('when every record is delivered again, then no new alert id appears', async () => {
    const log = createInProcessEventLog();
    const d = await detectorOn(log, await blobDir());
    await publish(log, records);
    await drained(d);
    const before = await alertsOn(log, 1);
    await publish(log, records); // the whole stream replayed (e.g. an ingest resume)
    await drained(d);
    const after = await alertsOn(log, 1);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    await d.stop();
  });

  it('when two LAOs pay one account under different names, then stage 2 raises a cross-LAO alert', async () => {
    const log = createInProcessEventLog();
    const d = await detectorOn(log, await blobDir());
    const [a, b] = [records.find((r) => r.laoCode === '6600101')!, records.find((r) => r.laoCode === '6000101')!];
    const shared = { payeeBankCode: '014', payeeAccount: '7771234567', serviceType: '04' };
    await publish(log, [
      { ...a, ...shared, payeeName: 'บริษัท ทรัพย์ทวี การค้า จำกัด', recordId: `${a.batchId}:900`, row: 900 },
      { ...b, ...shared, payeeName: 'นายสมปอง มีทรัพย์', recordId: `${b.batchId}:900`, row: 900 },
    ]);
    await drained(d);
    const alerts = [...(await alertsOn(log, 1)).values()].filter((x) => x.subject.key.startsWith('xlao:'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ ruleIds: ['account-many-names'], laoCode: '6000101', subject: { key: 'xlao:014:7771234567' } });
    await d.stop();
  });

  it('when a batch manifest says the header disagrees with the details, then a batch-padded alert comes out', async () => {
    const log = createInProcessEventLog();
    const d = await detectorOn(log, await blobDir());
    const p = await log.producer();
    const manifest = {
      batchId: 'b_0123456789abcdef01234567', laoCode: '6600101', sha256: 'f'.repeat(64), fileName: 'padded.txt', sizeBytes: 1000, rawKey: 'raw/x',
      format: 'ktb-bulk', encoding: 'utf-8', rowsRead: 3, rowsAccepted: 3, rowsRejected: 0, totalSatang: 300_000,
      header: { declaredCount: 3, declaredTotalSatang: 900_000, detailCount: 3, detailTotalSatang: 300_000, matches: false },
      status: 'published', refusal: null, uploadedBy: 'f', receivedAt: '2026-11-01T00:00:00.000Z', publishedAt: '2026-11-01T00:00:01.000Z',
    };
    await p.send(TOPICS.batches, [{ key: manifest.batchId, value: JSON.stringify(manifest) }, { key: 'x', value: JSON.stringify({ ...manifest, batchId: 'b_1123456789abcdef01234567', header: { ...manifest.header, declaredTotalSatang: 300_000, matches: true } }) }]);
    await drained(d);
    const alerts = [...(await alertsOn(log, 1)).values()];
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ ruleIds: ['batch-padded'], laoCode: '6600101', subject: { kind: 'batch' } });
    await d.stop();
  });

  it('when a message is not a valid record, then it goes to the dead-letter topic with a reason and the stream goes on', async () => {
    const log = createInProcessEventLog();
    const d = await detectorOn(log, await blobDir());
    const p = await log.producer();
    await p.send(TOPICS.disbursements, [{ key: '6600101', value: 'not json' }, { key: '6600101', value: JSON.stringify({ recordId: 'x' }) }]);
    await publish(log, records.slice(0, 10));
    await drained(d);
    const dead = await readTopic(log, `${TOPICS.disbursements}.dlq`, 2);
    expect(dead).toHaveLength(2);
    expect(dead[0]!.headers['x-dlq-reason']).toMatch(/not JSON/);
    expect(dead[1]!.headers['x-dlq-reason']).toMatch(/laoCode|amountSatang/);
    await d.stop();
  });
});
