/** Polls until a condition holds; the assertion-friendly way to wait for asynchronous pipelines. */
export async function waitUntil<T>(probe: () => Promise<T> | T, done: (v: T) => boolean, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await probe();
    if (done(v)) return v;
    if (Date.now() - t0 > (options.timeoutMs ?? 15_000)) throw new Error(`timed out waiting for ${options.what ?? 'condition'}; last value: ${JSON.stringify(v)?.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 25));
  }
}
