/**
 * The audit payload of a reference-list step (ADR 0018): which list, which versions, who uploaded, confirmed and
 * approved, and the diff as counts plus masked account keys (`006:******7890`). No names, no unmasked account or ID:
 * the audit log is read by people who must not see the list itself, and it is kept for ever.
 */
import { maskAccount, maskDigitsInText, type DiffRow, type ReferenceDiff, type StagedReference } from '@paywatch/domain';

/** Rows of each kind listed by masked key (the counts are always whole). */
export const AUDIT_KEYS_LISTED = 200;

const keyOf = (bank: string | null | undefined, masked: string | null | undefined): string => `${bank ?? '—'}:${masked ?? '—'}`;

function diffPart(diff: Pick<ReferenceDiff, 'before' | 'after' | 'added' | 'removed' | 'accountChanged' | 'otherwiseChanged' | 'unchanged' | 'droppedShare'> & { rows: { added: unknown[]; removed: unknown[]; accountChanged: unknown[] } }) {
  const rows = diff.rows as { added: DiffRow[]; removed: DiffRow[]; accountChanged: DiffRow[] };
  return {
    diff: { before: diff.before, after: diff.after, added: diff.added, removed: diff.removed, accountChanged: diff.accountChanged, otherwiseChanged: diff.otherwiseChanged, unchanged: diff.unchanged, droppedShare: Math.round(diff.droppedShare * 10_000) / 10_000 },
    keys: {
      added: rows.added.slice(0, AUDIT_KEYS_LISTED).map((r) => keyOf(r.bankCode, r.accountMasked)),
      removed: rows.removed.slice(0, AUDIT_KEYS_LISTED).map((r) => keyOf(r.bankCode, r.accountMasked)),
      accountChanged: rows.accountChanged.slice(0, AUDIT_KEYS_LISTED).map((r) => ({ from: keyOf(r.previousBankCode, r.previousAccountMasked), to: keyOf(r.bankCode, r.accountMasked) })),
    },
  };
}

interface UploadPart { kind: string; laoCode: string; sha256: string; fileName: string; rowsRead: number; rowsRejected: number; uploadedBy: string; receivedAt: string; rowsAccepted?: number }

const uploadPart = (u: UploadPart) => ({
  kind: u.kind, laoCode: u.laoCode, sha256: u.sha256, fileName: maskDigitsInText(u.fileName), rowsRead: u.rowsRead, rowsAccepted: u.rowsAccepted ?? null,
  rowsRejected: u.rowsRejected, uploadedBy: u.uploadedBy, receivedAt: u.receivedAt,
});

/** The payload of one step: of a staged version, or (staged null) of a first list or a refusal described by `extra`. */
export function auditPayloadOf(staged: StagedReference | null, extra: Record<string, unknown>): Record<string, unknown> {
  const { upload, diff, ...rest } = extra as { upload?: UploadPart; diff?: ReferenceDiff } & Record<string, unknown>;
  if (staged) {
    return {
      ...uploadPart(staged.upload), stagedId: staged.id, baseVersion: staged.baseVersion, version: staged.version, status: staged.status,
      largeDrop: staged.largeDrop, confirmedBy: staged.confirmedBy, approvedBy: staged.approvedBy, ...diffPart(staged.diff), ...rest,
    };
  }
  return { ...(upload ? uploadPart(upload) : {}), ...(diff ? diffPart(diff) : {}), ...rest };
}

/** Masks an account the way audit keys show it (for tests and callers that hold a raw account). */
export const auditKeyOfAccount = (bankCode: string, account: string): string => keyOf(bankCode, maskAccount(account));
