/**
 * Anchors of the audit chain's head outside the database: every few minutes (when the head moved) each replica
 * signs {seq, hash, at} with the audit key and writes it to the blob store — once per seq, with S3 Object Lock
 * retention where the bucket offers it — and to the log at info level (so the log pipeline holds a copy too).
 * An anchor pins the chain up to its seq: `paywatch audit verify` with the anchors fails when the entry at that
 * seq is gone (the tail was cut) or differs. Entries after the latest anchor are only as safe as the database
 * until the next anchor: the interval is that window.
 */
import { z } from 'zod';
import type { BlobStore } from '@paywatch/blob-store';
import type { Queryable } from '@paywatch/db';
import type { Logger } from '@paywatch/observability';
import { anchorMacOf, auditHead, type AuditAnchor, type AuditKey } from './audit-log.ts';

/** Where anchors go in the blob store. */
export const ANCHOR_PREFIX = 'audit-anchors/';
/** Anchoring interval by default: 5 minutes. */
export const DEFAULT_ANCHOR_INTERVAL_MS = 5 * 60_000;
/** Retention of an anchor under Object Lock by default: 10 years. */
export const DEFAULT_ANCHOR_RETENTION_DAYS = 3650;

/** An anchor as stored and logged. */
export const AuditAnchorSchema = z.object({ seq: z.number().int().positive(), hash: z.string().regex(/^[0-9a-f]{64}$/), at: z.string(), keyId: z.string(), mac: z.string().regex(/^[0-9a-f]{64}$/) });

/** Signs the head as an anchor. */
export function signAnchor(key: AuditKey, head: { seq: number; hash: string }, at: Date): AuditAnchor {
  const a = { seq: head.seq, hash: head.hash, at: at.toISOString() };
  return { ...a, keyId: key.keyId, mac: anchorMacOf(key, a) };
}

const keyOf = (seq: number) => `${ANCHOR_PREFIX}${String(seq).padStart(20, '0')}.json`;

/** Writes one anchor (first writer of a seq wins; retained until `retainUntil` where the store can). */
export async function writeAnchor(store: BlobStore, anchor: AuditAnchor, retainUntil: Date): Promise<{ created: boolean; locked: boolean }> {
  return store.putRetained(keyOf(anchor.seq), JSON.stringify(anchor), retainUntil, 'application/json');
}

/** Every anchor in a blob store (an unreadable one is reported, not skipped: it may be a forgery). */
export async function readAnchors(store: BlobStore): Promise<AuditAnchor[]> {
  const out: AuditAnchor[] = [];
  for (const k of await store.list(ANCHOR_PREFIX)) {
    const bytes = await store.get(k);
    const parsed = AuditAnchorSchema.safeParse(bytes ? JSON.parse(bytes.toString('utf8')) : null);
    if (!parsed.success) throw new Error(`anchor ${k} is not an anchor`);
    out.push(parsed.data);
  }
  return out;
}

/** The anchors in a log (pino JSON lines with `auditAnchor`), e.g. what the log pipeline kept. */
export function anchorsFromLog(text: string): AuditAnchor[] {
  const out: AuditAnchor[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes('"auditAnchor"')) continue;
    let obj: unknown;
    try { obj = JSON.parse(line); } catch { continue; }
    const parsed = AuditAnchorSchema.safeParse((obj as { auditAnchor?: unknown }).auditAnchor);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

/** The periodic anchorer of one alerts replica. */
export function createAuditAnchorer(deps: {
  db: Queryable; key: AuditKey; store?: BlobStore; logger: Logger; clock: () => Date; intervalMs?: number; retentionDays?: number;
}) {
  const log = deps.logger.child({ component: 'audit-anchor' });
  let lastSeq = 0;
  let timer: NodeJS.Timeout | null = null;
  /** Anchors the head now if it moved since the last anchor; returns the anchor written, or null. */
  async function tick(): Promise<AuditAnchor | null> {
    const head = await auditHead(deps.db);
    if (head.seq === 0 || head.seq === lastSeq) return null;
    const now = deps.clock();
    const anchor = signAnchor(deps.key, head, now);
    let stored: { created: boolean; locked: boolean } | null = null;
    if (deps.store) stored = await writeAnchor(deps.store, anchor, new Date(now.getTime() + (deps.retentionDays ?? DEFAULT_ANCHOR_RETENTION_DAYS) * 86400_000));
    log.info({ auditAnchor: anchor, stored: stored ? (stored.locked ? 'blob-store, object lock' : 'blob-store') : 'log only' }, 'audit anchor');
    lastSeq = head.seq;
    return anchor;
  }
  return {
    tick,
    start() {
      timer ??= setInterval(() => { void tick().catch((err) => log.error({ err }, 'audit anchoring failed')); }, deps.intervalMs ?? DEFAULT_ANCHOR_INTERVAL_MS);
      timer.unref();
    },
    /** Stops the timer and anchors once more, so a clean shutdown leaves no unanchored tail. */
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await tick().catch((err) => log.error({ err }, 'audit anchoring at shutdown failed'));
    },
  };
}
export type AuditAnchorer = ReturnType<typeof createAuditAnchorer>;
