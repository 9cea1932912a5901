/**
 * Dead letters kept for ops: what the detector and this service could not process, one row per source message
 * (source topic/partition/offset), with the original key and value so a fixed consumer can be fed it again.
 * The raw value never leaves this module except towards the event log: the API shows a masked shape of it.
 */
import type { Queryable } from '@paywatch/db';
import { maskDigitsInText } from '@paywatch/domain';
import type { ConsumedMessage } from '@paywatch/event-log';

/** Headers the dead-letter writers add; left out when a message is replayed (they describe the failure, not the record). */
const DLQ_BOOKKEEPING_HEADER = /^x-(dlq-|paywatch-dlq-|paywatch-source-|paywatch-consumer-group$)/;

/** Header that marks a replayed message, naming the original as `topic/partition/offset`. */
export const REPLAY_HEADER = 'x-paywatch-replay-of';

/** A dead-letter topic this service reads, and the topics its messages may be replayed to (the first is the default). */
export interface DeadLetterSource {
  topic: string;
  /**
   * The default target is the DLQ name without `.dlq`; a further entry is allowed when the writer's source header
   * names it (the detector dead-letters bad `batches.v1` manifests onto `disbursements.v1.dlq` too).
   */
  replayTo: readonly string[];
}

/** One dead letter as parsed from its DLQ message, ready to store. */
export interface DeadLetterInput {
  dlqTopic: string; dlqPartition: number; dlqOffset: string;
  sourceTopic: string; sourcePartition: number; sourceOffset: string;
  replayTopic: string;
  reason: string; code: string | null;
  key: string | null; value: Buffer; headers: Record<string, string>;
  deadAt: Date;
}

/** Reads the writer's headers: the detector's `x-dlq-*` or this service's `x-paywatch-*`. */
export function parseDeadLetter(m: ConsumedMessage, source: DeadLetterSource): DeadLetterInput {
  const h = m.headers;
  // `x-dlq-source` is `topic/partition/offset`; Kafka topic names cannot contain '/', so splitting from the right is safe.
  const detector = /^(.+)\/(\d+)\/(\d+)$/.exec(h['x-dlq-source'] ?? '');
  const origin = detector
    ? { topic: detector[1]!, partition: Number(detector[2]), offset: detector[3]! }
    : h['x-paywatch-source-topic'] && /^\d+$/.test(h['x-paywatch-source-partition'] ?? '') && /^\d+$/.test(h['x-paywatch-source-offset'] ?? '')
      ? { topic: h['x-paywatch-source-topic'], partition: Number(h['x-paywatch-source-partition']), offset: h['x-paywatch-source-offset']! }
      // A writer that named no source: the DLQ position itself is still a stable identity for redeliveries.
      : { topic: m.topic, partition: m.partition, offset: m.offset };
  const replayTopic = source.replayTo.includes(origin.topic) ? origin.topic : source.replayTo[0]!;
  const timestamp = Number(m.timestamp);
  return {
    dlqTopic: m.topic, dlqPartition: m.partition, dlqOffset: m.offset,
    sourceTopic: origin.topic, sourcePartition: origin.partition, sourceOffset: origin.offset, replayTopic,
    reason: h['x-dlq-reason'] ?? h['x-paywatch-dlq-reason'] ?? '(no reason given)',
    code: h['x-paywatch-dlq-code'] ?? null,
    key: m.key, value: m.value, headers: h,
    deadAt: Number.isFinite(timestamp) && timestamp > 0 ? new Date(timestamp) : new Date(0),
  };
}

/** Stores dead letters; a source message already stored (redelivery, or dead-lettered twice) is skipped. Returns how many were new. */
export async function storeDeadLetters(tx: Queryable, letters: readonly DeadLetterInput[], now: Date): Promise<number> {
  let inserted = 0;
  for (const d of letters) {
    const r = await tx.query(
      `INSERT INTO dead_letters (dlq_topic, dlq_partition, dlq_offset, source_topic, source_partition, source_offset, replay_topic,
                                 reason, code, msg_key, msg_value, headers, size_bytes, dead_at, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14, $15)
       ON CONFLICT (source_topic, source_partition, source_offset) DO NOTHING`,
      [d.dlqTopic, d.dlqPartition, d.dlqOffset, d.sourceTopic, d.sourcePartition, d.sourceOffset, d.replayTopic,
        d.reason.slice(0, 2_000), d.code, d.key, d.value, JSON.stringify(d.headers), d.value.length, d.deadAt, now],
    );
    inserted += r.rowCount ?? 0;
  }
  return inserted;
}

/**
 * The reason as ops may read it: account-like digit runs masked, and long quoted excerpts (JSON.parse quotes the
 * start of the bad input, PostgreSQL quotes the refused value) cut, so no payee name or account leaks through.
 */
export function redactReason(reason: string): string {
  return maskDigitsInText(reason)
    // V8's JSON.parse: `Unexpected token 'x', "<start of the input>" is not valid JSON` — the excerpt is the record.
    .replace(/"[\s\S]*" is not valid JSON/g, '"…" is not valid JSON')
    .replace(/"([^"]{25,})"/g, (_m, s: string) => `"${s.slice(0, 8)}…"`)
    .slice(0, 500);
}

/**
 * The shape of a value without its content: JSON becomes its keys with the kind and length of each value
 * (`{"payeeAccount":text(10),"amountSatang":number}`); anything else keeps only its punctuation.
 */
export function maskedPreview(value: Buffer, max = 240): string {
  const text = value.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return `${text.slice(0, 80).replace(/[\p{L}\p{N}]/gu, '•')}${text.length > 80 ? '…' : ''}`;
  }
  const shape = (v: unknown, depth: number): string => {
    if (v === null) return 'null';
    if (typeof v === 'string') return `text(${[...v].length})`;
    if (typeof v === 'number') return 'number';
    if (typeof v === 'boolean') return 'boolean';
    if (Array.isArray(v)) return `[${v.length} items]`;
    if (depth > 1) return '{…}';
    const entries = Object.entries(v as Record<string, unknown>).map(([k, x]) => `${JSON.stringify(maskDigitsInText(k).slice(0, 40))}:${shape(x, depth + 1)}`);
    return `{${entries.join(',')}}`;
  };
  const out = shape(json, 0);
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

/** What the API lists: positions, reason and code, time and size, a masked preview; never the value. */
export interface DeadLetterView {
  id: number;
  dlqTopic: string; dlqPartition: number; dlqOffset: string;
  sourceTopic: string; sourcePartition: number; sourceOffset: string; replayTopic: string;
  reason: string; code: string | null; sizeBytes: number; preview: string;
  deadAt: string; receivedAt: string;
  replayedAt: string | null; replayedBy: string | null;
  /** When this dead letter is itself a replay that failed again: the original's `topic/partition/offset`. */
  replayOf: string | null;
}

interface DeadLetterRow {
  id: string | number; dlq_topic: string; dlq_partition: number; dlq_offset: string | number; source_topic: string; source_partition: number;
  source_offset: string | number; replay_topic: string; reason: string; code: string | null; msg_key: string | null; msg_value: Buffer | Uint8Array;
  headers: Record<string, string>; size_bytes: number; dead_at: Date | string; received_at: Date | string; replayed_at: Date | string | null; replayed_by: string | null;
}

const iso = (v: Date | string): string => new Date(v).toISOString();

function toView(r: DeadLetterRow): DeadLetterView {
  return {
    id: Number(r.id), dlqTopic: r.dlq_topic, dlqPartition: r.dlq_partition, dlqOffset: String(r.dlq_offset),
    sourceTopic: r.source_topic, sourcePartition: r.source_partition, sourceOffset: String(r.source_offset), replayTopic: r.replay_topic,
    reason: redactReason(r.reason), code: r.code, sizeBytes: r.size_bytes, preview: maskedPreview(Buffer.from(r.msg_value)),
    deadAt: iso(r.dead_at), receivedAt: iso(r.received_at), replayedAt: r.replayed_at ? iso(r.replayed_at) : null, replayedBy: r.replayed_by,
    replayOf: r.headers[REPLAY_HEADER] ?? null,
  };
}

export const DEAD_LETTER_STATES = ['open', 'replayed', 'all'] as const;
export type DeadLetterState = (typeof DEAD_LETTER_STATES)[number];

/** Newest first, optionally only open (not replayed) or replayed ones, or of one DLQ topic. */
export async function listDeadLetters(db: Queryable, filter: { state: DeadLetterState; topic?: string | undefined; limit: number }): Promise<DeadLetterView[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (filter.state === 'open') where.push('replayed_at IS NULL');
  if (filter.state === 'replayed') where.push('replayed_at IS NOT NULL');
  if (filter.topic) { params.push(filter.topic); where.push(`dlq_topic = $${params.length}`); }
  params.push(filter.limit);
  const r = await db.query<DeadLetterRow>(
    `SELECT * FROM dead_letters ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY dead_at DESC, id DESC LIMIT $${params.length}`, params);
  return r.rows.map(toView);
}

/** Open and replayed dead letters per DLQ topic. */
export async function countDeadLetters(db: Queryable): Promise<Array<{ topic: string; open: number; replayed: number }>> {
  const r = await db.query<{ topic: string; open: string | number; replayed: string | number }>(
    `SELECT dlq_topic AS topic, count(*) FILTER (WHERE replayed_at IS NULL) AS open, count(*) FILTER (WHERE replayed_at IS NOT NULL) AS replayed
     FROM dead_letters GROUP BY dlq_topic ORDER BY dlq_topic`);
  return r.rows.map((x) => ({ topic: x.topic, open: Number(x.open), replayed: Number(x.replayed) }));
}

/** The stored message for a replay, locked for the caller's transaction (so two replays cannot both pass the check). */
export async function lockDeadLetter(tx: Queryable, id: number): Promise<(DeadLetterView & { key: string | null; value: Buffer; headers: Record<string, string> }) | null> {
  const r = await tx.query<DeadLetterRow>('SELECT * FROM dead_letters WHERE id = $1 FOR UPDATE', [id]);
  const row = r.rows[0];
  return row ? { ...toView(row), key: row.msg_key, value: Buffer.from(row.msg_value), headers: row.headers } : null;
}

/** The headers a replay carries: the original record's own headers, without the failure's bookkeeping, plus the replay mark. */
export function replayHeaders(stored: Record<string, string>, origin: { sourceTopic: string; sourcePartition: number; sourceOffset: string }): Record<string, string> {
  const kept = Object.fromEntries(Object.entries(stored).filter(([k]) => !DLQ_BOOKKEEPING_HEADER.test(k) && k !== REPLAY_HEADER));
  return { ...kept, [REPLAY_HEADER]: `${origin.sourceTopic}/${origin.sourcePartition}/${origin.sourceOffset}` };
}

export async function markReplayed(tx: Queryable, id: number, by: string, at: Date): Promise<void> {
  await tx.query('UPDATE dead_letters SET replayed_at = $2, replayed_by = $3 WHERE id = $1', [id, at, by]);
}
