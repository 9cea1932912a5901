/** Prometheus metrics: one registry per service, with the default process metrics. */
import { Registry, collectDefaultMetrics, Counter, Histogram, Gauge } from 'prom-client';

export { Registry, Counter, Histogram, Gauge } from 'prom-client';

/** A fresh registry labelled with the service name (several services can share one process in embedded mode). */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: 'paywatch_' });
  return registry;
}

/** Gets or creates a counter on a registry, so modules can declare the metrics they use without ordering. */
export function counter(registry: Registry, name: string, help: string, labelNames: string[] = []): Counter<string> {
  return (registry.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help, labelNames, registers: [registry] });
}

/** Gets or creates a histogram on a registry. */
export function histogram(registry: Registry, name: string, help: string, labelNames: string[] = [], buckets?: number[]): Histogram<string> {
  return (registry.getSingleMetric(name) as Histogram<string> | undefined)
    ?? new Histogram({ name, help, labelNames, registers: [registry], ...(buckets ? { buckets } : {}) });
}

/** Gets or creates a gauge on a registry. */
export function gauge(registry: Registry, name: string, help: string, labelNames: string[] = []): Gauge<string> {
  return (registry.getSingleMetric(name) as Gauge<string> | undefined) ?? new Gauge({ name, help, labelNames, registers: [registry] });
}

/**
 * A gauge whose values are computed at each scrape by `collect` (it sets them on the gauge it is given).
 * Replaces a gauge of the same name on the registry: the latest build of a service owns what it reads.
 */
export function collectedGauge(registry: Registry, name: string, help: string, labelNames: string[], collect: (g: Gauge<string>) => void | Promise<void>): Gauge<string> {
  if (registry.getSingleMetric(name)) registry.removeSingleMetric(name);
  return new Gauge({ name, help, labelNames, registers: [registry], async collect() { this.reset(); await collect(this); } });
}

/** A consumer group whose lag is exported: its id and how to read its lag per partition. */
export interface ConsumerLagSource {
  groupId: string;
  lag(): Promise<ReadonlyArray<{ topic: string; partition: number; lag: number }>>;
}

/**
 * Exports `paywatch_consumer_lag{group,topic,partition}` (messages behind the partition's end), read from the
 * sources at each scrape so it is never stale. The lag is the group's, not the member's: every replica reports
 * every partition, so dashboards and alert rules take `max by (group, topic, partition)`. A group whose lag
 * cannot be read within `timeoutMs` is left out of that scrape and counted in `paywatch_consumer_lag_read_errors_total`.
 */
export function registerConsumerLag(registry: Registry, sources: readonly ConsumerLagSource[], timeoutMs = 2_000): void {
  const errors = counter(registry, 'paywatch_consumer_lag_read_errors_total', 'Scrapes at which a consumer group\'s lag could not be read, by group', ['group']);
  collectedGauge(registry, 'paywatch_consumer_lag', 'Messages between the consumer group\'s committed offset and the end of the partition', ['group', 'topic', 'partition'], async (g) => {
    await Promise.all(sources.map(async (s) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        const lags = await Promise.race([
          s.lag(),
          new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('timeout')), timeoutMs); timer.unref(); }),
        ]);
        for (const l of lags) g.set({ group: s.groupId, topic: l.topic, partition: String(l.partition) }, l.lag);
      } catch {
        errors.inc({ group: s.groupId });
      } finally {
        clearTimeout(timer);
      }
    }));
  });
}
