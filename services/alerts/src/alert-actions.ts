/**
 * Which case actions apply to one alert, for one caller: the console offers exactly these and nothing else, so a
 * button never leads to a refusal the alert's kind or state makes certain. Each verdict uses the same function the
 * action's route checks with (maskAlert for the reveal, payeeAccountOf for the snooze, TRANSITIONS for the steps),
 * so what is offered and what is accepted cannot drift apart.
 */
import type { Principal } from '@paywatch/http-kit';
import type { AlertDetail } from './alert-store.ts';
import { TRANSITIONS, type AlertStatusValue } from './case-store.ts';
import { maskAlert } from './pii.ts';
import { payeeAccountOf } from './snoozes.ts';

/** Every action of the alert page, in the order an auditor usually takes them. */
export const ALERT_ACTIONS = ['reveal', 'acknowledge', 'assign', 'comment', 'snooze', 'resolve'] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];

const DECIDERS = new Set(['provincial-auditor', 'district-auditor']);

/** The actions `p` may take on `alert` now (the alert is already known to be in `p`'s scope). */
export function applicableActions(alert: AlertDetail, p: Pick<Principal, 'role'>): AlertAction[] {
  const out: AlertAction[] = [];
  const decider = DECIDERS.has(p.role);
  const status = alert.status as AlertStatusValue;
  const open = status !== 'resolved';
  if (decider && maskAlert(alert.payload).hidden.length > 0) out.push('reveal');
  if (decider && (TRANSITIONS[status] ?? []).includes('acknowledged')) out.push('acknowledge');
  if (decider && open) out.push('assign');
  if (decider || p.role === 'central') out.push('comment');
  // A snooze silences one rule for one payee after a review: not for a new alert, nor for a batch or an LAO's period.
  if (decider && status !== 'new' && payeeAccountOf(alert.payload) !== null) out.push('snooze');
  if (decider && open) out.push('resolve');
  return out;
}
