/** The input formats paywatch reads, in the order they are tried. `ktb-report` (CSV/XLSX) plugs in here. */
import type { FormatPlugin, TextFormat } from './format-plugin.ts';
import { KTB_BULK_EXPECTED, parseKtbBulk } from './parse-ktb-bulk.ts';
import { sniffKtbBulk } from './sniff-ktb-bulk.ts';

/** The KTB bulk-payment file as a format plugin. */
export const ktbBulkFormat: TextFormat = {
  kind: 'text',
  format: 'ktb-bulk',
  expected: KTB_BULK_EXPECTED,
  sniff(text) {
    const s = sniffKtbBulk(text);
    return s === null ? 'no-match' : 'code' in s ? s : 'match';
  },
  parse: parseKtbBulk,
};

/** Every format `parseFile` and `detectFormat` try by default. */
export const FORMATS: readonly FormatPlugin[] = [ktbBulkFormat];
