import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskAlert } from '../src/pii.ts';
import { batchOf, makeAlert, recordingContext, serviceOnPg, type PgService } from './helpers.ts';

// One service and data set for the whole file: the routes only read.
let s: PgService;
const phichit = makeAlert({ laoCode: '6600101' });
const phichitSao = makeAlert({ laoCode: '6600102', severity: 'critical' });
const taphanHin = makeAlert({ laoCode: '6600201', severity: 'medium' });
const nakhonSawan = makeAlert({ laoCode: '6000101' });
const unknownLao = makeAlert({ laoCode: '9999999' });

beforeAll(async () => {
  s = await serviceOnPg();
  // One batch each, so first_seen_at (and therefore the order, newest first) is distinct.
  for (const [i, a] of [phichit, phichitSao, nakhonSawan, taphanHin, unknownLao].entries()) {
    await s.service.consumer.handleBatch(batchOf([a], i), recordingContext());
    await new Promise((r) => setTimeout(r, 5));
  }
});
afterAll(async () => { await s.close(); });

const get = (url: string, principal?: Parameters<PgService['token']>[0]) =>
  s.service.app.inject({ url, headers: principal ? { authorization: `Bearer ${s.token(principal)}` } : {} });
const auditor66 = { sub: 'auditor-66', role: 'provincial-auditor' as const, provinces: ['66'] };
const central = { sub: 'central-1', role: 'central' as const };

describe('GET /v1/alerts', () => {
  it('when a provincial auditor of 66 lists, then only province 66 alerts come back, newest first, with LAO names', async () => {
    const r = await get('/v1/alerts', auditor66);
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.items.map((a: { laoCode: string }) => a.laoCode)).toEqual(['6600201', '6600102', '6600101']);
    expect(body.items.every((a: { provinceCode: string }) => a.provinceCode === '66')).toBe(true);
    expect(body.items[2].laoName).toBe('เทศบาลเมืองพิจิตร');
    expect(body.items[2].amountSatang).toBe(4_500_000);
    expect(body.nextCursor).toBeNull();
  });

  it('when central lists, then every province is visible, including alerts of unknown LAOs', async () => {
    const body = (await get('/v1/alerts', central)).json();
    expect(body.items).toHaveLength(5);
    expect(body.items[0]).toMatchObject({ laoCode: '9999999', provinceCode: 'unknown', laoName: null });
  });

  it('when a district auditor lists, then only their district of their province is visible', async () => {
    const body = (await get('/v1/alerts', { sub: 'd', role: 'district-auditor', provinces: ['66'], district: 'เมืองพิจิตร' })).json();
    expect(body.items.map((a: { laoCode: string }) => a.laoCode).sort()).toEqual(['6600101', '6600102']);
  });

  it('when filtered and paged, then filters apply and the cursor walks the pages without overlap', async () => {
    expect((await get('/v1/alerts?severity=critical', central)).json().items.map((a: { laoCode: string }) => a.laoCode)).toEqual(['6600102']);
    expect((await get('/v1/alerts?lao=6000101', central)).json().items).toHaveLength(1);
    const seen: string[] = [];
    let url = '/v1/alerts?limit=2';
    for (let page = 0; page < 5; page++) {
      const body = (await get(url, central)).json();
      seen.push(...body.items.map((a: { alertId: string }) => a.alertId));
      if (!body.nextCursor) break;
      url = `/v1/alerts?limit=2&cursor=${body.nextCursor}`;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });

  it('when the query is out of bounds or the cursor is forged, then 400 PW_ERR_VALIDATION', async () => {
    expect((await get('/v1/alerts?limit=201', central)).json().error.code).toBe('PW_ERR_VALIDATION');
    const forged = await get('/v1/alerts?cursor=bm90LWEtY3Vyc29y', central);
    expect([forged.statusCode, forged.json().error.code]).toEqual([400, 'PW_ERR_VALIDATION']);
  });

  it('when finance or ops list alerts, then 403; without a token, then 401', async () => {
    const finance = await get('/v1/alerts', { sub: 'finance-6600101', role: 'finance', laoCode: '6600101' });
    expect([finance.statusCode, finance.json().error.code]).toEqual([403, 'PW_ERR_FORBIDDEN_ROLE']);
    expect((await get('/v1/alerts', { sub: 'ops-1', role: 'ops' })).statusCode).toBe(403);
    const anonymous = await get('/v1/alerts');
    expect([anonymous.statusCode, anonymous.json().error.code]).toEqual([401, 'PW_ERR_UNAUTHENTICATED']);
  });
});

describe('GET /v1/alerts filters (server-side inbox)', () => {
  const codes = async (url: string, who: Parameters<PgService['token']>[0] = central) => {
    const r = await get(url, who);
    expect(r.statusCode, r.body.slice(0, 200)).toBe(200);
    return (r.json().items as { laoCode: string }[]).map((a) => a.laoCode).sort();
  };

  it('when filtered by province, district or rule, then only matching alerts come back, and a province filter never widens an auditor\'s scope', async () => {
    expect(await codes('/v1/alerts?province=66')).toEqual(['6600101', '6600102', '6600201']);
    expect(await codes(`/v1/alerts?district=${encodeURIComponent('ตะพานหิน')}`)).toEqual(['6600201']);
    expect(await codes('/v1/alerts?province=unknown')).toEqual(['9999999']);
    expect(await codes('/v1/alerts?rule=duplicate-payment')).toHaveLength(5);
    expect(await codes('/v1/alerts?rule=off-hours')).toEqual([]);
    expect(await codes('/v1/alerts?province=60', auditor66)).toEqual([]);
  });

  it('when dates are given in the Buddhist Era or ISO, then both select the same payment dates, inclusively', async () => {
    expect(await codes('/v1/alerts?from=22/11/2569&to=2569-11-22')).toHaveLength(5);
    expect(await codes('/v1/alerts?from=2026-11-22&to=22/11/2026')).toHaveLength(5);
    expect(await codes('/v1/alerts?from=23/11/2569')).toEqual([]);
    expect(await codes('/v1/alerts?to=2026-11-21')).toEqual([]);
  });

  it('when an amount range in satang is given, then its bounds are inclusive and exact', async () => {
    expect(await codes('/v1/alerts?minAmountSatang=4500000&maxAmountSatang=4500000')).toHaveLength(5);
    expect(await codes('/v1/alerts?minAmountSatang=4500001')).toEqual([]);
    expect(await codes('/v1/alerts?maxAmountSatang=4499999')).toEqual([]);
  });

  it('when a status is chosen, then the counts still show every status of the filtered set', async () => {
    const body = (await get('/v1/alerts?province=66&status=resolved', central)).json();
    expect(body.items).toEqual([]);
    expect(body.counts).toEqual({ new: 3, acknowledged: 0, investigating: 0, resolved: 0 });
    expect((await get('/v1/alerts', auditor66)).json().counts.new).toBe(3);
  });

  it('when a filter value is bad, then 400 PW_ERR_FILTER_INVALID names the field in Thai and English', async () => {
    for (const [query, field] of [['from=31/02/2569', 'from'], ['to=yesterday', 'to'], ['minAmountSatang=12.5', 'minAmountSatang'], ['maxAmountSatang=-1', 'maxAmountSatang'],
      ['province=6', 'province'], ['rule=DROP%20TABLE', 'rule'], ['from=2026-11-23&to=2026-11-22', 'to'], ['minAmountSatang=10&maxAmountSatang=9', 'maxAmountSatang']] as const) {
      const r = await get(`/v1/alerts?${query}`, central);
      expect(r.statusCode, query).toBe(400);
      const e = r.json().error;
      expect(e.code, query).toBe('PW_ERR_FILTER_INVALID');
      expect(e.details.field, query).toBe(field);
      expect(e.message.th).toContain(`"${field}"`);
      expect(e.message.th).toMatch(/[\u0E00-\u0E7F]/);
      expect(e.message.en).toContain(`Filter "${field}" is not valid`);
    }
  });
});

describe('GET /v1/alerts/:id', () => {
  it('when the alert is in scope, then it comes with its payload and notifications', async () => {
    const body = (await get(`/v1/alerts/${phichit.alertId}`, auditor66)).json();
    // Accounts masked by default (the audited reveal unmasks them; see reveal.test.ts).
    expect(body.alert.payload).toEqual(maskAlert(phichit).masked);
    expect(JSON.stringify(body)).not.toContain('0123454321');
    // What the auditor can do: the municipality's supervisor, then one step per rule that fired.
    expect(body.legalBasis.supervision.th).toContain('พระราชบัญญัติเทศบาล พ.ศ. 2496 มาตรา 71–73');
    expect(body.legalBasis.rules.map((r: { ruleId: string }) => r.ruleId)).toEqual(['duplicate-payment']);
    expect(body.notifications.map((n: { recipient: string }) => n.recipient).sort()).toEqual(['audit.muangphichit@example.go.th', 'audit.phichit@example.go.th']);
  });

  it('when a province-66 auditor asks for a province-60 alert, then 404 with exactly the body of a missing id', async () => {
    const outOfScope = await get(`/v1/alerts/${nakhonSawan.alertId}`, auditor66);
    const missing = await get('/v1/alerts/al_000000000000000000000000', auditor66);
    expect(outOfScope.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(outOfScope.body).toBe(missing.body);
    expect((await get(`/v1/alerts/${nakhonSawan.alertId}`, central)).statusCode).toBe(200);
  });
});

describe('GET /v1/notifications', () => {
  it('when ops ask, then they see delivery state and counts but no recipients or subjects; central sees both', async () => {
    const ops = (await get('/v1/notifications', { sub: 'ops-1', role: 'ops' })).json();
    // 8 recipient-alert pairs; the medium Taphan Hin alert waits for its auditor's daily digest instead.
    expect(ops.counts).toEqual({ pending: 7 - 1, sent: 0, dead: 0 });
    expect(ops.items).toHaveLength(6);
    expect(Object.keys(ops.items[0]).sort()).toEqual(['alertId', 'attempts', 'channel', 'createdAt', 'id', 'lastError', 'nextAttemptAt', 'sentAt', 'status']);
    expect(JSON.stringify(ops)).not.toContain('บาท');
    const c = (await get('/v1/notifications?status=pending&limit=1', central)).json();
    expect(c.items[0].recipient).toMatch(/@example\.go\.th$/);
    expect(c.items[0].subject).toContain('[paywatch]');
    expect((await get('/v1/notifications', auditor66)).statusCode).toBe(403);
  });
});

describe('no HTML page, no token in the URL', () => {
  it('when / is opened, with or without a valid ?token=, then 404: the console is the UI and a query-string token is never read', async () => {
    const token = s.token({ ...auditor66, name: 'นางสาวพิมพ์ชนก ตรวจสอบ' });
    for (const url of ['/', `/?token=${token}`]) {
      const r = await get(url);
      expect(r.statusCode).toBe(404);
      expect(r.body).not.toContain('เทศบาล');
    }
    // Nor on the API: a token in the query string is not a credential.
    expect((await get(`/v1/alerts?token=${token}`)).statusCode).toBe(401);
  });
});

describe('OpenAPI', () => {
  it('when /docs/json is fetched, then every route is documented with its parameters', async () => {
    const doc = (await s.service.app.inject('/docs/json')).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/alerts', '/v1/alerts/{id}', '/v1/notifications']));
    expect(doc.paths['/v1/alerts'].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['severity', 'lao', 'status', 'limit', 'cursor']));
  });
});
