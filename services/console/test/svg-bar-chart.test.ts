import { describe, expect, it } from 'vitest';
import { linearTicks, logTicks, spansOrdersOfMagnitude, svgBarChart } from '../src/svg-bar-chart.ts';
import { monthLabel } from '../src/centre-page.ts';

const heights = (svg: string) => [...svg.matchAll(/<rect [^>]*height="([\d.]+)"/g)].map((m) => Number(m[1]));
const chart = (values: number[], scale?: 'linear' | 'log' | 'auto') => svgBarChart({
  id: 'c', title: 'ยอดเงินรายเดือน', labels: values.map((_, i) => [`ด${i}`, '2569'] as const), values, xTitle: 'เดือน (พ.ศ.)', yTitle: 'บาท', logNote: ' (สเกลลอการิทึม)',
  format: (v) => v.toLocaleString('en-US'), ...(scale ? { scale } : {}),
}).value;

describe('svg bar chart', () => {
  it('when values span two orders of magnitude or more, then the axis is logarithmic and says so', () => {
    expect(spansOrdersOfMagnitude([3_000, 50_000, 2_211_399, 0])).toBe(true);
    expect(spansOrdersOfMagnitude([1, 2, 50])).toBe(false);
    const svg = chart([10, 100, 1_000]);
    expect(svg).toContain('บาท (สเกลลอการิทึม)');
    // On a log axis from 10 to 1,000, 100 stands halfway: the 10 draws no bar above the axis floor.
    const [h100, h1000] = heights(svg);
    expect(h100! / h1000!).toBeCloseTo(0.5, 2);
  });

  it('when values stay within one order of magnitude, then the axis is linear from zero', () => {
    const svg = chart([2, 5, 10]);
    expect(svg).not.toContain('สเกลลอการิทึม');
    const [h2, h5, h10] = heights(svg);
    expect([h2! / h10!, h5! / h10!]).toEqual([0.2, 0.5].map((x) => expect.closeTo(x, 2)));
  });

  it('when ticks are chosen, then they are round: 1-2-5 steps from zero, or powers of ten', () => {
    expect(linearTicks(10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(linearTicks(37)).toEqual([0, 10, 20, 30, 40]);
    expect(logTicks([3_000, 2_211_399])).toEqual([1_000, 10_000, 100_000, 1_000_000, 10_000_000]);
  });

  it('when it is drawn, then both axes are titled and the numbers are in its description, escaped', () => {
    const svg = svgBarChart({ id: 'x', title: '<b>', labels: ['a', 'b'], values: [1, 2], xTitle: 'เดือน', yTitle: 'จำนวน', logNote: '', format: String }).value;
    expect(svg).toMatch(/<svg id="x"[^>]*role="img"[^>]*aria-labelledby="x-t x-d"/);
    expect(svg).toContain('<title id="x-t">&lt;b&gt;</title>');
    expect(svg).toContain('<desc id="x-d">a: 1; b: 2</desc>');
    expect(svg).toContain('>เดือน</text>');
    expect(svg).toContain('>จำนวน</text>');
  });

  it('when a month is labelled, then Thai gets the short month and the Buddhist Era year', () => {
    expect(monthLabel('2026-11', 'th')).toEqual(['พ.ย.', '2569']);
    expect(monthLabel('2027-01', 'en')).toEqual(['Jan', '2027']);
  });
});
