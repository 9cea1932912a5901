import { describe, expect, it } from 'vitest';
import { html, raw, escapeHtml, jsonForScript } from '../src/html.ts';
import { formatBaht, formatThaiDate, neutraliseCsvCell, toCsv } from '../src/format.ts';
import { alertPage } from '../src/pages.ts';
import { chartFor, describeChart, payeeHistoryChart, paymentTimeline } from '../src/charts.ts';
import type { AlertDetail } from '../src/types.ts';
import { parsePrometheusText, sumOf } from '../src/upstream.ts';

describe('html', () => {
  it('escapes every interpolation unless wrapped in raw()', () => {
    const evil = '<script>alert("x")</script>';
    expect(html`<p>${evil}</p>`.value).toBe('<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>');
    expect(html`<p title="${`a" onmouseover="x`}">${raw('<b>ok</b>')}</p>`.value).toBe('<p title="a&quot; onmouseover=&quot;x"><b>ok</b></p>');
    expect(html`<ul>${['<a>', 'b'].map((x) => html`<li>${x}</li>`)}</ul>`.value).toBe('<ul><li>&lt;a&gt;</li><li>b</li></ul>');
    expect(html`${null}${undefined}${false}${0}`.value).toBe('0');
    expect(escapeHtml(`'&\``)).toBe('&#39;&amp;&#96;');
  });

  it('keeps JSON data blocks from closing their script element', () => {
    expect(jsonForScript({ t: '</script><script>x()</script>' }).value).not.toContain('</script>');
    expect(JSON.parse(jsonForScript({ t: '</script>&' }).value)).toEqual({ t: '</script>&' });
  });

  it('escapes a <script> injected into an alert reason, payee name and comment', () => {
    const evil = '<script>document.title="pwned"</script>';
    const d: AlertDetail = {
      alert: {
        alertId: 'al_000000000000000000000001', laoCode: '6600101', laoName: evil, provinceCode: '66', district: null, severity: 'high', ruleIds: ['split-payment'],
        amountSatang: 17_450_000, occurredOn: '2026-10-07', status: 'new', firstSeenAt: '2026-11-22T01:00:00Z', lastSeenAt: '2026-11-22T01:00:00Z',
        assignee: null, disposition: null, resolutionReason: null, resolvedAt: null,
        payload: {
          reasons: { th: evil, en: evil },
          findings: [{ ruleId: 'split-payment', severity: 'high', reasons: { th: `แบ่งจ่าย ${evil}`, en: evil }, payments: [{ recordId: 'r', file: 'f.txt', row: 3 }],
            evidence: { sumSatang: 17_450_000, thresholdSatang: 10_000_000, note: evil, paymentDetails: [{ row: 3, file: 'f.txt', payeeName: evil, amountSatang: 100, payeeAccountMasked: '******7177' }] } }],
        },
      },
      comments: [{ id: 1, author: 'auditor-66', text: evil, createdAt: '2026-11-22T01:00:00Z' }],
    };
    const out = alertPage({ lang: 'th', viewer: { sub: 'auditor-66', role: 'provincial-auditor' }, csrf: 'tok"en', path: '/alerts/x' }, d, [{ seq: 1, at: '2026-11-22T01:00:00Z', actor: evil, action: 'comment', payload: { text: evil } }], true);
    expect(out).not.toContain('<script>document');
    expect(out).toContain('แบ่งจ่าย &lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;');
    expect(out).toContain('value="tok&quot;en"');
    expect(out).toContain('******7177');
    expect(out).toContain('174,500.00 บาท');
  });

  it('charts the split-payment sum against its threshold and the outlier against the median', () => {
    const split = chartFor({ ruleId: 'split-payment', severity: 'medium', reasons: { th: '', en: '' }, payments: [], evidence: { sumSatang: 17_450_000, thresholdSatang: 10_000_000 } }, 'th');
    expect(split?.datasets[0]?.data).toEqual([174_500, 100_000]);
    // With the payments' amounts, the sum bar is made of the parts, stacked, next to the threshold.
    const parts = chartFor({ ruleId: 'split-payment', severity: 'medium', reasons: { th: '', en: '' }, payments: [], evidence: { sumSatang: 17_450_000, thresholdSatang: 10_000_000,
      paymentDetails: [{ row: 4, file: 'f', amountSatang: 9_950_000, effectiveDate: '2026-10-05' }, { row: 9, file: 'f', amountSatang: 7_500_000, effectiveDate: '2026-10-07' }] } }, 'th');
    expect(parts?.stacked).toBe(true);
    expect(parts?.datasets.map((d) => [d.label, d.data])).toEqual([['รายการ 1 (5 ต.ค. 2569)', [99_500, null]], ['รายการ 2 (7 ต.ค. 2569)', [75_000, null]], ['วงเงิน', [null, 100_000]]]);
    expect(describeChart(parts!)).toBe('ยอดรวมของรายการที่แบ่งจ่าย เทียบกับวงเงิน: รายการ 1 (5 ต.ค. 2569): ยอดรวม 99,500; รายการ 2 (7 ต.ค. 2569): ยอดรวม 75,000; วงเงิน: วงเงิน 100,000');
    const outlier = chartFor({ ruleId: 'amount-outlier', severity: 'medium', reasons: { th: '', en: '' }, payments: [], evidence: { amountSatang: 98_500_000, lao: { medianSatang: 2_524_000 } } }, 'en');
    expect(outlier?.labels).toEqual(['Amount', 'Median']);
    expect(chartFor({ ruleId: 'duplicate-payment', severity: 'high', reasons: { th: '', en: '' }, payments: [], evidence: {} }, 'th')).toBeNull();
  });

  it('when amounts span orders of magnitude, then the amount axis is logarithmic and titled in baht; close amounts, zeros and stacked parts stay linear', async () => {
    const { amountScale } = await import('../src/charts.ts');
    // The demo's critical alert: 985,000 baht against the rule's median of 25,240 baht (top-level medianSatang, as amount-outlier 2.0.0 writes it).
    const outlier = chartFor({ ruleId: 'amount-outlier', severity: 'high', reasons: { th: '', en: '' }, payments: [], evidence: { amountSatang: 98_500_000, medianSatang: 2_524_000 } }, 'th')!;
    expect(outlier.datasets[0]!.data).toEqual([985_000, 25_240]);
    expect([outlier.yScale, outlier.yTitle]).toEqual(['logarithmic', 'บาท (มาตราส่วนลอการิทึม)']);
    const near = chartFor({ ruleId: 'near-threshold', severity: 'medium', reasons: { th: '', en: '' }, payments: [], evidence: { amountSatang: 49_800_000, thresholdSatang: 50_000_000 } }, 'en')!;
    expect([near.yScale, near.yTitle]).toEqual(['linear', 'baht']);
    expect(amountScale([100, 999])).toBe('linear');
    expect(amountScale([100, 1_000])).toBe('logarithmic');
    expect(amountScale([0, 1_000_000])).toBe('linear');
    expect(amountScale([1, 1_000_000], true)).toBe('linear');
    expect(amountScale([null, 5, 700_000])).toBe('logarithmic');
    const timeline = paymentTimeline([{ row: 1, file: 'f', amountSatang: 70_000, effectiveDate: '2026-10-01' }, { row: 2, file: 'f', amountSatang: 98_500_000, effectiveDate: '2026-10-20' }], '2026-10-20', 'th')!;
    expect([timeline.yScale, timeline.xTitle]).toEqual(['logarithmic', 'วันที่จ่าย (พ.ศ.) และแถวในไฟล์']);
  });

  it('when benford fired, then the first-digit shares are bars in percent against the expected shares as a line; without nine digits, no chart', () => {
    const expected = [0.301, 0.1761, 0.1249, 0.0969, 0.0792, 0.0669, 0.058, 0.0512, 0.0458];
    const observed = [0.12, 0.1, 0.1, 0.1, 0.2, 0.1, 0.1, 0.1, 0.08];
    const shares = expected.map((x, i) => ({ digit: i + 1, observed: observed[i], expected: x }));
    const c = chartFor({ ruleId: 'benford', severity: 'medium', reasons: { th: '', en: '' }, payments: [], evidence: { firstDigitShares: shares } }, 'th')!;
    expect(c.labels).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(c.datasets[0]).toMatchObject({ label: 'ของ อปท.', data: [12, 10, 10, 10, 20, 10, 10, 10, 8] });
    expect(c.datasets[1]).toMatchObject({ type: 'line', label: 'ตามกฎของเบนฟอร์ด', data: [30.1, 17.6, 12.5, 9.7, 7.9, 6.7, 5.8, 5.1, 4.6] });
    expect(chartFor({ ruleId: 'benford', severity: 'medium', reasons: { th: '', en: '' }, payments: [], evidence: { firstDigitShares: shares.slice(1) } }, 'th')).toBeNull();
  });

  it("when an alert has dated payments, then they are charted oldest first with the ones paid on the alert's date as flagged", () => {
    const p = (row: number, effectiveDate: string, amountSatang: number) => ({ row, file: 'f', effectiveDate, amountSatang });
    const c = paymentTimeline([p(9, '2026-10-20', 4_500_000), p(3, '2026-10-05', 4_500_000), p(4, '2026-10-05', 100)], '2026-10-20', 'en')!;
    expect(c.labels).toEqual(['5 Oct 2026 #3', '5 Oct 2026 #4', '20 Oct 2026 #9']);
    expect(c.datasets.map((d) => [d.label, d.data])).toEqual([['Flagged payment', [null, null, 45_000]], ['Other payments of this alert', [45_000, 1, null]]]);
    // No payment on the alert's date: the latest is the flagged one. One payment alone is not a timeline.
    expect(paymentTimeline([p(1, '2026-10-01', 100), p(2, '2026-10-02', 200)], '2026-11-01', 'en')!.datasets[0]!.data).toEqual([null, 2]);
    expect(paymentTimeline([p(1, '2026-10-01', 100)], '2026-10-01', 'en')).toBeNull();
  });
});

describe('Thai formatting', () => {
  it('formats calendar dates in the Buddhist era', () => {
    expect(formatThaiDate('2026-11-22')).toBe('22 พ.ย. 2569');
    expect(formatThaiDate('2024-01-01')).toBe('1 ม.ค. 2567');
    expect(formatThaiDate('2026-11-22', { lang: 'en' })).toBe('22 Nov 2026');
  });
  it('shows instants in Bangkok time (UTC+7), crossing midnight', () => {
    expect(formatThaiDate('2026-11-21T18:30:00Z')).toBe('22 พ.ย. 2569');
    expect(formatThaiDate('2026-11-21T18:30:00Z', { withTime: true })).toBe('22 พ.ย. 2569 01:30');
    expect(formatThaiDate('2026-12-31T17:00:00Z')).toBe('1 ม.ค. 2570');
  });
  it('formats integer satang as baht exactly', () => {
    expect(formatBaht(123_456_750)).toBe('1,234,567.50 บาท');
    expect(formatBaht(0)).toBe('0.00 บาท');
    expect(formatBaht(5)).toBe('0.05 บาท');
    expect(formatBaht(-100_000)).toBe('-1,000.00 บาท');
    expect(formatBaht(900_719_925_474_099_1n)).toBe('90,071,992,547,409.91 บาท');
    expect(formatBaht(100, 'en')).toBe('1.00 baht');
  });
});

describe('CSV export', () => {
  it('neutralises cells that a spreadsheet would run as a formula', () => {
    for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(neutraliseCsvCell(s)).toBe(`'${s}`);
    expect(neutraliseCsvCell('ปกติ')).toBe('ปกติ');
    expect(neutraliseCsvCell('1-2')).toBe('1-2');
  });
  it('quotes, neutralises and starts with a BOM', () => {
    const csv = toCsv([['row', 'raw'], [4, '=HYPERLINK("http://x")'], [5, 'a,b'], [6, null]]);
    expect(csv.startsWith('\uFEFFrow,raw\r\n')).toBe(true);
    expect(csv).toContain(`4,"'=HYPERLINK(""http://x"")"\r\n`);
    expect(csv).toContain('5,"a,b"\r\n');
    expect(csv).toContain('6,\r\n');
  });
});

describe('metrics text', () => {
  it('parses Prometheus samples and sums by label', () => {
    const text = '# HELP paywatch_ingest_rows_total Rows\n# TYPE paywatch_ingest_rows_total counter\npaywatch_ingest_rows_total{outcome="accepted"} 182\npaywatch_ingest_rows_total{outcome="rejected",x="a\\"b"} 2\npaywatch_detector_records_total 214\n';
    const s = parsePrometheusText(text);
    expect(sumOf(s, 'paywatch_ingest_rows_total')).toBe(184);
    expect(sumOf(s, 'paywatch_ingest_rows_total', { outcome: 'rejected' })).toBe(2);
    expect(s[1]!.labels.x).toBe('a"b');
    expect(sumOf(s, 'paywatch_detector_records_total')).toBe(214);
    expect(sumOf(null, 'x')).toBeNull();
  });
});

describe('inbox inputs', () => {
  it('when baht is typed with separators, Thai digits or two decimals, then it becomes exact satang; more decimals or text are refused', async () => {
    const { bahtToSatang } = await import('../src/format.ts');
    expect(bahtToSatang('1,234,567.89')).toBe(123_456_789);
    expect(bahtToSatang('๑๐๐.๕')).toBe(10_050);
    expect(bahtToSatang('0.07')).toBe(7);
    expect(bahtToSatang('')).toBeUndefined();
    expect(bahtToSatang('1.234')).toBeNull();
    expect(bahtToSatang('-5')).toBeNull();
  });

  it('when a date is ISO (CE or BE), then the input shows it as dd/mm/BE; anything else is shown as typed', async () => {
    const { toBeInput } = await import('../src/format.ts');
    expect(toBeInput('2026-11-22')).toBe('22/11/2569');
    expect(toBeInput('2569-11-22')).toBe('22/11/2569');
    expect(toBeInput('1/10/2569')).toBe('1/10/2569');
    expect(toBeInput(undefined)).toBe('');
  });

  it("when the alert carries the payee's history, then it is charted oldest first with the alert's own payments flagged; without them in it, no chart", () => {
    const history = { windowDays: 60, payments: [
      { recordId: 'b1:2', effectiveDate: '2026-09-01', amountSatang: 1_000_000 },
      { recordId: 'b2:5', effectiveDate: '2026-10-01', amountSatang: 1_100_000 },
      { recordId: 'b3:7', effectiveDate: '2026-10-20', amountSatang: 98_500_000 },
    ] };
    const c = payeeHistoryChart(history, new Set(['b3:7']), 'en')!;
    expect(c.title).toContain('last 60 days');
    expect(c.datasets.map((d) => d.data)).toEqual([[null, null, 985_000], [10_000, 11_000, null]]);
    expect(payeeHistoryChart(history, new Set(['x:1']), 'en')).toBeNull();
    expect(payeeHistoryChart(undefined, new Set(['b3:7']), 'en')).toBeNull();
  });
});

describe('next-path', () => {
  it('when next is a path on the console, then the login returns to it; anything a browser could resolve elsewhere is refused', async () => {
    const { safeNextPath } = await import('../src/next-path.ts');
    expect(safeNextPath('/alerts/al_000000000000000000000066')).toBe('/alerts/al_000000000000000000000066');
    expect(safeNextPath('/inbox?status=new#alerts')).toBe('/inbox?status=new#alerts');
    expect(safeNextPath('/alerts/../inbox')).toBe('/inbox');
    for (const bad of ['//evil.example', '/\\evil.example', '\\\\evil.example', 'https://evil.example', 'http:evil.example', 'javascript:alert(1)', '/\t/evil.example',
      '/\n/evil.example', ' /inbox', 'inbox', '', '/login', '/logout?x=1', '/'.padEnd(2001, 'a'), null, 42, ['/inbox']]) {
      expect(safeNextPath(bad), JSON.stringify(bad)).toBeNull();
    }
  });
});
