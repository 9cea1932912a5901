/** @paywatch/testkit — real protocol peers and helpers for tests. Never imported by production code. */
export * from './smtp-sink.ts';
export * from './wait-until.ts';
export * from './multipart.ts';
export * from './read-topic.ts';
