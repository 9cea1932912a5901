/**
 * A bar chart drawn on the server as inline SVG: labelled axes, a log scale when the values span orders of
 * magnitude, and the numbers in `<title>`/`<desc>` for screen readers. No script and no inline style, so it
 * renders under the console's CSP and without JavaScript, at any width (the viewBox scales).
 */
import { html, type Raw } from './html.ts';

/** One bar chart: a bar per label, the axes' titles, and how to print a value. */
export interface SvgBarChart {
  id: string;
  title: string;
  labels: ReadonlyArray<string | readonly [string, string]>;
  values: readonly number[];
  xTitle: string;
  yTitle: string;
  /** Appended to the y title when the axis is logarithmic, e.g. ` (สเกลลอการิทึม)`. */
  logNote: string;
  /** Tick and description text of a value. */
  format: (v: number) => string;
  /** `auto` (default): log when the largest positive value is at least 100 × the smallest. */
  scale?: 'linear' | 'log' | 'auto';
}

const W = 520, H = 290, LEFT = 82, RIGHT = 8, TOP = 12, BOTTOM = 68;
const BAR = '#0b4f8a', AXIS = '#1a1a1a', GRID = '#c8c8c8';

/** Whether a series spans orders of magnitude (largest positive ≥ 100 × smallest positive). */
export function spansOrdersOfMagnitude(values: readonly number[]): boolean {
  const pos = values.filter((v) => v > 0);
  return pos.length >= 2 && Math.max(...pos) >= 100 * Math.min(...pos);
}

/** Round ticks for a linear axis from 0: 1, 2 or 5 × 10^k steps, about five of them. */
export function linearTicks(max: number): number[] {
  if (max <= 0) return [0, 1];
  const raw = max / 5;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let t = 0; t < max + step; t += step) ticks.push(t);
  return ticks;
}

/** Powers of ten covering the positive values. */
export function logTicks(values: readonly number[]): number[] {
  const pos = values.filter((v) => v > 0);
  if (!pos.length) return [1, 10];
  const lo = Math.floor(Math.log10(Math.min(...pos))), hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...pos))));
  return Array.from({ length: hi - lo + 1 }, (_, i) => 10 ** (lo + i));
}

/** The chart as an `<svg role="img">` with its title and the numbers as its description. */
export function svgBarChart(c: SvgBarChart): Raw {
  const log = c.scale === 'log' || ((c.scale ?? 'auto') === 'auto' && spansOrdersOfMagnitude(c.values));
  const ticks = log ? logTicks(c.values) : linearTicks(Math.max(0, ...c.values));
  const lo = ticks[0]!, hi = ticks.at(-1)!;
  const plotH = H - TOP - BOTTOM, plotW = W - LEFT - RIGHT;
  const y = (v: number) => {
    const f = log ? (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo || 1);
    return TOP + plotH - f * plotH;
  };
  const slot = plotW / Math.max(1, c.values.length);
  const barW = Math.max(2, slot * 0.7);
  const label = (l: SvgBarChart['labels'][number]) => (typeof l === 'string' ? [l] : [...l]);
  const flat = (l: SvgBarChart['labels'][number]) => label(l).join(' ');
  const desc = c.values.map((v, i) => `${flat(c.labels[i] ?? '')}: ${c.format(v)}`).join('; ');
  const n = (v: number) => v.toFixed(1);
  return html`<figure class="svg-chart">
<svg id="${c.id}" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-labelledby="${c.id}-t ${c.id}-d" preserveAspectRatio="xMidYMid meet" font-family="Sarabun, sans-serif" font-size="13">
<title id="${c.id}-t">${c.title}</title>
<desc id="${c.id}-d">${desc}</desc>
${ticks.map((t) => html`<g><line x1="${LEFT}" x2="${W - RIGHT}" y1="${n(y(t))}" y2="${n(y(t))}" stroke="${GRID}" stroke-width="1"/><text x="${LEFT - 6}" y="${n(y(t) + 4)}" text-anchor="end" fill="${AXIS}">${c.format(t)}</text></g>`)}
${c.values.map((v, i) => {
    const x = LEFT + i * slot + (slot - barW) / 2;
    const top = y(v), base = y(lo);
    // A zero (or, on a log axis, anything below the first tick) draws no bar: the label and the description still say it.
    const bar = v > 0 && base - top > 0 ? html`<rect x="${n(x)}" y="${n(top)}" width="${n(barW)}" height="${n(base - top)}" fill="${BAR}"><title>${flat(c.labels[i] ?? '')}: ${c.format(v)}</title></rect>` : '';
    return html`<g>${bar}${label(c.labels[i] ?? '').map((part, j) => html`<text x="${n(x + barW / 2)}" y="${H - BOTTOM + 18 + j * 15}" text-anchor="middle" fill="${AXIS}" font-size="12">${part}</text>`)}</g>`;
  })}
<line x1="${LEFT}" x2="${LEFT}" y1="${TOP}" y2="${TOP + plotH}" stroke="${AXIS}" stroke-width="1.5"/>
<line x1="${LEFT}" x2="${W - RIGHT}" y1="${TOP + plotH}" y2="${TOP + plotH}" stroke="${AXIS}" stroke-width="1.5"/>
<text x="${LEFT + plotW / 2}" y="${H - 8}" text-anchor="middle" fill="${AXIS}" font-weight="700">${c.xTitle}</text>
<text transform="translate(16 ${TOP + plotH / 2}) rotate(-90)" text-anchor="middle" fill="${AXIS}" font-weight="700">${c.yTitle}${log ? c.logNote : ''}</text>
</svg>
<figcaption>${c.title}</figcaption>
</figure>`;
}
