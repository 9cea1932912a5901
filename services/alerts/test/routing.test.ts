import { describe, expect, it } from 'vitest';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';
import { createAlertRouter, UNKNOWN_PROVINCE } from '../src/routing.ts';
import { TEST_USERS, captureLogger } from './helpers.ts';

describe('routing', () => {
  const capture = captureLogger();
  const router = createAlertRouter({ registry: SEED_LAO_REGISTRY, users: TEST_USERS, logger: capture.logger });

  it('when the LAO is in a district with its own auditor, then the provincial and the district auditor receive it', () => {
    const r = router.route('6600101');
    expect([r.provinceCode, r.district]).toEqual(['66', 'เมืองพิจิตร']);
    expect(r.recipients.map((x) => x.sub).sort()).toEqual(['auditor-66', 'district-6601']);
  });

  it('when the LAO is in another district of the province, then only the provincial auditor receives it', () => {
    expect(router.route('6600201').recipients.map((x) => x.sub)).toEqual(['auditor-66']);
    expect(router.route('6000101').recipients.map((x) => x.sub)).toEqual(['auditor-60']);
  });

  it('when the LAO is unknown, then it is routed to central under province "unknown" with a warning', () => {
    const r = router.route('1234567');
    expect(r).toMatchObject({ provinceCode: UNKNOWN_PROVINCE, lao: null, district: null });
    expect(r.recipients.map((x) => x.email)).toEqual(['centre@example.go.th']);
    expect(capture.lines().filter((l) => l.level === 40 && l.laoCode === '1234567')).toHaveLength(1);
  });

  it('when a province has no auditor on file, then central is told instead of nobody', () => {
    const lonely = createAlertRouter({ registry: SEED_LAO_REGISTRY, users: TEST_USERS.filter((u) => u.sub !== 'auditor-80'), logger: capture.logger });
    expect(lonely.route('8000101').recipients.map((x) => x.sub)).toEqual(['central-1']);
  });
});
