// The harder world, checked from its files: re-parsed the way paywatch reads them, every labelled row must exist
// and be what its label says; the reference lists carry their defects; the history has the length asked for.
import { beforeAll, describe, expect, it } from 'vitest';
import { isOutflow, isValidThaiId, normaliseAccount, toBangkok, type PaymentRecord } from '@paywatch/domain';
import { parseFileAsync, parseReferenceFile, type ManifestEvent } from '@paywatch/ktb-formats';
import { normaliseThaiName, THAI_HOLIDAYS } from '@paywatch/rules';
import { generateHarderWorld, type HarderLabel, type HarderWorld } from '../../../src/world/v2/generate-harder-world.ts';

interface Parsed { records: Map<string, PaymentRecord & { file: string; row: number }>; manifests: Map<string, ManifestEvent>; rejects: number; refusals: number }

async function parseWorld(w: HarderWorld): Promise<Parsed> {
  const out: Parsed = { records: new Map(), manifests: new Map(), rejects: 0, refusals: 0 };
  for (const f of w.files) for await (const ev of parseFileAsync(f.bytes, { registry: w.registry })) {
    if (ev.kind === 'record') out.records.set(`${f.name}#${ev.row}`, { ...ev.record, file: f.name, row: ev.row });
    else if (ev.kind === 'reject') out.rejects++;
    else if (ev.kind === 'manifest') { out.manifests.set(f.name, ev); if (ev.refusal) out.refusals++; }
  }
  return out;
}

const acct = (r: Pick<PaymentRecord, 'payeeBankCode' | 'payeeAccount'>) => `${r.payeeBankCode}:${normaliseAccount(r.payeeBankCode, r.payeeAccount)}`;
const HOLIDAYS = new Set(THAI_HOLIDAYS.map((h) => h.date));
const TIER_MONTHS = new Set([600, 700, 800, 1_000].flatMap((t) => Array.from({ length: 12 }, (_, k) => t * (k + 1) * 100)));
const dayNo = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;

describe('harder world: files and labels', () => {
  let w: HarderWorld, p: Parsed;
  beforeAll(async () => {
    w = await generateHarderWorld({ seed: 11, laos: 30, historyMonths: 2, keepModel: true });
    p = await parseWorld(w);
  }, 120_000);

  /** The label's records, one per transfer: a transfer in a bulk file and its report line are one payment. */
  const recordsOf = (l: HarderLabel) => {
    const all = l.payments.filter((x) => x.row !== 1 || !x.file.endsWith('.txt')).map((x) => p.records.get(`${x.file}#${x.row}`)!);
    const bulk = all.filter((r) => r.sourceFormat === 'ktb-bulk');
    const reportOnly = all.filter((r) => r.sourceFormat === 'ktb-report' && !bulk.some((b) => b.laoCode === r.laoCode));
    return [...bulk, ...reportOnly];
  };
  const ofCase = (typology: string, kase?: string) => w.labels.filter((l) => l.month === w.targetMonth && !l.tolerated && l.typology === typology && (kase === undefined || l.case === kase));
  const earlierOf = (r: PaymentRecord & { file: string }, filter: (x: PaymentRecord) => boolean = () => true) =>
    [...p.records.values()].filter((x) => x.laoCode === r.laoCode && acct(x) === acct(r) && x.effectiveDate < r.effectiveDate && x.sourceFormat === r.sourceFormat && isOutflow(x.status) && filter(x));

  it('when every file is parsed, then each is accepted whole: no refusal, no rejected row', () => {
    expect(w.files.length).toBeGreaterThan(100);
    expect(p.refusals).toBe(0);
    expect(p.rejects).toBe(0);
  });

  it('when labels name rows, then every row exists (a bulk header as row 1, else a parsed record of the label\'s LAO or its partner)', () => {
    expect(w.labels.filter((l) => !l.tolerated && l.month === w.targetMonth).length).toBeGreaterThan(40);
    for (const l of w.labels) for (const x of l.payments) {
      if (x.row === 1 && x.file.endsWith('.txt')) expect(p.manifests.has(x.file)).toBe(true);
      else expect(p.records.has(`${x.file}#${x.row}`), `${l.id} ${x.file}#${x.row}`).toBe(true);
    }
  });

  it('when the world is made, then every typology of typologies.md has target-month events', () => {
    expect(new Set(w.labels.filter((l) => !l.tolerated && l.month === w.targetMonth).map((l) => l.typology))).toEqual(new Set([
      'payee-not-registered', 'account-many-names', 'staff-account', 'no-voucher', 'batch-padded', 'repeat-siphon', 'duplicate-payment', 'split-payment', 'near-threshold',
      'amount-outlier', 'new-payee-large', 'off-hours', 'self-approval', 'welfare-anomaly', 'benford', 'velocity-spike',
    ]));
  });

  const reportRowsOf = (l: HarderLabel) => l.payments.map((x) => p.records.get(`${x.file}#${x.row}`)).filter((r) => r?.sourceFormat === 'ktb-report');
  it('when an event is about execution, then its report rows were executed off hours or approved by their maker', () => {
    expect(new Set(ofCase('off-hours').map((l) => l.case))).toContain('night');
    for (const l of ofCase('off-hours')) {
      const rows = reportRowsOf(l);
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) { const b = toBangkok(r!.executedAt!); expect(b.hour < 7 || b.hour >= 19 || b.weekday === 0 || b.weekday === 6 || HOLIDAYS.has(b.date), l.id).toBe(true); }
    }
    for (const l of ofCase('self-approval')) { expect(reportRowsOf(l).length).toBeGreaterThan(0); for (const r of reportRowsOf(l)) expect(r!.makerId).toBe(r!.authorizerId); }
  });

  it('when an event is about amounts, then the amounts are what it says', () => {
    for (const l of ofCase('welfare-anomaly', 'amount-off-tier')) for (const r of recordsOf(l)) expect(TIER_MONTHS.has(r.amountSatang), l.id).toBe(false);
    for (const l of ofCase('near-threshold')) for (const r of recordsOf(l)) expect([10_000_000, 50_000_000].some((t) => r.amountSatang >= 0.9 * t && r.amountSatang < t), l.id).toBe(true);
    for (const l of ofCase('split-payment')) {
      const rs = recordsOf(l), threshold = l.case === 'under-100000' ? 10_000_000 : 50_000_000;
      expect(new Set(rs.map(acct)).size).toBe(1);
      expect(rs.every((r) => r.amountSatang < threshold) && rs.reduce((s, r) => s + r.amountSatang, 0) > threshold, l.id).toBe(true);
    }
    for (const l of ofCase('duplicate-payment')) {
      const rs = recordsOf(l);
      expect(rs.length).toBe(2);
      expect(acct(rs[0]!)).toBe(acct(rs[1]!));
      expect(rs[0]!.amountSatang).toBe(rs[1]!.amountSatang);
      expect(Math.abs(dayNo(rs[0]!.effectiveDate) - dayNo(rs[1]!.effectiveDate))).toBeLessThanOrEqual(30);
    }
    for (const l of ofCase('benford')) {
      const lead = recordsOf(l).map((r) => Number(String(r.amountSatang)[0]));
      expect(lead.length).toBeGreaterThanOrEqual(45);
      expect(lead.filter((d) => d >= 7).length / lead.length).toBeGreaterThan(0.18); // Benford gives 7–9 the lead 15 % of the time
    }
  });

  it('when an event is about history, then the account\'s history in the files is what it says', () => {
    for (const l of ofCase('amount-outlier').filter((x) => x.case.startsWith('vendor-'))) {
      const [r] = recordsOf(l);
      const before = earlierOf(r!).map((x) => x.amountSatang).sort((a, b) => a - b);
      expect(before.length, l.id).toBeGreaterThanOrEqual(3);
      expect(r!.amountSatang).toBeGreaterThanOrEqual(10 * before[Math.floor(before.length / 2)]!);
    }
    for (const l of ofCase('new-payee-large')) { const [r] = recordsOf(l); expect(earlierOf(r!), l.id).toEqual([]); }
    for (const l of ofCase('repeat-siphon')) {
      const rs = recordsOf(l);
      expect(rs.length).toBeGreaterThanOrEqual(8);
      expect(new Set(rs.map(acct)).size).toBe(1);
      const first = [...rs].sort((a, b) => (a.effectiveDate < b.effectiveDate ? -1 : 1))[0]!;
      expect(earlierOf(first, (x) => x.serviceType !== '01' && x.serviceType !== '02'), l.id).toEqual([]);
    }
  });

  it('when an event spans LAOs or names, then its rows show it', () => {
    for (const l of ofCase('welfare-anomaly', 'same-citizen-two-laos')) {
      const rs = recordsOf(l);
      expect(new Set(rs.map((r) => r.laoCode)).size, l.id).toBe(2);
      expect(new Set(rs.map((r) => r.effectiveDate.slice(0, 7))).size).toBe(1);
    }
    for (const l of ofCase('account-many-names')) {
      const rs = recordsOf(l);
      expect(new Set(rs.map(acct)).size, l.id).toBe(1);
      expect(new Set(rs.map((r) => normaliseThaiName(r.payeeName))).size, l.id).toBeGreaterThanOrEqual(2);
    }
  });

  it('when a batch event is labelled, then its header disagrees with its lines, or agrees while some lines have no voucher', () => {
    const padded = ofCase('batch-padded');
    expect(padded.length).toBeGreaterThan(0);
    for (const l of padded) {
      const file = l.payments.find((x) => x.row === 1)!.file;
      const m = p.manifests.get(file)!;
      const disagrees = m.header!.declaredCount !== m.rowsRead || m.header!.declaredTotalSatang !== m.totalSatang;
      expect(disagrees, l.id).toBe(l.case === 'header-disagrees');
    }
  });

  it('when reference lists are read, then their defects are there: unreadable rows, and beneficiaries with a bad check digit who are paid', async () => {
    const fields = new Map<string, number>();
    const badIdAccounts: string[] = [];
    for (const f of w.reference) {
      if (f.kind === 'registry') continue;
      const parsed = await parseReferenceFile(f.bytes, f.kind, f.path.includes('/') ? { laoCode: f.path.split('/')[0]! } : {});
      expect(parsed.refusal).toBeNull();
      // A beneficiary with a bad check digit is kept and flagged, never refused (an invented person is what welfare-anomaly looks for).
      for (const r of [...parsed.rejects, ...parsed.flagged]) {
        fields.set(`${f.kind}:${r.field}`, (fields.get(`${f.kind}:${r.field}`) ?? 0) + 1);
        if (f.kind === 'beneficiaries' && r.field === 'citizenId') badIdAccounts.push(r.raw);
      }
      expect(parsed.flagged.every((r) => f.kind === 'beneficiaries' && r.code === 'PW_ROW_REFERENCE_FLAGGED')).toBe(true);
    }
    // The rows refused are exactly the defects the world wrote, no more (a readable row refused would be a lost payee).
    const { book, laos } = w.model!;
    const listed = (kind: 'payees' | 'staff' | 'vouchers' | 'beneficiaries', lao: number) => laos[lao]!.style.lists[kind];
    const expected = new Map<string, number>();
    const add = (k: string, n: number) => { if (n > 0) expected.set(k, (expected.get(k) ?? 0) + n); };
    for (const [lao, rows] of book.payees) if (listed('payees', lao)) add('payees:bankCode', rows.filter((x) => x.defect === 'bad-bank' && !book.missingPayees.has(`${lao}|${x.party.key}`)).length);
    for (const [lao, rows] of book.staff) if (listed('staff', lao)) add('staff:bankCode', rows.filter((x) => x.defect === 'bad-bank').length);
    for (const [lao, rows] of book.beneficiaries) if (listed('beneficiaries', lao)) add('beneficiaries:citizenId', rows.filter((x) => x.badId).length);
    for (const v of book.vouchers) if (v.defect && listed('vouchers', v.lao)) add(v.defect === 'bad-date' ? 'vouchers:voucherDate' : 'vouchers:amountSatang', 1);
    expect(Object.fromEntries(fields)).toEqual(Object.fromEntries(expected));
    expect([...fields.keys()].some((k) => k.endsWith(':bankCode'))).toBe(true);
    expect([...fields.keys()].some((k) => k.startsWith('vouchers:'))).toBe(true);
    // Every invented beneficiary's payment goes to the account on their list row, whose ID fails its check digit.
    const invented = ofCase('welfare-anomaly', 'invalid-citizen-id');
    expect(invented.length).toBeGreaterThan(0);
    for (const l of invented) {
      const [r] = recordsOf(l);
      expect(badIdAccounts.some((raw) => raw.replace(/-/g, '').includes(r!.payeeAccount)), l.id).toBe(true);
      if (r!.payeeId) expect(isValidThaiId(r!.payeeId)).toBe(false);
    }
    expect(w.reference.some((f) => f.path.endsWith('.xlsx'))).toBe(true);
    expect(w.reference.some((f) => f.path.endsWith('.csv') && f.kind !== 'registry')).toBe(true);
  });

  it('when files come in upload order, then their names sort that way, month by month', () => {
    const names = w.files.map((f) => f.name);
    expect(names).toEqual([...names].sort());
    expect(w.files.map((f) => f.month)).toEqual([...w.files.map((f) => f.month)].sort((a, b) => a - b));
    expect(new Set(w.files.map((f) => f.kind))).toEqual(new Set(['bulk', 'report']));
    expect(new Set(w.files.map((f) => f.name.split('.').pop()))).toEqual(new Set(['txt', 'csv', 'xlsx']));
  });
});

describe('harder world: options', () => {
  it('when generated twice with one seed, then every file, reference file and label is identical; another seed differs', async () => {
    const a = await generateHarderWorld({ seed: 5, laos: 8, historyMonths: 1 });
    const b = await generateHarderWorld({ seed: 5, laos: 8, historyMonths: 1 });
    const bytes = (x: HarderWorld) => [...x.files, ...x.reference].map((f) => `${'name' in f ? f.name : f.path}:${Buffer.from(f.bytes).toString('base64')}`);
    expect(bytes(a)).toEqual(bytes(b));
    expect(a.labels).toEqual(b.labels);
    expect(bytes(await generateHarderWorld({ seed: 6, laos: 8, historyMonths: 1 }))).not.toEqual(bytes(a));
  }, 60_000);

  it('when there is no history, then every file and label is of the target month; with 2 months, files span 3 months', async () => {
    const none = await generateHarderWorld({ seed: 3, laos: 8, historyMonths: 0, targetMonth: '2026-06' });
    expect(none.months).toEqual(['2026-06']);
    expect(new Set(none.files.map((f) => f.date.slice(0, 7)))).toEqual(new Set(['2026-06']));
    expect(new Set(none.labels.map((l) => l.month))).toEqual(new Set(['2026-06']));
    expect(none.historyPayments).toBe(0);
    const two = await generateHarderWorld({ seed: 3, laos: 8, historyMonths: 2, targetMonth: '2026-06' });
    expect(new Set(two.files.map((f) => f.date.slice(0, 7)))).toEqual(new Set(['2026-04', '2026-05', '2026-06']));
    // The history is clean unless asked: no injected event (derived and tolerated cases may be there).
    expect(two.labels.filter((l) => l.month !== '2026-06' && !l.derived)).toEqual([]);
    const noisy = await generateHarderWorld({ seed: 3, laos: 8, historyMonths: 2, targetMonth: '2026-06', eventsInHistory: true });
    expect(noisy.labels.some((l) => l.month === '2026-05' && !l.derived)).toBe(true);
  }, 60_000);

  it('when LAOs are of every type, then a PAO or a city pays far more than an SAO', async () => {
    const w = await generateHarderWorld({ seed: 2, laos: 45, historyMonths: 0 });
    const types = new Map(w.registry.map((e) => [e.laoCode, e.type] as const));
    expect(new Set(types.values())).toEqual(new Set(['pao', 'city-municipality', 'town-municipality', 'subdistrict-municipality', 'sao']));
    const rows = new Map<string, number>(), satang = new Map<string, number>();
    for (const f of w.files) {
      if (f.kind === 'report' && w.files.some((g) => g.kind === 'bulk' && g.laoCode === f.laoCode)) continue; // one transfer, two files
      for await (const ev of parseFileAsync(f.bytes, { registry: w.registry })) if (ev.kind === 'record') {
        rows.set(f.laoCode, (rows.get(f.laoCode) ?? 0) + 1);
        satang.set(f.laoCode, (satang.get(f.laoCode) ?? 0) + ev.record.amountSatang);
      }
    }
    const perLao = (m: Map<string, number>, type: string) => { const ls = w.registry.filter((e) => e.type === type); return ls.reduce((s, e) => s + (m.get(e.laoCode) ?? 0), 0) / ls.length; };
    // A city pays many more people; a PAO pays fewer lines (no allowances) but far more money.
    expect(perLao(rows, 'city-municipality')).toBeGreaterThan(4 * perLao(rows, 'sao'));
    expect(perLao(satang, 'city-municipality')).toBeGreaterThan(4 * perLao(satang, 'sao'));
    expect(perLao(satang, 'pao')).toBeGreaterThan(3 * perLao(satang, 'sao'));
  }, 60_000);
});
