// Builds the ingest service on the in-process event log and a blob folder, with tokens for each demo role.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInProcessEventLog, type EventLog } from '@paywatch/event-log';
import { createFolderBlobStore, type BlobStore } from '@paywatch/blob-store';
import { createLogger, createMetricsRegistry } from '@paywatch/observability';
import { signToken, type Principal } from '@paywatch/http-kit';
import { generateBulkBatch, renderKtbBulk, type TextEncoding } from '@paywatch/ktb-formats';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';
import { multipartFile } from '@paywatch/testkit';
import { buildIngestService, type IngestServiceDeps } from '../src/index.ts';

export const JWT_SECRET = 'test-secret-'.padEnd(40, 'x');

/** Options of the service under test; everything not given is a fresh folder store, in-process log and defaults. */
export type IngestTestOptions = Partial<Omit<IngestServiceDeps, 'registry' | 'logger' | 'metrics' | 'jwtSecret'>>;

export async function ingestWith(options: IngestTestOptions = {}) {
  const blobStore = options.blobStore ?? createFolderBlobStore(await mkdtemp(join(tmpdir(), 'pw-ingest-')));
  const eventLog = options.eventLog ?? createInProcessEventLog();
  const metrics = createMetricsRegistry('ingest');
  const service = await buildIngestService({
    ...options, blobStore, eventLog, registry: SEED_LAO_REGISTRY, logger: createLogger({ service: 'ingest-test', level: 'silent' }),
    metrics, jwtSecret: JWT_SECRET,
  });
  await service.app.ready();
  const token = (p: Principal) => `Bearer ${signToken(service.app, p)}`;
  const upload = (bytes: Uint8Array, auth: string, name = 'batch.txt') => {
    const { payload, headers } = multipartFile(name, bytes);
    return service.app.inject({ method: 'POST', url: '/v1/batches', payload, headers: { ...headers, authorization: auth } });
  };
  /** `paywatch_ingest_batches_total` summed over statuses, read from /metrics. */
  const batchesCounted = async () => {
    const text = (await service.app.inject({ url: '/metrics' })).body;
    return [...text.matchAll(/^paywatch_ingest_batches_total\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
  };
  return { service, blobStore, eventLog, metrics, token, upload, batchesCounted };
}

/** A generated bulk file for a seed LAO, with the records parsing it must give. */
export function bulkFile(laoCode: string, rows: number, seed: number, encoding: TextEncoding = 'windows-874') {
  const lao = SEED_LAO_REGISTRY.find((l) => l.laoCode === laoCode)!;
  const g = generateBulkBatch({ seed, laoCode, companyId: lao.companyIds[0]!, debitAccount: lao.accounts[0]!, rows, effectiveDate: '2026-10-05' });
  return { bytes: renderKtbBulk(g.spec, { encoding, eol: '\r\n' }), records: g.records, spec: g.spec };
}

/** Replaces the 3-character bank code of line `lineIndex` (0 = header) with `999`, making that row a reject. */
export function breakBankCode(bytes: Uint8Array, lineIndex: number): Uint8Array {
  const b = Buffer.from(bytes);
  const lines: number[] = [0];
  for (let i = 0; i < b.length; i++) if (b[i] === 0x0a) lines.push(i + 1);
  const start = lines[lineIndex]!;
  b.write('999', start + 9, 'latin1');
  return b;
}
