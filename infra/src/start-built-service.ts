/**
 * Starts a built service (`pnpm build` output) the way its image does — `node dist/main.js` in its directory,
 * nothing else on the module path — and measures how long it takes until `/health` answers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

/** A running built service. */
export interface BuiltServiceProcess {
  url: string;
  /** Milliseconds from spawn to the first 200 of /health. */
  msToHealth: number;
  /** Everything it logged (pino JSON lines and anything else). */
  log: string[];
  child: ChildProcess;
  stop(): Promise<number | null>;
}

/** Spawns `node dist/main.js` in `dir` with exactly `env` (plus PATH), PORT=0 on 127.0.0.1, and waits for /health. */
export async function startBuiltService(dir: string, env: Record<string, string>, timeoutMs = 30_000): Promise<BuiltServiceProcess> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(dir, 'dist/main.js')], {
    cwd: dir, stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
  });
  const log: string[] = [];
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const listening = new Promise<string>((resolve, reject) => {
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        log.push(line);
        const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
        if (m) resolve(m[1]!);
      });
    }
    void exited.then((code) => reject(new Error(`exited with ${code} before listening:\n${log.join('\n')}`)));
    setTimeout(() => reject(new Error(`not listening after ${timeoutMs} ms:\n${log.join('\n')}`)), timeoutMs).unref();
  });
  const stop = async () => { if (child.exitCode === null) child.kill('SIGTERM'); return exited; };
  try {
    const url = await listening;
    for (;;) {
      const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
      if (ok) return { url, msToHealth: Math.round(performance.now() - t0), log, child, stop };
      if (performance.now() - t0 > timeoutMs) throw new Error(`/health not answering after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  } catch (err) {
    await stop();
    throw err;
  }
}
