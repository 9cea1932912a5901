// Reference-list steps from ingest (reference-audit.v1) land in the HMAC-chained audit log once each; the LAO's
// second approver is a user flag that reaches the principal (ADR 0018).
import { afterEach, describe, expect, it } from 'vitest';
import { TOPICS, type ReferenceAuditEvent } from '@paywatch/domain';
import type { ConsumedBatch } from '@paywatch/event-log';
import { verifyAuditChain } from '../src/audit-log.ts';
import { principalOfUser } from '../src/user-store.ts';
import { AUDIT_KEY, recordingContext, serviceOnPg, TEST_USERS, type PgService } from './helpers.ts';

const running: PgService[] = [];
afterEach(async () => { await Promise.all(running.splice(0).map((s) => s.close())); });

const event = (eventId: string, action: ReferenceAuditEvent['action'], actor: string, payload: Record<string, unknown>): ReferenceAuditEvent => ({ eventId, action, actor, at: '2026-11-20T03:00:00.000Z', payload });
const batchOf = (values: Array<ReferenceAuditEvent | string>, first = 0): ConsumedBatch => ({
  topic: TOPICS.referenceAudit, partition: 0,
  messages: values.map((v, i) => ({ topic: TOPICS.referenceAudit, partition: 0, offset: String(first + i), key: '6600101', value: Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)), headers: {}, timestamp: '0' })),
});

describe('reference audit events', () => {
  it('when ingest\'s upload, confirmation and second approval arrive (twice, and with a broken message), then each is one chained audit entry with its actor and payload, and the chain verifies', async () => {
    const s = await serviceOnPg({ users: [...TEST_USERS, { sub: 'approver-6600101', email: 'a@example.go.th', role: 'finance', laoCode: '6600101', secondApprover: true }] });
    running.push(s);
    const steps = [
      event('abc:upload', 'reference-upload', 'finance-6600101', { kind: 'payees', laoCode: '6600101', largeDrop: true, diff: { before: 179, after: 2, removed: 177 }, keys: { removed: ['006:******0002'] } }),
      event('abc:confirm', 'reference-confirm', 'finance-6600101', { kind: 'payees', laoCode: '6600101', largeDrop: true, confirmDrop: true }),
      event('abc:approve', 'reference-second-approval', 'approver-6600101', { kind: 'payees', laoCode: '6600101', largeDrop: true, version: 2 }),
    ];
    const ctx = recordingContext();
    await s.service.referenceAuditConsumer.handleBatch(batchOf([...steps, 'not json']), ctx);
    // Redelivered after a crash before the commit: nothing is appended twice.
    await s.service.referenceAuditConsumer.handleBatch(batchOf(steps), recordingContext());
    expect(ctx.commits).toEqual(['4']);
    const rows = (await s.db.query<{ actor: string; action: string; alert_id: string | null; payload: Record<string, unknown> }>(
      `SELECT actor, action, alert_id, payload FROM audit_log WHERE action LIKE 'reference-%' ORDER BY seq`)).rows;
    expect(rows.map((r) => [r.action, r.actor, r.alert_id])).toEqual([
      ['reference-upload', 'finance-6600101', null], ['reference-confirm', 'finance-6600101', null], ['reference-second-approval', 'approver-6600101', null],
    ]);
    expect(rows[0]!.payload).toMatchObject({ eventId: 'abc:upload', largeDrop: true, diff: { removed: 177 } });
    expect(await verifyAuditChain(s.db, { key: AUDIT_KEY })).toMatchObject({ ok: true });
  });

  it('when a user is flagged as the LAO\'s second approver, then their principal says so; others and non-finance users carry no flag', async () => {
    const s = await serviceOnPg({ users: [...TEST_USERS, { sub: 'approver-6600101', email: 'a@example.go.th', role: 'finance', laoCode: '6600101', secondApprover: true }, { sub: 'ops-flagged', email: 'o@example.go.th', role: 'ops', secondApprover: true }] });
    running.push(s);
    await s.service.start();
    expect(await principalOfUser(s.db, 'approver-6600101')).toMatchObject({ role: 'finance', laoCode: '6600101', secondApprover: true });
    expect(await principalOfUser(s.db, 'finance-6600101')).not.toHaveProperty('secondApprover');
    expect(await principalOfUser(s.db, 'ops-flagged')).not.toHaveProperty('secondApprover');
  });
});
