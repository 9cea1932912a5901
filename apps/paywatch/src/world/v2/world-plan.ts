/**
 * The payments of the harder world before they are written to files: runs (one bulk batch each) of transfers, the
 * approved vouchers behind them, and the helpers events use to add their own. Clean months are planned here:
 * salaries on the LAO's pay day, allowances early in the month, utility bills, suppliers each on its own rhythm and
 * around its own typical amount, hired workers monthly, and now and then a transfer that fails and is paid again.
 */
import { addDays, fiscalYear, THAI_MONTHS_SHORT } from '@paywatch/domain';
import type { WorldRandom } from '../world-random.ts';
import { addMonths, dayOf, isWorkingDay, workingDayBefore, workingDayFrom, workingDays } from './world-calendar.ts';
import { writeBusiness } from './thai-names.ts';
import type { Beneficiary, Lao, Party, Run, Transfer, TransferKind, Vendor, VendorCategory, VoucherRow } from './world-types.ts';

const THAI_MONTHS_FULL = ['มกราคม', 'กุมภาพันธ์', 'มีนาคม', 'เมษายน', 'พฤษภาคม', 'มิถุนายน', 'กรกฎาคม', 'สิงหาคม', 'กันยายน', 'ตุลาคม', 'พฤศจิกายน', 'ธันวาคม'] as const;

const BUDGET_ITEM: Record<VendorCategory, string> = {
  fuel: 'ค่าวัสดุเชื้อเพลิงและหล่อลื่น', office: 'ค่าวัสดุสำนักงาน', materials: 'ค่าวัสดุก่อสร้าง', contractor: 'ค่าที่ดินและสิ่งก่อสร้าง', milk: 'ค่าอาหารเสริม (นม)',
  it: 'ค่าครุภัณฑ์คอมพิวเตอร์', repair: 'ค่าบำรุงรักษาและซ่อมแซม', catering: 'ค่ารับรอง', waste: 'ค่าจ้างเหมาบริการ', printing: 'ค่าจ้างเหมาบริการ',
  hired: 'ค่าจ้างเหมาบริการ', casual: 'ค่าจ้างเหมาบริการ',
};
const REMARK_WORD: Record<VendorCategory, string> = {
  fuel: 'ค่าน้ำมันเชื้อเพลิง', office: 'ค่าวัสดุสำนักงาน', materials: 'ค่าวัสดุก่อสร้าง', contractor: 'ค่าจ้างเหมาก่อสร้าง', milk: 'ค่าอาหารเสริม (นม)', it: 'ค่าวัสดุคอมพิวเตอร์',
  repair: 'ค่าซ่อมแซม', catering: 'ค่าอาหาร', waste: 'ค่าจ้างเหมาเก็บขยะ', printing: 'ค่าจ้างทำป้าย', hired: 'ค่าจ้างเหมาบริการ', casual: 'ค่าจ้างเหมาแรงงาน',
};
/** Amounts with satang (fuel by the litre, goods with VAT); the rest in whole baht. */
const WITH_SATANG = new Set<VendorCategory>(['fuel', 'office', 'materials', 'catering', 'repair']);

/** The month's payments and vouchers of every LAO. */
export class WorldPlan {
  readonly runs: Run[] = [];
  readonly transfers: Transfer[] = [];
  readonly vouchers: VoucherRow[] = [];
  /** Transfers per LAO, in the order they were planned. */
  readonly byLao: Transfer[][];
  private seq = 0;
  private readonly voucherSeq = new Map<string, number>();
  constructor(readonly r: WorldRandom, readonly laos: readonly Lao[], readonly months: readonly string[]) { this.byLao = laos.map(() => []); }

  /** Takes a planned transfer back out (it never reaches a file). */
  withdraw(t: Transfer): void {
    t.run.transfers.splice(t.run.transfers.indexOf(t), 1);
    this.transfers.splice(this.transfers.indexOf(t), 1);
    this.byLao[t.lao]!.splice(this.byLao[t.lao]!.indexOf(t), 1);
    if (t.voucher) this.vouchers.splice(this.vouchers.indexOf(t.voucher), 1);
  }

  /** `YYYY-MM` of a month index. */
  month(m: number): string { return this.months[m]!; }

  /** A new run (a bulk batch) of an LAO. */
  run(lao: Lao, m: number, date: string, kind: Run['kind'], maker = this.r.pick(lao.style.makers)): Run {
    const run: Run = { lao: lao.idx, month: m, date, kind, transfers: [], maker };
    this.runs.push(run);
    return run;
  }

  /** The next voucher number of the LAO in the fiscal year of `date`, in the LAO's own format. */
  voucherNo(lao: Lao, date: string): string {
    const fy = fiscalYear(date), key = `${lao.idx}|${fy}`;
    const n = (this.voucherSeq.get(key) ?? 0) + 1;
    this.voucherSeq.set(key, n);
    const be = fy + 543, yy = String(be).slice(2);
    return [`${n}/${be}`, `ฎ.${n}/${yy}`, `PV${yy}-${String(n).padStart(5, '0')}`, `${yy}${String(n).padStart(5, '0')}`][lao.style.voucherFormat]!;
  }

  /** How the LAO writes a party's name on payment lines (the register and e-LAAS may spell it otherwise). */
  nameOn(lao: Lao, p: Party, variant = lao.style.nameVariant): string {
    return p.name.form === 'person' ? writeBusiness(p.name, lao.style.personVariant) : writeBusiness(p.name, variant);
  }

  /**
   * A transfer in `run`. Execution (for reports) is the run's: a batch executes at one time on its effective date
   * during office hours, approved by an authorizer who is not its maker some minutes before.
   */
  transfer(run: Run, f: { kind: TransferKind; nameOf: Party; accountOf?: Party; amountSatang: number; serviceType: string; recurring: boolean; voucherNo?: string | null; remark?: string | null; payeeName?: string; payeeId?: string | null; beneficiary?: Beneficiary }): Transfer {
    const lao = this.laos[run.lao]!;
    const first = run.transfers[0];
    const exec = first ? { ...first.exec, ss: Math.min(59, first.exec.ss + run.transfers.length) } : this.officeHours(lao, run);
    const t: Transfer = {
      seq: ++this.seq, lao: run.lao, month: run.month, date: run.date, kind: f.kind, nameOf: f.nameOf, accountOf: f.accountOf ?? f.nameOf,
      payeeName: f.payeeName ?? this.nameOn(lao, f.nameOf), payeeId: f.payeeId === undefined ? f.nameOf.id : f.payeeId,
      serviceType: f.serviceType, amountSatang: f.amountSatang, voucherNo: f.voucherNo ?? null, voucher: null, remark: f.remark ?? null, status: 'success',
      exec, recurring: f.recurring, ...(f.beneficiary ? { beneficiary: f.beneficiary } : {}), run, events: [], tolerated: [], rows: [],
    };
    run.transfers.push(t);
    this.transfers.push(t);
    this.byLao[run.lao]!.push(t);
    return t;
  }

  private officeHours(lao: Lao, run: Run): Transfer['exec'] {
    const hh = this.r.int(9, 15), mm = this.r.int(0, 59);
    const authorizer = this.r.pick(lao.style.authorizers.filter((a) => a !== run.maker));
    return { date: run.date, hh, mm, ss: this.r.int(0, 20), maker: run.maker, authorizer, approvedMinutesBefore: this.r.int(5, Math.max(6, (hh - 8) * 60 + mm)) };
  }

  /** The approved voucher behind a transfer: dated up to 3 days before it, the payee as e-LAAS spells it. */
  approve(t: Transfer, no: string, budgetItem: string, o: { withAccount?: boolean; date?: string } = {}): VoucherRow {
    const lao = this.laos[t.lao]!;
    const back = this.r.int(0, 3), vDate = o.date ?? (isWorkingDay(addDays(t.date, -back)) ? addDays(t.date, -back) : t.date);
    const withAccount = o.withAccount ?? this.r.chance(0.75);
    const v: VoucherRow = {
      lao: t.lao, no, date: vDate, payeeName: this.nameOn(lao, t.nameOf, lao.style.referenceFile.nameVariant + 1), payeeKey: t.nameOf.key, bank: withAccount ? t.accountOf.bank : null,
      account: withAccount ? t.accountOf.account : null, amountSatang: t.amountSatang, budgetItem,
    };
    this.vouchers.push(v);
    t.voucher = v;
    return v;
  }

  /** The service type the LAO uses for a supplier payment to this bank (direct 14 at KTB, or 04 for all). */
  procurementType(lao: Lao, bank: string): string { return lao.style.directServiceTypes && bank === '006' ? '14' : '04'; }
  salaryType(lao: Lao, bank: string): string { return lao.style.directServiceTypes && bank === '006' ? '02' : '01'; }

  /** A supplier's amount this time: log-normal around its own typical amount (no further out than 2.5 sd), net of withholding tax. */
  vendorAmountSatang(v: Vendor, factor = 1): number {
    const baht = v.sigma === 0 ? v.medianBaht : v.medianBaht * Math.exp(v.sigma * this.truncatedNormal(2.5)) * factor;
    const gross = WITH_SATANG.has(v.category) ? Math.round(baht * 100) : Math.round(baht) * 100;
    return Math.max(10_000, Math.round(gross * (1 - v.withholding)));
  }

  truncatedNormal(limit: number): number {
    for (;;) {
      const u = Math.max(this.r.float(), 1e-12), v = this.r.float();
      const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      if (Math.abs(z) <= limit) return z;
    }
  }

  /** A supplier payment (with its approved voucher) in a run. */
  vendorPayment(run: Run, v: Vendor, amountSatang = this.vendorAmountSatang(v), o: { voucher?: boolean; ref?: boolean } = {}): Transfer {
    const lao = this.laos[run.lao]!;
    const no = this.voucherNo(lao, run.date);
    const ref = o.ref ?? lao.style.writesVoucherRefs;
    const t = this.transfer(run, {
      kind: v.category === 'hired' ? 'hired' : 'vendor', nameOf: v, amountSatang, serviceType: this.procurementType(lao, v.bank), recurring: false,
      voucherNo: ref ? no : null, remark: this.vendorRemark(lao, v.category, no, run.date),
    });
    if (o.voucher ?? true) this.approve(t, no, BUDGET_ITEM[v.category]);
    return t;
  }

  vendorRemark(lao: Lao, category: VendorCategory, no: string, date: string): string | null {
    const m = Number(date.slice(5, 7)) - 1, yy = String(Number(date.slice(0, 4)) + 543).slice(2);
    return [null, REMARK_WORD[category], `ตามฎีกาเลขที่ ${no}`, `${REMARK_WORD[category]} ${THAI_MONTHS_SHORT[m]}${yy}`][lao.style.vendorRemark]!;
  }

  allowanceRemark(lao: Lao, b: Beneficiary, date: string): string | null {
    const m = Number(date.slice(5, 7)) - 1, be = Number(date.slice(0, 4)) + 543, yy = String(be).slice(2), mm = date.slice(5, 7);
    const elderly = b.allowance === 'elderly';
    return [
      `${elderly ? 'เบี้ยยังชีพผู้สูงอายุ' : b.allowance === 'aids' ? 'เบี้ยยังชีพผู้ป่วยเอดส์' : 'เบี้ยความพิการ'} ${THAI_MONTHS_SHORT[m]}${yy}`,
      elderly ? 'จ่ายเบี้ยผู้สูงอายุ' : 'จ่ายเบี้ยคนพิการ', 'ค่าเบี้ยยังชีพ', null, `เบี้ยยังชีพ เดือน${THAI_MONTHS_FULL[m]} ${be}`,
      `${elderly ? 'ผส' : 'พก'}.${mm}/${yy}`, `เงินสงเคราะห์เพื่อการยังชีพ ${yy}`,
    ][lao.style.welfareRemark]!;
  }

  /** An allowance payment of `monthsPaid` months to a beneficiary, in the LAO's allowance run. */
  allowance(run: Run, b: Beneficiary, voucherNo: string, amountSatang = b.monthlyBaht * 100, o: { payeeId?: string | null; accountOf?: Party } = {}): Transfer {
    const lao = this.laos[run.lao]!;
    const t = this.transfer(run, {
      kind: 'allowance', nameOf: b, ...(o.accountOf ? { accountOf: o.accountOf } : {}), amountSatang, serviceType: lao.style.welfareServiceType, recurring: true, voucherNo,
      remark: this.allowanceRemark(lao, b, run.date), payeeId: o.payeeId !== undefined ? o.payeeId : lao.style.writesIdsOnAllowances ? b.id : null, beneficiary: b,
    });
    this.approve(t, voucherNo, b.allowance === 'elderly' ? 'เบี้ยยังชีพผู้สูงอายุ' : b.allowance === 'aids' ? 'เบี้ยยังชีพผู้ป่วยเอดส์' : 'เบี้ยยังชีพความพิการ', { date: t.run.transfers[0]!.voucher?.date ?? undefined });
    return t;
  }
}

const activeIn = (month: string, p: { startMonth: string; endMonth: string | null }): boolean => p.startMonth <= month && (p.endMonth === null || month < p.endMonth);

/** The run dates of one LAO-month. */
export interface MonthRuns { salary: Run; allowance: Run | null; utility: Run; vendor: Run[] }

/**
 * Plans the clean months of every LAO. Suppliers' rhythms carry over from month to month (a phase per supplier),
 * contractors are often paid in two or three instalments a month or two apart, and a transfer the bank reports as
 * failed is paid again a few days later (only where the LAO uploads the bank's report, which shows the failure).
 */
export function planCleanMonths(plan: WorldPlan): MonthRuns[][] {
  const { r, laos, months } = plan;
  const out: MonthRuns[][] = laos.map(() => []);
  for (const lao of laos) {
    const phase = new Map(lao.vendors.map((v) => [v.key, r.float()] as const));
    const instalments = new Map<string, { month: number; amountSatang: number }[]>();
    const firstMonth = months[0]!;
    for (let m = 0; m < months.length; m++) {
      const month = months[m]!;
      const days = workingDays(month);
      const salary = plan.run(lao, m, workingDayBefore(dayOf(month, lao.style.salaryDay)), 'salary');
      const allowance = lao.beneficiaries.length ? plan.run(lao, m, workingDayFrom(dayOf(month, lao.style.allowanceDay)) ?? days.at(-1)!, 'allowance') : null;
      const utility = plan.run(lao, m, workingDayFrom(dayOf(month, lao.style.utilityDay)) ?? days.at(-1)!, 'utility');
      const runDays = [...new Set(Array.from({ length: lao.style.vendorRuns }, (_, k) => days[Math.min(days.length - 1, Math.floor(((k + r.float() * 0.8) * days.length) / lao.style.vendorRuns))]!))].sort();
      const vendorRuns = runDays.map((d) => plan.run(lao, m, d, 'vendor'));
      out[lao.idx]!.push({ salary, allowance, utility, vendor: vendorRuns });

      // Salaries: each in force this month, a 3 % rise every October.
      const raises = Math.max(0, months.slice(1, m + 1).filter((x) => x.endsWith('-10')).length);
      const payroll = plan.voucherNo(lao, salary.date);
      for (const s of lao.staff) {
        if (!activeIn(month, s)) continue;
        const baht = Math.round((s.salaryBaht * 1.03 ** raises) / 10) * 10;
        const t = plan.transfer(salary, { kind: 'salary', nameOf: s, amountSatang: baht * 100, serviceType: plan.salaryType(lao, s.bank), recurring: true, voucherNo: payroll, remark: salaryRemark(lao, month) });
        plan.approve(t, payroll, /นายก|สภา/.test(s.position) ? 'ค่าตอบแทนผู้บริหารและสมาชิกสภา' : 'เงินเดือน (ฝ่ายประจำ)', { date: salary.transfers[0]!.voucher?.date ?? undefined });
      }
      // Allowances: one voucher for the run; a newcomer's first payment covers the months they waited.
      if (allowance) {
        const no = plan.voucherNo(lao, allowance.date);
        for (const b of lao.beneficiaries) {
          if (!activeIn(month, b)) continue;
          const monthsPaid = b.startMonth === month && month > firstMonth ? b.backpayMonths : 1;
          plan.allowance(allowance, b, no, b.monthlyBaht * 100 * monthsPaid);
        }
      }
      // Utilities: a bill per meter, following the season (hot months cost more); fixed contracts the same each month.
      const mm = Number(month.slice(5, 7)), season = mm >= 3 && mm <= 5 ? 1.25 : mm >= 6 && mm <= 9 ? 1.05 : 0.9;
      for (const u of lao.utilities) {
        const satang = u.fixed ? u.baseBaht * 100 : Math.round(u.baseBaht * season * (0.85 + r.float() * 0.3) * 100);
        const no = plan.voucherNo(lao, utility.date);
        const t = plan.transfer(utility, { kind: 'utility', nameOf: u.party, amountSatang: satang, serviceType: u.serviceType, recurring: true, voucherNo: lao.style.writesVoucherRefs ? no : null, remark: null });
        plan.approve(t, no, u.serviceType === '11' ? 'ค่าไฟฟ้า' : u.serviceType === '12' ? 'ค่าน้ำประปา' : 'ค่าบริการสื่อสารและโทรคมนาคม');
      }
      // Suppliers.
      for (const v of lao.vendors) {
        const rate = v.perYear / 12;
        let count: number;
        if (v.regular) { const p = phase.get(v.key)!; count = Math.floor(p + rate * (m + 1)) - Math.floor(p + rate * m); }
        else count = r.chance(rate) ? 1 : 0;
        const due = instalments.get(v.key)?.filter((x) => x.month === m) ?? [];
        for (const d of due) plan.vendorPayment(r.pick(vendorRuns), v, d.amountSatang);
        for (let k = 0; k < count; k++) {
          const run = v.category === 'hired' ? vendorRuns.at(-1)! : v.regular ? vendorRuns[Math.min(vendorRuns.length - 1, Math.floor(((k + phase.get(v.key)!) * vendorRuns.length) / count))]! : r.pick(vendorRuns);
          const t = plan.vendorPayment(run, v);
          // A contract paid in instalments: the next ones a month or two later, about the same amount.
          if (v.category === 'contractor' && r.chance(0.4)) {
            const list = instalments.get(v.key) ?? [];
            for (let i = 1, at = m; i <= r.int(1, 2); i++) { at += r.int(1, 2); list.push({ month: at, amountSatang: Math.round(t.amountSatang * (0.9 + r.float() * 0.2)) }); }
            instalments.set(v.key, list);
          }
        }
      }
    }
  }
  return out;
}

/** Failed transfers and their second attempt, where the LAO uploads the report that shows the failure. */
export function planFailures(plan: WorldPlan, monthRuns: MonthRuns[][], rate = 0.004): void {
  const { r, laos } = plan;
  for (const lao of laos) {
    if (lao.style.uploads === 'bulk') continue;
    for (const mr of monthRuns[lao.idx]!) for (const run of [mr.salary, ...(mr.allowance ? [mr.allowance] : []), ...mr.vendor]) {
      for (const t of [...run.transfers]) {
        if (t.status !== 'success' || !r.chance(rate)) continue;
        const later = workingDayFrom(addDays(run.date, r.int(2, 5)));
        const again = later && later.slice(0, 7) === run.date.slice(0, 7) ? later : null;
        t.status = 'failed';
        if (!again) continue;
        const retry = plan.run(lao, run.month, again, 'retry');
        const u = plan.transfer(retry, { kind: t.kind, nameOf: t.nameOf, accountOf: t.accountOf, amountSatang: t.amountSatang, serviceType: t.serviceType, recurring: t.recurring, voucherNo: t.voucherNo, remark: t.remark, payeeName: t.payeeName, payeeId: t.payeeId, ...(t.beneficiary ? { beneficiary: t.beneficiary } : {}) });
        u.voucher = t.voucher;
      }
    }
  }
}

function salaryRemark(lao: Lao, month: string): string | null {
  const m = Number(month.slice(5, 7)) - 1, be = Number(month.slice(0, 4)) + 543;
  return [null, `เงินเดือน ${THAI_MONTHS_SHORT[m]}${String(be).slice(2)}`, 'เงินเดือนพนักงาน', `เงินเดือนประจำเดือน${THAI_MONTHS_FULL[m]} ${be}`][lao.style.salaryRemark]!;
}

export { addMonths, activeIn };
