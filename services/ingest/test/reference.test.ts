import { describe, expect, it } from 'vitest';
import { ReferenceAnnouncement, ReferenceSnapshot, referenceTopic } from '@paywatch/domain';
import { encodeText, renderReferenceXlsx } from '@paywatch/ktb-formats';
import { multipartFile, readTopic } from '@paywatch/testkit';
import { ingestWith } from './helpers.ts';

const FINANCE_66 = { sub: 'f66', role: 'finance', laoCode: '6600101' } as const;
const AUDITOR_66 = { sub: 'a66', role: 'provincial-auditor' as const, provinces: ['66'] };
const AUDITOR_60 = { sub: 'a60', role: 'provincial-auditor' as const, provinces: ['60'] };

const PAYEES_TH = [
  'ชื่อผู้รับเงิน,เลขประจำตัวผู้เสียภาษี/ประชาชน,รหัสธนาคาร,เลขที่บัญชี,วันที่ลงทะเบียน,สถานะ',
  'หจก. รุ่งเรืองการช่าง,,006,123-4-56789-0,01/10/2568,ใช้งาน',
  'ร้านสมใจพาณิชย์,,002,2223334445,15/10/2568,ใช้งาน',
  'นายไม่มีธนาคาร,,999,5556667778,15/10/2568,ใช้งาน',
].join('\r\n');

async function setup() {
  const ctx = await ingestWith();
  await ctx.service.start();
  const uploadReference = (kind: string, text: string, auth: string, query = '') => {
    const { payload, headers } = multipartFile(`${kind}.csv`, encodeText(text, 'windows-874'));
    return ctx.service.app.inject({ method: 'POST', url: `/v1/reference/${kind}${query}`, payload, headers: { ...headers, authorization: auth } });
  };
  const get = (url: string, auth: string) => ctx.service.app.inject({ url, headers: { authorization: auth } });
  return { ...ctx, uploadReference, get };
}

describe('POST /v1/reference/:kind', () => {
  it('when finance uploads a Windows-874 payee list with a bad row, then the good rows become a version announced on the compacted topic, the items are in the blob store and the bad row has a Thai and English reason', async () => {
    const { service, eventLog, blobStore, token, uploadReference } = await setup();
    const res = await uploadReference('payees', PAYEES_TH, token(FINANCE_66));
    expect(res.statusCode).toBe(201);
    const { upload, duplicate } = res.json();
    expect(duplicate).toBe(false);
    expect(upload).toMatchObject({ kind: 'payees', laoCode: '6600101', status: 'published', rowsRead: 3, rowsAccepted: 2, rowsRejected: 1 });
    expect(upload.rowsRead).toBe(upload.rowsAccepted + upload.rowsRejected);
    expect(upload.rejects[0]).toMatchObject({ row: 4, field: 'bankCode' });
    expect(upload.rejects[0].message.th).toMatch(/[\u0E00-\u0E7F]/);
    expect(await blobStore.exists(upload.rawKey)).toBe(true);

    const [message] = await readTopic(eventLog, referenceTopic('payees'), 1);
    expect(message!.key).toBe('6600101');
    const announced = ReferenceAnnouncement.parse(JSON.parse(message!.value.toString('utf8')));
    expect(announced).toMatchObject({ kind: 'payees', laoCode: '6600101', version: upload.version, itemCount: 2 });
    const items = JSON.parse((await blobStore.get(announced.itemsKey))!.toString('utf8'));
    const snapshot = ReferenceSnapshot.parse({ ...announced, items });
    expect(snapshot.kind === 'payees' && snapshot.items.map((p) => [p.name, p.bankCode, p.account])).toEqual([['หจก. รุ่งเรืองการช่าง', '006', '1234567890'], ['ร้านสมใจพาณิชย์', '002', '2223334445']]);
    await service.stop();
  });

  it('when the same bytes are uploaded again, then the version in force comes back as a duplicate and nothing is announced; a changed list becomes a higher version', async () => {
    const { service, eventLog, token, uploadReference } = await setup();
    const first = (await uploadReference('payees', PAYEES_TH, token(FINANCE_66))).json();
    const again = await uploadReference('payees', PAYEES_TH, token(FINANCE_66));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ duplicate: true, upload: { version: first.upload.version } });
    const staged = await uploadReference('payees', `${PAYEES_TH}\r\nร้านใหม่,,006,9998887776,20/10/2568,ใช้งาน`, token(FINANCE_66));
    // A list in force is replaced only once the new version is confirmed (ADR 0018).
    expect(staged.statusCode).toBe(202);
    const { id } = staged.json().staged;
    const confirmed = await service.app.inject({ method: 'POST', url: `/v1/reference/payees/6600101/staged/${id}/confirm`, payload: {}, headers: { authorization: token(FINANCE_66) } });
    expect(confirmed.statusCode).toBe(200);
    const changed = { json: () => ({ upload: confirmed.json().staged.upload }) };
    expect(changed.json().upload.version).toBeGreaterThan(first.upload.version);
    // The topic is compacted: a reader finds only the latest announcement of the LAO's list.
    const messages = await readTopic(eventLog, referenceTopic('payees'), 1);
    expect(messages.map((m) => ReferenceAnnouncement.parse(JSON.parse(m.value.toString('utf8'))).version)).toEqual([changed.json().upload.version]);
    await service.stop();
  });

  it('when a file lists another LAO\'s rows or has no usable row, then it is refused whole with the reason, nothing is announced and the list in force stays', async () => {
    const { service, eventLog, token, uploadReference, get } = await setup();
    const first = (await uploadReference('payees', PAYEES_TH, token(FINANCE_66))).json();
    const foreign = await uploadReference('payees', 'รหัส อปท.,ชื่อผู้รับเงิน,รหัสธนาคาร,เลขที่บัญชี\r\n6600101,ก,006,1111111111\r\n6000101,ข,006,2222222222', token(FINANCE_66));
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().error).toMatchObject({ code: 'PW_ERR_REFERENCE_OTHER_LAO' });
    expect(foreign.json().error.message.th).toContain('6000101');
    const empty = await uploadReference('staff', 'Name,Bank Code,Account No.\r\nนาย ก,999,1\r\n', token(FINANCE_66));
    expect(empty.statusCode).toBe(422);
    expect(empty.json().error).toMatchObject({ code: 'PW_ERR_REFERENCE_NO_ROWS', details: { rowsRead: 1, rowsRejected: 1 } });
    expect(empty.json().error.details.rejects[0].message.en.length).toBeGreaterThan(5);
    expect((await get('/v1/reference/payees/6600101', token(FINANCE_66))).json().upload.version).toBe(first.upload.version);
    expect((await get('/v1/reference/staff/6600101', token(FINANCE_66))).statusCode).toBe(404);
    expect(await readTopic(eventLog, referenceTopic('payees'), 1)).toHaveLength(1);
    await service.stop();
  });

  it('when people outside the LAO\'s scope ask for its lists, then they get 404; its province\'s auditor sees them; an unknown kind is a 400', async () => {
    const { service, token, uploadReference, get } = await setup();
    await uploadReference('payees', PAYEES_TH, token(FINANCE_66));
    expect((await get('/v1/reference/payees/6600101', token(AUDITOR_66))).statusCode).toBe(200);
    expect((await get('/v1/reference/payees/6600101', token(AUDITOR_60))).statusCode).toBe(404);
    expect((await get('/v1/reference/payees/6600101', token({ sub: 'f60', role: 'finance', laoCode: '6000101' }))).statusCode).toBe(404);
    expect((await get('/v1/reference', token(AUDITOR_60))).json().lists).toEqual([]);
    expect((await get('/v1/reference', token(AUDITOR_66))).json().lists.map((l: { laoCode: string; kind: string }) => [l.laoCode, l.kind])).toEqual([['6600101', 'payees']]);
    expect((await uploadReference('payees', PAYEES_TH, token(AUDITOR_66))).statusCode).toBe(403);
    expect((await uploadReference('salaries', PAYEES_TH, token(FINANCE_66))).statusCode).toBe(400);
    // An admin names the LAO; without it the upload is refused with the reason.
    expect((await uploadReference('staff', 'Name,Bank Code,Account No.\r\nนาย ก,006,1234567890', token({ sub: 'adm', role: 'admin' }))).json().error.code).toBe('PW_ERR_LAO_REQUIRED');
    expect((await uploadReference('staff', 'Name,Bank Code,Account No.\r\nนาย ก,006,1234567890', token({ sub: 'adm', role: 'admin' }), '?lao=6000101')).statusCode).toBe(201);
    await service.stop();
  });

  it('when two ingest replicas take different lists of one LAO at the same moment, then they become two different versions', async () => {
    const a = await setup();
    const b = await ingestWith({ blobStore: a.blobStore, eventLog: a.eventLog });
    const { payload, headers } = multipartFile('payees.csv', new TextEncoder().encode(`${PAYEES_TH}\r\nร้านบี,,006,1112223334,01/11/2568,ใช้งาน`));
    const [ra, rb] = await Promise.all([
      a.uploadReference('payees', PAYEES_TH, a.token(FINANCE_66)),
      b.service.app.inject({ method: 'POST', url: '/v1/reference/payees', payload, headers: { ...headers, authorization: b.token(FINANCE_66) } }),
    ]);
    expect([ra.statusCode, rb.statusCode]).toEqual([201, 201]);
    expect([ra.json().upload.version, rb.json().upload.version].sort()).toEqual([1, 2]);
    await a.service.stop();
    await b.service.stop();
  });

  it('when finance uploads the list as an Excel workbook, then it is read like the CSV; a damaged workbook is refused whole and the list in force stays', async () => {
    const { service, token, get } = await setup();
    const rows = [
      { laoCode: '6600101', item: { name: 'หจก. รุ่งเรืองการช่าง', payeeId: null, bankCode: '006', account: '1234567890', registeredOn: '2025-10-01', status: 'active' as const } },
      { laoCode: '6600101', item: { name: 'ร้านสมใจพาณิชย์', payeeId: null, bankCode: '002', account: '2223334445', registeredOn: null, status: 'active' as const } },
    ];
    const xlsx = await renderReferenceXlsx('payees', rows);
    const post = (bytes: Uint8Array) => {
      const { payload, headers } = multipartFile('payees.xlsx', bytes);
      return service.app.inject({ method: 'POST', url: '/v1/reference/payees', payload, headers: { ...headers, authorization: token(FINANCE_66) } });
    };
    const ok = await post(xlsx);
    expect(ok.statusCode).toBe(201);
    expect(ok.json().upload).toMatchObject({ version: 1, rowsRead: 2, rowsAccepted: 2, rowsRejected: 0 });
    const cut = await post(xlsx.slice(0, Math.floor(xlsx.length * 0.7)));
    expect(cut.statusCode).toBe(422);
    expect(cut.json().error.message.th).toMatch(/[\u0E00-\u0E7F]/);
    expect((await get('/v1/reference/payees/6600101', token(FINANCE_66))).json().upload.version).toBe(1);
    await service.stop();
  });
});
