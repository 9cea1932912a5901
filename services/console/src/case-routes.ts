/**
 * The console's inbox and case pages (ADR 0016): GET /inbox (cases or alerts, sorted, paged, filtered; saved filters;
 * bulk acknowledge/assign) and /cases/:id with its forms. Every form posts with the CSRF token; a refused one comes
 * back on its page with the alerts service's message and what was typed (never a bare error page).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bahtToSatang } from './format.ts';
import { L } from './i18n.ts';
import type { PageContext } from './layout.ts';
import { boundaryOf, multipartFile } from './multipart-file.ts';
import { UpstreamError, type CallerAuth, type FetchFn, type Upstream } from './upstream.ts';
import type { CaseDetail, CaseSummary, InboxAlert, Page, Person, SavedFilter } from './case-types.ts';
import { casePage, type CaseFormError } from './case-page.ts';
import { inboxQueryString, inboxWorkbenchPage, type InboxData, type InboxQuery } from './inbox-page.ts';

/** What the routes need from the console app. */
export interface CaseRouteDeps {
  upstream: Upstream;
  fetch: FetchFn;
  ctxOf: (req: FastifyRequest, reply: FastifyReply) => PageContext;
  send: (reply: FastifyReply, body: string, status?: number) => FastifyReply;
  hidden: (roles: readonly string[]) => object;
  protect: object;
}

const READERS = ['provincial-auditor', 'district-auditor', 'central', 'admin'] as const;
const DECIDERS = ['provincial-auditor', 'district-auditor'] as const;
const COMMENTERS = ['provincial-auditor', 'district-auditor', 'central'] as const;
const FORM_STATUSES = [400, 404, 409, 413, 415, 503];

const caseIdOf = (req: FastifyRequest) => {
  const id = (req.params as { id: string }).id;
  if (!/^cs_[0-9a-f]{24}$/.test(id)) throw new UpstreamError(404, null, 'console');
  return id;
};
const one = (v: unknown): string | undefined => (Array.isArray(v) ? (v[0] as string | undefined) : typeof v === 'string' ? v : undefined);
const many = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

/** The inbox query as typed, each field checked by shape only (the alerts API validates the values). */
export function readInboxQuery(q: Record<string, unknown>): InboxQuery {
  const pick = (k: string, re: RegExp) => { const v = one(q[k])?.trim(); return v && re.test(v) ? v : undefined; };
  const view = one(q['view']) === 'cases' ? 'cases' : 'alerts';
  return {
    view, sort: pick('sort', /^(newest|severity|amount|age|due)$/) ?? (view === 'cases' ? 'severity' : 'newest'),
    severity: pick('severity', /^(low|medium|high|critical)$/),
    status: view === 'cases' ? pick('status', /^(open|closed)$/) : pick('status', /^(new|acknowledged|investigating|resolved)$/),
    lao: pick('lao', /^\d{7}$/), province: pick('province', /^.{1,40}$/), rule: pick('rule', /^.{1,100}$/), district: pick('district', /^.{1,200}$/),
    from: view === 'alerts' ? pick('from', /^.{1,40}$/) : undefined, to: view === 'alerts' ? pick('to', /^.{1,40}$/) : undefined,
    minBaht: pick('minBaht', /^.{1,40}$/), maxBaht: pick('maxBaht', /^.{1,40}$/), assignee: pick('assignee', /^[A-Za-z0-9_.@-]{1,200}$/), cursor: pick('cursor', /^[A-Za-z0-9_-]{1,512}$/),
  };
}

/** Adds the inbox and case routes to the console's authenticated scope. */
export function registerCaseRoutes(s: FastifyInstance, deps: CaseRouteDeps): void {
  const { upstream, ctxOf, send, hidden, protect } = deps;
  const form = (req: FastifyRequest) => (req.body ?? {}) as Record<string, unknown>;
  const canDecide = (req: FastifyRequest) => (DECIDERS as readonly string[]).includes(req.viewer!.role);

  async function loadInbox(req: FastifyRequest, q: InboxQuery): Promise<Omit<InboxData, 'now' | 'canAct' | 'query'>> {
    const token = req.token;
    const [saved, auditors] = await Promise.all([
      upstream.call<{ items: SavedFilter[] }>('alerts', '/v1/inbox/filters', { token }).then((r) => r.data.items),
      upstream.call<{ items: Person[] }>('alerts', '/v1/inbox/auditors', { token }).then((r) => r.data.items),
    ]);
    const minSatang = bahtToSatang(q.minBaht), maxSatang = bahtToSatang(q.maxBaht);
    if (minSatang === null || maxSatang === null) {
      return { saved, auditors, error: { th: 'จำนวนเงินต้องเป็นบาท เช่น 1500 หรือ 1,500.50 (ทศนิยมไม่เกิน 2 ตำแหน่ง)', en: 'Amounts are baht such as 1500 or 1,500.50 (at most 2 decimals)' } };
    }
    const filters: Record<string, string | undefined> = {
      severity: q.severity, status: q.status, lao: q.lao, province: q.province, rule: q.rule, district: q.district, assignee: q.assignee,
      minAmountSatang: minSatang === undefined ? undefined : String(minSatang), maxAmountSatang: maxSatang === undefined ? undefined : String(maxSatang),
      ...(q.view === 'alerts' ? { from: q.from, to: q.to } : {}),
    };
    const qs = (extra: Record<string, string | undefined>) => { const u = new URLSearchParams(); for (const [k, v] of Object.entries({ ...filters, ...extra })) if (v) u.set(k, v); return u.toString(); };
    try {
      if (q.view === 'cases') {
        const cases = (await upstream.call<Page<CaseSummary>>('alerts', `/v1/cases?${qs({ sort: q.sort, cursor: q.cursor, limit: '50' })}`, { token })).data;
        return { saved, auditors, cases };
      }
      const { assignee: _a, ...countFilters } = filters;
      const [alerts, counted] = await Promise.all([
        upstream.call<Page<InboxAlert>>('alerts', `/v1/inbox/alerts?${qs({ sort: q.sort, cursor: q.cursor, limit: '50' })}`, { token }).then((r) => r.data),
        // The counts by status of the filtered set (every filter but status): the alerts list answers them.
        upstream.call<{ counts: Record<string, number> }>('alerts', `/v1/alerts?${new URLSearchParams(Object.entries({ ...countFilters, limit: '1' }).filter((e): e is [string, string] => !!e[1]))}`, { token }).then((r) => r.data.counts),
      ]);
      return { saved, auditors, alerts, counts: counted };
    } catch (e) {
      // A filter the API refuses is the user's typo: the form again with its bilingual message, not an error page.
      if (e instanceof UpstreamError && e.status === 400 && e.messages) return { saved, auditors, error: e.messages };
      throw e;
    }
  }

  const renderInbox = async (req: FastifyRequest, reply: FastifyReply, q: InboxQuery, extra: { error?: { th: string; en: string } | null; notice?: string | null; selected?: Set<string>; status?: number } = {}) => {
    const data = await loadInbox(req, q);
    const error = extra.error ?? data.error ?? null;
    const body = inboxWorkbenchPage(ctxOf(req, reply), {
      ...data, query: q, now: new Date(), canAct: canDecide(req), error, notice: extra.notice ?? null, selected: extra.selected ?? new Set(),
      scopeProvinces: req.viewer?.provinces,
    });
    return send(reply, body, extra.status ?? (error ? 400 : 200));
  };

  s.get('/inbox', hidden(READERS), async (req, reply) => {
    const raw = req.query as Record<string, unknown>;
    const q = readInboxQuery(raw);
    const done = one(raw['done']);
    const m = done ? /^(ack|assign):(\d{1,4})(?::(\d{1,4}))?$/.exec(done) : null;
    const lang = req.lang ?? 'th';
    const notice = m ? (m[1] === 'ack'
      ? L(lang, `รับทราบแล้ว ${m[2]} รายการ${m[3] && m[3] !== '0' ? ` (อีก ${m[3]} รายการรับทราบไว้ก่อนแล้ว)` : ''}`, `Acknowledged ${m[2]}${m[3] && m[3] !== '0' ? ` (${m[3]} already were)` : ''}`)
      : L(lang, `มอบหมายแล้ว ${m[2]} รายการ`, `Assigned ${m[2]}`)) : null;
    return renderInbox(req, reply, q, { notice });
  });

  s.post('/inbox/bulk', { ...hidden(DECIDERS), ...protect }, async (req, reply) => {
    const b = form(req);
    const backQs = one(b['back']) ?? '';
    const q = readInboxQuery(Object.fromEntries(new URLSearchParams(backQs)));
    const ids = many(b['ids']).filter((x) => /^(al|cs)_[0-9a-f]{24}$/.test(x)).slice(0, 500);
    const selected = new Set(ids);
    const lang = req.lang ?? 'th';
    if (!ids.length) return renderInbox(req, reply, q, { error: { th: 'กรุณาเลือกเรื่องหรือการแจ้งเตือนอย่างน้อยหนึ่งรายการ', en: 'Select at least one case or alert' }, status: 400 });
    const payload = { alertIds: ids.filter((x) => x.startsWith('al_')), caseIds: ids.filter((x) => x.startsWith('cs_')) };
    try {
      if (one(b['action']) === 'assign') {
        const assignee = one(b['assignee'])?.trim() || null;
        const { data } = await upstream.call<{ assigned: string[] }>('alerts', '/v1/inbox/assign', { method: 'POST', token: req.token, json: { ...payload, assignee } });
        return reply.redirect(`/inbox?${inboxQueryString(q, { cursor: q.cursor, done: `assign:${data.assigned.length}` })}`, 303);
      }
      const { data } = await upstream.call<{ acknowledged: string[]; unchanged: string[] }>('alerts', '/v1/inbox/acknowledge', { method: 'POST', token: req.token, json: payload });
      return reply.redirect(`/inbox?${inboxQueryString(q, { cursor: q.cursor, done: `ack:${data.acknowledged.length}:${data.unchanged.length}` })}`, 303);
    } catch (e) {
      if (e instanceof UpstreamError && FORM_STATUSES.includes(e.status)) {
        return renderInbox(req, reply, q, { error: e.messages ?? { th: 'ดำเนินการไม่สำเร็จ', en: 'The action failed' }, selected, status: e.status });
      }
      throw e;
    }
  });

  s.post('/inbox/filters', { ...hidden(READERS), ...protect }, async (req, reply) => {
    const b = form(req);
    const query = one(b['query']) ?? '';
    const q = readInboxQuery(Object.fromEntries(new URLSearchParams(query)));
    try {
      await upstream.call('alerts', '/v1/inbox/filters', { method: 'POST', token: req.token, json: { name: one(b['name']) ?? '', query } });
      return reply.redirect(`/inbox?${inboxQueryString(q)}`, 303);
    } catch (e) {
      if (e instanceof UpstreamError && e.status === 400) return renderInbox(req, reply, q, { error: e.messages ?? { th: 'บันทึกตัวกรองไม่สำเร็จ', en: 'The filter was not saved' }, status: 400 });
      throw e;
    }
  });

  s.post('/inbox/filters/:id/delete', { ...hidden(READERS), ...protect }, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    if (!/^\d{1,15}$/.test(id)) throw new UpstreamError(404, null, 'console');
    await upstream.call('alerts', `/v1/inbox/filters/${id}`, { method: 'DELETE', token: req.token });
    const q = readInboxQuery(Object.fromEntries(new URLSearchParams(one(form(req)['back']) ?? '')));
    return reply.redirect(`/inbox?${inboxQueryString(q)}`, 303);
  });

  // ---- one case ----
  const showCase = async (req: FastifyRequest, reply: FastifyReply, id: string, error: CaseFormError | null = null, status = 200) => {
    const { data } = await upstream.call<CaseDetail>('alerts', `/v1/cases/${id}`, { token: req.token });
    const role = req.viewer!.role;
    return send(reply, casePage(ctxOf(req, reply), data, { canDecide: canDecide(req), canComment: (COMMENTERS as readonly string[]).includes(role), error }), status);
  };
  /** Runs a form's call; a refusal the user can fix re-renders the case page with the message and the values typed. */
  const caseForm = (formName: CaseFormError['form'], roles: readonly string[], act: (req: FastifyRequest, id: string, values: Record<string, string>) => Promise<void>) =>
    s.post(`/cases/:id/${formName === 'attach' ? 'attachments' : formName}`, { ...hidden(roles), ...protect }, async (req, reply) => {
      const id = caseIdOf(req);
      const values: Record<string, string> = {};
      if (!Buffer.isBuffer(req.body)) for (const [k, v] of Object.entries(form(req))) if (k !== '_csrf') values[k] = one(v) ?? '';
      try {
        await act(req, id, values);
        return reply.redirect(`/cases/${id}`, 303);
      } catch (e) {
        if (e instanceof UpstreamError && FORM_STATUSES.includes(e.status) && e.status !== 404) {
          const message = e.messages ?? { th: 'ข้อมูลในแบบฟอร์มไม่ถูกต้อง กรุณาตรวจสอบแล้วลองอีกครั้ง', en: 'The form is not valid; check it and try again' };
          return showCase(req, reply, id, { form: formName, message, values }, e.status);
        }
        throw e;
      }
    });

  s.get('/cases/:id', hidden(READERS), async (req, reply) => showCase(req, reply, caseIdOf(req)));
  caseForm('assign', DECIDERS, async (req, id, v) => {
    await upstream.call('alerts', `/v1/cases/${id}/assignee`, { method: 'POST', token: req.token, json: { assignee: v['assignee']?.trim() || null } });
  });
  caseForm('comment', COMMENTERS, async (req, id, v) => {
    await upstream.call('alerts', `/v1/cases/${id}/comments`, { method: 'POST', token: req.token, json: { text: v['text'] ?? '' } });
  });
  caseForm('close', DECIDERS, async (req, id, v) => {
    if (!v['disposition']) throw new UpstreamError(400, { error: { message: { th: 'กรุณาเลือกผลการพิจารณา', en: 'Choose a disposition' } } }, 'console');
    if (!v['reason']?.trim()) throw new UpstreamError(400, { error: { message: { th: 'กรุณาระบุเหตุผลที่ปิดเรื่อง', en: 'Give the reason for closing' } } }, 'console');
    await upstream.call('alerts', `/v1/cases/${id}/close`, { method: 'POST', token: req.token, json: { disposition: v['disposition'], reason: v['reason'] } });
  });
  caseForm('attach', DECIDERS, async (req, id) => {
    const boundary = Buffer.isBuffer(req.body) ? boundaryOf(req.headers['content-type']) : null;
    const file = boundary ? multipartFile(req.body as Buffer, boundary, 'file') : null;
    if (!file || !file.fileName || file.bytes.length === 0) throw new UpstreamError(400, { error: { message: { th: 'กรุณาเลือกไฟล์ที่จะแนบ', en: 'Choose a file to attach' } } }, 'console');
    // The service decides by the bytes; the declared type only has to be one it reads as a file.
    const type = ['application/pdf', 'image/png', 'image/jpeg'].includes(file.contentType) ? file.contentType : 'application/pdf';
    await upstream.call('alerts', `/v1/cases/${id}/attachments`, { method: 'POST', token: req.token, body: new Uint8Array(file.bytes), headers: { 'content-type': type, 'x-file-name': encodeURIComponent(file.fileName) } });
  });

  // Downloads pass the bytes through (never parsed); the alerts service audits each one.
  s.get('/cases/:id/attachments/:attachmentId', hidden(READERS), async (req, reply) => {
    const id = caseIdOf(req);
    const attachmentId = (req.params as { attachmentId: string }).attachmentId;
    if (!/^at_[0-9a-f]{24}$/.test(attachmentId)) throw new UpstreamError(404, null, 'console');
    const auth = req.token as CallerAuth;
    const r = await deps.fetch(`${upstream.urls.alerts}/v1/cases/${id}/attachments/${attachmentId}`, { headers: { ...auth.clientHeaders, authorization: `Bearer ${auth.bearer}` }, signal: AbortSignal.timeout(30_000) });
    if (!r.ok) throw new UpstreamError(r.status, await r.json().catch(() => null), 'alerts');
    const body = Buffer.from(await r.arrayBuffer());
    return reply.header('content-type', r.headers.get('content-type') ?? 'application/octet-stream').header('content-disposition', r.headers.get('content-disposition') ?? 'attachment')
      .header('x-content-type-options', 'nosniff').header('cache-control', 'no-store').send(body);
  });
}

