/**
 * Storm control at the engine's output (ADR 0019): the findings of one rule for one LAO in one uploaded batch stay
 * individual alerts up to `individualAlerts` distinct subjects; beyond that, every further finding of that rule in
 * that batch becomes a member of one group alert (subject `batch` `${batchId}#${ruleId}`, so its id is a function of
 * LAO, batch and rule). Deterministic and snapshot-able: the same records in the same order give the same members,
 * the same counts and the same group ids, and snapshot → restore → continue equals never stopping.
 */
import { alertIdFor, formatSatangAsBaht, maskAccount, SEVERITY_RANK, z, type Alert, type Disbursement, type Finding, type GroupMember, type PaymentRef, type Severity } from '@paywatch/domain';
import { Finding as FindingSchema, GroupMember as GroupMemberSchema, Severity as SeveritySchema } from '@paywatch/domain';

/** Thresholds of grouping (part of the rule set). */
export const GroupingConfig = z.strictObject({
  enabled: z.boolean().default(true),
  /** Distinct subjects of one rule for one LAO in one batch that stay individual alerts; the rest are grouped. */
  individualAlerts: z.number().int().min(1).default(5),
  /** Payments a group alert lists in its payload (the first ones); every member is in the store, and counted. */
  listedPayments: z.number().int().min(1).max(500).default(50),
  /** Batches whose groups are kept (the least recently touched goes first); far above the batches in flight. */
  openBatches: z.number().int().min(1).default(64),
});
/** Parsed grouping configuration. */
export type GroupingConfig = z.infer<typeof GroupingConfig>;

/** Subject key used by the group alert: the batch, and the rule after `#`. */
export const groupSubjectKey = (batchId: string, ruleId: string): string => `${batchId}#${ruleId}`;

interface GroupState {
  laoCode: string;
  batchId: string;
  ruleId: string;
  ruleVersion: string;
  file: string;
  /** `kind|key` of the subjects that stayed individual (at most `individualAlerts`). */
  individual: string[];
  individualAlertIds: string[];
  count: number;
  totalSatang: number;
  severity: Severity;
  occurredOn: string;
  lastRecordId: string;
  /** The first `listedPayments` members, with the unmasked account of each (for the audited reveal only). */
  listed: GroupMember[];
  listedAccounts: string[];
  /** The first grouped finding's reasons: a sample of what each member is. */
  sample: Finding['reasons'];
}

/** Snapshot form of one group (the state, as plain JSON). */
export const BatchGroupSnapshot = z.strictObject({
  laoCode: z.string(), batchId: z.string(), ruleId: z.string(), ruleVersion: z.string(), file: z.string(),
  individual: z.array(z.string()), individualAlertIds: z.array(z.string()),
  count: z.number().int().min(0), totalSatang: z.number().int(), severity: SeveritySchema, occurredOn: z.string(), lastRecordId: z.string(),
  listed: z.array(GroupMemberSchema), listedAccounts: z.array(z.string()), sample: FindingSchema.shape.reasons,
});
export type BatchGroupSnapshot = z.infer<typeof BatchGroupSnapshot>;

/** What `route` decided for one record's findings. */
export interface Routed {
  /** Findings that go on as they are (grouped by subject into alerts as before). */
  individual: Finding[];
  /** One version of each group alert this record added a member to, carrying that member in `groupMembers`. */
  groupAlerts: Alert[];
}

const subjectKey = (f: Finding): string => `${f.subject.kind}|${f.subject.key}`;
const groupKey = (laoCode: string, batchId: string, ruleId: string): string => JSON.stringify([laoCode, batchId, ruleId]);
const batchKey = (laoCode: string, batchId: string): string => JSON.stringify([laoCode, batchId]);
const maxSeverity = (a: Severity, b: Severity): Severity => (SEVERITY_RANK[b] > SEVERITY_RANK[a] ? b : a);

/** The per-engine grouping state. */
export class BatchGroups {
  readonly #config: GroupingConfig;
  readonly #ruleSetVersion: string;
  #groups = new Map<string, GroupState>();
  /** Open batches, least recently touched first, each with the group keys it holds. */
  #batches = new Map<string, string[]>();

  constructor(config: GroupingConfig, ruleSetVersion: string) {
    this.#config = config;
    this.#ruleSetVersion = ruleSetVersion;
  }

  /**
   * Sorts one record's findings: individual while their (LAO, batch, rule) has seen at most `individualAlerts`
   * distinct subjects (a subject already individual stays so: its alert grows as before), grouped beyond.
   */
  route(record: Disbursement, findings: readonly Finding[]): Routed {
    if (!this.#config.enabled || findings.length === 0) return { individual: [...findings], groupAlerts: [] };
    const individual: Finding[] = [];
    const touched: GroupState[] = [];
    const added = new Map<GroupState, GroupMember[]>();
    for (const f of findings) {
      const key = groupKey(record.laoCode, record.batchId, f.ruleId);
      let g = this.#groups.get(key);
      if (!g) {
        g = {
          laoCode: record.laoCode, batchId: record.batchId, ruleId: f.ruleId, ruleVersion: f.ruleVersion, file: record.sourceFile,
          individual: [], individualAlertIds: [], count: 0, totalSatang: 0, severity: f.severity, occurredOn: '', lastRecordId: '', listed: [], listedAccounts: [], sample: f.reasons,
        };
        this.#groups.set(key, g);
        this.#touchBatch(record.laoCode, record.batchId, key);
      } else this.#touchBatch(record.laoCode, record.batchId, null);
      const sk = subjectKey(f);
      if (g.individual.includes(sk)) { individual.push(f); continue; }
      if (g.individual.length < this.#config.individualAlerts) {
        g.individual.push(sk);
        g.individualAlertIds.push(alertIdFor(f.laoCode, f.subject));
        individual.push(f);
        continue;
      }
      // One member per record and rule: a rule giving two findings for one payment lists the payment once.
      if (g.lastRecordId === record.recordId) continue;
      const member: GroupMember = {
        recordId: record.recordId, batchId: record.batchId, file: record.sourceFile, row: record.row, effectiveDate: record.effectiveDate,
        amountSatang: record.amountSatang, payeeName: record.payeeName, payeeBankCode: record.payeeBankCode, payeeAccountMasked: maskAccount(record.payeeAccount),
        severity: f.severity, subject: { kind: f.subject.kind, key: f.subject.key }, payments: f.payments.map((p) => ({ ...p })),
      };
      if (g.count === 0) { g.sample = f.reasons; g.severity = f.severity; g.ruleVersion = f.ruleVersion; }
      g.count++;
      g.totalSatang += record.amountSatang;
      g.severity = maxSeverity(g.severity, f.severity);
      if (record.effectiveDate > g.occurredOn) g.occurredOn = record.effectiveDate;
      g.lastRecordId = record.recordId;
      if (g.listed.length < this.#config.listedPayments) { g.listed.push(member); g.listedAccounts.push(record.payeeAccount); }
      const list = added.get(g);
      if (list) list.push(member); else { added.set(g, [member]); touched.push(g); }
    }
    this.#evict();
    return { individual, groupAlerts: touched.map((g) => this.#alertOf(g, added.get(g)!)) };
  }

  #touchBatch(laoCode: string, batchId: string, newGroupKey: string | null): void {
    const bk = batchKey(laoCode, batchId);
    const keys = this.#batches.get(bk) ?? [];
    this.#batches.delete(bk);
    if (newGroupKey) keys.push(newGroupKey);
    this.#batches.set(bk, keys);
  }

  #evict(): void {
    while (this.#batches.size > this.#config.openBatches) {
      const [bk, keys] = this.#batches.entries().next().value!;
      this.#batches.delete(bk);
      for (const k of keys) this.#groups.delete(k);
    }
  }

  /** The group alert as it stands, with the members this call added. */
  #alertOf(g: GroupState, members: GroupMember[]): Alert {
    const subject = { kind: 'batch' as const, key: groupSubjectKey(g.batchId, g.ruleId) };
    const alertId = alertIdFor(g.laoCode, subject);
    const payments: PaymentRef[] = g.listed.map((m) => ({ recordId: m.recordId, batchId: m.batchId, file: m.file, row: m.row }));
    const total = formatSatangAsBaht(g.totalSatang);
    const listedNote = g.count > g.listed.length
      ? { th: ` แสดง ${g.listed.length} รายการแรก รายการทั้งหมดอยู่ในระบบ (GET /v1/alerts/${alertId}/payments)`, en: ` The first ${g.listed.length} are listed; all of them are in the store (GET /v1/alerts/${alertId}/payments).` }
      : { th: '', en: '' };
    const n = this.#config.individualAlerts;
    const reasons = {
      th: `การแจ้งเตือนแบบกลุ่ม: ไฟล์ ${g.file} มีรายการที่เข้าเกณฑ์กฎ ${g.ruleId} เกิน ${n} รายการ (แจ้งแยก ${g.individualAlertIds.length} รายการแรก) อีก ${g.count} รายการ รวม ${total} บาท ถูกรวมไว้ในการแจ้งเตือนนี้${listedNote.th}\nตัวอย่าง: ${g.sample.th}`,
      en: `Group alert: file ${g.file} has more than ${n} payments flagged by ${g.ruleId} (the first ${g.individualAlertIds.length} alerted individually); ${g.count} more, ${total} baht in total, are grouped in this alert.${listedNote.en}\nFor example: ${g.sample.en}`,
    };
    const group = { ruleId: g.ruleId, ruleVersion: g.ruleVersion, batchId: g.batchId, file: g.file, count: g.count, totalSatang: g.totalSatang, listed: g.listed.length, individualAlertIds: [...g.individualAlertIds] };
    const paymentDetails = g.listed.map((m) => ({ recordId: m.recordId, batchId: m.batchId, file: m.file, row: m.row, effectiveDate: m.effectiveDate, amountSatang: m.amountSatang, payeeName: m.payeeName, payeeBankCode: m.payeeBankCode, payeeAccountMasked: m.payeeAccountMasked }));
    const evidence = { group: { ...group, threshold: n, listedPayments: this.#config.listedPayments }, paymentDetails };
    const finding: Finding = {
      ruleId: g.ruleId, ruleVersion: g.ruleVersion, severity: g.severity, laoCode: g.laoCode, subject, reasons, evidence,
      unmasked: Object.fromEntries(g.listedAccounts.map((a, i) => [`paymentDetails[${i}].payeeAccountMasked`, a])),
      payments,
    };
    return {
      alertId, laoCode: g.laoCode, severity: g.severity, ruleIds: [g.ruleId], subject, findings: [finding], payments, reasons,
      evidence: { [g.ruleId]: evidence }, amountSatang: g.totalSatang, occurredOn: g.occurredOn, ruleSetVersion: this.#ruleSetVersion,
      group, groupMembers: members,
    };
  }

  /** The state as plain JSON, least recently touched batch first. */
  snapshot(): BatchGroupSnapshot[] {
    const out: BatchGroupSnapshot[] = [];
    for (const keys of this.#batches.values()) {
      for (const k of keys) {
        const g = this.#groups.get(k);
        if (g) out.push({ ...g, individual: [...g.individual], individualAlertIds: [...g.individualAlertIds], listed: [...g.listed], listedAccounts: [...g.listedAccounts] });
      }
    }
    return out;
  }

  /** Rebuilds the state from `snapshot()`. */
  static restore(entries: readonly BatchGroupSnapshot[], config: GroupingConfig, ruleSetVersion: string): BatchGroups {
    const b = new BatchGroups(config, ruleSetVersion);
    for (const e of entries) {
      const key = groupKey(e.laoCode, e.batchId, e.ruleId);
      b.#groups.set(key, { ...e, individual: [...e.individual], individualAlertIds: [...e.individualAlertIds], listed: [...e.listed], listedAccounts: [...e.listedAccounts] });
      b.#touchBatch(e.laoCode, e.batchId, key);
    }
    return b;
  }
}
