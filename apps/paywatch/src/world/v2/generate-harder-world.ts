/**
 * The harder world (ADR 0013): a labelled synthetic month whose data differ the way real data differ — 0, 2 or 8
 * months of clean history before the target month, LAOs of every type and size in real provinces, suppliers paid
 * 1–36 times a year around their own amounts, each LAO's own remarks, voucher numbers, service types, encodings and
 * file kinds (bulk files, bank reports as CSV or XLSX, or both), reference lists with defects — and the events of
 * every typology injected into the target month, each labelled with the rule that must find it. Same options ⇒
 * same bytes.
 */
import type { LaoRegistryEntry } from '@paywatch/domain';
import { WorldRandom } from '../world-random.ts';
import { deriveLabels, type DerivedLabel } from './derive-labels.ts';
import { injectEvents, injectHardNegatives } from './inject-events.ts';
import { fillReferenceBook, injectReferenceDefects, ReferenceBook } from './reference-book.ts';
import { renderPaymentFiles, type HarderWorldFile } from './render-payment-files.ts';
import { renderReferenceFiles, type ReferenceFileOut } from './render-reference-files.ts';
import { addMonths, daysInMonth } from './world-calendar.ts';
import { planCleanMonths, planFailures, WorldPlan } from './world-plan.ts';
import { buildPopulation } from './world-population.ts';
import type { Lao, Transfer, WorldEvent } from './world-types.ts';

export type { HarderWorldFile } from './render-payment-files.ts';
export type { ReferenceFileOut } from './render-reference-files.ts';

/** What to generate. */
export interface HarderWorldOptions {
  seed: number;
  /** LAOs (default 120, in 8 provinces: about 15 a province). */
  laos?: number;
  /** Months of clean history before the target month (0, 2, 8, …). */
  historyMonths?: number;
  /** `YYYY-MM`; by default one of a few months chosen by the seed. */
  targetMonth?: string;
  /** Multiplies staff, beneficiaries and suppliers (default 1: about 200 target-month payments per LAO). */
  scale?: number;
  /** Inject events in the history months too (off: history is clean). */
  eventsInHistory?: boolean;
  /** Keep the model behind the files (`model`): for tests and diagnostics. */
  keepModel?: boolean;
}

/**
 * One labelled event, or a tolerated case (the typologies' letter flags it, the world knows it is ordinary). Its
 * payments are (file, row) as `paywatch parse` numbers rows: the 1-based line of a bulk file (the header is row 1),
 * the line (CSV) or sheet row (XLSX) of a report. A batch event includes its header line (row 1).
 */
export interface HarderLabel {
  id: string;
  /** The typologies.md id of the rule that must find it. */
  typology: string;
  /** Which variety of the typology (e.g. `same-citizen-two-laos`), for recall by case. */
  case: string;
  laoCode: string;
  month: string;
  payments: { file: string; row: number }[];
  note: string;
  /** An LAO period the event is (`fy-2026`, `day-2026-06-12`): an alert about that LAO and period finds it. */
  period?: string;
  /** The period as a whole is the event; its rows are listed for the record only. */
  periodOnly?: true;
  tolerated?: true;
  /** Implied by the data as written (not injected on purpose). */
  derived?: true;
}

export interface HarderWorld {
  seed: number;
  targetMonth: string;
  months: string[];
  registry: LaoRegistryEntry[];
  /** In upload order. */
  files: HarderWorldFile[];
  reference: ReferenceFileOut[];
  labels: HarderLabel[];
  /** Target-month payments (a transfer in a bulk file and its report counts once), and those no label names. */
  targetPayments: number;
  cleanPayments: number;
  historyPayments: number;
  cleanHistoryPayments: number;
  model?: { laos: Lao[]; transfers: Transfer[]; events: WorldEvent[]; derived: DerivedLabel[]; book: ReferenceBook };
}

/** Target months the seed chooses from (each with 8 months of holiday-table coverage before it). */
const TARGET_MONTHS = ['2026-06', '2026-03', '2025-11', '2026-09'] as const;

/** Generates the world. */
export async function generateHarderWorld(o: HarderWorldOptions): Promise<HarderWorld> {
  const seed = o.seed >>> 0, laoCount = o.laos ?? 120, history = o.historyMonths ?? 2;
  const stream = (salt: number) => new WorldRandom((seed ^ salt) >>> 0 || salt);
  const targetMonth = o.targetMonth ?? TARGET_MONTHS[seed % TARGET_MONTHS.length]!;
  const months = Array.from({ length: history + 1 }, (_, i) => addMonths(targetMonth, i - history));
  const pop = buildPopulation(stream(0x1f3d5b79), { laos: laoCount, scale: o.scale ?? 1, firstMonth: months[0]!, lastMonth: targetMonth });
  const plan = new WorldPlan(stream(0x2a9e4c61), pop.laos, months);
  const monthRuns = planCleanMonths(plan);
  planFailures(plan, monthRuns);
  const refRandom = stream(0x3c6ef372);
  const book = new ReferenceBook(pop.laos, plan.vouchers);
  fillReferenceBook(refRandom, book, targetMonth);
  injectReferenceDefects(refRandom, book);
  const ctx = { r: stream(0x4b7f1a2d), plan, monthRuns, book, laos: pop.laos, used: pop.used, nextKey: pop.nextKey };
  const events: WorldEvent[] = [];
  const target = months.length - 1;
  for (let m = 0; m <= target; m++) {
    injectHardNegatives(ctx, m, m === target);
    if (m === target || o.eventsInHistory) events.push(...injectEvents(ctx, m));
  }
  const files = await renderPaymentFiles(pop.laos, plan.runs, months);
  const inFiles = plan.transfers.filter((t) => t.rows.length > 0);
  const derived = deriveLabels(pop.laos, inFiles, book, events);
  const reference = await renderReferenceFiles(refRandom, book, `${targetMonth}-${String(daysInMonth(targetMonth)).padStart(2, '0')}`);

  const labels: HarderLabel[] = [];
  const toLabel = (e: WorldEvent | DerivedLabel, id: string, derivedLabel: boolean): HarderLabel | null => {
    const payments = e.transfers.flatMap((t) => t.rows);
    if (e.batchRun?.file) payments.unshift({ file: e.batchRun.file, row: 1 });
    if (payments.length === 0) return null;
    return {
      id, typology: e.typology, case: e.case, laoCode: pop.laos[e.lao]!.entry.laoCode, month: months[e.month]!, payments, note: e.note,
      ...('period' in e && e.period ? { period: e.period } : {}), ...('periodOnly' in e && e.periodOnly ? { periodOnly: true as const } : {}),
      ...(e.tolerated ? { tolerated: true as const } : {}), ...(derivedLabel ? { derived: true as const } : {}),
    };
  };
  for (const e of events) { const l = toLabel(e, e.id, false); if (l) labels.push(l); }
  derived.forEach((d, i) => {
    if (!d.tolerated) for (const t of d.transfers) t.events.push(`derived-${i}`);
    else for (const t of d.transfers) t.tolerated.push(`derived-${i}`);
    const l = toLabel(d, `${months[d.month]}-${d.typology}-${d.tolerated ? 'tolerated' : 'derived'}-${i + 1}`, true);
    if (l) labels.push(l);
  });
  const count = (ts: readonly Transfer[], clean: boolean) => ts.filter((t) => !clean || (t.events.length === 0 && t.tolerated.length === 0)).length;
  const targetTs = inFiles.filter((t) => t.month === target), historyTs = inFiles.filter((t) => t.month < target);
  return {
    seed, targetMonth, months, registry: pop.laos.map((l) => l.entry), files, reference, labels,
    targetPayments: count(targetTs, false), cleanPayments: count(targetTs, true), historyPayments: count(historyTs, false), cleanHistoryPayments: count(historyTs, true),
    ...(o.keepModel ? { model: { laos: pop.laos, transfers: inFiles, events, derived, book } } : {}),
  };
}
