/**
 * `paywatch parse FILE [--lao CODE] [--lao-registry FILE] [--header-map FILE]`: prints one JSON line per accepted
 * row (`kind: record`), per rejected row (`kind: reject`) and a final manifest. Same parser as the upload API.
 * `--header-map` adds transfer report header spellings (examples/report-header-map.json).
 */
import { access, readFile } from 'node:fs/promises';
import { fileSource, loadReportHeaderMap, parseFileStream } from '@paywatch/ktb-formats';
import { opt, parseArgs } from '../args.ts';
import { loadRegistry } from '../registry-file.ts';

/** Printed once, before the first record, when no registry knows the file's LAO. */
export const UNKNOWN_LAO_WARNING = {
  kind: 'warning',
  code: 'PW_WARN_LAO_UNKNOWN',
  message: {
    th: 'ไม่พบ อปท. ของแฟ้มนี้ในทะเบียน อปท. (ตรวจจากรหัสบริษัทและบัญชีผู้โอน): อ่านรายการได้แต่ไม่ระบุ อปท. (laoCode เป็น null) ระบบรับแฟ้มจะไม่รับแฟ้มนี้จนกว่า อปท. จะอยู่ในทะเบียน ใช้ --lao หรือ --lao-registry เพื่อระบุ',
    en: 'No LAO registry entry claims this file (by company ID or sending account): its rows are read with laoCode null. Ingest refuses the file until its LAO is in the registry; give --lao or --lao-registry to name it.',
  },
} as const;

/** Runs the command, writing lines to `write`; returns the exit code (1 when the file was refused). */
export async function runParse(argv: readonly string[], write: (line: string) => void): Promise<number> {
  const args = parseArgs(argv);
  const file = args.positional[0];
  if (!file) throw new Error('usage: paywatch parse FILE [--lao CODE] [--lao-registry FILE] [--header-map FILE]');
  const registry = await loadRegistry(opt(args, 'lao-registry'));
  const laoCode = opt(args, 'lao');
  const headerMapFile = opt(args, 'header-map');
  // Read and checked before the file, so a bad mapping stops the command instead of refusing the file.
  const reportHeaderMap = headerMapFile ? loadReportHeaderMap(await readFile(headerMapFile, 'utf8')) : undefined;
  await access(file); // a missing file is the command's error, not a refusal
  let refused = false;
  let warned = false;
  // Read a chunk at a time, as ingest reads a stored upload: a large file parses in bounded memory. Reading is not
  // publishing, so a file no registry claims is read with no LAO (ingest, which publishes, refuses it).
  for await (const ev of parseFileStream(fileSource(file), { registry, unknownLao: 'allow', ...(laoCode ? { laoCode } : {}), ...(reportHeaderMap ? { reportHeaderMap } : {}) })) {
    if (ev.kind === 'record' && ev.record.laoCode === null && !warned) {
      warned = true;
      write(JSON.stringify(UNKNOWN_LAO_WARNING));
    }
    if (ev.kind === 'manifest') refused = ev.refusal != null;
    write(JSON.stringify(ev));
  }
  return refused ? 1 : 0;
}
