// GET /v1/ops/lag: the alerts service's two consumer groups (alert store, dead-letter reader), per partition.
import { afterEach, describe, expect, it } from 'vitest';
import { DEAD_LETTER_TOPICS } from '@paywatch/domain';
import { waitUntil } from '@paywatch/testkit';
import { makeAlert, metricValue, publish, serviceOnPg, type PgService } from './helpers.ts';

const running: PgService[] = [];
afterEach(async () => { for (const s of running.splice(0)) await s.close(); });

type Groups = { groups: { groupId: string; partitions: { topic: string; partition: number; committedOffset: string | null; endOffset: string; lag: number }[] }[] };
const lagOf = async (s: PgService) => (await s.service.app.inject({ url: '/v1/ops/lag', headers: { authorization: `Bearer ${s.token({ sub: 'ops-1', role: 'ops' })}` } })).json() as Groups;
const total = (g: Groups, groupId: string) => g.groups.find((x) => x.groupId === groupId)!.partitions.reduce((n, p) => n + p.lag, 0);

describe('GET /v1/ops/lag', () => {
  it('when nothing is consumed yet, then both groups are listed without partitions; once the consumers caught up, then each names its topics with lag 0', async () => {
    const s = await serviceOnPg();
    running.push(s);
    await publish(s.eventLog, [makeAlert({ key: 'lag-1' }), makeAlert({ key: 'lag-2' })]);
    const producer = await s.eventLog.producer();
    await producer.send(DEAD_LETTER_TOPICS.disbursements, [{ key: '6600101', value: '{"amountSatang":"x"}', headers: { 'x-dlq-reason': 'amountSatang: required', 'x-dlq-source': 'disbursements.v1/0/1' } }]);
    await producer.close();
    expect((await lagOf(s)).groups).toEqual([{ groupId: 'alerts', partitions: [] }, { groupId: 'alerts-dead-letters', partitions: [] }, { groupId: 'alerts-reference-audit', partitions: [] }]);

    await s.service.start();
    await waitUntil(() => metricValue(s.metrics, 'paywatch_alerts_dead_letters_stored_total'), (n) => n === 1, { what: 'the dead letter stored' });
    await waitUntil(() => lagOf(s), (g) => total(g, 'alerts') === 0 && total(g, 'alerts-dead-letters') === 0 && g.groups.filter((x) => x.groupId !== 'alerts-reference-audit').every((x) => x.partitions.length > 0), { what: 'both groups caught up' });
    const g = await lagOf(s);
    expect(new Set(g.groups.find((x) => x.groupId === 'alerts')!.partitions.map((p) => p.topic))).toEqual(new Set(['alerts.v1']));
    expect(g.groups.find((x) => x.groupId === 'alerts-dead-letters')!.partitions.map((p) => p.topic)).toContain(DEAD_LETTER_TOPICS.disbursements);
    // The one dead letter sits on one of the topic's partitions: its end offset is 1 and the group committed it.
    const dlq = g.groups.find((x) => x.groupId === 'alerts-dead-letters')!.partitions.filter((p) => p.topic === DEAD_LETTER_TOPICS.disbursements);
    expect(dlq.filter((p) => p.endOffset === '1').map((p) => [p.committedOffset, p.lag])).toEqual([['1', 0]]);
    // The same lag for Prometheus, per group, topic and partition; the dead letter counted under its topic.
    const text = (await s.service.app.inject('/metrics')).body;
    expect(text).toMatch(/paywatch_consumer_lag\{group="alerts",topic="alerts\.v1",partition="\d+"[^}]*\} 0/);
    expect(text).toMatch(new RegExp(`paywatch_consumer_lag\\{group="alerts-dead-letters",topic="${DEAD_LETTER_TOPICS.disbursements.replaceAll('.', '\\.')}"`));
    expect(await metricValue(s.metrics, 'paywatch_alerts_dead_letters_stored_total', { topic: DEAD_LETTER_TOPICS.disbursements })).toBe(1);
  }, 30_000);

  it('when an auditor asks, then 403: offsets are for ops, central and admin', async () => {
    const s = await serviceOnPg();
    running.push(s);
    const r = await s.service.app.inject({ url: '/v1/ops/lag', headers: { authorization: `Bearer ${s.token({ sub: 'auditor-66', role: 'provincial-auditor', provinces: ['66'] })}` } });
    expect(r.statusCode).toBe(403);
  });
});
