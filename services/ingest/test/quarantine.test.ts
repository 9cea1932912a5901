import { describe, expect, it } from 'vitest';
import { TOPICS } from '@paywatch/domain';
import { encodeText } from '@paywatch/ktb-formats';
import { multipartFile, readTopic, waitUntil } from '@paywatch/testkit';
import { decideQuarantine, DEFAULT_QUARANTINE_POLICY } from '../src/quarantine.ts';
import { bulkFile, ingestWith } from './helpers.ts';

const FINANCE = { sub: 'f66', role: 'finance', laoCode: '6600101' } as const;
const OPS = { sub: 'ops-1', role: 'ops' } as const;
const register = (n: number) => ({ version: 1, accounts: new Set(Array.from({ length: n }, (_, i) => `006:${i}`)) });

describe('quarantine decision (ADR 0019)', () => {
  it('when most rows of a large file pay unregistered accounts and the register is a real one, then it is quarantined; a small file, a small register or a low share is not', () => {
    const p = DEFAULT_QUARANTINE_POLICY;
    expect(decideQuarantine({ checkedRows: 1_000, unregisteredRows: 600 }, register(20), p).quarantine).toBe(true);
    expect(decideQuarantine({ checkedRows: 1_000, unregisteredRows: 500 }, register(20), p).quarantine).toBe(false);
    expect(decideQuarantine({ checkedRows: 499, unregisteredRows: 499 }, register(20), p).quarantine).toBe(false);
    expect(decideQuarantine({ checkedRows: 1_000, unregisteredRows: 1_000 }, register(19), p).quarantine).toBe(false);
    expect(decideQuarantine({ checkedRows: 1_000, unregisteredRows: 1_000 }, null, p).quarantine).toBe(false);
  });
});

describe('quarantined uploads', () => {
  it('when a 600-row file pays none of the 30 registered payees, then it is held with a Thai and English reason, nothing is published, ops are told; release publishes it once, discard keeps it out', async () => {
    const ctx = await ingestWith();
    const { service, eventLog, token, upload } = ctx;
    await service.start();
    try {
      // The register in force: 30 payees of another file.
      const known = bulkFile('6600101', 30, 99).records;
      const csv = ['Payee Name,Bank Code,Account No.', ...known.map((r) => `"${r.payeeName}",${r.payeeBankCode},${r.payeeAccount}`)].join('\r\n');
      const reg = multipartFile('payees.csv', encodeText(csv, 'utf-8'));
      expect((await service.app.inject({ method: 'POST', url: '/v1/reference/payees', payload: reg.payload, headers: { ...reg.headers, authorization: token(FINANCE) } })).statusCode).toBe(201);

      const res = await upload(bulkFile('6600101', 600, 14).bytes, token(FINANCE), 'storm.txt');
      expect(res.statusCode).toBe(202);
      await service.processor.idle();
      const batch = (await service.app.inject({ url: res.json().statusUrl, headers: { authorization: token(FINANCE) } })).json().batch;
      expect(batch).toMatchObject({ status: 'quarantined', quarantine: { code: 'PW_ERR_BATCH_QUARANTINED', checkedRows: 600, unregisteredRows: 600, registerVersion: 1, decision: null } });
      expect(batch.quarantine.message.th).toMatch(/กักไว้ตรวจสอบ/);
      expect((await service.app.inject({ url: '/metrics' })).body).toMatch(/^paywatch_ingest_quarantined_total\{[^}]*\} 1$/m);
      const listed = (await service.app.inject({ url: '/v1/ops/quarantine', headers: { authorization: token(OPS) } })).json();
      expect(listed.items.map((m: { batchId: string }) => m.batchId)).toEqual([batch.batchId]);

      // Finance cannot release its own held file.
      expect((await service.app.inject({ method: 'POST', url: `/v1/ops/batches/${batch.batchId}/release`, headers: { authorization: token(FINANCE) } })).statusCode).toBe(403);
      const released = await service.app.inject({ method: 'POST', url: `/v1/ops/batches/${batch.batchId}/release`, headers: { authorization: token(OPS) } });
      expect(released.statusCode).toBe(200);
      expect(released.json().batch.quarantine).toMatchObject({ decision: 'released', decidedBy: 'ops-1' });
      await waitUntil(async () => (await service.app.inject({ url: res.json().statusUrl, headers: { authorization: token(FINANCE) } })).json().batch.status, (s) => s === 'published', { what: 'released batch published' });
      expect(await readTopic(eventLog, TOPICS.disbursements, 600)).toHaveLength(600);
      expect((await service.app.inject({ method: 'POST', url: `/v1/ops/batches/${batch.batchId}/release`, headers: { authorization: token(OPS) } })).json().error.code).toBe('PW_ERR_BATCH_NOT_QUARANTINED');

      const other = await upload(bulkFile('6600101', 600, 15).bytes, token(FINANCE), 'storm2.txt');
      await service.processor.idle();
      const discarded = await service.app.inject({ method: 'POST', url: `/v1/ops/batches/${other.json().batchId}/discard`, headers: { authorization: token(OPS) } });
      expect(discarded.json().batch).toMatchObject({ status: 'discarded', quarantine: { decision: 'discarded', decidedBy: 'ops-1' } });
    } finally {
      await service.stop();
    }
  });
});
