// What a multipart body must look like, on both upload routes: one file, in the field `file`, no NUL in text
// fields, and a damaged body is the client's 400 with a Thai and English reason, never a 500.
import { describe, expect, it } from 'vitest';
import { encodeText } from '@paywatch/ktb-formats';
import { bulkFile, ingestWith } from './helpers.ts';

const FINANCE_66 = { sub: 'f66', role: 'finance', laoCode: '6600101' } as const;
const BOUNDARY = 'pwBoundary7e3a';
const PAYEES = encodeText('ชื่อผู้รับเงิน,เลขประจำตัวผู้เสียภาษี/ประชาชน,รหัสธนาคาร,เลขที่บัญชี,วันที่ลงทะเบียน,สถานะ\r\nร้านสมใจพาณิชย์,,002,2223334445,15/10/2568,ใช้งาน', 'windows-874');

const filePart = (field: string, name: string, bytes: Uint8Array) => Buffer.concat([
  Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), Buffer.from(bytes), Buffer.from('\r\n'),
]);
const textPart = (field: string, value: string) => Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"\r\n\r\n${value}\r\n`);
const END = Buffer.from(`--${BOUNDARY}--\r\n`);

/** Both routes that take a file, with a file each would accept. */
const ROUTES = [
  { url: '/v1/batches', good: () => bulkFile('6600101', 3, 61).bytes, other: () => bulkFile('6600101', 3, 62).bytes },
  { url: '/v1/reference/payees', good: () => PAYEES, other: () => encodeText('ชื่อผู้รับเงิน,เลขที่บัญชี,รหัสธนาคาร\r\nร้านบี,1112223334,006', 'windows-874') },
] as const;

async function setup() {
  const t = await ingestWith();
  const post = (url: string, payload: Buffer, contentType = `multipart/form-data; boundary=${BOUNDARY}`) =>
    t.service.app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType, authorization: t.token(FINANCE_66) } });
  /** Nothing of the refused upload was kept: no batch, no reference list version. */
  const nothingStored = async () => {
    expect(await t.blobStore.list('batches/')).toEqual([]);
    expect(await t.blobStore.list('reference/')).toEqual([]);
    expect(await t.blobStore.list('raw/')).toEqual([]);
  };
  return { ...t, post, nothingStored };
}

const bilingual = (body: { error: { message: { th: string; en: string } } }) => {
  expect(body.error.message.th).toMatch(/[\u0E00-\u0E7F]/);
  expect(body.error.message.en.length).toBeGreaterThan(10);
};

for (const route of ROUTES) {
  describe(`POST ${route.url} multipart body`, () => {
    it('when the file comes in another field than "file", then 400 naming the field, and nothing is stored', async () => {
      const t = await setup();
      const r = await t.post(route.url, Buffer.concat([filePart('upload', 'a.csv', route.good()), END]));
      expect(r.statusCode).toBe(400);
      expect(r.json().error).toMatchObject({ code: 'PW_ERR_FILE_FIELD', details: { field: 'upload' } });
      expect(r.json().error.message.en).toContain('"upload"');
      expect(r.json().error.message.th).toContain('"upload"');
      bilingual(r.json());
      await t.nothingStored();
      await t.service.stop();
    });

    it('when the upload carries two files, then 400 PW_ERR_TOO_MANY_FILES and neither is kept', async () => {
      const t = await setup();
      const r = await t.post(route.url, Buffer.concat([filePart('file', 'a.csv', route.good()), filePart('file', 'b.csv', route.other()), END]));
      expect(r.statusCode).toBe(400);
      expect(r.json().error.code).toBe('PW_ERR_TOO_MANY_FILES');
      bilingual(r.json());
      await t.service.processor.idle();
      await t.nothingStored();
      await t.service.stop();
    });

    it('when a text field holds a NUL byte, then 400 naming the field', async () => {
      const t = await setup();
      for (const body of [
        Buffer.concat([textPart('note', 'a\u0000b'), filePart('file', 'a.csv', route.good()), END]),
        Buffer.concat([filePart('file', 'a.csv', route.good()), textPart('note', 'a\u0000b'), END]),
      ]) {
        const r = await t.post(route.url, body);
        expect(r.statusCode).toBe(400);
        expect(r.json().error).toMatchObject({ code: 'PW_ERR_FIELD_NUL', details: { field: 'note' } });
        bilingual(r.json());
      }
      await t.nothingStored();
      await t.service.stop();
    });

    it('when the body is cut off, has no boundary or a broken part header, then 400 PW_ERR_MULTIPART_MALFORMED, and the service keeps accepting', async () => {
      const t = await setup();
      const cut = Buffer.concat([filePart('file', 'a.csv', route.good())]).subarray(0, 200);
      for (const [payload, ct] of [[cut, undefined], [Buffer.from('garbage'), 'multipart/form-data'], [Buffer.from(`--${BOUNDARY}\r\nContent-Disposition form-data\r\n\r\nxx`), undefined]] as const) {
        const r = await t.post(route.url, payload, ct);
        expect(r.statusCode, r.body).toBe(400);
        expect(r.json().error.code).toBe('PW_ERR_MULTIPART_MALFORMED');
        bilingual(r.json());
      }
      await t.nothingStored();
      const ok = await t.post(route.url, Buffer.concat([textPart('_csrf', 'token'), filePart('file', 'a.csv', route.good()), END]));
      expect([201, 202]).toContain(ok.statusCode);
      await t.service.processor.idle();
      await t.service.stop();
    });
  });
}
