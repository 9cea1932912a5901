/**
 * `paywatch parse FILE [--lao CODE] [--lao-registry FILE] [--header-map FILE]`: prints one JSON line per accepted
 * row (`kind: record`), per rejected row (`kind: reject`) and a final manifest. Same parser as the upload API.
 * `--header-map` adds transfer report header spellings (examples/report-header-map.json).
 */
import { access, readFile } from 'node:fs/promises';
import { fileSource, loadReportHeaderMap, parseFileStream } from '@paywatch/ktb-formats';
import { opt, parseArgs } from '../args.ts';
import { loadRegistry } from '../registry-file.ts';

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
  // Read a chunk at a time, as ingest reads a stored upload: a large file parses in bounded memory.
  for await (const ev of parseFileStream(fileSource(file), { registry, ...(laoCode ? { laoCode } : {}), ...(reportHeaderMap ? { reportHeaderMap } : {}) })) {
    if (ev.kind === 'manifest') {
      refused = ev.refusal != null;
      write(JSON.stringify(ev));
    } else write(JSON.stringify(ev));
  }
  return refused ? 1 : 0;
}
