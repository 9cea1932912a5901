/** Who must hear about an LAO's alert: the auditors supervising its province (and district). */
import type { LaoRegistryEntry } from '@paywatch/domain';
import type { Logger } from '@paywatch/observability';
import type { NotificationPreferences } from './preferences.ts';

/** The province code stored for an alert whose LAO is not in the registry. */
export const UNKNOWN_PROVINCE = 'unknown';

/** A person who may receive alerts (the fields of the user store the router needs; `SeedUser` fits). */
export interface AlertUser {
  sub: string;
  name?: string;
  email: string;
  role: 'finance' | 'provincial-auditor' | 'district-auditor' | 'central' | 'ops' | 'admin';
  provinces?: readonly string[];
  /** A district auditor's district, as the registry spells it (`districtTh`). */
  district?: string;
  /** A finance officer's LAO. */
  laoCode?: string;
  /** A finance user who is the LAO's second approver (ADR 0018): approves a reference list that drops more than half of the one in force. */
  secondApprover?: boolean;
  /** Optional channel: a URL that receives signed webhook POSTs for this user's alerts. */
  webhookUrl?: string;
  /** Optional channel: the LINE user id pushed to via the Messaging API. */
  lineUserId?: string;
  /** Immediate vs daily digest, quiet hours (preferences.ts). Default: high and critical at once, the rest in the digest. */
  notify?: NotificationPreferences;
}

/** One recipient of one alert. */
export interface Recipient { sub: string; email: string }

/** Where an alert belongs and who gets told. `lao` is null when the registry does not know the code. */
export interface AlertRoute {
  laoCode: string;
  lao: LaoRegistryEntry | null;
  provinceCode: string;
  district: string | null;
  recipients: Recipient[];
}

/** Routes alerts by LAO code; built once from the registry and user list it is given. */
export interface AlertRouter {
  route(laoCode: string): AlertRoute;
  /** The registry entry of an LAO, for rendering names. */
  lao(laoCode: string): LaoRegistryEntry | undefined;
}

/** Builds the router. An unknown LAO is routed to central users with a warning: an alert is never dropped. */
export function createAlertRouter(options: { registry: readonly LaoRegistryEntry[]; users: readonly AlertUser[]; logger: Logger }): AlertRouter {
  const byCode = new Map(options.registry.map((e) => [e.laoCode, e]));
  const log = options.logger.child({ component: 'routing' });
  const unique = (users: AlertUser[]): Recipient[] => {
    const seen = new Map<string, Recipient>();
    for (const u of users) if (!seen.has(u.email)) seen.set(u.email, { sub: u.sub, email: u.email });
    return [...seen.values()];
  };
  const central = unique(options.users.filter((u) => u.role === 'central'));

  return {
    lao: (laoCode) => byCode.get(laoCode),
    route(laoCode) {
      const lao = byCode.get(laoCode);
      if (!lao) {
        log.warn({ laoCode, recipients: central.length }, 'LAO not in registry: alert kept under province "unknown" and routed to central');
        return { laoCode, lao: null, provinceCode: UNKNOWN_PROVINCE, district: null, recipients: central };
      }
      const recipients = unique(options.users.filter((u) =>
        (u.role === 'provincial-auditor' && (u.provinces ?? []).includes(lao.provinceCode))
        || (u.role === 'district-auditor' && (u.provinces ?? []).includes(lao.provinceCode) && u.district === lao.districtTh)));
      // A province with no auditor on file would leave the alert unseen: tell the centre instead.
      if (recipients.length === 0) {
        log.warn({ laoCode, provinceCode: lao.provinceCode }, 'no auditor for this province: alert routed to central');
        return { laoCode, lao, provinceCode: lao.provinceCode, district: lao.districtTh, recipients: central };
      }
      return { laoCode, lao, provinceCode: lao.provinceCode, district: lao.districtTh, recipients };
    },
  };
}
