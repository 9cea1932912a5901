// Every route of the alerts app × every role × in scope / out of scope, asserted cell by cell. The route list
// comes from the fastify instance itself (service.routes, recorded by an onRoute hook), so a route added
// without a row in SPEC fails the first test instead of slipping through unchecked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal, Role } from '@paywatch/http-kit';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFolderBlobStore } from '@paywatch/blob-store';
import { AUDIT_KEY, batchOf, makeAlert, recordingContext, serviceOnPg, type PgService } from './helpers.ts';
import { bindAuditKey } from '../src/audit-log.ts';
import { attachToCase } from '../src/cases/case-attachments.ts';

type Who = { label: string; role: Role | null; inScope: boolean; principal: Principal | null };

// The alert under test is in LAO 6600101: province 66, district เมืองพิจิตร.
const WHO: readonly Who[] = [
  { label: 'anonymous', role: null, inScope: true, principal: null },
  { label: 'finance of the LAO', role: 'finance', inScope: true, principal: { sub: 'finance-6600101', role: 'finance', laoCode: '6600101' } },
  { label: 'finance of another LAO', role: 'finance', inScope: false, principal: { sub: 'finance-6000101', role: 'finance', laoCode: '6000101' } },
  { label: 'district auditor of the district', role: 'district-auditor', inScope: true, principal: { sub: 'district-6601', role: 'district-auditor', provinces: ['66'], district: 'เมืองพิจิตร' } },
  { label: 'district auditor of another district', role: 'district-auditor', inScope: false, principal: { sub: 'district-6602', role: 'district-auditor', provinces: ['66'], district: 'ตะพานหิน' } },
  { label: 'provincial auditor of 66', role: 'provincial-auditor', inScope: true, principal: { sub: 'auditor-66', role: 'provincial-auditor', provinces: ['66'] } },
  { label: 'provincial auditor of 60', role: 'provincial-auditor', inScope: false, principal: { sub: 'auditor-60', role: 'provincial-auditor', provinces: ['60'] } },
  { label: 'central', role: 'central', inScope: true, principal: { sub: 'central-1', role: 'central' } },
  { label: 'ops', role: 'ops', inScope: true, principal: { sub: 'ops-1', role: 'ops' } },
  { label: 'admin', role: 'admin', inScope: true, principal: { sub: 'admin-1', role: 'admin' } },
];

const READERS: Role[] = ['provincial-auditor', 'district-auditor', 'central', 'admin'];
const DECIDERS: Role[] = ['provincial-auditor', 'district-auditor'];

interface RouteSpec {
  /** Roles that get a success; others 403 (401 without a token). */
  allow: Role[] | 'public';
  /** On a public route: roles that are refused (403) all the same. */
  refuse?: Role[];
  /** Route addresses one alert: out of scope must be 404 exactly like a missing id. */
  perAlert?: boolean;
  /** List route: in scope must contain the alert (or, `case`, its case), out of scope must not. */
  lists?: boolean | 'case';
  /** Status on success. */
  ok: number;
  /** Builds the request for a fresh alert (write routes get a new alert per cell). */
  request: (alertId: string) => { payload?: object; url?: string; headers?: Record<string, string> };
  /** Puts the fresh alert in the state the route needs (`sub`: who will call). */
  prepare?: (s: PgService, alertId: string, sub: string) => Promise<void>;
}

/** Dead letter per replay cell (a dead letter replays once), keyed by the cell's fresh alert id. */
const deadLetterOf = new Map<string, number>();
let deadLetterOffset = 100;
const seedDeadLetter = async (s: PgService, alertId: string) => {
  const offset = String(deadLetterOffset++);
  const value = Buffer.from(JSON.stringify({ laoCode: '6600101', payeeAccount: '0123454321', payeeName: 'เทศบาลเมืองพิจิตร' }));
  await s.service.deadLetterConsumer.handleBatch({ topic: 'disbursements.v1.dlq', partition: 0, messages: [
    { topic: 'disbursements.v1.dlq', partition: 0, offset, key: '6600101', value, headers: { 'x-dlq-reason': 'amountSatang: required', 'x-dlq-source': `disbursements.v1/0/${offset}` }, timestamp: String(Date.now()) },
  ] }, recordingContext());
  const r = await s.db.query<{ id: string }>('SELECT id FROM dead_letters WHERE source_offset = $1', [offset]);
  deadLetterOf.set(alertId, Number(r.rows[0]!.id));
};

/** The case of a cell's fresh alert (each fresh alert is its own payee, so its own case). */
const caseOfAlert = new Map<string, string>();
const rememberCase = async (s: PgService, alertId: string) => {
  caseOfAlert.set(alertId, (await s.db.query<{ case_id: string }>('SELECT case_id FROM case_alerts WHERE alert_id = $1', [alertId])).rows[0]!.case_id);
};
const caseUrl = (alertId: string, tail = '') => ({ url: `/v1/cases/${caseOfAlert.get(alertId)}${tail}` });
const PDF = Buffer.from('%PDF-1.4\n% scope matrix\n%%EOF\n');
const attachmentOf = new Map<string, string>();
const seedAttachment = async (s: PgService, alertId: string) => {
  await rememberCase(s, alertId);
  const a = await attachToCase(bindAuditKey(s.db, AUDIT_KEY), attachmentStore, { caseId: caseOfAlert.get(alertId)!, scope: { provinces: null, district: undefined }, actor: { sub: 'auditor-66', role: 'provincial-auditor' }, fileName: 'ฎีกา.pdf', body: PDF, maxBytes: 1024 * 1024, now: new Date() });
  attachmentOf.set(alertId, a.attachmentId);
};
const filterOf = new Map<string, number>();
const seedFilter = async (s: PgService, alertId: string, sub: string) => {
  const r = await s.db.query<{ id: string }>(`INSERT INTO saved_filters (owner_sub, name, query, created_at) VALUES ($1, $2, 'severity=high', now()) RETURNING id`, [sub, alertId]);
  filterOf.set(alertId, Number(r.rows[0]!.id));
};
const attachmentStore = createFolderBlobStore(mkdtempSync(join(tmpdir(), 'paywatch-matrix-blobs-')));

const acknowledge = async (s: PgService, id: string) => { await s.db.query(`UPDATE alerts SET status = 'acknowledged' WHERE alert_id = $1`, [id]); };

const SPEC: Record<string, RouteSpec> = {
  'GET /v1/alerts': { allow: READERS, lists: true, ok: 200, request: () => ({}) },
  'GET /v1/alerts/:id': { allow: READERS, perAlert: true, ok: 200, request: () => ({}) },
  'GET /v1/alerts/:id/audit': { allow: READERS, perAlert: true, ok: 200, request: () => ({}) },
  'GET /v1/alerts/:id/payments': { allow: READERS, perAlert: true, ok: 200, request: () => ({}) },
  'POST /v1/alerts/:id/transitions': { allow: DECIDERS, perAlert: true, ok: 200, request: () => ({ payload: { to: 'acknowledged' } }) },
  // Who may hold the case: the assign picker of the deciders, for alerts in their scope.
  'GET /v1/alerts/:id/assignees': { allow: DECIDERS, perAlert: true, ok: 200, request: () => ({}) },
  'POST /v1/alerts/:id/assignee': { allow: DECIDERS, perAlert: true, ok: 200, request: () => ({ payload: { assignee: null } }) },
  'POST /v1/alerts/:id/comments': { allow: [...DECIDERS, 'central'], perAlert: true, ok: 201, request: () => ({ payload: { text: 'ตรวจสอบแล้ว', references: ['ฎีกา 1/2569'] } }) },
  'POST /v1/alerts/:id/snoozes': {
    allow: DECIDERS, perAlert: true, ok: 201, prepare: acknowledge,
    request: () => ({ payload: { ruleId: 'duplicate-payment', days: 30, reason: 'สัญญาเช่ารายเดือน' } }),
  },
  // Unmasking is the supervising auditor's case work: not central, admin, ops or finance.
  'POST /v1/alerts/:id/reveal': { allow: DECIDERS, perAlert: true, ok: 200, request: () => ({ payload: {} }) },
  'GET /v1/snoozes': { allow: READERS, lists: true, ok: 200, request: () => ({}) },
  // Cases (ADR 0016): scoped exactly like alerts; decisions are the deciders', comments also central's.
  'GET /v1/cases': { allow: READERS, lists: 'case', ok: 200, request: () => ({ url: '/v1/cases?sort=age' }) },
  'GET /v1/cases/:id': { allow: READERS, perAlert: true, ok: 200, prepare: rememberCase, request: (id) => caseUrl(id) },
  'POST /v1/cases/:id/assignee': { allow: DECIDERS, perAlert: true, ok: 200, prepare: rememberCase, request: (id) => ({ ...caseUrl(id, '/assignee'), payload: { assignee: null } }) },
  'POST /v1/cases/:id/comments': { allow: [...DECIDERS, 'central'], perAlert: true, ok: 201, prepare: rememberCase, request: (id) => ({ ...caseUrl(id, '/comments'), payload: { text: 'ขอเอกสารเพิ่ม' } }) },
  'POST /v1/cases/:id/attachments': {
    allow: DECIDERS, perAlert: true, ok: 201, prepare: rememberCase,
    request: (id) => ({ ...caseUrl(id, '/attachments'), payload: PDF, headers: { 'content-type': 'application/pdf', 'x-file-name': 'voucher.pdf' } }),
  },
  'GET /v1/cases/:id/attachments/:attachmentId': { allow: READERS, perAlert: true, ok: 200, prepare: seedAttachment, request: (id) => caseUrl(id, `/attachments/${attachmentOf.get(id)}`) },
  'POST /v1/cases/:id/close': { allow: DECIDERS, perAlert: true, ok: 200, prepare: rememberCase, request: (id) => ({ ...caseUrl(id, '/close'), payload: { disposition: 'explained', reason: 'มีสัญญาจ้าง' } }) },
  // The inbox: lists like alerts; bulk actions answer 200 and report out-of-scope ids as not found (changing nothing).
  'GET /v1/inbox/alerts': { allow: READERS, lists: true, ok: 200, request: () => ({ url: '/v1/inbox/alerts?sort=age' }) },
  'GET /v1/inbox/auditors': { allow: READERS, ok: 200, request: () => ({}) },
  'POST /v1/inbox/acknowledge': { allow: DECIDERS, ok: 200, request: (id) => ({ payload: { alertIds: [id] } }) },
  'POST /v1/inbox/assign': { allow: DECIDERS, ok: 200, request: (id) => ({ payload: { alertIds: [id], assignee: null } }) },
  'GET /v1/inbox/filters': { allow: READERS, ok: 200, request: () => ({}) },
  'POST /v1/inbox/filters': { allow: READERS, ok: 201, request: (id) => ({ payload: { name: `f-${id}-${Math.random()}`, query: 'severity=high' } }) },
  // Anyone's own filter only: here each caller deletes the one seeded for them.
  'DELETE /v1/inbox/filters/:id': { allow: READERS, ok: 204, prepare: seedFilter, request: (id) => ({ url: `/v1/inbox/filters/${filterOf.get(id)}` }) },
  // Delivery state for ops (no recipients or subjects), recipients for central/admin; not an auditor's tool.
  'GET /v1/notifications': { allow: ['ops', 'central', 'admin'], ok: 200, request: () => ({}) },
  'GET /v1/ops/channels': { allow: ['ops', 'central', 'admin'], ok: 200, request: () => ({}) },
  // Pipeline health, not payments: ops, and central/admin who oversee it; replaying is an operator's act.
  'GET /v1/ops/dead-letters': { allow: ['ops', 'central', 'admin'], ok: 200, request: () => ({}) },
  // Consumer offsets of this service's groups: pipeline health like the dead-letter list, no payment data.
  'GET /v1/ops/lag': { allow: ['ops', 'central', 'admin'], ok: 200, request: () => ({}) },
  'POST /v1/ops/dead-letters/:id/replay': {
    allow: ['ops', 'admin'], ok: 200, prepare: seedDeadLetter,
    request: (alertId) => ({ url: `/v1/ops/dead-letters/${deadLetterOf.get(alertId)}/replay` }),
  },
  'GET /v1/reports/rules': { allow: ['central', 'admin'], ok: 200, request: () => ({}) },
  // Aggregates within the caller's own scope (centre-report.test.ts proves an auditor sees only their province).
  'GET /v1/reports/centre': { allow: ['provincial-auditor', 'district-auditor', 'central', 'admin'], ok: 200, request: () => ({}) },
  // The registry decides routing: only admin imports (the seed itself, so later cells route as before); central reads.
  'POST /v1/registry': { allow: ['admin'], ok: 201, request: () => ({ payload: [...SEED_LAO_REGISTRY] }) },
  'GET /v1/registry': { allow: ['central', 'admin'], ok: 200, request: () => ({}) },
  'POST /v1/auth/login': { allow: 'public', ok: 200, request: () => ({ payload: { username: 'auditor-66', password: 'matrix-demo' } }) },
  'POST /v1/auth/sessions': { allow: 'public', ok: 201, request: () => ({ payload: { username: 'auditor-66', password: 'matrix-demo' } }) },
  // A made-up session id is refused whoever's bearer token comes with it: only the session decides.
  'POST /v1/auth/session/token': { allow: 'public', ok: 401, request: () => ({ headers: { 'x-paywatch-session': 'A'.repeat(43) } }) },
  'DELETE /v1/auth/session': { allow: 'public', ok: 204, request: () => ({ headers: { 'x-paywatch-session': 'A'.repeat(43) } }) },
  // Every signed-in role may change its own password (here refused as too short); nobody without a token.
  'POST /v1/auth/password': { allow: ['finance', 'district-auditor', 'provincial-auditor', 'central', 'ops', 'admin'], ok: 400, request: () => ({ payload: { currentPassword: 'x', newPassword: 'short' } }) },
};

let s: PgService;
let listed: string;
let listedCase: string;
let cell = 0;

beforeAll(async () => {
  s = await serviceOnPg({ extra: { demoPasswords: { 'auditor-66': 'matrix-demo' }, attachments: { store: attachmentStore } } });
  // One alert that every list should (or should not) show, with a snooze so the snooze list has a row too.
  const a = makeAlert({ laoCode: '6600101', key: 'listed' });
  listed = a.alertId;
  await s.service.consumer.handleBatch(batchOf([a]), recordingContext());
  listedCase = (await s.db.query<{ case_id: string }>('SELECT case_id FROM case_alerts WHERE alert_id = $1', [listed])).rows[0]!.case_id;
  await acknowledge(s, listed);
  const auditor = { authorization: `Bearer ${s.token({ sub: 'auditor-66', role: 'provincial-auditor', provinces: ['66'] })}` };
  const r = await s.service.app.inject({ method: 'POST', url: `/v1/alerts/${listed}/snoozes`, headers: auditor, payload: { ruleId: 'duplicate-payment', days: 30, reason: 'เตรียมข้อมูล' } });
  expect(r.statusCode).toBe(201);
  await seedDeadLetter(s, 'listed');
});
afterAll(async () => { await s.close(); });

async function freshAlert(spec: RouteSpec, who: Who): Promise<string> {
  cell++;
  const a = makeAlert({ laoCode: '6600101', key: `cell-${cell}` });
  await s.service.consumer.handleBatch(batchOf([a], cell), recordingContext());
  await spec.prepare?.(s, a.alertId, who.principal?.sub ?? 'nobody');
  return a.alertId;
}

function expectedStatus(spec: RouteSpec, who: Who): number {
  if (spec.allow === 'public') return who.role && spec.refuse?.includes(who.role) ? 403 : spec.ok;
  if (!who.role) return 401;
  if (!spec.allow.includes(who.role)) return 403;
  if (spec.perAlert && !who.inScope) return 404;
  return spec.ok;
}

// http-kit's own routes (no payment data, no token needed); everything else must be in SPEC.
const INFRA = ['GET /health', 'GET /ready', 'GET /metrics', 'GET /docs', 'GET /docs/', 'GET /docs/*', 'GET /docs/json', 'GET /docs/yaml',
  'GET /docs/static/index.html', 'GET /docs/static/swagger-initializer.js'];

/** Every route in fastify's own tree (`printRoutes`), as "METHOD /full/path", HEAD left out. */
function routesOf(tree: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (.+?) \(([A-Z, ]+)\)$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + m[2]!;
    stack[depth] = path;
    for (const method of m[3]!.split(', ')) if (method !== 'HEAD') out.push(`${method} ${path}`);
  }
  return out.sort();
}

describe('scope matrix', () => {
  it('when the app is built, then every route it registered is classified in SPEC (and SPEC names no route that is gone)', () => {
    const registered = s.service.routes.map((r) => `${r.method} ${r.url}`).sort();
    expect(registered).toEqual(Object.keys(SPEC).sort());
    // The same from fastify's route tree, which also holds the routes registered before the onRoute hook.
    expect(routesOf(s.service.app.printRoutes({ commonPrefix: false }))).toEqual([...Object.keys(SPEC), ...INFRA].sort());
  });

  it('when http-kit\'s routes are called without a token, then they answer and carry no alert data', async () => {
    for (const url of ['/health', '/ready', '/metrics', '/docs/json']) {
      const r = await s.service.app.inject(url);
      expect(r.statusCode, url).toBe(200);
      expect(r.body).not.toContain(listed);
      expect(r.body).not.toContain('เทศบาลเมืองพิจิตร');
    }
  });

  it('when /docs/json is fetched, then every registered route is documented with a summary', async () => {
    const doc = (await s.service.app.inject('/docs/json')).json();
    for (const r of s.service.routes) {
      const op = doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()];
      expect(op?.summary, `${r.method} ${r.url}`).toEqual(expect.any(String));
    }
  });

  const cells = Object.entries(SPEC).flatMap(([route, spec]) => WHO.map((who) => ({ route, spec, who })));
  it.each(cells.map((c) => [`${c.route} as ${c.who.label}`, c] as const))('%s', async (_name, { route, spec, who }) => {
    const [method, pattern] = route.split(' ') as ['GET' | 'POST' | 'DELETE', string];
    const alertId = pattern.includes(':id') || spec.request.length > 0 ? await freshAlert(spec, who) : listed;
    const req = spec.request(alertId);
    const url = req.url ?? pattern.replace(':id', alertId);
    // The alert's entries and its case's (case entries name the case in the payload).
    const auditRows = async () => (await s.db.query(`SELECT 1 FROM audit_log WHERE alert_id = $1 OR payload->>'caseId' = (SELECT case_id FROM case_alerts WHERE alert_id = $1)`, [alertId])).rowCount;
    const auditBefore = await auditRows();
    const headers = { ...req.headers, ...(who.principal ? { authorization: `Bearer ${s.token(who.principal)}` } : {}) };
    const r = await s.service.app.inject({ method, url, headers, ...(req.payload ? { payload: req.payload } : {}) });
    const expected = expectedStatus(spec, who);
    expect(r.statusCode, r.body.slice(0, 300)).toBe(expected);

    if (expected === 404) {
      // Indistinguishable from a missing id, and nothing was changed.
      const missingUrl = pattern.startsWith('/v1/cases/') ? pattern.replace(':id', 'cs_000000000000000000000000').replace(':attachmentId', attachmentOf.get(alertId) ?? 'at_0') : pattern.replace(':id', 'al_000000000000000000000000');
      const missing = await s.service.app.inject({ method, url: missingUrl, headers, ...(req.payload ? { payload: req.payload } : {}) });
      expect(r.body).toBe(missing.body);
      expect(await auditRows()).toBe(auditBefore);
    }
    if (expected >= 400) {
      expect(r.body).not.toContain('0123454321');
      expect(await auditRows()).toBe(auditBefore);
    }
    if (spec.lists === true && expected === 200) expect(r.body.includes(listed)).toBe(who.inScope);
    if (spec.lists === 'case' && expected === 200) expect(r.body.includes(listedCase)).toBe(who.inScope);

    // Accounts are masked in every answer but the audited reveal, which always leaves an audit entry.
    if (route === 'POST /v1/alerts/:id/reveal' && expected === 200) {
      expect(r.body).toContain('0123454321');
      expect(await auditRows()).toBe(auditBefore + 1);
    } else if (expected < 400) expect(r.body, route).not.toContain('0123454321');
    if (route === 'GET /v1/notifications' && who.role === 'ops') expect(r.body).not.toContain('@example.go.th');
    if (route === 'GET /v1/ops/dead-letters' && expected === 200) {
      expect(r.json().items.length).toBeGreaterThan(0);
      expect(r.body).not.toContain('0123454321');
      expect(r.body).not.toContain('เทศบาลเมืองพิจิตร');
    }
  });
});
