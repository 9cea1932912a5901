/** @paywatch/observability — logging with PII masking, and Prometheus metrics. */
export * from './logger.ts';
export * from './metrics.ts';
