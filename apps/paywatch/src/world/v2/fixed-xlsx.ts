/**
 * A workbook made reproducible: exceljs stamps the time of writing into docProps/core.xml and into every ZIP entry,
 * so the same world written twice would differ. The parts are re-zipped without entry times and the document's
 * created/modified stamps are set to the day the file is about (an export made that day).
 */
import { unzipParts, zipParts } from '@paywatch/ktb-formats';

const STAMP = /(<dcterms:(?:created|modified)[^>]*>)[^<]*(<\/dcterms:(?:created|modified)>)/g;

/** The same workbook with fixed times; `date` is `YYYY-MM-DD`. */
export function fixedXlsx(bytes: Uint8Array, date: string): Uint8Array {
  const parts = unzipParts(bytes);
  if (parts === null) throw new Error('exceljs wrote a workbook that cannot be unzipped');
  const enc = new TextEncoder(), dec = new TextDecoder();
  return zipParts(parts.map((p) => (p.name === 'docProps/core.xml' ? { name: p.name, data: enc.encode(dec.decode(p.data).replace(STAMP, `$1${date}T10:00:00Z$2`)) } : p)));
}
