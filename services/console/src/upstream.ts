/** Calls to the other services over HTTP, with the signed-in user's bearer token. Never imports them. */
export interface UpstreamUrls { ingest: string; detector: string; alerts: string }
export type FetchFn = typeof globalThis.fetch;

/** A non-2xx answer from a service; the console shows its own error page with the same status. */
export class UpstreamError extends Error {
  constructor(readonly status: number, readonly body: unknown, readonly service: string) {
    super(`${service} answered ${status}`);
    this.name = 'UpstreamError';
  }
  /** The service's bilingual message, when it sent one. */
  get messages(): { th: string; en: string } | null {
    const m = (this.body as { error?: { message?: { th?: string; en?: string } } } | null)?.error?.message;
    return m?.th && m.en ? { th: m.th, en: m.en } : null;
  }
}

/** Who a call is for: the signed-in user's short bearer token and the headers that forward their address. */
export interface CallerAuth { bearer: string; clientHeaders: Record<string, string> }

export interface UpstreamCall { method?: string; token?: CallerAuth | string | null; json?: unknown; body?: Uint8Array | string; headers?: Record<string, string> }

export function createUpstream(urls: UpstreamUrls, fetchFn: FetchFn) {
  async function call<T>(service: keyof UpstreamUrls, path: string, o: UpstreamCall = {}): Promise<{ status: number; data: T }> {
    const headers: Record<string, string> = { accept: 'application/json', ...o.headers };
    if (typeof o.token === 'string') headers.authorization = `Bearer ${o.token}`;
    else if (o.token) { Object.assign(headers, o.token.clientHeaders); headers.authorization = `Bearer ${o.token.bearer}`; }
    let body = o.body;
    if (o.json !== undefined) { headers['content-type'] = 'application/json'; body = JSON.stringify(o.json); }
    const r = await fetchFn(`${urls[service]}${path}`, { method: o.method ?? 'GET', headers, ...(body === undefined ? {} : { body }), signal: AbortSignal.timeout(15_000) });
    const text = await r.text();
    let data: unknown = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = text; }
    if (!r.ok) throw new UpstreamError(r.status, data, service);
    return { status: r.status, data: data as T };
  }
  /** GET `/ready` of a service without a token: `{ ok, body }`, never throws. */
  async function ready(service: keyof UpstreamUrls): Promise<{ ok: boolean; status: number; body: unknown }> {
    try {
      const r = await fetchFn(`${urls[service]}/ready`, { signal: AbortSignal.timeout(5_000) });
      return { ok: r.ok, status: r.status, body: await r.json().catch(() => null) };
    } catch (e) {
      return { ok: false, status: 0, body: { error: String(e) } };
    }
  }
  /** GET `/metrics` of a service (Prometheus text); null when it does not answer. */
  async function metrics(service: keyof UpstreamUrls): Promise<MetricSample[] | null> {
    try {
      const r = await fetchFn(`${urls[service]}/metrics`, { signal: AbortSignal.timeout(5_000) });
      return r.ok ? parsePrometheusText(await r.text()) : null;
    } catch { return null; }
  }
  return { call, ready, metrics, urls };
}
export type Upstream = ReturnType<typeof createUpstream>;

export interface MetricSample { name: string; labels: Record<string, string>; value: number }

/** The samples of a Prometheus text exposition (comments skipped; label values unescaped). */
export function parsePrometheusText(text: string): MetricSample[] {
  const out: MetricSample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_x, c: string) => (c === 'n' ? '\n' : c));
    const value = Number(m[3]);
    if (!Number.isNaN(value)) out.push({ name: m[1]!, labels, value });
  }
  return out;
}

/** Sum of a metric's samples whose labels include `match`. */
export const sumOf = (samples: MetricSample[] | null, name: string, match: Record<string, string> = {}): number | null =>
  samples ? samples.filter((x) => x.name === name && Object.entries(match).every(([k, v]) => x.labels[k] === v)).reduce((s, x) => s + x.value, 0) : null;
