/**
 * What the ops page shows, gathered from every service at once: readiness, consumer lag of every group (detector
 * stages 1 and 2, alert store, dead-letter reader), the detector's reference table, counters from `/metrics`,
 * notification health per channel and the dead letters. A service that does not answer leaves its part marked
 * unavailable instead of failing the page: ops open this page exactly when something is down.
 */
import { sumOf, UpstreamError, type MetricSample, type Upstream, type UpstreamCall } from './upstream.ts';
import type { ChannelHealth, DeadLetters, GroupsLag, LagReport, Notifications, PartitionLag, ReferenceTableStatus } from './types.ts';

export interface LagGroup { service: 'detector' | 'alerts'; groupId: string; stage: { th: string; en: string }; partitions: PartitionLag[] }
export interface ThroughputRow { th: string; en: string; value: number | null; perMinute: number | null }
export type Answer<T> = { ok: T; err: null } | { ok: null; err: number };

export interface OpsData {
  ready: { name: string; url: string; ok: boolean; status: number; body: unknown }[];
  lagGroups: LagGroup[];
  /** Services whose lag could not be read, with the status they answered (0 or 502: no answer). */
  lagErrors: { service: string; status: number }[];
  reference: Answer<ReferenceTableStatus>;
  throughput: ThroughputRow[];
  notifications: Answer<Notifications>;
  channels: Answer<ChannelHealth[]>;
  /** Failed delivery attempts since the alerts service started, per channel (from its /metrics). */
  failedAttempts: Record<string, number>;
  deadLetters: Answer<DeadLetters>;
  /** ops and admin may replay; central sees the table only. */
  canReplay: boolean;
  /** The dead letter just replayed (after the redirect), to say so. */
  replayedId?: number | undefined;
}

const answer = <T>(p: Promise<{ data: T }>): Promise<Answer<T>> =>
  p.then((r) => ({ ok: r.data, err: null }), (e: unknown) => ({ ok: null, err: e instanceof UpstreamError ? e.status : 502 }));

/** Average per minute since the service started (`paywatch_process_start_time_seconds`), or null without both. */
export function perMinute(value: number | null, samples: MetricSample[] | null, now: number): number | null {
  const start = sumOf(samples, 'paywatch_process_start_time_seconds');
  if (value === null || !start) return null;
  const minutes = (now / 1000 - start) / 60;
  return minutes > 0 ? value / minutes : null;
}

/** The lag groups of both services, labelled with the pipeline stage each one is. */
export function lagGroupsOf(detector: LagReport | null, alerts: GroupsLag | null): LagGroup[] {
  const out: LagGroup[] = [];
  if (detector) {
    out.push({ service: 'detector', groupId: detector.groupId, stage: { th: 'ตรวจตามกฎราย อปท.', en: 'Rules per LAO (stage 1)' }, partitions: detector.partitions });
    if (detector.payee) out.push({ service: 'detector', groupId: detector.payee.groupId, stage: { th: 'ตรวจข้าม อปท. รายบัญชีผู้รับเงิน', en: 'Across LAOs per payee account (stage 2)' }, partitions: detector.payee.partitions });
  }
  for (const g of alerts?.groups ?? []) {
    const dlq = g.partitions.some((p) => p.topic.endsWith('.dlq')) || /dead/.test(g.groupId);
    out.push({ service: 'alerts', groupId: g.groupId, stage: dlq ? { th: 'อ่านข้อความเสียเพื่อแสดงให้ฝ่ายระบบ', en: 'Dead letters for ops' } : { th: 'บันทึกการแจ้งเตือนและส่งอีเมล', en: 'Alert store and notifications' }, partitions: g.partitions });
  }
  return out;
}

export async function loadOps(upstream: Upstream, token: UpstreamCall['token'], now = Date.now()): Promise<Omit<OpsData, 'canReplay' | 'replayedId'>> {
  const names = ['ingest', 'detector', 'alerts'] as const;
  const [ready, detectorLag, alertsLag, reference, notifications, channels, deadLetters, ingestM, detectorM, alertsM] = await Promise.all([
    Promise.all(names.map(async (n) => ({ name: n, url: upstream.urls[n], ...(await upstream.ready(n)) }))),
    answer(upstream.call<LagReport>('detector', '/v1/ops/lag', { token })),
    answer(upstream.call<GroupsLag>('alerts', '/v1/ops/lag', { token })),
    answer(upstream.call<ReferenceTableStatus>('detector', '/v1/ops/reference', { token })),
    answer(upstream.call<Notifications>('alerts', '/v1/notifications?limit=1', { token })),
    answer(upstream.call<{ channels: ChannelHealth[] }>('alerts', '/v1/ops/channels', { token }).then((r) => ({ data: r.data.channels }))),
    answer(upstream.call<DeadLetters>('alerts', '/v1/ops/dead-letters?state=all&limit=100', { token })),
    upstream.metrics('ingest'), upstream.metrics('detector'), upstream.metrics('alerts'),
  ]);
  const row = (th: string, en: string, samples: MetricSample[] | null, name: string, match: Record<string, string> = {}): ThroughputRow => {
    const value = sumOf(samples, name, match);
    return { th, en, value, perMinute: perMinute(value, samples, now) };
  };
  const failedAttempts: Record<string, number> = {};
  for (const m of alertsM ?? []) if (m.name === 'paywatch_notifications_total' && m.labels.outcome === 'failed') failedAttempts[m.labels.channel ?? '?'] = (failedAttempts[m.labels.channel ?? '?'] ?? 0) + m.value;
  return {
    ready,
    lagGroups: lagGroupsOf(detectorLag.ok, alertsLag.ok),
    lagErrors: [...(detectorLag.err !== null ? [{ service: 'detector', status: detectorLag.err }] : []), ...(alertsLag.err !== null ? [{ service: 'alerts', status: alertsLag.err }] : [])],
    reference,
    throughput: [
      row('ไฟล์ที่ประมวลผล (ingest)', 'Batches processed (ingest)', ingestM, 'paywatch_ingest_batches_total'),
      row('แถวที่รับ', 'Rows accepted', ingestM, 'paywatch_ingest_rows_total', { outcome: 'accepted' }),
      row('แถวที่ไม่รับ', 'Rows rejected', ingestM, 'paywatch_ingest_rows_total', { outcome: 'rejected' }),
      row('รายการที่ตรวจตามกฎ (detector)', 'Records evaluated (detector)', detectorM, 'paywatch_detector_records_total', { stage: 'lao' }),
      row('การแจ้งเตือนที่ส่งออก (detector)', 'Alerts emitted (detector)', detectorM, 'paywatch_detector_alerts_total'),
      row('ข้อความที่ประมวลผลไม่ได้ (detector)', 'Dead letters (detector)', detectorM, 'paywatch_detector_dead_letters_total'),
      row('การแจ้งเตือนใหม่ที่บันทึก (alerts)', 'New alerts stored (alerts)', alertsM, 'paywatch_alerts_upserted_total', { outcome: 'new' }),
      row('ส่งการแจ้งเตือนสำเร็จ', 'Notifications sent', alertsM, 'paywatch_notifications_total', { outcome: 'sent' }),
    ],
    notifications, channels, failedAttempts, deadLetters,
  };
}
