/**
 * Injected events of every typology in typologies.md, in the months asked for (the target month by default), each
 * labelled with the rule that must find it, and the hard negatives that must stay quiet. Events are shaped after
 * the domain documents and the cases auditors found (domain.md), not after any rule's thresholds: a regular
 * supplier paid 25–60 times its usual amount, a supplier registered days before a first payment of 2–5 times the
 * LAO's 95th percentile, one citizen ID paid by two LAOs, invented beneficiaries with a bad check digit, a finance
 * officer's many transfers to an account the LAO never paid, padded batches, invented amounts, night transfers.
 * What else a correct reading of the lists implies (an unregistered account, a line without a voucher, one account
 * under several names) is derived afterwards from the data as written (derive-labels.ts).
 */
import { addDays, fiscalYear } from '@paywatch/domain';
import type { WorldRandom } from '../world-random.ts';
import { accountFor, badCheckDigitId, thaiId } from './world-population.ts';
import { businessName, personName, writeBusiness } from './thai-names.ts';
import { closedDays, workingDayFrom, workingDays } from './world-calendar.ts';
import type { MonthRuns, WorldPlan } from './world-plan.ts';
import type { ReferenceBook } from './reference-book.ts';
import type { Beneficiary, Lao, Party, Run, Transfer, Vendor, WorldEvent } from './world-types.ts';

/** How many events of each kind a world of 120 LAOs gets (scaled to the LAO count, at least one each). */
export const EVENTS_PER_120_LAOS = {
  'amount-outlier': 16, 'new-payee-large': 16, 'repeat-siphon': 6, 'duplicate-payment': 12, 'split-payment': 10, 'near-threshold': 4, 'batch-padded': 6,
  benford: 1, 'velocity-spike': 4, 'off-hours': 10, 'self-approval': 6, 'payee-not-registered': 8, 'staff-account': 8, 'no-voucher': 10,
  'welfare-off-tier': 6, 'welfare-invalid-id': 10, 'welfare-shared-account': 5, 'welfare-two-laos': 10, 'names-within-lao': 5, 'names-across-laos': 5,
} as const;

/** What injection works on. */
export interface InjectionContext { r: WorldRandom; plan: WorldPlan; monthRuns: MonthRuns[][]; book: ReferenceBook; laos: readonly Lao[]; used: Set<string>; nextKey: () => string }

const OFF_TIER_BAHT = [650, 750, 850, 900, 950, 1_050, 1_100, 1_250, 1_300, 1_500, 1_900] as const;
const PERSON_BANKS = ['006', '030', '034', '004', '014'] as const;

/** Injects the month's events; returns them. */
export function injectEvents(ctx: InjectionContext, m: number): WorldEvent[] {
  const { r, plan, monthRuns, book, laos } = ctx;
  const month = plan.month(m);
  const events: WorldEvent[] = [];
  const scale = laos.length / 120;
  const count = (k: keyof typeof EVENTS_PER_120_LAOS) => Math.max(1, Math.round(EVENTS_PER_120_LAOS[k] * scale));
  let seq = 0;
  const event = (typology: string, kase: string, lao: Lao, transfers: Transfer[], note: string, extra: Partial<WorldEvent> = {}): WorldEvent => {
    const e: WorldEvent = { id: `${month}-${typology}-${++seq}`, typology, case: kase, lao: lao.idx, month: m, transfers, note, ...extra };
    for (const t of transfers) t.events.push(e.id);
    events.push(e);
    return e;
  };
  const runsOf = (lao: Lao): MonthRuns => monthRuns[lao.idx]![m]!;
  const shuffled = <T>(xs: readonly T[]): T[] => { const a = [...xs]; for (let i = a.length - 1; i > 0; i--) { const j = r.int(0, i); [a[i], a[j]] = [a[j]!, a[i]!]; } return a; };
  const usedFor = new Map<string, Set<number>>();
  /** A random LAO that qualifies, preferring one without an event of this kind yet. */
  const pickLao = (kind: string, ok: (l: Lao) => boolean): Lao | null => {
    const seen = usedFor.get(kind) ?? new Set<number>();
    usedFor.set(kind, seen);
    const pool = shuffled(laos.filter(ok));
    const lao = pool.find((l) => !seen.has(l.idx)) ?? pool[0] ?? null;
    if (lao) seen.add(lao.idx);
    return lao;
  };
  const extraRun = (lao: Lao, date: string, maker?: string): Run => plan.run(lao, m, date, 'extra', maker);
  const outsider = (bank: string = r.pick(PERSON_BANKS)): Party => ({ key: ctx.nextKey(), name: { form: 'person', ...personName(r, ctx.used) }, bank, account: accountFor(r, bank), id: thaiId(r, '3') });
  const company = (lao: Lao, category: 'contractor' | 'materials' | 'it' | 'office' = 'contractor'): Vendor => {
    const bank = r.pick(['006', '004', '014', '002', '025', '069'] as const);
    return { key: ctx.nextKey(), name: businessName(r, ctx.used, category, lao.district.replace(/^เมือง/, '')), bank, account: accountFor(r, bank), id: thaiId(r, '0'), category, medianBaht: 50_000, sigma: 0.4, perYear: 1, regular: false, withholding: 0.01, registeredOn: `${month}-01` };
  };
  const oneOff = (t: Transfer) => !t.recurring && t.status === 'success' && t.events.length === 0;
  const visible = (lao: Lao, upTo = m) => plan.byLao[lao.idx]!.filter((t) => t.month <= upTo);
  const cleanVendorPayments = (lao: Lao, mm = m) => monthRuns[lao.idx]![mm]!.vendor.flatMap((run) => run.transfers).filter((t) => t.kind === 'vendor' && oneOff(t));

  /** The LAO's 95th percentile of one-off payments in the months the pipeline sees, or its peers' when it has under 50. */
  const p95 = (lao: Lao): number => {
    const amounts = (ls: readonly Lao[]) => ls.flatMap((l) => visible(l).filter((t) => !t.recurring && t.status === 'success').map((t) => t.amountSatang));
    let xs = amounts([lao]);
    if (xs.length < 50) xs = amounts(laos.filter((l) => l.type === lao.type && l.province.code === lao.province.code));
    if (xs.length < 50) xs = amounts(laos.filter((l) => l.province.code === lao.province.code));
    xs.sort((a, b) => a - b);
    return xs[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))] ?? 10_000_000;
  };
  const quantile = (lao: Lao, q: number): number => {
    const xs = visible(lao).filter((t) => !t.recurring && t.status === 'success').map((t) => t.amountSatang).sort((a, b) => a - b);
    return xs[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? 0;
  };
  const paymentsBefore = (lao: Lao, party: Party, date: string) => plan.byLao[lao.idx]!.filter((t) => t.accountOf === party && t.date < date && t.status === 'success' && t.events.length === 0);
  const lastRun = (lao: Lao): Run => runsOf(lao).vendor.at(-1)!;
  const laterRun = (lao: Lao, after: string, minDays: number, maxDays: number): Run | null => {
    const ok = runsOf(lao).vendor.filter((x) => x.date > addDays(after, minDays - 1) && x.date <= addDays(after, maxDays));
    if (ok.length > 0) return r.pick(ok);
    const d = workingDayFrom(addDays(after, r.int(minDays, maxDays)));
    return d && d.slice(0, 7) === month ? extraRun(lao, d) : null;
  };
  const withAllowances = (l: Lao) => runsOf(l).allowance !== null && runsOf(l).allowance!.transfers.length > 3;
  const idsVisible = (l: Lao) => l.style.lists.beneficiaries || l.style.writesIdsOnAllowances;
  const hasReport = (l: Lao) => l.style.uploads !== 'bulk';
  const hasBulk = (l: Lao) => l.style.uploads !== 'report';

  // amount-outlier: a regular supplier paid 25–60 × its usual amount; where the pipeline has none of its history,
  // one whose inflated amount stands far above everything the LAO pays; now and then an inflated wage.
  // One event per supplier: a second inflated payment to the same supplier on the same day would be judged against a
  // history that already holds the first (and is one event an auditor sees, not two).
  const inflated = new Set<string>();
  for (let k = count('amount-outlier'); k > 0; k--) {
    const roll = r.float();
    let done = false;
    if (roll < 0.55) {
      for (const lao of shuffled(laos)) {
        const run = lastRun(lao);
        const v = shuffled(lao.vendors.filter((x) => x.sigma > 0 && x.category !== 'contractor' && x.category !== 'hired' && !inflated.has(`${lao.idx}|${x.key}`))).find((x) => paymentsBefore(lao, x, run.date).length >= 3);
        if (!v) continue;
        inflated.add(`${lao.idx}|${v.key}`);
        const n = paymentsBefore(lao, v, run.date).length;
        const t = plan.vendorPayment(run, v, Math.round(v.medianBaht * (1 - v.withholding) * (25 + r.float() * 35)) * 100);
        event('amount-outlier', n <= 19 ? 'vendor-3-19-earlier' : 'vendor-20-plus-earlier', lao, [t], `supplier with ${n} earlier payments paid 25–60 × its usual amount`);
        done = true;
        break;
      }
    }
    if (!done && roll < 0.8) {
      for (const lao of shuffled(laos)) {
        const run = lastRun(lao), p99 = quantile(lao, 0.99);
        const v = shuffled(lao.vendors.filter((x) => x.category !== 'hired' && paymentsBefore(lao, x, addDays(run.date, 1)).length === 0 && x.medianBaht * 100 * 50 >= 3 * p99))[0];
        if (!v) continue;
        const amount = Math.max(Math.round(v.medianBaht * (25 + r.float() * 35)) * 100, 3 * p99 + r.int(1, 999) * 100);
        const t = plan.vendorPayment(run, v, amount);
        event('amount-outlier', 'no-payee-history', lao, [t], 'supplier with no history the pipeline holds paid 25–60 × its usual amount, far above the LAO\'s spread');
        done = true;
        break;
      }
    }
    if (!done) {
      const lao = pickLao('salary-outlier', (l) => runsOf(l).salary.transfers.length > 5);
    if (!lao) continue;
      const t = r.pick(runsOf(lao).salary.transfers.filter((x) => x.events.length === 0 && x.status === 'success'));
      t.amountSatang = Math.round((t.amountSatang * (15 + r.float() * 25)) / 100) * 100;
      event('amount-outlier', 'salary-inflated', lao, [t], 'a monthly wage 15–40 × the person\'s own (the approved payroll voucher kept its amount)');
    }
  }

  // new-payee-large: registered days before the first payment, registered long ago and never paid, or not registered.
  for (let k = count('new-payee-large'); k > 0; k--) {
    const roll = r.float();
    const kase = roll < 0.4 ? 'registered-3-25-days-before' : roll < 0.7 ? 'registered-long-ago-never-paid' : 'not-registered';
    const lao = pickLao('new-payee-large', (l) => kase === 'not-registered' || l.style.lists.payees);
    if (!lao) continue;
    const run = r.pick(runsOf(lao).vendor);
    const amount = Math.round((p95(lao) * (2 + r.float() * 3)) / 100) * 100;
    let v: Vendor;
    if (kase === 'registered-long-ago-never-paid' && lao.dormant.some((d) => paymentsBefore(lao, d, '9999').length === 0)) {
      v = lao.dormant.find((d) => paymentsBefore(lao, d, '9999').length === 0)!;
      const row = book.payees.get(lao.idx)?.find((x) => x.party === v);
      if (row) { row.status = 'active'; row.defect = undefined; }
    } else {
      v = company(lao, r.pick(['contractor', 'materials', 'it'] as const));
      if (kase !== 'not-registered') book.register(lao, v, addDays(run.date, -r.int(3, 25)));
    }
    const t = plan.vendorPayment(run, v, amount);
    event('new-payee-large', kase, lao, [t], `first payment to an account this LAO never paid, ${Math.round(amount / p95(lao) * 10) / 10} × its 95th percentile`);
  }

  // repeat-siphon: 8+ transfers in the month to one account with no history — a private person's, or a staff member's.
  for (let k = count('repeat-siphon'); k > 0; k--) {
    const staffCase = r.chance(0.5);
    const lao = pickLao('repeat-siphon', (l) => l.staff.length > 5);
    if (!lao) continue;
    const s = staffCase ? r.pick(lao.staff.filter((x) => !/นายก|สภา/.test(x.position))) : null;
    const target: Party = s ?? outsider();
    if (!s && r.chance(0.3)) book.register(lao, target, addDays(`${month}-01`, -r.int(5, 60)));
    const n = r.int(8, 14), days = workingDays(month), ts: Transfer[] = [];
    const insider = r.pick(lao.style.makers);
    for (let i = 0; i < n; i++) {
      const date = days[Math.min(days.length - 1, Math.floor(((i + r.float()) * days.length) / n))]!;
      const existing = runsOf(lao).vendor.find((x) => x.date === date);
      const run = existing && r.chance(0.5) ? existing : extraRun(lao, date, insider);
      const name = s && r.chance(0.4) ? writeBusiness(businessName(r, ctx.used, 'materials', lao.district.replace(/^เมือง/, '')), 0) : undefined;
      ts.push(plan.transfer(run, {
        kind: 'event', nameOf: target, amountSatang: r.int(30, 450) * 10_000 + r.pick([0, 0, 5_000, 2_550]), serviceType: r.chance(0.7) ? plan.procurementType(lao, target.bank) : '59', recurring: false,
        voucherNo: lao.style.writesVoucherRefs && r.chance(0.5) ? `${r.int(100, 999)}/${Number(month.slice(0, 4)) + 543}` : null, remark: r.chance(0.5) ? 'ค่าวัสดุ' : null,
        ...(name ? { payeeName: name } : {}), payeeId: null,
      }));
    }
    event('repeat-siphon', s ? 'staff-account' : 'private-account', lao, ts, `${n} transfers in a month to ${s ? 'a staff member\'s' : 'a private'} account the LAO never paid before`);
  }

  // duplicate-payment: the same account and amount again within 30 days, without a voucher of its own.
  for (let k = count('duplicate-payment'); k > 0; k--) {
    const roll = r.float();
    const kase = roll < 0.5 ? 'second-without-voucher' : roll < 0.8 ? 'same-voucher-twice' : 'same-batch-twice';
    for (const lao of shuffled(laos)) {
      const firsts = cleanVendorPayments(lao).filter((t) => t.nameOf === t.accountOf && (t.nameOf as Vendor).category !== 'hired');
      const prev = m > 0 && kase !== 'same-batch-twice' && r.chance(0.3) ? cleanVendorPayments(lao, m - 1).filter((t) => t.date >= addDays(`${month}-01`, -20)) : [];
      const first = r.pick(prev.length > 0 ? prev : firsts);
      if (!first) continue;
      const run = kase === 'same-batch-twice' ? first.run : laterRun(lao, first.date, 5, 20);
      if (!run || run.month !== m) continue;
      const t = plan.transfer(run, {
        kind: 'event', nameOf: first.nameOf, amountSatang: first.amountSatang, serviceType: first.serviceType, recurring: false,
        voucherNo: kase === 'second-without-voucher' ? null : first.voucherNo ?? (lao.style.writesVoucherRefs ? first.voucher?.no ?? null : null), remark: first.remark,
      });
      if (kase !== 'second-without-voucher') t.voucher = first.voucher;
      event('duplicate-payment', kase, lao, [first, t], 'same account and amount paid again within 30 days without a distinct voucher');
      break;
    }
  }

  // split-payment: one purchase cut into pieces under 100,000 (now and then 500,000) baht, each on its own voucher.
  for (let k = count('split-payment'); k > 0; k--) {
    const lao = pickLao('split-payment', () => true);
    if (!lao) continue;
    const threshold = r.chance(0.8) ? 10_000_000 : 50_000_000;
    const v = r.pick(lao.vendors.filter((x) => ['materials', 'contractor', 'it', 'repair', 'office'].includes(x.category)));
    if (!v) continue;
    const pieces = r.int(2, 4);
    let amounts: number[];
    do amounts = Array.from({ length: pieces }, () => Math.round((threshold * (0.35 + r.float() * 0.6)) / 100) * 100); while (amounts.reduce((a, b) => a + b, 0) <= threshold);
    const start = r.pick(runsOf(lao).vendor);
    const ts = amounts.map((a, i) => plan.vendorPayment(i === 0 ? start : laterRun(lao, start.date, 0, 20) ?? start, v, a));
    event('split-payment', threshold === 10_000_000 ? 'under-100000' : 'under-500000', lao, ts, `${pieces} payments each under ${threshold / 100} baht summing above it within 30 days`);
  }

  // near-threshold: an LAO paying several suppliers just under a procurement limit.
  for (let k = count('near-threshold'); k > 0; k--) {
    const lao = pickLao('near-threshold', (l) => l.vendors.length >= 8);
    if (!lao) continue;
    const n = r.int(5, 10), ts: Transfer[] = [];
    const vs = shuffled(lao.vendors.filter((x) => x.category !== 'hired'));
    for (let i = 0; i < n; i++) {
      const threshold = r.chance(0.85) ? 100_000 : 500_000;
      ts.push(plan.vendorPayment(r.pick(runsOf(lao).vendor), vs[i % vs.length]!, r.int(Math.ceil(threshold * 0.9), threshold - 1) * 100));
    }
    event('near-threshold', 'just-under-limits', lao, ts, `${n} payments in [90 %, 100 %) of a procurement limit in one month`, { period: `fy-${fiscalYear(`${month}-01`)}` });
  }

  // batch-padded: a header that disagrees with its lines, or lines added without an approved voucher.
  for (let k = count('batch-padded'); k > 0; k--) {
    const kase = r.chance(0.5) ? 'header-disagrees' : 'lines-without-vouchers';
    const lao = pickLao('batch-padded', (l) => hasBulk(l) && (kase === 'header-disagrees' || l.style.lists.vouchers));
    if (!lao) continue;
    const run = r.pick(runsOf(lao).vendor.filter((x) => !x.header && x.transfers.length > 0));
    if (!run) continue;
    if (kase === 'header-disagrees') {
      const removed = r.chance(0.6);
      // Removed: the header still counts a line taken out after approval. Added: the header is the approved batch, without the line appended since.
      run.header = removed ? { countDelta: 1, totalDeltaSatang: r.int(5_000, 90_000) * 100 } : { countDelta: -1, totalDeltaSatang: -run.transfers.at(-1)!.amountSatang };
      event('batch-padded', kase, lao, [], removed ? 'header counts one more line and more money than the details' : 'header counts one line and its amount less than the details: a line was added after approval', { batchRun: run });
    } else {
      const ts: Transfer[] = [];
      for (let i = r.int(1, 3); i > 0; i--) {
        const p = r.chance(0.5) ? outsider() : r.pick(lao.vendors);
        ts.push(plan.transfer(run, { kind: 'event', nameOf: p, amountSatang: r.int(80, 900) * 10_000, serviceType: plan.procurementType(lao, p.bank), recurring: false, voucherNo: null, remark: run.transfers[0]?.remark ?? null }));
      }
      event('batch-padded', kase, lao, ts, `${ts.length} lines added to an approved batch, header recomputed, no voucher behind them`, { batchRun: run });
    }
  }

  // benford: one LAO whose clerk invents about 50 purchase amounts in the month (leading digits about even).
  for (let k = count('benford'); k > 0; k--) {
    const lao = pickLao('benford', (l) => l.type !== 'sao' && l.type !== 'subdistrict-municipality');
    if (!lao) continue;
    const vs = lao.vendors.filter((x) => x.sigma > 0 && x.category !== 'hired');
    const target = r.int(45, 55);
    const ts = shuffled(cleanVendorPayments(lao).filter((t) => (t.nameOf as Vendor).sigma > 0)).slice(0, target);
    while (ts.length < target) ts.push(plan.vendorPayment(r.pick(runsOf(lao).vendor), r.pick(vs)));
    for (const t of ts) {
      // A full decade centred on the supplier's usual amount: invented digits, amounts of the usual size.
      const decade = 10 ** Math.floor(Math.log10((t.nameOf as Vendor).medianBaht) - 0.5);
      t.amountSatang = (r.int(1, 9) * decade + r.int(0, decade - 1)) * 100;
      if (t.voucher) t.voucher.amountSatang = t.amountSatang;
    }
    event('benford', 'invented-amounts', lao, ts, `${ts.length} purchase amounts made up in one month`, { period: `fy-${fiscalYear(`${month}-01`)}`, periodOnly: true });
  }

  // velocity-spike: a day of outflow far above the LAO's rhythm, partly to one account it never paid.
  for (let k = count('velocity-spike'); k > 0; k--) {
    const lao = pickLao('velocity-spike', (l) => l.vendors.length >= 8);
    if (!lao) continue;
    const used = new Set(runsOf(lao).vendor.map((x) => x.date));
    const free = workingDays(month).filter((d) => !used.has(d) && d !== runsOf(lao).salary.date);
    const date = r.pick(free.length > 0 ? free : workingDays(month));
    const run = extraRun(lao, date);
    const perRun = Math.max(3, cleanVendorPayments(lao).length / Math.max(1, runsOf(lao).vendor.length));
    const n = Math.max(12, Math.round(perRun * r.int(6, 9)));
    const ts: Transfer[] = [];
    const vs = lao.vendors.filter((x) => x.sigma > 0);
    for (let i = 0; i < n; i++) { const v = r.pick(vs); ts.push(plan.vendorPayment(run, v, plan.vendorAmountSatang(v, 1 + r.float() * 0.5))); }
    const shop = outsider(r.pick(['004', '014', '069'] as const));
    for (let i = r.int(2, 4); i > 0; i--) ts.push(plan.transfer(run, { kind: 'event', nameOf: shop, amountSatang: Math.round(r.int(100_000, 400_000) * Math.sqrt(lao.size)) * 100, serviceType: plan.procurementType(lao, shop.bank), recurring: false, voucherNo: null }));
    event('velocity-spike', 'surge-day', lao, ts, `${ts.length} payments on one day, several times the LAO's daily rhythm, part to one new account`, { period: `day-${date}` });
  }

  // off-hours: executed at night, on a weekend or on a public holiday (reports only).
  // The cases take turns (night, weekend, holiday, night, …) so that even a small world has each.
  for (let k = 0, n = count('off-hours'); k < n; k++) {
    const closed = closedDays(month);
    const turn = (['night', 'weekend', 'holiday', 'night'] as const)[k % 4]!;
    const kase = turn === 'holiday' && closed.holiday.length === 0 ? 'weekend' : turn;
    const lao = pickLao('off-hours', hasReport);
    if (!lao) continue;
    const date = kase === 'night' ? r.pick(workingDays(month)) : r.pick(kase === 'weekend' ? closed.weekend : closed.holiday);
    const run = extraRun(lao, date);
    const ts: Transfer[] = [];
    for (let i = r.int(1, 3); i > 0; i--) {
      if (r.chance(0.5)) ts.push(plan.vendorPayment(run, r.pick(lao.vendors.filter((x) => x.category !== 'hired'))));
      else { const p = outsider(); ts.push(plan.transfer(run, { kind: 'event', nameOf: p, amountSatang: r.int(200, 900) * 10_000, serviceType: plan.procurementType(lao, p.bank), recurring: false, voucherNo: null })); }
    }
    const hh = kase === 'night' ? r.pick([20, 21, 22, 23, 0, 1, 2, 3, 4] as const) : r.int(9, 15);
    for (const t of ts) t.exec = { ...t.exec, date, hh, mm: r.int(0, 59), approvedMinutesBefore: r.int(1, 30) };
    event('off-hours', kase, lao, ts, kase === 'night' ? `executed at ${hh}:xx Bangkok` : `executed on a ${kase} (${date})`);
  }

  // self-approval: maker and authorizer are the same user (reports only).
  for (let k = count('self-approval'); k > 0; k--) {
    const lao = pickLao('self-approval', hasReport);
    if (!lao) continue;
    const small = runsOf(lao).vendor.filter((x) => x.transfers.length > 0 && x.transfers.length <= 6 && x.transfers.every((t) => t.events.length === 0));
    const run = small.length > 0 ? r.pick(small) : extraRun(lao, r.pick(workingDays(month)));
    if (run.transfers.length === 0) for (let i = r.int(1, 3); i > 0; i--) plan.vendorPayment(run, r.pick(lao.vendors));
    for (const t of run.transfers) t.exec = { ...t.exec, authorizer: t.exec.maker };
    event('self-approval', 'maker-is-authorizer', lao, [...run.transfers], 'the maker approved the batch themself');
  }

  // payee-not-registered: a supplier's payment sent to an account no one registered (a swapped account).
  for (let k = count('payee-not-registered'); k > 0; k--) {
    const lao = pickLao('payee-not-registered', (l) => l.style.lists.payees);
    if (!lao) continue;
    const v = r.pick(lao.vendors.filter((x) => x.category !== 'hired'));
    const swapped = outsider(r.chance(0.5) ? v.bank : r.pick(PERSON_BANKS));
    const run = r.pick(runsOf(lao).vendor);
    const no = plan.voucherNo(lao, run.date);
    const t = plan.transfer(run, { kind: 'event', nameOf: v, accountOf: swapped, amountSatang: plan.vendorAmountSatang(v), serviceType: plan.procurementType(lao, swapped.bank), recurring: false, voucherNo: lao.style.writesVoucherRefs ? no : null, payeeId: v.id });
    plan.approve(t, no, 'ค่าวัสดุ', { withAccount: false });
    event('payee-not-registered', 'swapped-account', lao, [t], 'a registered supplier\'s name on an account no one registered');
  }

  // staff-account: a purchase paid into a staff member's account.
  for (let k = count('staff-account'); k > 0; k--) {
    const roll = r.float();
    const kase = roll < 0.4 ? 'staff-name' : roll < 0.75 ? 'supplier-name' : 'staff-id-other-account';
    const lao = pickLao('staff-account', (l) => l.style.lists.staff && l.staff.length > 3);
    if (!lao) continue;
    const s = r.pick(lao.staff), v = r.pick(lao.vendors.filter((x) => x.category !== 'hired'));
    const run = r.pick(runsOf(lao).vendor);
    const into = kase === 'staff-id-other-account' ? outsider(s.bank) : s;
    const no = plan.voucherNo(lao, run.date);
    const t = plan.transfer(run, {
      kind: 'event', nameOf: kase === 'supplier-name' ? v : s, accountOf: into, amountSatang: plan.vendorAmountSatang(v), serviceType: plan.procurementType(lao, into.bank), recurring: false,
      voucherNo: lao.style.writesVoucherRefs ? no : null, payeeId: kase === 'supplier-name' ? null : s.id, remark: plan.vendorRemark(lao, v.category, no, run.date),
    });
    if (kase === 'supplier-name') plan.approve(t, no, 'ค่าวัสดุ', { withAccount: false });
    event('staff-account', kase, lao, [t], 'a goods payment into a staff member\'s account');
  }

  // no-voucher: a registered supplier paid without an approved voucher.
  for (let k = count('no-voucher'); k > 0; k--) {
    const lao = pickLao('no-voucher', (l) => l.style.lists.vouchers);
    if (!lao) continue;
    const v = r.pick(lao.vendors.filter((x) => x.category !== 'hired'));
    const run = r.pick(runsOf(lao).vendor);
    const t = plan.vendorPayment(run, v, plan.vendorAmountSatang(v), { voucher: false });
    if (t.voucherNo && r.chance(0.5)) t.voucherNo = `${r.int(5_000, 9_999)}/${Number(month.slice(0, 4)) + 543}`;
    event('no-voucher', t.voucherNo ? 'reference-not-approved' : 'no-reference-no-voucher', lao, [t], 'paid with no approved voucher');
  }

  // welfare-anomaly: an amount no tier has; invented people with a bad ID on the list, paid; one account for several
  // people; one citizen ID paid the allowance by two LAOs in the month.
  for (let k = count('welfare-off-tier'); k > 0; k--) {
    const lao = pickLao('welfare-off-tier', withAllowances);
    if (!lao) continue;
    const t = r.pick(runsOf(lao).allowance!.transfers.filter((x) => x.events.length === 0 && x.beneficiary?.allowance === 'elderly' && x.status === 'success'));
    if (!t) continue;
    t.amountSatang = r.pick(OFF_TIER_BAHT) * 100;
    if (t.voucher) t.voucher.amountSatang = t.amountSatang;
    event('welfare-anomaly', 'amount-off-tier', lao, [t], `${t.amountSatang / 100} baht is no allowance tier times months`);
  }
  for (let k = count('welfare-invalid-id'); k > 0; k--) {
    const lao = pickLao('welfare-invalid-id', (l) => withAllowances(l) && l.style.lists.beneficiaries);
    if (!lao) continue;
    const bank = r.pick(['034', '030', '006'] as const);
    const b: Beneficiary = { key: ctx.nextKey(), name: { form: 'person', ...personName(r, ctx.used, true) }, bank, account: accountFor(r, bank), id: badCheckDigitId(r), allowance: 'elderly', monthlyBaht: r.pick([600, 700, 800] as const), startMonth: month, endMonth: null, backpayMonths: 1 };
    book.beneficiaries.get(lao.idx)!.push({ party: b, name: writeBusiness(b.name, 0), id: b.id!, allowance: 'elderly', monthlyBaht: b.monthlyBaht, bank: b.bank, account: b.account, badId: true });
    book.register(lao, b, addDays(`${month}-01`, -r.int(5, 40)), { id: null });
    const run = runsOf(lao).allowance!;
    const t = plan.allowance(run, b, run.transfers[0]!.voucherNo!, b.monthlyBaht * 100, { payeeId: lao.style.writesIdsOnAllowances ? b.id : null });
    event('welfare-anomaly', 'invalid-citizen-id', lao, [t], 'an invented beneficiary: the list\'s citizen ID fails its check digit, and the person is paid');
  }
  for (let k = count('welfare-shared-account'); k > 0; k--) {
    const lao = pickLao('welfare-shared-account', (l) => withAllowances(l) && l.beneficiaries.length > 10);
    if (!lao) continue;
    const pool = runsOf(lao).allowance!.transfers.filter((x) => x.events.length === 0 && x.status === 'success');
    const picked = shuffled(pool).slice(0, r.int(2, 4));
    const collector: Party = r.chance(0.6) ? outsider() : picked[0]!.accountOf;
    for (const t of picked) { t.accountOf = collector; if (t.voucher) { t.voucher.bank = null; t.voucher.account = null; } }
    event('welfare-anomaly', 'one-account-several-beneficiaries', lao, picked, `${picked.length} people's allowances into one account`);
  }
  for (let k = count('welfare-two-laos'); k > 0; k--) {
    const a = pickLao('welfare-two-laos-a', (l) => withAllowances(l) && idsVisible(l));
    const b = a && pickLao('welfare-two-laos-b', (l) => l !== a && withAllowances(l) && idsVisible(l));
    if (!a || !b) continue;
    // The first LAO's payment must show the ID: on the line, or through its beneficiary list (a row left off hides it).
    const listed = new Set((book.beneficiaries.get(a.idx) ?? []).filter(() => a.style.lists.beneficiaries).map((x) => x.party.key));
    const first = r.pick(runsOf(a).allowance!.transfers.filter((x) => x.events.length === 0 && x.status === 'success' && x.beneficiary?.allowance === 'elderly' && (a.style.writesIdsOnAllowances || listed.has(x.beneficiary.key))));
    if (!first) continue;
    const person = first.beneficiary!;
    const into = r.chance(0.5) ? person : outsider(person.bank);
    if (b.style.lists.beneficiaries) book.beneficiaries.get(b.idx)!.push({ party: person, name: writeBusiness(person.name, 0), id: person.id!, allowance: 'elderly', monthlyBaht: person.monthlyBaht, bank: into.bank, account: into.account });
    book.register(b, into === person ? person : { ...person, key: person.key, bank: into.bank, account: into.account }, addDays(`${month}-01`, -r.int(10, 200)), { bank: into.bank, account: into.account });
    const run = runsOf(b).allowance!;
    const second = plan.allowance(run, person, run.transfers[0]!.voucherNo!, person.monthlyBaht * 100, { accountOf: into, payeeId: b.style.writesIdsOnAllowances ? person.id : null });
    event('welfare-anomaly', 'same-citizen-two-laos', b, [first, second], `one citizen ID paid the allowance by ${a.entry.laoCode} and ${b.entry.laoCode} in ${month}`);
  }

  // account-many-names: two supplier names on one account, in one LAO or in two.
  for (let k = count('names-within-lao'); k > 0; k--) {
    const lao = pickLao('names-within-lao', (l) => l.vendors.length > 5);
    if (!lao) continue;
    const v = r.pick(lao.vendors.filter((x) => x.category !== 'hired'));
    const shell: Vendor = { ...company(lao, 'materials'), bank: v.bank, account: v.account };
    if (lao.style.lists.payees) book.register(lao, shell, addDays(`${month}-01`, -r.int(20, 400)));
    const ts = [plan.vendorPayment(r.pick(runsOf(lao).vendor), shell, plan.vendorAmountSatang(v))];
    const own = cleanVendorPayments(lao).filter((t) => t.accountOf === v);
    ts.push(...(own.length > 0 ? own : [plan.vendorPayment(r.pick(runsOf(lao).vendor), v)]));
    event('account-many-names', 'two-suppliers-one-account', lao, ts, 'one account paid under two suppliers\' names in one LAO');
  }
  for (let k = count('names-across-laos'); k > 0; k--) {
    const a = pickLao('names-across-a', () => true)!, b = pickLao('names-across-b', (l) => l !== a && l.province.code === a.province.code) ?? pickLao('names-across-b', (l) => l !== a);
    if (!b) continue;
    const s1 = company(a, 'materials'), s2: Vendor = { ...company(b, 'contractor'), bank: s1.bank, account: s1.account };
    book.register(a, s1, addDays(`${month}-01`, -r.int(20, 400)));
    book.register(b, s2, addDays(`${month}-01`, -r.int(20, 400)));
    const ts = [plan.vendorPayment(r.pick(runsOf(a).vendor), s1, r.int(20, 90) * 100_000), plan.vendorPayment(r.pick(runsOf(b).vendor), s2, r.int(20, 90) * 100_000)];
    event('account-many-names', 'one-account-two-laos', b, ts, `one account paid under different names by ${a.entry.laoCode} and ${b.entry.laoCode}`);
  }
  return events;
}

/**
 * Hard negatives that must stay quiet, on top of what clean months hold anyway (salaries, equal utility bills,
 * contractors paid in instalments, failed transfers paid again, bulk lines and their report lines, spellings):
 * a supplier paid the same amount twice on two distinct vouchers, a new supplier's small first payment, and an
 * elderly person who moved and is paid by the new LAO from the month after the old one stopped.
 */
export function injectHardNegatives(ctx: InjectionContext, m: number, moves: boolean): void {
  const { r, plan, monthRuns, book, laos } = ctx;
  const month = plan.month(m);
  const runsOf = (lao: Lao): MonthRuns => monthRuns[lao.idx]![m]!;
  for (const lao of laos) {
    // The same amount on two vouchers (two deliveries at one price), where the vouchers tell them apart.
    if ((lao.style.writesVoucherRefs || lao.style.lists.vouchers) && r.chance(0.3) && runsOf(lao).vendor.length >= 2) {
      const v = r.pick(lao.vendors.filter((x) => x.category !== 'hired' && x.category !== 'contractor'));
      const runs = runsOf(lao).vendor;
      const a = plan.vendorPayment(runs[0]!, v);
      plan.vendorPayment(runs.at(-1)!, v, a.amountSatang);
    }
    // A supplier registered this month with a small first order.
    if (lao.style.lists.payees && r.chance(0.12)) {
      const bank = r.pick(['006', '004', '014'] as const);
      const v: Vendor = { key: ctx.nextKey(), name: businessName(r, ctx.used, 'office', lao.district.replace(/^เมือง/, '')), bank, account: accountFor(r, bank), id: thaiId(r, '0'), category: 'office', medianBaht: 3_000, sigma: 0.3, perYear: 4, regular: false, withholding: 0, registeredOn: addDays(`${month}-01`, -r.int(3, 20)) };
      book.register(lao, v, v.registeredOn);
      plan.vendorPayment(r.pick(runsOf(lao).vendor), v, r.int(800, 4_000) * 100);
    }
  }
  // Elderly people who moved: the old LAO paid them up to last month, the new one from this month.
  if (m === 0 || !moves) return;
  for (let k = Math.max(1, Math.round((laos.length / 120) * 5)); k > 0; k--) {
    const from = r.pick(laos.filter((l) => l.beneficiaries.length > 10 && (l.style.lists.beneficiaries || l.style.writesIdsOnAllowances)));
    const to = r.pick(laos.filter((l) => l !== from && runsOf(l).allowance && (l.style.lists.beneficiaries || l.style.writesIdsOnAllowances)));
    if (!from || !to) return;
    const b = from.beneficiaries.find((x) => x.allowance === 'elderly' && x.endMonth === null && x.startMonth < month);
    if (!b) continue;
    b.endMonth = month;
    // The old LAO's transfer of this month is withdrawn (it was planned before the move was known).
    const old = runsOf(from).allowance?.transfers.find((t) => t.beneficiary === b);
    if (old) plan.withdraw(old);
    const moved: Beneficiary = { ...b, startMonth: month, endMonth: null };
    to.beneficiaries.push(moved);
    book.beneficiaries.set(from.idx, (book.beneficiaries.get(from.idx) ?? []).filter((x) => x.party !== b));
    book.beneficiaries.get(to.idx)?.push({ party: moved, name: writeBusiness(moved.name, 0), id: moved.id!, allowance: 'elderly', monthlyBaht: moved.monthlyBaht, bank: moved.bank, account: moved.account });
    book.register(to, moved, addDays(`${month}-01`, -r.int(5, 25)));
    const run = runsOf(to).allowance!;
    plan.allowance(run, moved, run.transfers[0]!.voucherNo!);
  }
}
