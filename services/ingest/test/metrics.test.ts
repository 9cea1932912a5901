// What ingest exports for the operator's dashboards and alert rules: rows and batches per LAO, refusals by code.
import { describe, expect, it } from 'vitest';
import { encodeText } from '@paywatch/ktb-formats';
import { multipartFile, waitUntil } from '@paywatch/testkit';
import type { Registry } from '@paywatch/observability';
import { bulkFile, breakBankCode, ingestWith } from './helpers.ts';

const FINANCE_66 = { sub: 'f66', role: 'finance', laoCode: '6600101' } as const;

async function value(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const m = registry.getSingleMetric(name);
  if (!m) return 0;
  return (await m.get()).values.filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)).reduce((n, v) => n + v.value, 0);
}

describe('ingest metrics', () => {
  it('when a batch is published, then its rows are counted by outcome under its LAO and province', async () => {
    const { service, token, upload } = await ingestWith();
    const res = await upload(breakBankCode(bulkFile('6600101', 6, 31).bytes, 2), token(FINANCE_66));
    expect(res.statusCode).toBe(202);
    await service.processor.idle();
    const text = (await service.app.inject('/metrics')).body;
    expect(text).toMatch(/paywatch_ingest_rows_total\{[^}]*outcome="accepted"[^}]*lao="6600101"[^}]*province="66"[^}]*\} 5/);
    expect(text).toMatch(/paywatch_ingest_rows_total\{[^}]*outcome="rejected"[^}]*lao="6600101"[^}]*\} 1/);
    expect(text).toMatch(/paywatch_ingest_batches_total\{[^}]*status="published"[^}]*lao="6600101"[^}]*\} 1/);
    await service.stop();
  });

  it('when uploads are refused at the door, after parsing, or as reference lists, then each counts once under its code; an auditor\'s 403 does not', async () => {
    const { service, token, upload, metrics: registry } = await ingestWith({ maxUploadBytes: 4000 });
    await service.start();
    expect(await value(registry, 'paywatch_ingest_upload_refusals_total', {})).toBe(0);
    expect((await upload(new Uint8Array(), token(FINANCE_66))).statusCode).toBe(400);
    expect((await upload(bulkFile('6600101', 20, 10).bytes, token(FINANCE_66))).statusCode).toBe(413);
    expect((await upload(bulkFile('6600101', 2, 15).bytes, token({ sub: 'a66', role: 'provincial-auditor', provinces: ['66'] }))).statusCode).toBe(403);
    // Another LAO's file is taken (202) and refused whole once parsed.
    expect((await upload(bulkFile('6000101', 5, 12).bytes, token(FINANCE_66))).statusCode).toBe(202);
    await service.processor.idle();
    const { payload, headers } = multipartFile('staff.csv', encodeText('Name,Bank Code,Account No.\r\nนาย ก,999,1\r\n', 'windows-874'));
    const ref = await service.app.inject({ method: 'POST', url: '/v1/reference/staff', payload, headers: { ...headers, authorization: token(FINANCE_66) } });
    expect(ref.statusCode).toBe(422);

    await waitUntil(() => value(registry, 'paywatch_ingest_upload_refusals_total', {}), (n) => n === 4, { what: 'four refusals counted' });
    expect(await value(registry, 'paywatch_ingest_upload_refusals_total', { kind: 'batch', code: 'PW_ERR_EMPTY_FILE' })).toBe(1);
    expect(await value(registry, 'paywatch_ingest_upload_refusals_total', { kind: 'batch', code: 'PW_ERR_FILE_TOO_LARGE' })).toBe(1);
    expect(await value(registry, 'paywatch_ingest_upload_refusals_total', { kind: 'batch', code: 'PW_ERR_FOREIGN_ACCOUNT' })).toBe(1);
    expect(await value(registry, 'paywatch_ingest_upload_refusals_total', { kind: 'reference', code: 'PW_ERR_REFERENCE_NO_ROWS' })).toBe(1);
    expect(await value(registry, 'paywatch_ingest_batches_total', { status: 'refused', lao: '6600101' })).toBe(1);
    await service.stop();
  });
});
