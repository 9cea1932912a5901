/**
 * The web console: a backend-for-frontend that renders Thai-first HTML and calls ingest, detector and alerts over
 * HTTP on the signed-in user's behalf. The browser holds only a server-side session id (httpOnly, SameSite=Strict,
 * signed, `Secure` and `__Host-` in production); at each request the console trades it at alerts for a bearer
 * token of a few minutes, so logout ends the session everywhere and no token ever reaches the browser. Every POST
 * needs a CSRF token (@fastify/csrf-protection, secret in a signed cookie).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import { createHttpApp, forwardedClientHeaders, SESSION_HEADER, clientAddressOf, type HttpApp, type HttpGuards, type Principal } from '@paywatch/http-kit';
import type { Logger, Registry } from '@paywatch/observability';
import { toCsv } from './format.ts';
import { multipartField } from './multipart.ts';
import type { Lang } from './i18n.ts';
import { canSee, errorPage, homeFor, type PageContext, type Viewer } from './layout.ts';
import { alertPage, batchPage, loginPage, uploadPage, type ActionError, type Assignable } from './pages.ts';
import { safeNextPath } from './next-path.ts';
import { fieldLabel } from './labels.ts';
import { centrePage, CENTRE_PAGE_LAOS } from './centre-page.ts';
import { rankingTable, ruleOutcomesTable, tableCsv, tableXlsx } from './centre-export.ts';
import { loadOps } from './ops-data.ts';
import { opsPage } from './ops-page.ts';
import { registerReferenceRoutes } from './reference-routes.ts';
import { registerCaseRoutes } from './case-routes.ts';
import type { ReferenceRefusal } from './reference-pages.ts';
import { createUpstream, UpstreamError, type CallerAuth, type FetchFn, type UpstreamUrls } from './upstream.ts';
import type { AlertDetail, AlertSummary, AuditItem, Batch, CentreReport, ReferenceUpload, Reject, Revealed } from './types.ts';

export interface ConsoleDeps {
  logger: Logger;
  metrics: Registry;
  /** Same HS256 secret as the other services: proves the client addresses the console forwards to them. */
  jwtSecret: string;
  upstream: UpstreamUrls;
  /** Signs the session and CSRF cookies. */
  cookieSecret: string;
  fetch?: FetchFn;
  /** Secure `__Host-` cookies (HTTPS deployments: main.ts always). Default false so http://127.0.0.1 works in dev. */
  secureCookies?: boolean;
  /** Rate limits and trusted proxies (http-kit defaults when absent). */
  http?: HttpGuards;
  maxUploadBytes?: number;
}

const LANG = 'pw_lang';
/** What the console's pages need and nothing more: its own scripts, styles, fonts and charts; no framing. */
export const CONSOLE_CSP: Record<string, string[]> = {
  defaultSrc: ["'none'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], fontSrc: ["'self'"], connectSrc: ["'self'"],
  formAction: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"], objectSrc: ["'none'"],
};
const ROOT = resolve(import.meta.dirname, '..');
/** Same default as ingest's MAX_UPLOAD_BYTES, so the console never refuses what ingest would take. */
const DEFAULT_MAX_UPLOAD = 50 * 1024 * 1024;
const sizeText = (bytes: number) => (bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.round(bytes / 1024)} KB`);
const tooLarge = (bytes: number) => ({ th: `ไฟล์มีขนาดเกิน ${sizeText(bytes)} ที่ระบบรับได้ กรุณาแบ่งไฟล์`, en: `The file exceeds the ${sizeText(bytes)} upload limit; split it` });

declare module 'fastify' {
  interface FastifyRequest { viewer?: Viewer | null; token?: CallerAuth | null; lang?: Lang }
  interface FastifyContextConfig { public?: boolean; roles?: readonly string[] }
}

/** Reads the CSRF token from the header, a urlencoded body, or the `_csrf` part of a raw multipart body. */
function csrfTokenOf(req: FastifyRequest): string | undefined {
  const h = req.headers['x-csrf-token'];
  if (typeof h === 'string' && h) return h;
  const body = req.body as unknown;
  if (Buffer.isBuffer(body)) return multipartField(body, '_csrf');
  if (body && typeof body === 'object' && typeof (body as { _csrf?: unknown })._csrf === 'string') return (body as { _csrf: string })._csrf;
  return undefined;
}

export async function buildConsoleService(deps: ConsoleDeps): Promise<{ app: HttpApp; start(): Promise<void>; stop(): Promise<void> }> {
  const upstream = createUpstream(deps.upstream, deps.fetch ?? globalThis.fetch);
  const app = await createHttpApp({
    service: 'console', description: 'paywatch web console (server-rendered HTML, Thai first)', logger: deps.logger, metrics: deps.metrics, jwtSecret: deps.jwtSecret,
    bodyLimitBytes: deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD,
    readiness: Object.fromEntries((['ingest', 'detector', 'alerts'] as const).map((s) => [s, async () => (await upstream.ready(s)).ok])),
    contentSecurityPolicy: CONSOLE_CSP,
    ...deps.http,
    limitedRoutes: [{ method: 'POST', url: /^\/login$/, kind: 'login' }, { method: 'POST', url: /^\/(upload|reference)$/, kind: 'upload' }],
  });
  const secure = deps.secureCookies ?? false;
  const cookieOpts = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure, signed: true };
  // `__Host-` makes the browser refuse the cookie unless it is Secure, host-only and for the whole site.
  const SESSION = secure ? '__Host-pw_session' : 'pw_session';
  await app.register(fastifyCookie, { secret: deps.cookieSecret });
  await app.register(fastifyFormbody);
  await app.register(fastifyCsrf, { cookieKey: secure ? '__Host-pw_csrf' : 'pw_csrf', cookieOpts, getToken: csrfTokenOf });
  // Upload bodies are forwarded to ingest byte for byte: keep multipart raw instead of parsing it here.
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD }, (_req, body, done) => done(null, body));

  // Assets: the font from @fontsource/sarabun, Chart.js's UMD build, and the console's own CSS and JS. No CDN.
  await app.register(fastifyStatic, { root: resolve(ROOT, 'node_modules/@fontsource/sarabun/files'), prefix: '/assets/fonts/', maxAge: '7d', immutable: true });
  const assets: Record<string, { type: string; body: Buffer }> = {
    'chart.umd.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(resolve(ROOT, 'node_modules/chart.js/dist/chart.umd.js')) },
    'console.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(resolve(ROOT, 'assets/console.js')) },
    'console.css': { type: 'text/css; charset=utf-8', body: readFileSync(resolve(ROOT, 'assets/console.css')) },
  };
  for (const [name, a] of Object.entries(assets)) {
    app.get(`/assets/${name}`, { schema: { hide: true }, config: { public: true } }, async (_req, reply) => reply.header('content-type', a.type).header('cache-control', 'public, max-age=3600').send(a.body));
  }

  const clientOf = (req: FastifyRequest) => forwardedClientHeaders(deps.jwtSecret, clientAddressOf(req));
  /** The session's user and a fresh short token, or null when the session has ended (or never was). */
  const sessionOf = async (req: FastifyRequest, sessionId: string): Promise<{ viewer: Viewer; auth: CallerAuth } | null> => {
    try {
      const { data } = await upstream.call<{ token: string; principal: Principal }>('alerts', '/v1/auth/session/token', { method: 'POST', headers: { [SESSION_HEADER]: sessionId, ...clientOf(req) } });
      return { viewer: data.principal, auth: { bearer: data.token, clientHeaders: clientOf(req) } };
    } catch (e) {
      if (e instanceof UpstreamError && e.status === 401) return null;
      throw e;
    }
  };

  await app.register(async (s) => {
    s.addHook('preHandler', async (req, reply) => {
      const q = req.query as { lang?: string } | undefined;
      let lang: Lang = req.cookies[LANG] === 'en' ? 'en' : 'th';
      if (q?.lang === 'th' || q?.lang === 'en') { lang = q.lang; reply.setCookie(LANG, lang, { path: '/', sameSite: 'strict', maxAge: 365 * 86400 }); }
      req.lang = lang;
      const signed = req.cookies[SESSION];
      const un = signed ? req.unsignCookie(signed) : null;
      const session = un?.valid && un.value ? await sessionOf(req, un.value) : null;
      // An ended session's cookie is dropped, so the browser stops sending it.
      if (signed && !session) reply.clearCookie(SESSION, { path: '/' });
      req.token = session?.auth ?? null;
      req.viewer = session?.viewer ?? null;
      if (req.routeOptions.config.public) return;
      if (!req.viewer) {
        if (req.method === 'GET') return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
        return reply.status(401).type('text/html; charset=utf-8').send(errorPage(ctxOf(req, reply), 401));
      }
      const roles = req.routeOptions.config.roles;
      if (roles && !roles.includes(req.viewer.role)) return reply.status(403).type('text/html; charset=utf-8').send(errorPage(ctxOf(req, reply), 403));
    });

    s.setErrorHandler((err, req, reply) => {
      const ctx = ctxOf(req, reply);
      if (err instanceof UpstreamError) {
        // 503 passes through too: ingest says so when the same file is still being received (try again).
        const status = [400, 401, 403, 404, 409, 413, 422, 503].includes(err.status) ? err.status : 502;
        if (status === 502) req.log.error({ service: err.service, status: err.status, body: err.body }, 'upstream error');
        return reply.status(status).type('text/html; charset=utf-8').send(errorPage(ctx, status, err.messages));
      }
      const e = err as { statusCode?: number; code?: string };
      if (e.code?.startsWith('FST_CSRF')) return reply.status(403).type('text/html; charset=utf-8').send(errorPage(ctx, 403, { th: 'แบบฟอร์มหมดอายุหรือไม่ถูกต้อง กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง', en: 'The form expired or is not valid; reload the page and try again' }));
      // The console's own body limit: say so in words, like ingest's limit, instead of a bare 413.
      if (e.statusCode === 413) return reply.status(413).type('text/html; charset=utf-8').send(errorPage(ctx, 413, tooLarge(deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD)));
      if (e.statusCode && e.statusCode < 500) return reply.status(e.statusCode).type('text/html; charset=utf-8').send(errorPage(ctx, e.statusCode));
      req.log.error({ err }, 'console error');
      return reply.status(500).type('text/html; charset=utf-8').send(errorPage(ctx, 500));
    });

    const ctxOf = (req: FastifyRequest, reply: FastifyReply): PageContext => ({ lang: req.lang ?? 'th', viewer: req.viewer ?? null, csrf: reply.generateCsrf(), path: req.url });
    const send = (reply: FastifyReply, body: string, status = 200) => reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
    const protect = { preHandler: s.csrfProtection };
    const pub = { schema: { hide: true }, config: { public: true } };
    const hidden = (roles: readonly string[]) => ({ schema: { hide: true }, config: { roles } });

    s.get('/', pub, async (req, reply) => reply.redirect(req.viewer ? homeFor(req.viewer.role) : '/login', 303));
    // `next` (a same-origin path only, next-path.ts) is carried through the form so the login returns to the page opened.
    const nextOf = (req: FastifyRequest) => safeNextPath((req.query as { next?: unknown }).next);
    const landing = (viewer: Viewer, next: string | null) => (next && canSeePath(viewer.role, next) ? next : homeFor(viewer.role));
    s.get('/login', pub, async (req, reply) => req.viewer ? reply.redirect(landing(req.viewer, nextOf(req)), 303) : send(reply, loginPage(ctxOf(req, reply), { next: nextOf(req) })));
    s.post('/login', { ...pub, ...protect }, async (req, reply) => {
      const b = (req.body ?? {}) as { username?: string; password?: string };
      try {
        const { data } = await upstream.call<{ sessionId: string; expiresAt: string; principal: Principal }>('alerts', '/v1/auth/sessions', {
          method: 'POST', headers: clientOf(req), json: { username: String(b.username ?? ''), password: String(b.password ?? '') },
        });
        const maxAge = Math.max(1, Math.floor((Date.parse(data.expiresAt) - Date.now()) / 1000));
        reply.setCookie(SESSION, data.sessionId, { ...cookieOpts, maxAge });
        return reply.redirect(landing(data.principal, nextOf(req)), 303);
      } catch (e) {
        if (e instanceof UpstreamError && (e.status === 401 || e.status === 400)) return send(reply, loginPage(ctxOf(req, reply), { error: true, username: String(b.username ?? ''), next: nextOf(req) }), 401);
        // Throttled: the login page again, with the service's message (how long to wait) in the user's language.
        if (e instanceof UpstreamError && e.status === 429) return send(reply, loginPage(ctxOf(req, reply), { error: true, username: String(b.username ?? ''), next: nextOf(req), ...(e.messages ? { message: e.messages } : {}) }), 429);
        throw e;
      }
    });
    // Logout ends the session at alerts (every replica, at once); the cookie goes too.
    s.post('/logout', { ...pub, ...protect }, async (req, reply) => {
      const signed = req.cookies[SESSION];
      const un = signed ? req.unsignCookie(signed) : null;
      if (un?.valid && un.value) {
        try {
          await upstream.call('alerts', '/v1/auth/session', { method: 'DELETE', headers: { [SESSION_HEADER]: un.value, ...clientOf(req) } });
        } catch (err) {
          req.log.error({ err }, 'logout could not end the session at alerts');
          reply.clearCookie(SESSION, { path: '/' });
          throw err;
        }
      }
      return reply.clearCookie(SESSION, { path: '/' }).redirect('/login', 303);
    });

    // ---- upload (finance) ----
    const FINANCE = ['finance', 'admin'] as const;
    /** The upload page's data: the LAO's batches and the reference lists in force the user may see. */
    const renderUpload = async (req: FastifyRequest, reply: FastifyReply, refusal: ReferenceRefusal | null = null) => {
      const [batches, reference] = await Promise.all([
        upstream.call<{ batches: Batch[] }>('ingest', '/v1/batches?limit=50', { token: req.token }),
        upstream.call<{ lists: ReferenceUpload[] }>('ingest', '/v1/reference', { token: req.token }),
      ]);
      return uploadPage(ctxOf(req, reply), batches.data.batches, { lists: reference.data.lists, refusal });
    };
    s.get('/upload', hidden(FINANCE), async (req, reply) => send(reply, await renderUpload(req, reply)));
    registerReferenceRoutes(s, { upstream, ctxOf, send, hidden, protect, uploadPageWith: renderUpload });
    s.post('/upload', { ...hidden(FINANCE), ...protect }, async (req, reply) => {
      const wantsJson = String(req.headers.accept ?? '').includes('application/json');
      const ct = req.headers['content-type'];
      if (!Buffer.isBuffer(req.body) || !ct?.startsWith('multipart/form-data')) return send(reply, errorPage(ctxOf(req, reply), 400), 400);
      try {
        const { data } = await upstream.call<{ batchId: string; duplicate: boolean; status: string }>('ingest', '/v1/batches', { method: 'POST', token: req.token, body: new Uint8Array(req.body), headers: { 'content-type': ct } });
        if (wantsJson) return reply.send(data);
        return reply.redirect(`/batches/${data.batchId}${data.duplicate ? '?duplicate=1' : ''}`, 303);
      } catch (e) {
        if (wantsJson && e instanceof UpstreamError) return reply.status(e.status).send({ error: true, message: e.messages ? e.messages[req.lang ?? 'th'] : `HTTP ${e.status}` });
        throw e;
      }
    });
    const BATCH_READERS = ['finance', 'provincial-auditor', 'district-auditor', 'central', 'admin'] as const;
    const batchId = (req: FastifyRequest) => {
      const id = (req.params as { id: string }).id;
      if (!/^b_[0-9a-f]{24}$/.test(id)) throw new UpstreamError(404, null, 'console');
      return id;
    };
    s.get('/batches/:id', hidden(BATCH_READERS), async (req, reply) => {
      const { data } = await upstream.call<{ batch: Batch; rejects: Reject[] }>('ingest', `/v1/batches/${batchId(req)}`, { token: req.token });
      return send(reply, batchPage(ctxOf(req, reply), data.batch, data.rejects, (req.query as { duplicate?: string }).duplicate === '1'));
    });
    s.get('/batches/:id/status.json', hidden(BATCH_READERS), async (req, reply) => {
      const { data } = await upstream.call<{ batch: Batch }>('ingest', `/v1/batches/${batchId(req)}`, { token: req.token });
      return reply.header('cache-control', 'no-store').send({ status: data.batch.status, rowsRead: data.batch.rowsRead, rowsRejected: data.batch.rowsRejected });
    });
    s.get('/batches/:id/rejects.csv', hidden(BATCH_READERS), async (req, reply) => {
      const id = batchId(req);
      const { data } = await upstream.call<{ batch: Batch; rejects: Reject[] }>('ingest', `/v1/batches/${id}`, { token: req.token });
      // Thai headers first (the people who open it), the English ones in brackets for the department's scripts.
      const csv = toCsv([['แถว (row)', 'ช่องข้อมูล (field)', 'รหัสเหตุผล (code)', 'เหตุผล (reason_th)', 'reason (reason_en)', 'ข้อความในไฟล์ (raw)'],
        ...data.rejects.map((r) => [r.row, r.field ? `${fieldLabel(r.field, 'th')} (${r.field})` : '', r.code, r.message.th, r.message.en, r.raw])]);
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="rejects-${id}.csv"`).send(csv);
    });

    // ---- inbox and alert page (auditors, central) ----
    const READERS = ['provincial-auditor', 'district-auditor', 'central', 'admin'] as const;
    const CASE = ['provincial-auditor', 'district-auditor'];
    /** Every page of a filtered list (up to 2,000 alerts), and the upstream's counts by status of that filter. */
    async function allAlerts(token: CallerAuth | null | undefined, filters: Record<string, string | undefined> = {}): Promise<{ items: AlertSummary[]; counts: Record<string, number> | null }> {
      const out: AlertSummary[] = [];
      let counts: Record<string, number> | null = null;
      let cursor: string | undefined;
      for (let i = 0; i < 10; i++) {
        const qs = new URLSearchParams({ limit: '200' });
        for (const [k, v] of Object.entries(filters)) if (v) qs.set(k, v);
        if (cursor) qs.set('cursor', cursor);
        const { data } = await upstream.call<{ items: AlertSummary[]; nextCursor?: string | null; counts?: Record<string, number> }>('alerts', `/v1/alerts?${qs}`, { token });
        out.push(...data.items);
        counts ??= data.counts ?? null;
        if (!data.nextCursor || !data.items.length) break;
        cursor = data.nextCursor;
      }
      return { items: out, counts };
    }
    // The inbox and the case pages (ADR 0016): cases or alerts, sorted and paged by the API, bulk actions, saved filters.
    registerCaseRoutes(s, { upstream, fetch: deps.fetch ?? globalThis.fetch, ctxOf, send, hidden, protect });
    const alertId = (req: FastifyRequest) => {
      const id = (req.params as { id: string }).id;
      if (!/^al_[0-9a-f]{24}$/.test(id)) throw new UpstreamError(404, null, 'console');
      return id;
    };
    /** The auditors who may hold the case, for the assign picker; null (a text field) when alerts cannot list them. */
    const assigneesOf = async (req: FastifyRequest, id: string, actions: readonly string[] | undefined): Promise<Assignable[] | null> => {
      if (actions && !actions.includes('assign')) return null;
      try {
        return (await upstream.call<{ items: Assignable[] }>('alerts', `/v1/alerts/${id}/assignees`, { token: req.token })).data.items;
      } catch (e) {
        if (e instanceof UpstreamError && [403, 404].includes(e.status)) return null;
        throw e;
      }
    };
    const showAlert = async (req: FastifyRequest, reply: FastifyReply, id: string, revealed: Revealed | null = null, actionError: ActionError | null = null, status = 200) => {
      const [d, audit] = await Promise.all([
        upstream.call<AlertDetail>('alerts', `/v1/alerts/${id}`, { token: req.token }),
        upstream.call<{ items: AuditItem[] }>('alerts', `/v1/alerts/${id}/audit`, { token: req.token }),
      ]);
      const assignees = await assigneesOf(req, id, d.data.actions);
      return send(reply, alertPage(ctxOf(req, reply), d.data, audit.data.items, CASE.includes(req.viewer!.role), revealed, { assignees, actionError }), status);
    };
    s.get('/alerts/:id', hidden(READERS), async (req, reply) => showAlert(req, reply, alertId(req)));
    const form = (req: FastifyRequest) => (req.body ?? {}) as Record<string, string | undefined>;
    /** What the auditor typed into an action's form, kept to fill it in again (never the CSRF token). */
    const typedValues = (req: FastifyRequest): Record<string, string> => Object.fromEntries(Object.entries(form(req)).filter(([k, v]) => k !== '_csrf' && typeof v === 'string').map(([k, v]) => [k, String(v).slice(0, 4000)]));
    /** A message for a refusal the service sent without one (a schema check), per action. */
    const INVALID: Record<string, { th: string; en: string }> = {
      assign: { th: 'กรุณาเลือกผู้รับผิดชอบจากรายชื่อ', en: 'Choose the assignee from the list' },
      comment: { th: 'กรุณาพิมพ์ความเห็น (ไม่เกิน 4,000 ตัวอักษร)', en: 'Type a comment (at most 4,000 characters)' },
      snooze: { th: 'กรุณาเลือกกฎ ระบุจำนวนวัน 1–180 และเหตุผล', en: 'Choose a rule, 1–180 days and a reason' },
      resolve: { th: 'กรุณาเลือกผลการตรวจสอบและระบุเหตุผล', en: 'Choose a disposition and give a reason' },
    };
    const GENERIC = { th: 'ดำเนินการไม่สำเร็จ กรุณาตรวจสอบข้อมูลแล้วลองอีกครั้ง', en: 'That did not work; check the form and try again' };
    /**
     * Runs one action of the alert page: on success back to the alert (or `done`'s own answer); a refusal the user can
     * fix (400, 409, 422) comes back as the alert page with the message in the action's form and the form as typed.
     */
    const act = (action: string, run: (req: FastifyRequest, reply: FastifyReply, id: string) => Promise<unknown>) => async (req: FastifyRequest, reply: FastifyReply) => {
      const id = alertId(req);
      try {
        const answered = await run(req, reply, id);
        return answered ?? reply.redirect(`/alerts/${id}#${action === 'comment' ? 'comment-h' : 'alert-status'}`, 303);
      } catch (e) {
        const local = e instanceof ActionRefusal ? e : null;
        if (!local && !(e instanceof UpstreamError && [400, 409, 422].includes(e.status))) throw e;
        const message = local?.messages ?? (e as UpstreamError).messages;
        const upstreamCode = (e as UpstreamError).body && ((e as UpstreamError).body as { error?: { code?: string } }).error?.code;
        const shown = !message || upstreamCode === 'PW_ERR_VALIDATION' ? INVALID[action] ?? message ?? GENERIC : message;
        return showAlert(req, reply, id, null, { action, message: shown, values: typedValues(req) }, local ? 400 : (e as UpstreamError).status);
      }
    };
    // Answered with the page itself, not a redirect: the unmasked values must not live in a URL or be re-shown on reload.
    s.post('/alerts/:id/reveal', { ...hidden(CASE), ...protect }, act('reveal', async (req, reply, id) => {
      const purpose = (form(req).purpose ?? '').trim().slice(0, 500);
      const { data } = await upstream.call<Revealed>('alerts', `/v1/alerts/${id}/reveal`, { method: 'POST', token: req.token, json: purpose ? { purpose } : {} });
      return showAlert(req, reply, id, data);
    }));
    s.post('/alerts/:id/acknowledge', { ...hidden(CASE), ...protect }, act('acknowledge', async (req, _reply, id) => {
      await upstream.call('alerts', `/v1/alerts/${id}/transitions`, { method: 'POST', token: req.token, json: { to: 'acknowledged' } });
    }));
    s.post('/alerts/:id/resolve', { ...hidden(CASE), ...protect }, act('resolve', async (req, _reply, id) => {
      const b = form(req);
      if (!b.disposition || !(b.reason ?? '').trim()) throw new ActionRefusal(INVALID.resolve!);
      // The lifecycle is new → acknowledged → investigating → resolved; each step is its own audited transition.
      const { data } = await upstream.call<AlertDetail>('alerts', `/v1/alerts/${id}`, { token: req.token });
      const path = ['acknowledged', 'investigating', 'resolved'];
      const from = path.indexOf(data.alert.status);
      for (const to of path.slice(from + 1)) {
        await upstream.call('alerts', `/v1/alerts/${id}/transitions`, { method: 'POST', token: req.token, json: to === 'resolved' ? { to, disposition: b.disposition, reason: b.reason } : { to } });
      }
    }));
    s.post('/alerts/:id/assign', { ...hidden(CASE), ...protect }, act('assign', async (req, _reply, id) => {
      const who = (form(req).assignee ?? '').trim();
      await upstream.call('alerts', `/v1/alerts/${id}/assignee`, { method: 'POST', token: req.token, json: { assignee: who || null } });
    }));
    s.post('/alerts/:id/comment', { ...hidden(['provincial-auditor', 'district-auditor', 'central']), ...protect }, act('comment', async (req, _reply, id) => {
      const text = (form(req).text ?? '').trim();
      if (!text) throw new ActionRefusal(INVALID.comment!);
      await upstream.call('alerts', `/v1/alerts/${id}/comments`, { method: 'POST', token: req.token, json: { text } });
    }));
    s.post('/alerts/:id/snooze', { ...hidden(CASE), ...protect }, act('snooze', async (req, _reply, id) => {
      const b = form(req);
      const days = Number(b.days);
      if (!Number.isInteger(days) || days < 1 || days > 180 || !b.ruleId || !(b.reason ?? '').trim()) throw new ActionRefusal(INVALID.snooze!);
      await upstream.call('alerts', `/v1/alerts/${id}/snoozes`, { method: 'POST', token: req.token, json: { ruleId: b.ruleId, days, reason: b.reason } });
    }));


    // ---- centre and ops ----
    // Scoped by the alerts API: central sees the country, an auditor their province (district auditor: district).
    const CENTRE = ['provincial-auditor', 'district-auditor', 'central', 'admin'] as const;
    const centreReport = async (token: CallerAuth | null | undefined, laoLimit: number) =>
      (await upstream.call<CentreReport>('alerts', `/v1/reports/centre?laoLimit=${laoLimit}`, { token })).data;
    s.get('/centre', hidden(CENTRE), async (req, reply) => send(reply, centrePage(ctxOf(req, reply), await centreReport(req.token, CENTRE_PAGE_LAOS + 1))));
    // The exports: the same report with every LAO, as CSV (UTF-8 BOM, Thai headers) or XLSX. Aggregates, no accounts:
    // logged with who took which, like the other downloads (nothing in them needs the audited reveal).
    s.get('/centre/:file', hidden(CENTRE), async (req, reply) => {
      const m = /^(ranking|rules)\.(csv|xlsx)$/.exec((req.params as { file: string }).file);
      if (!m) throw new UpstreamError(404, null, 'console');
      const [, name, format] = m as unknown as [string, 'ranking' | 'rules', 'csv' | 'xlsx'];
      const report = await centreReport(req.token, 10_000);
      const table = name === 'ranking' ? rankingTable(report) : ruleOutcomesTable(report);
      const file = `centre-${name}-${report.generatedAt.slice(0, 10)}.${format}`;
      req.log.info({ sub: req.viewer?.sub, role: req.viewer?.role, export: name, format, rows: table.rows.length }, 'centre export');
      reply.header('content-disposition', `attachment; filename="${file}"`).header('cache-control', 'no-store');
      if (format === 'csv') return reply.header('content-type', 'text/csv; charset=utf-8').send(tableCsv(table));
      return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(Buffer.from(await tableXlsx(table)));
    });
    s.get('/ops', hidden(['ops', 'central', 'admin']), async (req, reply) => {
      const replayed = Number((req.query as { replayed?: string }).replayed);
      return send(reply, opsPage(ctxOf(req, reply), {
        ...(await loadOps(upstream, req.token)), canReplay: REPLAYERS.includes(req.viewer!.role),
        replayedId: Number.isSafeInteger(replayed) && replayed > 0 ? replayed : undefined,
      }));
    });
    const REPLAYERS = ['ops', 'admin'];
    s.post('/ops/dead-letters/:id/replay', { ...hidden(REPLAYERS), ...protect }, async (req, reply) => {
      const id = (req.params as { id: string }).id;
      if (!/^\d{1,15}$/.test(id)) throw new UpstreamError(404, null, 'console');
      await upstream.call('alerts', `/v1/ops/dead-letters/${id}/replay`, { method: 'POST', token: req.token, json: {} });
      return reply.redirect(`/ops?replayed=${id}#dead-letter-section`, 303);
    });
  });

  return { app, start: async () => undefined, stop: async () => { await app.close(); } };
}

/** A refusal the console finds itself before asking alerts (an empty reason, days out of range), in both languages. */
class ActionRefusal extends Error {
  constructor(readonly messages: { th: string; en: string }) { super(messages.en); this.name = 'ActionRefusal'; }
}

function canSeePath(role: string, path: string): boolean {
  const top = `/${path.split(/[/?#]/)[1] ?? ''}`;
  if (top === '/alerts' || top === '/cases') return canSee(role, '/inbox');
  // Batches and reference lists: ingest decides who may read which (404 otherwise).
  if (top === '/batches' || top === '/reference') return true;
  return canSee(role, top);
}
