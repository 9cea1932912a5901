/**
 * Writes the harder world's payments as the files LAOs upload: a KTB bulk file per run, and the bank's transfer
 * report — per execution day where the LAO uploads both (so a failure is known before the retry's file), or for
 * the month where it uploads only reports — as CSV (some with title lines above the header) or XLSX, in each LAO's
 * encoding, headers and era. Every transfer learns its rows; a bulk line and its report line are one transfer.
 * Files come in upload order: by date, bulk files before the day's report.
 */
import { bangkokWallClockToUtc, type PaymentRecord } from '@paywatch/domain';
import { decodeBytes, encodeText, renderKtbBulk, renderKtbReportCsv, renderKtbReportXlsx, type KtbBulkDetailSpec } from '@paywatch/ktb-formats';
import { daysInMonth } from './world-calendar.ts';
import { fixedXlsx } from './fixed-xlsx.ts';
import { writeBusiness } from './thai-names.ts';
import type { Lao, Run, Transfer } from './world-types.ts';

/** One uploaded file. */
export interface HarderWorldFile { name: string; laoCode: string; month: number; date: string; kind: 'bulk' | 'report'; bytes: Uint8Array }

const bulkDetail = (lao: Lao, t: Transfer): KtbBulkDetailSpec => ({
  payeeBankCode: t.accountOf.bank, payeeAccount: t.accountOf.account, debitAccount: lao.entry.accounts[0]!, effectiveDate: t.date, serviceType: t.serviceType,
  amountSatang: t.amountSatang, payeeName: t.payeeName, payeeId: t.payeeId, remark: t.remark, voucherNo: t.voucherNo,
});

/**
 * The receiver name the bank's report shows: the line's own, except for one supplier in five, whose account name the
 * bank holds in another spelling (with or without its legal form): the same name after normalisation.
 */
function reportName(t: Transfer): string {
  const n = t.nameOf.name, k = Number(t.nameOf.key.slice(1));
  return n.form === 'person' || k % 5 !== 0 ? t.payeeName : writeBusiness(n, k + 2);
}

const executedAt = (t: Transfer): string => bangkokWallClockToUtc(t.exec.date, t.exec.hh, t.exec.mm, t.exec.ss);

function reportRecord(lao: Lao, t: Transfer, ref: string): PaymentRecord {
  const at = Date.parse(executedAt(t));
  return {
    sourceFormat: 'ktb-report', laoCode: lao.entry.laoCode, companyId: lao.entry.companyIds[0]!, debitAccount: lao.entry.accounts[0]!,
    payeeBankCode: t.accountOf.bank, payeeAccount: t.accountOf.account, payeeName: reportName(t), payeeId: t.payeeId, amountSatang: t.amountSatang,
    feeSatang: t.accountOf.bank === '006' ? 0 : 1_000, effectiveDate: t.date, executedAt: new Date(at).toISOString(),
    approvedAt: new Date(at - t.exec.approvedMinutesBefore * 60_000).toISOString(), serviceType: t.serviceType, voucherNo: t.voucherNo,
    bankReference: ref, batchNo: null, makerId: t.exec.maker, authorizerId: t.exec.authorizer, status: t.status, remark: t.remark, extra: {},
  };
}

const compactDate = (d: string): string => d.replace(/-/g, '');

/** Renders every run and report; returns the files in upload order. */
export async function renderPaymentFiles(laos: readonly Lao[], runs: readonly Run[], months: readonly string[]): Promise<HarderWorldFile[]> {
  const files: HarderWorldFile[] = [];
  const byLao = new Map<number, Run[]>();
  for (const run of runs) if (run.transfers.length > 0) { const l = byLao.get(run.lao); if (l) l.push(run); else byLao.set(run.lao, [run]); }
  for (const lao of laos) {
    const own = (byLao.get(lao.idx) ?? []).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const code = lao.entry.laoCode, st = lao.style;
    let batchNo = 0;
    if (st.uploads !== 'report') {
      const perDay = new Map<string, number>();
      for (const run of own) {
        const n = (perDay.get(run.date) ?? 0) + 1;
        perDay.set(run.date, n);
        const name = `${compactDate(run.date)}-${code}-${String(n).padStart(2, '0')}-bulk.txt`;
        const details = run.transfers.map((t) => bulkDetail(lao, t));
        const total = details.reduce((s, d) => s + d.amountSatang, 0);
        const header = {
          batchNo: String(++batchNo).padStart(6, '0'), effectiveDate: run.date, companyId: lao.entry.companyIds[0]!, userId: run.maker,
          ...(run.header ? { detailCount: details.length + run.header.countDelta, totalSatang: total + run.header.totalDeltaSatang } : {}),
        };
        files.push({ name, laoCode: code, month: run.month, date: run.date, kind: 'bulk', bytes: renderKtbBulk({ header, details }, st.bulk) });
        run.file = name;
        run.transfers.forEach((t, i) => t.rows.push({ file: name, row: i + 2 }));
      }
    }
    if (st.uploads === 'bulk') continue;
    // Reports list what the bank executed, in execution order.
    const transfers = own.flatMap((run) => run.transfers);
    const groups = new Map<string, Transfer[]>();
    for (const t of transfers) {
      const key = st.uploads === 'bulk+report' ? t.exec.date : months[t.month]!;
      const g = groups.get(key); if (g) g.push(t); else groups.set(key, [t]);
    }
    let refSeq = 0;
    for (const [key, list] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      list.sort((a, b) => executedAt(a).localeCompare(executedAt(b)) || a.seq - b.seq);
      const date = key.length === 7 ? `${key}-${String(daysInMonth(key)).padStart(2, '0')}` : key;
      const records = list.map((t) => reportRecord(lao, t, `${code.slice(-4)}${compactDate(t.exec.date).slice(2)}${String(++refSeq).padStart(6, '0')}`));
      let bytes: Uint8Array, first = 2, ext = 'csv';
      if (st.reportXlsx) {
        bytes = fixedXlsx(await renderKtbReportXlsx(records, { thaiHeaders: st.report.thaiHeaders, beYears: st.report.beYears, splitDateTime: st.report.splitDateTime }), date);
        ext = 'xlsx';
      } else {
        bytes = renderKtbReportCsv(records, { encoding: 'utf-8', delimiter: st.report.delimiter, thaiHeaders: st.report.thaiHeaders, beYears: st.report.beYears, splitDateTime: st.report.splitDateTime });
        let text = decodeBytes(bytes).text;
        if (st.report.preamble) {
          // The export's title lines above the header row.
          const period = key.length === 7 ? `${key.slice(5)}/${Number(key.slice(0, 4)) + 543}` : key.split('-').reverse().join('/');
          text = `${st.report.thaiHeaders ? 'รายงานผลการโอนเงิน KTB Corporate Online' : 'KTB Corporate Online Transfer Report'}\r\n${st.report.thaiHeaders ? 'ประจำวันที่' : 'Period'} ${period}\r\n${text}`;
          first += 2;
        }
        bytes = encodeText(text, st.report.encoding);
      }
      const name = `${compactDate(date)}-${code}-99-report.${ext}`;
      files.push({ name, laoCode: code, month: list[0]!.month, date, kind: 'report', bytes });
      list.forEach((t, k) => t.rows.push({ file: name, row: k + first }));
    }
  }
  return files.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
