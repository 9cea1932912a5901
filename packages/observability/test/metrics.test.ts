import { describe, expect, it } from 'vitest';
import { createMetricsRegistry, registerConsumerLag } from '../src/index.ts';

describe('registerConsumerLag', () => {
  it('when scraped, then each group\'s lag is read at that moment and exported per topic and partition', async () => {
    const registry = createMetricsRegistry('t');
    let behind = 7;
    registerConsumerLag(registry, [{ groupId: 'g1', lag: async () => [{ topic: 'a.v1', partition: 0, lag: behind }, { topic: 'a.v1', partition: 1, lag: 0 }] }]);
    expect(await registry.metrics()).toMatch(/paywatch_consumer_lag\{group="g1",topic="a.v1",partition="0",service="t"\} 7/);
    behind = 2;
    expect(await registry.metrics()).toMatch(/paywatch_consumer_lag\{group="g1",topic="a.v1",partition="0",service="t"\} 2/);
  });

  it('when a group\'s lag cannot be read in time, then that group is left out of the scrape and counted as a read error; the other group is still exported', async () => {
    const registry = createMetricsRegistry('t');
    registerConsumerLag(registry, [
      { groupId: 'slow', lag: () => new Promise(() => undefined) },
      { groupId: 'broken', lag: async () => { throw new Error('broker down'); } },
      { groupId: 'fine', lag: async () => [{ topic: 'b.v1', partition: 3, lag: 1 }] },
    ], 50);
    const text = await registry.metrics();
    expect(text).not.toMatch(/paywatch_consumer_lag\{group="(slow|broken)"/);
    expect(text).toMatch(/paywatch_consumer_lag\{group="fine",topic="b.v1",partition="3",service="t"\} 1/);
    // Counted during that scrape, so read after it.
    const errors = (await registry.getSingleMetric('paywatch_consumer_lag_read_errors_total')!.get()).values;
    expect(Object.fromEntries(errors.map((v) => [v.labels.group, v.value]))).toEqual({ slow: 1, broken: 1 });
  });
});
