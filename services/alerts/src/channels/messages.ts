/** What the webhook and LINE channels carry: identifiers, amounts and a link, not the evidence (that stays behind the login). */
import type { Alert, LaoRegistryEntry } from '@paywatch/domain';

/** The webhook's JSON body (as a string, so the signed bytes are the sent bytes). */
export function renderWebhookBody(alert: Alert, lao: LaoRegistryEntry | null, link: string, title: string): string {
  return JSON.stringify({
    type: 'paywatch.alert', alertId: alert.alertId, laoCode: alert.laoCode, laoName: lao?.nameTh ?? null, provinceCode: lao?.provinceCode ?? null,
    severity: alert.severity, ruleIds: alert.ruleIds, amountSatang: alert.amountSatang, occurredOn: alert.occurredOn, title, link,
  });
}

/** The LINE text: the e-mail subject (Thai, already account-free) and the link. */
export function renderLineText(title: string, link: string): string {
  return `${title}\nเปิดดูรายละเอียด: ${link}`;
}
