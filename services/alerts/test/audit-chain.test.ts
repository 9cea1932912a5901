// The HMAC-chained audit log against a database operator: rewriting, truncation, reordering and downgrades are
// caught with the key and the anchors; the legacy sha256 part is sealed once and protected from then on.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFolderBlobStore } from '@paywatch/blob-store';
import { migrate, type Db } from '@paywatch/db';
import { adoptAuditKey, auditHashOf, auditKeyOf, bindAuditKey, GENESIS_HASH, verifyAuditChain, type AuditAnchor } from '../src/audit-log.ts';
import { anchorsFromLog, readAnchors, signAnchor } from '../src/audit-anchors.ts';
import { ALERTS_MIGRATIONS } from '../src/migrations.ts';
import { AUDIT_KEY, batchOf, captureLogger, freshPgDb, makeAlert, manualClock, recordingContext, serviceOnPg, type PgService } from './helpers.ts';

const running: PgService[] = [];
afterEach(async () => { await Promise.all(running.splice(0).map((s) => s.close())); });

const auditor66 = { sub: 'auditor-66', role: 'provincial-auditor' as const, provinces: ['66'] };

/** A service with one alert and `comments` audited comments on it (so `comments` keyed entries). */
async function withTrail(comments: number, options: Parameters<typeof serviceOnPg>[0] = {}) {
  const clock = manualClock();
  const s = await serviceOnPg({ clock: clock.now, ...options });
  running.push(s);
  const alert = makeAlert({ laoCode: '6600101' });
  await s.service.consumer.handleBatch(batchOf([alert]), recordingContext());
  for (let i = 0; i < comments; i++) {
    clock.advance(1_000);
    const r = await s.service.app.inject({ method: 'POST', url: `/v1/alerts/${alert.alertId}/comments`, payload: { text: `ความเห็น ${i}` }, headers: { authorization: `Bearer ${s.token(auditor66)}` } });
    expect(r.statusCode).toBe(201);
  }
  return { s, clock, alert };
}

/** What an operator with DDL rights does first: switch the append-only triggers off. */
async function dropTriggers(db: Db) {
  await db.query('DROP TRIGGER audit_log_append_only ON audit_log');
  await db.query('DROP TRIGGER audit_log_no_truncate ON audit_log');
}

interface Row { seq: number; at: string; actor: string; action: string; alert_id: string | null; payload: Record<string, unknown> }
const rowsOf = async (db: Db) => (await db.query<Row & { seq: string }>('SELECT seq, at, actor, action, alert_id, payload FROM audit_log ORDER BY seq')).rows
  .map((r) => ({ ...r, seq: Number(r.seq), at: new Date(r.at).toISOString() }));

/**
 * The best an operator without the key can do: recompute every link from `fromSeq` on (sha256, the only hash they
 * can compute) and move the head along, so the chain is self-consistent again.
 */
async function recomputeWithoutKey(db: Db, fromSeq: number, chain: 'sha256' | 'hmac-sha256' = 'sha256') {
  const rows = await rowsOf(db);
  let prev = GENESIS_HASH;
  for (const r of rows) {
    if (r.seq >= fromSeq) {
      const hash = auditHashOf(prev, { seq: r.seq, at: r.at, actor: r.actor, action: r.action, alertId: r.alert_id, payload: r.payload });
      await db.query('UPDATE audit_log SET prev_hash = $2, hash = $3, chain = $4 WHERE seq = $1', [r.seq, prev, hash, chain]);
      prev = hash;
    } else {
      prev = (await db.query<{ hash: string }>('SELECT hash FROM audit_log WHERE seq = $1', [r.seq])).rows[0]!.hash;
    }
  }
  await db.query('UPDATE audit_head SET seq = $1, hash = $2 WHERE id', [rows.at(-1)?.seq ?? 0, prev]);
}

describe('audit chain under a database operator', () => {
  it('when an entry is rewritten and every later link recomputed without the key, then verification fails at that entry', async () => {
    const { s } = await withTrail(4);
    expect(await verifyAuditChain(s.db, { key: AUDIT_KEY })).toMatchObject({ ok: true, entries: 4, keyedEntries: 4, legacyEntries: 0 });
    await dropTriggers(s.db);
    await s.db.query(`UPDATE audit_log SET payload = jsonb_set(payload, '{text}', '"ไม่พบความผิดปกติ"') WHERE seq = 2`);
    await recomputeWithoutKey(s.db, 2, 'hmac-sha256');
    expect(await verifyAuditChain(s.db, { key: AUDIT_KEY })).toMatchObject({ ok: false, firstBadSeq: 2, reason: 'bad-mac' });
    // Declaring the rewritten part "legacy" does not help: sha256 after keyed entries is refused.
    await recomputeWithoutKey(s.db, 2, 'sha256');
    expect(await verifyAuditChain(s.db, { key: AUDIT_KEY })).toMatchObject({ ok: false, firstBadSeq: 2, reason: 'legacy-after-keyed' });
  });

  it('when the whole chain is rewritten as legacy sha256, then it is unsealed without anchors and contradicts them with', async () => {
    const { s } = await withTrail(3);
    const anchor = (await s.service.anchorer.tick())!;
    await dropTriggers(s.db);
    await recomputeWithoutKey(s.db, 1, 'sha256');
    expect(await verifyAuditChain(s.db, { key: AUDIT_KEY })).toMatchObject({ ok: false, reason: 'legacy-unsealed' });
    expect(await verifyAuditChain(s.db, { key: AUDIT_KEY, anchors: [anchor] })).toMatchObject({ ok: false, firstBadSeq: 3, reason: 'anchor-mismatch' });
  });

  it('when the last entries are deleted and the head moved back, then the chain alone still holds but the anchors show the cut', async () => {
    const { s } = await withTrail(5);
    const anchor = (await s.service.anchorer.tick())!;
    expect(anchor.seq).toBe(5);
    await dropTriggers(s.db);
    await s.db.query('DELETE FROM audit_log WHERE seq >= 4');
    const h3 = (await s.db.query<{ hash: string }>('SELECT hash FROM audit_log WHERE seq = 3')).rows[0]!.hash;
    await s.db.query('UPDATE audit_head SET seq = 3, hash = $1 WHERE id', [h3]);
    // Without anchors a clean cut is invisible: this is why they exist.
    expect(await verifyAuditChain(s.db, { key: AUDIT_KEY })).toMatchObject({ ok: true, entries: 3 });
    expect(await verifyAuditChain(s.db, { key: AUDIT_KEY, anchors: [anchor] })).toMatchObject({ ok: false, entries: 3, firstBadSeq: 4, reason: 'truncated-before-anchor' });
    // Deleting everything is the same cut.
    await s.db.query('TRUNCATE audit_log');
    await s.db.query(`UPDATE audit_head SET seq = 0, hash = $1 WHERE id`, [GENESIS_HASH]);
    expect(await verifyAuditChain(s.db, { key: AUDIT_KEY, anchors: [anchor] })).toMatchObject({ ok: false, reason: 'truncated-before-anchor' });
  });

  it('when two entries swap places (seqs exchanged, or links recomputed), then verification fails at the first of them', async () => {
    const { s } = await withTrail(4);
    await dropTriggers(s.db);
    await s.db.query('UPDATE audit_log SET seq = -1 WHERE seq = 2');
    await s.db.query('UPDATE audit_log SET seq = 2 WHERE seq = 3');
    await s.db.query('UPDATE audit_log SET seq = 3 WHERE seq = -1');
    expect(await verifyAuditChain(s.db, { key: AUDIT_KEY })).toMatchObject({ ok: false, firstBadSeq: 2, reason: 'broken-link' });
    // Relinking the swapped entries without the key: their HMACs (which cover seq and the previous hash) fail.
    const rows = await s.db.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq');
    let prev = GENESIS_HASH;
    for (const r of rows.rows) { await s.db.query('UPDATE audit_log SET prev_hash = $2 WHERE seq = $1', [r.seq, prev]); prev = r.hash; }
    expect(await verifyAuditChain(s.db, { key: AUDIT_KEY })).toMatchObject({ ok: false, firstBadSeq: 2, reason: 'bad-mac' });
  });

  it('when the key is another one, or an anchor is forged, then verification says so', async () => {
    const { s } = await withTrail(2);
    const other = auditKeyOf('another-key-of-at-least-32-characters-long');
    expect(await verifyAuditChain(s.db, { key: other })).toMatchObject({ ok: false, firstBadSeq: 1, reason: 'wrong-key' });
    const forged: AuditAnchor = { ...signAnchor(other, { seq: 2, hash: 'a'.repeat(64) }, new Date()), keyId: AUDIT_KEY.keyId };
    expect(await verifyAuditChain(s.db, { key: AUDIT_KEY, anchors: [forged] })).toMatchObject({ ok: false, reason: 'anchor-forged' });
  });
});

describe('anchors', () => {
  it('when the head moves, then each replica anchors it once per seq in the blob store and in the log; an unmoved head is not anchored again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pw-anchors-'));
    const store = createFolderBlobStore(dir);
    const cap = captureLogger();
    const { s } = await withTrail(2, { logger: cap.logger, extra: { audit: { key: 'test-audit-hmac-key-of-32-characters-or-more', anchorStore: store } } });
    expect(await s.service.anchorer.tick()).toMatchObject({ seq: 2 });
    expect(await s.service.anchorer.tick()).toBeNull();
    const stored = await readAnchors(store);
    expect(stored).toEqual([expect.objectContaining({ seq: 2, keyId: AUDIT_KEY.keyId })]);
    const logged = anchorsFromLog(cap.lines().map((l) => JSON.stringify(l)).join('\n'));
    expect(logged).toEqual(stored);
    expect(await verifyAuditChain(s.db, { key: AUDIT_KEY, anchors: [...stored, ...logged] })).toMatchObject({ ok: true, anchorsChecked: 2, latestAnchorSeq: 2 });
  });
});

describe('legacy (sha256) entries', () => {
  /** A database as the previous version left it: migrations up to now, and sha256-chained entries. */
  async function legacyDb(n: number): Promise<Db & { schema: string }> {
    const db = await freshPgDb();
    await migrate(db, ALERTS_MIGRATIONS);
    let prev = GENESIS_HASH;
    for (let seq = 1; seq <= n; seq++) {
      const e = { seq, at: new Date(Date.UTC(2026, 10, 1, 3, seq)).toISOString(), actor: 'auditor-66', action: 'comment', alertId: null, payload: { text: `เก่า ${seq}` } };
      const hash = auditHashOf(prev, e);
      await db.query(`INSERT INTO audit_log (seq, at, actor, action, alert_id, payload, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)`, [seq, e.at, e.actor, e.action, null, JSON.stringify(e.payload), prev, hash]);
      prev = hash;
    }
    await db.query('UPDATE audit_head SET seq = $1, hash = $2 WHERE id', [n, prev]);
    return db;
  }

  it('when the service first starts with a key, then the legacy part is sealed by one keyed entry and verifies as the chain\'s start', async () => {
    const db = await legacyDb(3);
    const { s } = await withTrail(1, { db });
    const sealing = (await s.db.query<{ action: string; chain: string; payload: { legacyEntries: number } }>('SELECT action, chain, payload FROM audit_log WHERE seq = 4')).rows[0]!;
    expect(sealing).toMatchObject({ action: 'audit-chain-keyed', chain: 'hmac-sha256', payload: { legacyEntries: 3 } });
    expect(await verifyAuditChain(s.db, { key: AUDIT_KEY })).toMatchObject({ ok: true, entries: 5, legacyEntries: 3, keyedEntries: 2 });
    // Sealing again is a no-op.
    expect(await adoptAuditKey(bindAuditKey(s.db, AUDIT_KEY), new Date())).toEqual({ sealedLegacyEntries: 0 });
  });

  it('when a sealed legacy entry is rewritten and the legacy links recomputed, then the sealing entry no longer matches', async () => {
    const db = await legacyDb(3);
    const { s } = await withTrail(0, { db });
    await dropTriggers(s.db);
    await s.db.query(`UPDATE audit_log SET payload = '{"text":"แก้แล้ว"}'::jsonb WHERE seq = 2`);
    const rows = (await rowsOf(s.db)).filter((r) => r.seq <= 3);
    let prev = GENESIS_HASH;
    for (const r of rows) {
      const hash = auditHashOf(prev, { seq: r.seq, at: r.at, actor: r.actor, action: r.action, alertId: r.alert_id, payload: r.payload });
      await s.db.query('UPDATE audit_log SET prev_hash = $2, hash = $3 WHERE seq = $1', [r.seq, prev, hash]);
      prev = hash;
    }
    expect(await verifyAuditChain(s.db, { key: AUDIT_KEY })).toMatchObject({ ok: false, firstBadSeq: 4, reason: 'broken-link' });
  });

  it('when the legacy part is already broken, or the log was chained with another key, then the service refuses to start', async () => {
    const broken = await legacyDb(3);
    await broken.query('DROP TRIGGER audit_log_append_only ON audit_log');
    await broken.query(`UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2`);
    await expect(serviceOnPg({ db: broken })).rejects.toThrow(/legacy \(sha256\) audit chain is broken at seq 2/);
    await broken.close();
    const { s } = await withTrail(1);
    await expect(serviceOnPg({ db: s.db, extra: { audit: { key: 'another-key-of-at-least-32-characters-long' } } })).rejects.toThrow(/chained with key/);
  });
});
