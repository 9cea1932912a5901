/**
 * The bare baseline the CSV report parser is benchmarked against: decode the bytes and run csv-parse over the
 * text, counting records, with nothing mapped or checked. The parser's rows/s divided by this one's is the
 * figure `pnpm bench` reports. Here (not in the bench) because csv-parse is this package's dependency.
 */
import { parse } from 'csv-parse/sync';

/** Records csv-parse reads from UTF-8 CSV bytes (the header row included). */
export function bareCsvParseRowCount(bytes: Uint8Array): number {
  const text = new TextDecoder('utf-8').decode(bytes);
  return (parse(text, { relax_quotes: true, relax_column_count: true, bom: true }) as unknown[]).length;
}
