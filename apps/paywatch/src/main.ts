/** The paywatch command line: parse, scan, serve and dev (embedded pipeline), backup and restore, bench. */
import { runParse } from './commands/parse.ts';
import { runScan } from './commands/scan.ts';
import { CliError } from './cli-error.ts';

const [command, ...rest] = process.argv.slice(2);
// `paywatch parse big.txt | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
const out = (l: string) => process.stdout.write(l + '\n');
const err = (l: string) => process.stderr.write(l + '\n');

async function main(): Promise<number> {
  switch (command) {
    case 'parse': return runParse(rest, out);
    case 'scan': return runScan(rest, out, err);
    case 'gen': { const { runGen } = await import('./commands/gen.ts'); return runGen(rest, out); }
    case 'quality': { const { runQuality } = await import('./commands/quality.ts'); return runQuality(rest, out); }
    case 'audit': { const { runAudit } = await import('./commands/audit.ts'); return runAudit(rest, out); }
    case 'fuzz': { const { runFuzz } = await import('./commands/fuzz.ts'); return runFuzz(rest, out); }
    case 'dev': { const { runDev } = await import('./commands/dev.ts'); return runDev(rest); }
    case 'serve': { const { runServe } = await import('./commands/serve.ts'); return runServe(rest, out); }
    case 'backup': { const { runBackup } = await import('./commands/backup.ts'); return runBackup(rest, out); }
    case 'restore': { const { runRestore } = await import('./commands/backup.ts'); return runRestore(rest, out); }
    default:
      err('usage: paywatch <parse|scan|gen|quality|audit|dev|serve|backup|restore> …\n  parse FILE [--lao CODE] [--lao-registry FILE]\n  scan [--reference DIR] [--lao-registry FILE] [--config FILE] FILES...\n  gen --out DIR --seed N [--laos K] [--history-months H] [--target-month YYYY-MM] [--scale S] [--events-in-history] | --legacy [--months M]\n  quality [--seeds 1,2,3] [--history 0,2,8] [--laos K] [--scale S] [--config FILE] [--jobs N] [--json] [--check]\n  audit verify (--database-url URL | --pglite DIR) [--key-file FILE] (--anchors-dir DIR | --anchors-s3 BUCKET | --anchors-log FILE | --no-anchors)\n  dev [--data-dir DIR] [--port-base N] [--once]\n  serve --data-dir DIR [--port-base N] [--host H]\n  backup --data-dir DIR --out FILE\n  restore --from FILE --data-dir DIR');
      return 2;
  }
}

main().then((code) => { process.exitCode = code; }, (e: unknown) => {
  // A refusal the user can act on prints its code and the reason in Thai and English.
  if (e instanceof CliError) for (const l of e.lines()) err(l);
  else err(`paywatch: ${(e as Error).message}`);
  process.exitCode = 2;
});
