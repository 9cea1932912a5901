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
