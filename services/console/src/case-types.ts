/** The parts of alerts' `/v1/cases` and `/v1/inbox` answers the console reads (alerts' /docs/json has the whole). */
import type { AlertSummary } from './types.ts';

export interface CaseSummary {
  caseId: string; groupKind: 'payee' | 'batch' | 'alert'; groupLabel: string; laoCode: string; laoName: string | null; provinceCode: string; district: string | null;
  status: 'open' | 'closed'; severity: string; totalSatang: number; alertCount: number; assignee: string | null; assigneeName: string | null;
  openedAt: string; dueAt: string; overdue: boolean; lastAlertAt: string; disposition: string | null; resolutionReason: string | null; closedAt: string | null; closedBy: string | null;
}
export interface Person { sub: string; name: string; role: string }
export interface CaseAttachment { attachmentId: string; fileName: string; contentType: string; sizeBytes: number; uploadedBy: string; uploadedAt: string }
export interface TimelineEntry { at: string; kind: string; actor: string | null; text: { th: string; en: string } }
export interface CaseDetail {
  case: CaseSummary; alerts: AlertSummary[]; comments: { id: number; author: string; authorName: string; text: string; createdAt: string }[];
  attachments: CaseAttachment[]; timeline: TimelineEntry[]; assignees: Person[]; attachmentLimits: { maxBytes: number; types: string[] };
}
export interface InboxAlert extends AlertSummary { caseId: string | null; dueAt: string | null; assigneeName: string | null }
export interface SavedFilter { id: number; name: string; query: string; createdAt: string }
export interface Page<T> { items: T[]; nextCursor: string | null; total: number }
