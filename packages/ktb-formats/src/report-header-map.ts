/**
 * The header mapping file of the transfer report (ktb-formats.md §2: "the header → field map is configuration"):
 * `{ "version": 1, "headers": { "<field>": ["header text", …] } }`. When KTB renames a column in a new export
 * version, the office adds the new spelling here instead of waiting for a release. The result is what
 * `ParseContext.reportHeaderMap` takes; every mistake is reported in Thai and English before any file is parsed.
 */
import { z, type Bilingual } from '@paywatch/domain';
import { FIELD_LABEL } from './report-row.ts';
import { headerKey, REPORT_HEADERS, type ReportField } from './report-headers.ts';

/** The file's shape. Field names are checked separately, so an unknown one can be named with the known ones. */
const HeaderMapFile = z.object({
  version: z.literal(1),
  headers: z.record(z.string(), z.array(z.string()).min(1)),
}).strict();

/** A header mapping file that cannot be used; `message` carries the Thai and the English text. */
export class ReportHeaderMapError extends Error {
  constructor(readonly bilingual: Bilingual) {
    super(`${bilingual.th}\n${bilingual.en}`);
    this.name = 'ReportHeaderMapError';
  }
}

const fail = (th: string, en: string): never => { throw new ReportHeaderMapError({ th, en }); };

const FIELDS = Object.keys(REPORT_HEADERS) as ReportField[];
const fieldList = FIELDS.join(', ');
const quote = (s: string) => JSON.stringify(s);

/** Reads and checks a header mapping file; returns field → extra spellings for `ParseContext.reportHeaderMap`. */
export function loadReportHeaderMap(text: string): Partial<Record<ReportField, string[]>> {
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    return fail(`แฟ้มแผนที่หัวคอลัมน์ไม่ใช่ JSON ที่ถูกต้อง (${(e as Error).message})`, `The header mapping file is not valid JSON (${(e as Error).message}).`);
  }
  if (typeof json === 'object' && json !== null && 'version' in json && json.version !== 1) {
    fail(`แฟ้มแผนที่หัวคอลัมน์รุ่น ${quote(String(json.version))} ไม่รองรับ — ใช้ "version": 1`, `Header mapping file version ${quote(String(json.version))} is not supported — use "version": 1.`);
  }
  const parsed = HeaderMapFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.join('.');
    return fail(
      `แฟ้มแผนที่หัวคอลัมน์ไม่ถูกต้องที่ ${at || 'ระดับบนสุดของแฟ้ม'}: ${issue.message} — รูปแบบที่ถูกคือ { "version": 1, "headers": { "<ชื่อช่อง>": ["หัวคอลัมน์", …] } }`,
      `The header mapping file is not valid at ${at || 'its top level'}: ${issue.message} — the shape is { "version": 1, "headers": { "<field>": ["header text", …] } }.`,
    );
  }
  const out: Partial<Record<ReportField, string[]>> = {};
  const claimedBy = new Map<string, ReportField>();
  for (const [field, spellings] of Object.entries(parsed.data.headers)) {
    if (!Object.hasOwn(REPORT_HEADERS, field)) {
      fail(`ไม่รู้จักช่อง ${quote(field)} ในแฟ้มแผนที่หัวคอลัมน์ — ช่องที่ใช้ได้คือ ${fieldList}`, `Unknown field ${quote(field)} in the header mapping file — the fields are ${fieldList}.`);
    }
    const f = field as ReportField;
    for (const s of spellings) {
      const key = headerKey(s);
      if (key === '') fail(`ช่อง ${f} (${FIELD_LABEL[f].th}) มีหัวคอลัมน์ว่าง`, `Field ${f} (${FIELD_LABEL[f].en}) has an empty header text.`);
      const other = claimedBy.get(key);
      if (other !== undefined && other !== f) {
        fail(`หัวคอลัมน์ ${quote(s)} ถูกกำหนดให้ทั้งช่อง ${other} และ ${f} — หัวคอลัมน์หนึ่งต้องเป็นของช่องเดียว`, `Header ${quote(s)} is given to both ${other} and ${f} — a header names one field.`);
      }
      claimedBy.set(key, f);
    }
    out[f] = [...spellings];
  }
  return out;
}
