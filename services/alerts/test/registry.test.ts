// The LAO registry as versions: an admin's import routes the next alerts, the same file changes nothing, a file with
// no usable LAO is refused whole, every import is in the hash-chained audit log, and the versions are listed.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/audit-log.ts';
import { latestRegistry } from '../src/registry-versions.ts';
import { AUDIT_KEY, batchOf, makeAlert, recordingContext, serviceOnPg, type PgService } from './helpers.ts';

const EXAMPLE_CSV = readFileSync(fileURLToPath(new URL('../../../examples/lao-registry.csv', import.meta.url)));

let s: PgService;
beforeAll(async () => { s = await serviceOnPg({ extra: { registry: [] } }); });
afterAll(async () => { await s.close(); });

const admin = () => ({ authorization: `Bearer ${s.token({ sub: 'admin-1', role: 'admin' })}` });
const provinceOf = async (alertId: string) => (await s.db.query<{ province_code: string }>('SELECT province_code FROM alerts WHERE alert_id = $1', [alertId])).rows[0]?.province_code;
async function storeAlert(key: string, offset: number): Promise<string> {
  const a = makeAlert({ laoCode: '6600101', key });
  await s.service.consumer.handleBatch(batchOf([a], offset), recordingContext());
  return a.alertId;
}
const importCsv = (body: Buffer | string, headers = admin()) =>
  s.service.app.inject({ method: 'POST', url: '/v1/registry', headers: { ...headers, 'content-type': 'text/csv' }, payload: body });

describe('LAO registry versions', () => {
  it('when an admin imports the department\'s CSV, then it becomes version 1 and the next alert of its LAO routes to the province it names', async () => {
    const before = await storeAlert('before-import', 1);
    expect(await provinceOf(before)).toBe('unknown'); // the service started with an empty registry

    const r = await importCsv(EXAMPLE_CSV);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ outcome: 'imported', version: { version: 1, importedBy: 'admin-1', laos: 3, rejected: 0 }, rejects: [] });

    const after = await storeAlert('after-import', 2);
    expect(await provinceOf(after)).toBe('66');
    expect((await latestRegistry(s.db))?.entries.map((e) => e.laoCode)).toEqual(['6000101', '6600101', '6600102']);
  });

  it('when the same file is imported again, then nothing changes (200 unchanged), and another file with a bad row becomes version 2 with the row\'s Thai reason', async () => {
    const again = await importCsv(EXAMPLE_CSV);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ outcome: 'unchanged', version: { version: 1 } });

    const withBad = Buffer.concat([EXAMPLE_CSV, Buffer.from('66001,อบต.ผิดรหัส,อบต.,66,พิจิตร,เมืองพิจิตร,GMIS660199,9800000001\n')]);
    const r = await importCsv(withBad);
    expect(r.statusCode, r.body).toBe(201);
    const body = r.json();
    expect(body.version).toMatchObject({ version: 2, laos: 3, rejected: 1 });
    expect(body.rejects).toHaveLength(1);
    expect(body.rejects[0].message.th).toMatch(/รหัส อปท\./);
  });

  it('when the file has no usable LAO, then 422 PW_ERR_REGISTRY_NO_LAO in Thai and English with the rows\' reasons, and version 2 stays in force', async () => {
    const r = await importCsv('รหัส อปท.,ชื่อ อปท.,ประเภท อปท.,รหัสจังหวัด,จังหวัด,อำเภอ\n12,ผิด,อบต.,66,พิจิตร,เมือง\n');
    expect(r.statusCode).toBe(422);
    const body = r.json();
    expect(body.error.code).toBe('PW_ERR_REGISTRY_NO_LAO');
    expect(body.error.message.th).toMatch(/ไม่เปลี่ยนแปลง/);
    expect(body.error.details.rejected).toBe(1);
    const listed = await s.service.app.inject({ method: 'GET', url: '/v1/registry', headers: admin() });
    expect(listed.json().inForce).toEqual({ version: 2, laos: 3 });
    expect(listed.json().versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
  });

  it('when imports happened, then each is an entry of the audit chain, and the chain verifies', async () => {
    const entries = (await s.db.query<{ payload: { version: number } }>(`SELECT payload FROM audit_log WHERE action = 'registry-import' ORDER BY seq`)).rows;
    expect(entries.map((e) => e.payload.version)).toEqual([1, 2]);
    expect((await verifyAuditChain(s.db, { key: AUDIT_KEY })).ok).toBe(true);
  });

  it('when a provincial auditor or central tries to import, then 403 and no version is added', async () => {
    const auditor = { authorization: `Bearer ${s.token({ sub: 'auditor-66', role: 'provincial-auditor', provinces: ['66'] })}` };
    const central = { authorization: `Bearer ${s.token({ sub: 'central-1', role: 'central' })}` };
    expect((await importCsv(EXAMPLE_CSV, auditor)).statusCode).toBe(403);
    expect((await importCsv(EXAMPLE_CSV, central)).statusCode).toBe(403);
    expect((await latestRegistry(s.db))?.version.version).toBe(2);
  });
});
