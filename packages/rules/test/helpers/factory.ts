// Builds valid disbursements for tests: every field has an ordinary value, a test names only what it is about.
import { Disbursement, recordIdOf, type Alert } from '@paywatch/domain';
import { createEngine, RuleSetConfig, type Engine, type RuleSetConfigInput } from '../../src/index.ts';

export const LAO = '6201001';
export const OTHER_LAO = '6201002';

type Overrides = Partial<Omit<Disbursement, 'recordId'>> & { recordId?: string };

/** A successful report line paying 40,000 baht for goods (service type 04) to one contractor. */
export function payment(over: Overrides = {}): Disbursement {
  const batchId = over.batchId ?? 'b_batch1';
  const row = over.row ?? 1;
  const record: Disbursement = {
    sourceFormat: 'ktb-report',
    laoCode: LAO,
    companyId: null,
    debitAccount: null,
    payeeBankCode: '006',
    payeeAccount: '9876543210',
    payeeName: 'หจก. รุ่งเรืองการช่าง',
    payeeId: null,
    amountSatang: 4_000_000,
    feeSatang: null,
    effectiveDate: '2025-03-03',
    executedAt: null,
    approvedAt: null,
    serviceType: '04',
    voucherNo: null,
    bankReference: null,
    batchNo: null,
    makerId: null,
    authorizerId: null,
    status: 'success',
    remark: null,
    extra: {},
    sourceFile: 'ktb-report-2025-03.csv',
    ...over,
    batchId,
    row,
    recordId: over.recordId ?? recordIdOf(batchId, row),
  };
  // The factory must not be able to produce a record the pipeline would never publish.
  return Disbursement.parse(record);
}

/** Feeds records to `process` and returns every alert produced, in order. */
export function run(engine: { process(r: Disbursement): Alert[] }, records: readonly Disbursement[]): Alert[] {
  return records.flatMap((r) => engine.process(r));
}

/** Satang of whole baht. */
export const baht = (b: number): number => b * 100;

/** An engine where only this rule runs (with these thresholds), so a test is about that rule alone. */
export function only(ruleId: string, over: Record<string, unknown> = {}, state: Record<string, unknown> = {}): Engine {
  const rules = Object.fromEntries(Object.keys(RuleSetConfig.parse({}).rules).map((id) => [id, id === ruleId ? over : { enabled: false }]));
  return createEngine({ rules, state } as RuleSetConfigInput);
}

/** A third LAO of the test province. */
export const THIRD_LAO = '6201003';
/** The peer group of LAO, OTHER_LAO and THIRD_LAO in the tests that use one: subdistrict administrative organisations of province 62. */
export const PEER_GROUP = '62:sao';
/** Another peer group of the same province (town municipalities): part of the province's samples, not of PEER_GROUP's. */
export const OTHER_TYPE_GROUP = '62:town-municipality';

/** The evidence one rule put in an alert, for reading its fields. */
export const evidenceOf = (alert: Alert | undefined, ruleId: string): Record<string, unknown> => {
  if (!alert) throw new Error(`no alert to read ${ruleId} evidence from`);
  const e = alert.evidence[ruleId];
  if (typeof e !== 'object' || e === null || Array.isArray(e)) throw new Error(`alert ${alert.alertId} has no single ${ruleId} evidence`);
  return e as Record<string, unknown>;
};

/** The alerts of a run that carry one rule. */
export const alertsOf = (alerts: readonly Alert[], ruleId: string): Alert[] => alerts.filter((a) => a.ruleIds.includes(ruleId));
