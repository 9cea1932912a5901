/**
 * Structure-aware mutations of a workbook for the fuzzer. Random bytes in a ZIP mostly break its central
 * directory, and the file is then refused as an unknown archive before exceljs sees it; to reach the sheet
 * reader, these mutations damage the XML inside one entry and write a well-formed ZIP around it again (or make
 * the central directory lie about sizes, as a zip bomb does).
 */
import { MUTATIONS } from './fuzz-mutate.ts';
import type { SeededRandom } from './seeded-random.ts';
import { zipEntries } from './xlsx-zip.ts';
import { unzipParts, zipParts } from './zip-parts.ts';

/**
 * The same workbook with nothing that depends on when it was written: exceljs stamps the time into
 * docProps/core.xml and the ZIP, and its entry order varies from run to run. The fuzzer's corpus must be a
 * function of the seed alone, so that (seed, format, iteration) names one input.
 */
export function canonicalXlsx(bytes: Uint8Array): Uint8Array {
  const parts = unzipParts(bytes);
  if (parts === null) return bytes;
  const stamp = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g;
  return zipParts(parts
    .map((p) => (p.name === 'docProps/core.xml' ? { name: p.name, data: new TextEncoder().encode(new TextDecoder().decode(p.data).replace(stamp, '2025-10-05T00:00:00Z')) } : p))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
}

const latin1 = new TextDecoder('latin1');
const asBytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

/** Mutations of one XML part that keep it text but change what the sheet reader meets. */
const XML_MUTATIONS: ReadonlyArray<{ name: string; apply(xml: string, dice: SeededRandom): string }> = [
  { name: 'xml-duplicate-row', apply: (x, d) => { const rows = [...x.matchAll(/<row\b[\s\S]*?<\/row>/g)]; const r = rows.length ? d.pick(rows) : null; return r ? x.slice(0, r.index) + r[0] + x.slice(r.index) : x; } },
  { name: 'xml-row-number', apply: (x, d) => x.replace(/<row r="\d+"/, `<row r="${d.pick(['0', '1', '-3', '99999999', '1048577', 'x'])}"`) },
  { name: 'xml-cell-ref', apply: (x, d) => x.replace(/ r="[A-Z]+\d+"/, ` r="${d.pick(['A0', 'XFE1', 'ZZZZ9', '', 'A99999999'])}"`) },
  { name: 'xml-shared-index', apply: (x, d) => x.replace(/(t="s"[^>]*>\s*<v>)\d+/, `$1${d.pick(['-1', '99999', '1.5', ''])}`) },
  { name: 'xml-entity', apply: (x, d) => { const at = x.indexOf('<v>') + 3 || d.int(0, x.length); return x.slice(0, at) + d.pick(['&amp;', '&#0;', '&bogus;', '<![CDATA[x]]>', '&#x110000;', ']]>']) + x.slice(at); } },
  { name: 'xml-cell-type', apply: (x, d) => x.replace(/ t="\w+"/, ` t="${d.pick(['e', 'b', 'd', 'str', 'inlineStr', 'n', 'zz'])}"`) },
];

/**
 * A damaged but well-zipped workbook: one part's XML mutated (a worksheet most often), or a central directory
 * that lies about an entry's size. Returns null when the bytes are not a readable ZIP (then byte mutations apply).
 */
export function mutateXlsx(bytes: Uint8Array, dice: SeededRandom): { bytes: Uint8Array; applied: string[] } | null {
  const parts = unzipParts(bytes);
  if (parts === null || parts.length === 0) return null;
  if (dice.chance(0.1)) {
    const out = zipParts(parts);
    const at = zipEntries(out)!;
    // The declared size of a random entry, set to a lie (a zip bomb declares small and inflates big, or the reverse).
    const k = dice.int(0, at.length - 1);
    const view = new DataView(out.buffer);
    let cd = view.getUint32(out.length - 22 + 16, true);
    for (let i = 0; i < k; i++) cd += 46 + view.getUint16(cd + 28, true);
    view.setUint32(cd + 24, dice.pick([0, 1, 0x7fffffff, 0xffffffff, dice.int(0, 1 << 20)]), true);
    return { bytes: out, applied: ['zip-declared-size'] };
  }
  const sheets = parts.filter((p) => p.name.startsWith('xl/worksheets/'));
  const part = dice.chance(0.7) && sheets.length > 0 ? dice.pick(sheets) : dice.pick(parts);
  const applied: string[] = [];
  let data = part.data;
  for (let n = dice.int(1, 3); n > 0; n--) {
    if (dice.chance(0.5)) {
      const m = dice.pick(XML_MUTATIONS);
      data = asBytes(m.apply(latin1.decode(data), dice));
      applied.push(`${m.name}@${part.name}`);
    } else {
      const m = dice.pick(MUTATIONS);
      data = m.apply(data, dice);
      applied.push(`${m.name}@${part.name}`);
    }
  }
  return { bytes: zipParts(parts.map((p) => (p === part ? { name: p.name, data } : p))), applied };
}
