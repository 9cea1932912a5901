/** A child process that runs one quality cell (the matrix forks one per cell to use both cores) and sends back its result. */
import { runCell, type CellSpec } from './run-cell.ts';

process.once('message', (spec: CellSpec) => {
  runCell(spec).then(
    (result) => process.send!({ ok: true, result }, () => process.exit(0)),
    (e: unknown) => process.send!({ ok: false, error: (e as Error).stack ?? String(e) }, () => process.exit(1)),
  );
});
