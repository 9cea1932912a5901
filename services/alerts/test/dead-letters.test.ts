// Dead letters: read from the DLQ topics over the Kafka-protocol peer into PostgreSQL, listed for ops without
// payment data, and replayed once to their source topic with x-paywatch-replay-of.
import { afterEach, describe, expect, inject, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createKafkaEventLog, type ConsumedMessage, type EventLog } from '@paywatch/event-log';
import { readTopic, waitUntil } from '@paywatch/testkit';
import { verifyAuditChain } from '../src/audit-log.ts';
import { maskedPreview, redactReason, REPLAY_HEADER } from '../src/dead-letter-store.ts';
import { AUDIT_KEY, metricValue, recordingContext, serviceOnPg, type PgService } from './helpers.ts';

const running: Array<() => Promise<void>> = [];
afterEach(async () => { for (const stop of running.splice(0).reverse()) await stop(); });

const ops = { sub: 'ops-1', role: 'ops' as const };
const admin = { sub: 'admin-1', role: 'admin' as const };
const central = { sub: 'central-1', role: 'central' as const };

/** A disbursement the detector could not parse: the account, name and amount must never reach ops. */
const badRecord = JSON.stringify({ laoCode: '6600101', payeeAccount: '0123454321', payeeName: 'นายสมชาย ใจดี', amountSatang: 'lots' });

/** Topics of one test (the mock cluster auto-creates them; names are unique so tests never share). */
function topicsOf(suffix: string) {
  return {
    disbursements: `disbursements.v1${suffix}`, disbursementsDlq: `disbursements.v1${suffix}.dlq`,
    alerts: `alerts.v1${suffix}`, alertsDlq: `alerts.v1${suffix}.dlq`,
  };
}

async function onKafka(): Promise<{ s: PgService; log: EventLog; t: ReturnType<typeof topicsOf> }> {
  const suffix = `-${randomBytes(4).toString('hex')}`;
  const t = topicsOf(suffix);
  const log = createKafkaEventLog({ brokers: inject('kafkaBrokers'), clientId: `dlq-test${suffix}`, consumerSessionTimeoutMs: 5000, consumerHeartbeatIntervalMs: 500, consumerRebalanceTimeoutMs: 5000, consumerMaxWaitTimeMs: 100 });
  const s = await serviceOnPg({
    extra: {
      eventLog: log, alertsTopic: t.alerts, consumerGroupId: `alerts${suffix}`,
      deadLetters: { groupId: `dead-letters${suffix}`, sources: [{ topic: t.disbursementsDlq, replayTo: [t.disbursements] }, { topic: t.alertsDlq, replayTo: [t.alerts] }] },
    },
  });
  running.push(async () => { await s.close(); await log.close(); });
  return { s, log, t };
}

const call = (s: PgService, method: 'GET' | 'POST', url: string, who: Parameters<PgService['token']>[0]) =>
  s.service.app.inject({ method, url, headers: { authorization: `Bearer ${s.token(who)}` } });

describe('dead letters over the Kafka-protocol peer', () => {
  it('when the detector and the alerts consumer dead-letter messages, then each source message is one row, ops see no payment data, and a replay reaches the source topic once with x-paywatch-replay-of', async () => {
    const { s, log, t } = await onKafka();
    const producer = await log.producer();
    const detectorLetter = { key: '6600101', value: badRecord, headers: { 'content-type': 'application/json', 'x-dlq-reason': 'amountSatang: Invalid input: expected number, received string', 'x-dlq-source': `${t.disbursements}/3/41` } };
    // The detector redelivered after a crash: the same source record dead-lettered twice.
    await producer.send(t.disbursementsDlq, [detectorLetter, detectorLetter]);
    await producer.send(t.alertsDlq, [{ key: null, value: '{not json 0123454321', headers: {
      'x-paywatch-dlq-code': 'PW_ERR_ALERT_NOT_JSON', 'x-paywatch-dlq-reason': 'not JSON: Unexpected token \'n\', "{not json 0123454321" is not valid JSON',
      'x-paywatch-source-topic': t.alerts, 'x-paywatch-source-partition': '2', 'x-paywatch-source-offset': '7', 'x-paywatch-consumer-group': 'alerts' } }]);
    await producer.close();
    await s.service.start();
    await waitUntil(() => metricValue(s.metrics, 'paywatch_alerts_dead_letters_stored_total'), (n) => n === 2, { what: 'two dead letters stored', timeoutMs: 20_000 });

    const listed = await call(s, 'GET', '/v1/ops/dead-letters', ops);
    expect(listed.statusCode).toBe(200);
    const body = listed.json();
    expect(body.counts).toEqual(expect.arrayContaining([{ topic: t.disbursementsDlq, open: 1, replayed: 0 }, { topic: t.alertsDlq, open: 1, replayed: 0 }]));
    const fromDetector = body.items.find((d: { dlqTopic: string }) => d.dlqTopic === t.disbursementsDlq);
    expect(fromDetector).toMatchObject({ sourceTopic: t.disbursements, sourcePartition: 3, sourceOffset: '41', replayTopic: t.disbursements, code: null, sizeBytes: Buffer.byteLength(badRecord), replayedAt: null });
    expect(fromDetector.preview).toBe('{"laoCode":text(7),"payeeAccount":text(10),"payeeName":text(13),"amountSatang":text(4)}');
    const fromAlerts = body.items.find((d: { dlqTopic: string }) => d.dlqTopic === t.alertsDlq);
    expect(fromAlerts).toMatchObject({ code: 'PW_ERR_ALERT_NOT_JSON', sourceTopic: t.alerts, sourceOffset: '7', replayTopic: t.alerts });
    for (const secret of ['0123454321', 'สมชาย', 'lots', 'not json 0']) expect(listed.body).not.toContain(secret);

    const replayed = await call(s, 'POST', `/v1/ops/dead-letters/${fromDetector.id}/replay`, ops);
    expect(replayed.statusCode, replayed.body).toBe(200);
    expect(replayed.json()).toMatchObject({ replayedTo: t.disbursements, deadLetter: { replayedBy: 'ops-1' } });
    const [onSource] = await readTopic(log, t.disbursements, 1) as [ConsumedMessage];
    expect(onSource.key).toBe('6600101');
    expect(onSource.value.toString()).toBe(badRecord);
    expect(onSource.headers[REPLAY_HEADER]).toBe(`${t.disbursements}/3/41`);
    expect(onSource.headers['content-type']).toBe('application/json');
    expect(Object.keys(onSource.headers).filter((h) => h.startsWith('x-dlq-'))).toEqual([]);

    const again = await call(s, 'POST', `/v1/ops/dead-letters/${fromDetector.id}/replay`, admin);
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'PW_ERR_DEAD_LETTER_REPLAYED', message: { th: expect.stringContaining('ส่งซ้ำไม่ได้'), en: expect.stringContaining('already replayed') } });

    const trail = (await s.db.query<{ actor: string; action: string; payload: Record<string, unknown> }>("SELECT actor, action, payload FROM audit_log WHERE action = 'dead-letter-replay'")).rows;
    expect(trail).toEqual([{ actor: 'ops-1', action: 'dead-letter-replay', payload: { deadLetterId: fromDetector.id, dlq: `${t.disbursementsDlq}/${fromDetector.dlqPartition}/${fromDetector.dlqOffset}`, source: `${t.disbursements}/3/41`, replayedTo: t.disbursements } }]);
    expect((await verifyAuditChain(s.db, { key: AUDIT_KEY })).ok).toBe(true);
    const after = (await call(s, 'GET', '/v1/ops/dead-letters?state=replayed', central)).json();
    expect(after.items.map((d: { id: number; replayedBy: string }) => [d.id, d.replayedBy])).toEqual([[fromDetector.id, 'ops-1']]);
  }, 60_000);

  it('when a replayed record fails again, then it is a new dead letter that names the one it replays', async () => {
    const { s, log, t } = await onKafka();
    const producer = await log.producer();
    await producer.send(t.disbursementsDlq, [{ key: 'k', value: badRecord, headers: { 'x-dlq-reason': 'r', 'x-dlq-source': `${t.disbursements}/0/5`, [REPLAY_HEADER]: `${t.disbursements}/0/1` } }]);
    await producer.close();
    await s.service.start();
    await waitUntil(() => metricValue(s.metrics, 'paywatch_alerts_dead_letters_stored_total'), (n) => n === 1, { what: 'the dead letter stored', timeoutMs: 20_000 });
    const [d] = (await call(s, 'GET', '/v1/ops/dead-letters', ops)).json().items;
    expect(d.replayOf).toBe(`${t.disbursements}/0/1`);
  }, 60_000);
});

describe('dead-letter consumer and routes', () => {
  it('when the same DLQ batch is delivered twice, then the rows are stored once and each delivery commits the next offset', async () => {
    const s = await serviceOnPg();
    running.push(s.close);
    const batch = {
      topic: 'disbursements.v1.dlq', partition: 0,
      messages: [0, 1].map((i) => ({ topic: 'disbursements.v1.dlq', partition: 0, offset: String(10 + i), key: null, value: Buffer.from(`x${i}`), headers: { 'x-dlq-reason': 'not JSON', 'x-dlq-source': `disbursements.v1/1/${i}` }, timestamp: String(Date.parse('2026-11-23T01:00:00Z')) })),
    };
    const [c1, c2] = [recordingContext(), recordingContext()];
    await s.service.deadLetterConsumer.handleBatch(batch, c1);
    await s.service.deadLetterConsumer.handleBatch(batch, c2);
    expect([c1.commits, c2.commits]).toEqual([['12'], ['12']]);
    expect((await s.db.query('SELECT 1 FROM dead_letters')).rowCount).toBe(2);
  });

  it('when a manifest from batches.v1 is dead-lettered onto disbursements.v1.dlq, then it replays to batches.v1, not to disbursements.v1', async () => {
    const s = await serviceOnPg();
    running.push(s.close);
    const m = { topic: 'disbursements.v1.dlq', partition: 0, offset: '0', key: 'b_1', value: Buffer.from('{}'), headers: { 'x-dlq-reason': 'batchId: required', 'x-dlq-source': 'batches.v1/2/9' }, timestamp: '1' };
    await s.service.deadLetterConsumer.handleBatch({ topic: m.topic, partition: 0, messages: [m] }, recordingContext());
    const [d] = (await call(s, 'GET', '/v1/ops/dead-letters', ops)).json().items;
    expect(d).toMatchObject({ sourceTopic: 'batches.v1', replayTopic: 'batches.v1' });
    // A header naming any other topic is not trusted: the default target is the DLQ's own source.
    const forged = { ...m, offset: '1', headers: { 'x-dlq-reason': 'r', 'x-dlq-source': 'alerts.v1/0/1' } };
    await s.service.deadLetterConsumer.handleBatch({ topic: m.topic, partition: 0, messages: [forged] }, recordingContext());
    const items = (await call(s, 'GET', '/v1/ops/dead-letters', ops)).json().items;
    expect(items.find((x: { sourceTopic: string }) => x.sourceTopic === 'alerts.v1').replayTopic).toBe('disbursements.v1');
  });

  it('when central or an auditor try to replay, then 403 and nothing is published or marked; an unknown id is 404', async () => {
    const s = await serviceOnPg();
    running.push(s.close);
    const m = { topic: 'alerts.v1.dlq', partition: 0, offset: '0', key: null, value: Buffer.from('{}'), headers: { 'x-paywatch-dlq-reason': 'r' }, timestamp: '1' };
    await s.service.deadLetterConsumer.handleBatch({ topic: m.topic, partition: 0, messages: [m] }, recordingContext());
    const [d] = (await call(s, 'GET', '/v1/ops/dead-letters', ops)).json().items;
    expect((await call(s, 'POST', `/v1/ops/dead-letters/${d.id}/replay`, central)).statusCode).toBe(403);
    expect((await call(s, 'POST', `/v1/ops/dead-letters/${d.id}/replay`, { sub: 'auditor-66', role: 'provincial-auditor', provinces: ['66'] })).statusCode).toBe(403);
    expect((await call(s, 'POST', '/v1/ops/dead-letters/999999/replay', ops)).statusCode).toBe(404);
    expect((await s.db.query('SELECT 1 FROM dead_letters WHERE replayed_at IS NOT NULL')).rowCount).toBe(0);
  });
});

describe('what ops may read of a dead letter', () => {
  it('when a value is JSON, then the preview is its keys and kinds; otherwise only its punctuation', () => {
    expect(maskedPreview(Buffer.from('{"payeeAccount":"0123454321","n":1,"ok":true,"x":null,"list":[1,2],"nested":{"a":"b"}}')))
      .toBe('{"payeeAccount":text(10),"n":number,"ok":boolean,"x":null,"list":[2 items],"nested":{"a":text(1)}}');
    expect(maskedPreview(Buffer.from('102,นายสมชาย,0123454321'))).toBe('•••,••••••••,••••••••••');
  });

  it('when a reason quotes the record, then digits are masked and long quotes cut', () => {
    expect(redactReason('Unexpected token \'x\', "{"payeeName":"นายสมชาย ใจดี","payeeAccount":"0123454321"}" is not valid JSON'))
      .not.toMatch(/สมชาย|0123454321/);
    expect(redactReason('account 0123454321 refused')).toBe('account ******4321 refused');
  });
});
