import { describe, expect, it } from 'vitest';
import { ReferenceAnnouncement, ReferenceAuditEvent, referenceTopic, TOPICS } from '@paywatch/domain';
import { multipartFile, readTopic } from '@paywatch/testkit';
import { ingestWith } from './helpers.ts';

const LAO = '6600101';
const CLERK = { sub: 'finance-6600101', role: 'finance', laoCode: LAO } as const;
const OTHER_CLERK = { sub: 'finance-b-6600101', role: 'finance', laoCode: LAO } as const;
const APPROVER = { sub: 'approver-6600101', role: 'finance', laoCode: LAO, secondApprover: true } as const;
const OTHER_LAO_APPROVER = { sub: 'approver-6000101', role: 'finance', laoCode: '6000101', secondApprover: true } as const;
const ADMIN = { sub: 'admin-1', role: 'admin' } as const;

const HEADER = 'ชื่อผู้รับเงิน,เลขประจำตัวผู้เสียภาษี/ประชาชน,รหัสธนาคาร,เลขที่บัญชี,วันที่ลงทะเบียน,สถานะ';
/** A register of `n` payees (accounts 3000000000 + i, each with its own valid tax ID-free row). */
const registerOf = (n: number, extra: string[] = []) => [HEADER, ...Array.from({ length: n }, (_, i) => `ร้านที่ ${i + 1},,006,${3_000_000_000 + i},01/10/2568,ใช้งาน`), ...extra].join('\r\n');

async function setup() {
  const ctx = await ingestWith({ clock: () => new Date('2026-11-20T03:00:00Z') });
  await ctx.service.start();
  const app = ctx.service.app;
  const uploadAs = (who: object, text: string, query = '') => {
    const { payload, headers } = multipartFile('payees.csv', new TextEncoder().encode(text));
    return app.inject({ method: 'POST', url: `/v1/reference/payees${query}`, payload, headers: { ...headers, authorization: ctx.token(who as never) } });
  };
  const step = (who: object, id: string, what: 'confirm' | 'approve' | 'discard', body: object = {}) =>
    app.inject({ method: 'POST', url: `/v1/reference/payees/${LAO}/staged/${id}/${what}`, payload: body, headers: { authorization: ctx.token(who as never) } });
  const inForce = async () => (await app.inject({ url: `/v1/reference/payees/${LAO}`, headers: { authorization: ctx.token(CLERK) } })).json().upload.version as number;
  const auditEvents = async (n: number) => (await readTopic(ctx.eventLog, TOPICS.referenceAudit, n)).map((m) => ReferenceAuditEvent.parse(JSON.parse(m.value.toString('utf8'))));
  return { ...ctx, uploadAs, step, inForce, auditEvents };
}

describe('staged reference versions', () => {
  it('when a list in force is replaced, then the new version is staged with its diff and is not in force (nor announced) until confirmed; confirming makes it the next version with the register\'s history', async () => {
    const { service, eventLog, blobStore, uploadAs, step, inForce } = await setup();
    expect((await uploadAs(CLERK, registerOf(4))).statusCode).toBe(201);
    // One payee added, one moved to another account (same name), one name corrected only.
    const next = registerOf(4).replace('ร้านที่ 2,,006,3000000001', 'ร้านที่ 2,,006,4000000001').replace('ร้านที่ 3,', 'ร้านที่ 3 (สาขา),') + '\r\nร้านใหม่,,014,5000000009,15/11/2569,ใช้งาน';
    const res = await uploadAs(CLERK, next);
    expect(res.statusCode).toBe(202);
    const { staged } = res.json();
    expect(staged).toMatchObject({ status: 'pending', baseVersion: 1, largeDrop: false, version: null, diff: { before: 4, after: 5, added: 1, removed: 0, accountChanged: 1, otherwiseChanged: 1, unchanged: 2 } });
    expect(staged.diff.rows.accountChanged[0]).toMatchObject({ label: 'ร้านที่ 2', bankCode: '006', accountMasked: '******0001', previousAccountMasked: '******0001' });
    expect(staged.diff.rows.added[0]).toMatchObject({ label: 'ร้านใหม่', bankCode: '014', accountMasked: '******0009' });
    expect(await inForce()).toBe(1);
    expect((await readTopic(eventLog, referenceTopic('payees'), 1)).map((m) => JSON.parse(m.value.toString('utf8')).version)).toEqual([1]);
    // The same file again is the same staged version, not a second one.
    const again = await uploadAs(CLERK, next);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ duplicate: true, staged: { id: staged.id } });

    const confirmed = await step(CLERK, staged.id, 'confirm');
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().staged).toMatchObject({ status: 'published', version: 2, confirmedBy: CLERK.sub });
    expect(await inForce()).toBe(2);
    const [announced] = await readTopic(eventLog, referenceTopic('payees'), 1);
    const a = ReferenceAnnouncement.parse(JSON.parse(announced!.value.toString('utf8')));
    expect(a).toMatchObject({ version: 2, itemCount: 5 });
    const history = JSON.parse((await blobStore.get(a.changesKey!))!.toString('utf8'));
    // The moved account and the new payee; the renamed row keeps its account, so it is no change of where money goes.
    expect(history).toEqual([['006:4000000001', 'account-changed', '2026-11-20', 2], ['014:5000000009', 'added', '2026-11-20', 2]]);
    // Confirmed once: a second confirmation is refused, naming the state.
    expect((await step(CLERK, staged.id, 'confirm')).json().error.code).toBe('PW_ERR_REFERENCE_STAGED_STATE');
    await service.stop();
  });

  it('when a staged version\'s base is no longer the version in force, then confirming it is refused with a Thai and English reason and the list in force stays', async () => {
    const { service, uploadAs, step, inForce } = await setup();
    await uploadAs(CLERK, registerOf(4));
    const a = (await uploadAs(CLERK, registerOf(5))).json().staged;
    const b = (await uploadAs(CLERK, registerOf(6))).json().staged;
    expect((await step(CLERK, a.id, 'confirm')).statusCode).toBe(200);
    const stale = await step(CLERK, b.id, 'confirm');
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'PW_ERR_REFERENCE_STAGED_STALE', details: { baseVersion: 1, inForce: 2 } });
    expect(stale.json().error.message.th).toContain('ฉบับที่ 2');
    expect(stale.json().error.message.en).toContain('version 2 is in force');
    expect(await inForce()).toBe(2);
    await service.stop();
  });

  it('when a version drops more than half of the list in force, then it needs a second confirmation and a second person, who may not be the uploader; the list in force holds until then', async () => {
    const { service, uploadAs, step, inForce } = await setup();
    await uploadAs(CLERK, registerOf(179));
    const staged = (await uploadAs(CLERK, registerOf(2))).json().staged;
    expect(staged).toMatchObject({ largeDrop: true, diff: { before: 179, after: 2, removed: 177 } });
    const once = await step(CLERK, staged.id, 'confirm');
    expect(once.statusCode).toBe(409);
    expect(once.json().error).toMatchObject({ code: 'PW_ERR_REFERENCE_DROP_CONFIRM', details: { removed: 177, before: 179 } });
    const twice = await step(CLERK, staged.id, 'confirm', { confirmDrop: true });
    expect(twice.json().staged).toMatchObject({ status: 'awaiting-second-approval', confirmedBy: CLERK.sub, version: null });
    expect(await inForce()).toBe(1);
    // Nobody else may stand in for the second person: not the uploader, not a clerk without the flag, not another LAO's approver.
    expect((await step(CLERK, staged.id, 'approve')).json().error.code).toBe('PW_ERR_REFERENCE_NOT_SECOND_APPROVER');
    expect((await step(OTHER_CLERK, staged.id, 'approve')).json().error.code).toBe('PW_ERR_REFERENCE_NOT_SECOND_APPROVER');
    expect((await step(OTHER_LAO_APPROVER, staged.id, 'approve')).statusCode).toBe(404);
    expect(await inForce()).toBe(1);
    const approved = await step(APPROVER, staged.id, 'approve');
    expect(approved.statusCode).toBe(200);
    expect(approved.json().staged).toMatchObject({ status: 'published', version: 2, approvedBy: APPROVER.sub });
    expect(await inForce()).toBe(2);
    await service.stop();
  });

  it('when the second approver uploaded the large drop themselves, or confirmed it, then they cannot also approve it; an admin can', async () => {
    const { service, uploadAs, step, inForce } = await setup();
    await uploadAs(APPROVER, registerOf(10));
    const staged = (await uploadAs(APPROVER, registerOf(3))).json().staged;
    expect((await step(APPROVER, staged.id, 'confirm', { confirmDrop: true })).json().staged.status).toBe('awaiting-second-approval');
    const same = await step(APPROVER, staged.id, 'approve');
    expect(same.statusCode).toBe(403);
    expect(same.json().error.code).toBe('PW_ERR_REFERENCE_SAME_PERSON');
    expect(same.json().error.message.th).toMatch(/[\u0E00-\u0E7F]/);
    expect(await inForce()).toBe(1);
    // An admin who uploaded on the LAO's behalf is the same person too.
    const byAdmin = (await uploadAs(ADMIN, registerOf(4), `?lao=${LAO}`)).json().staged;
    expect((await step(ADMIN, byAdmin.id, 'confirm', { confirmDrop: true })).json().staged.status).toBe('awaiting-second-approval');
    expect((await step(ADMIN, byAdmin.id, 'approve')).json().error.code).toBe('PW_ERR_REFERENCE_SAME_PERSON');
    expect((await step({ sub: 'admin-2', role: 'admin' }, staged.id, 'approve')).json().staged).toMatchObject({ status: 'published', version: 2 });
    await service.stop();
  });

  it('when lists are uploaded, confirmed and approved, then every step is an audit event with the actor, the diff counts and masked keys, the large drop marked, and no unmasked account', async () => {
    const { service, uploadAs, step, auditEvents } = await setup();
    await uploadAs(CLERK, registerOf(6));
    const staged = (await uploadAs(CLERK, registerOf(2, ['ร้านใหม่,,014,5000000009,15/11/2569,ใช้งาน']))).json().staged;
    await step(CLERK, staged.id, 'confirm', { confirmDrop: true });
    await step(APPROVER, staged.id, 'approve');
    const events = await auditEvents(4);
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['reference-upload', CLERK.sub], ['reference-upload', CLERK.sub], ['reference-confirm', CLERK.sub], ['reference-second-approval', APPROVER.sub],
    ]);
    expect(events[0]!.payload).toMatchObject({ kind: 'payees', laoCode: LAO, version: 1, firstList: true, diff: { added: 6, removed: 0 } });
    expect(events[1]!.payload).toMatchObject({ stagedId: staged.id, baseVersion: 1, largeDrop: true, uploadedBy: CLERK.sub, diff: { before: 6, after: 3, added: 1, removed: 4 } });
    expect(events[1]!.payload.keys).toMatchObject({ added: ['014:******0009'], removed: ['006:******0002', '006:******0003', '006:******0004', '006:******0005'] });
    expect(events[2]!.payload).toMatchObject({ largeDrop: true, confirmDrop: true, status: 'awaiting-second-approval' });
    expect(events[3]!.payload).toMatchObject({ largeDrop: true, approvedBy: APPROVER.sub, confirmedBy: CLERK.sub });
    const text = JSON.stringify(events);
    expect(text).not.toMatch(/300000000\d|5000000009/);
    expect(text).not.toContain('ร้านใหม่');
    expect(new Set(events.map((e) => e.eventId)).size).toBe(4);
    await service.stop();
  });

  it('when a staged version is discarded, then the discard is audited and it can no longer be confirmed', async () => {
    const { service, uploadAs, step, inForce, auditEvents } = await setup();
    await uploadAs(CLERK, registerOf(3));
    const staged = (await uploadAs(CLERK, registerOf(4))).json().staged;
    expect((await step(CLERK, staged.id, 'discard')).json().staged.status).toBe('discarded');
    expect((await step(CLERK, staged.id, 'confirm')).json().error.code).toBe('PW_ERR_REFERENCE_STAGED_STATE');
    expect(await inForce()).toBe(1);
    expect((await auditEvents(3)).map((e) => e.action)).toEqual(['reference-upload', 'reference-upload', 'reference-discard']);
    // Finance of another LAO cannot see or act on it.
    expect((await step({ sub: 'f60', role: 'finance', laoCode: '6000101' }, staged.id, 'confirm')).statusCode).toBe(404);
    await service.stop();
  });
});
