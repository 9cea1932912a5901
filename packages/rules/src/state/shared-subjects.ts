/**
 * Findings already emitted about subjects several rules share over time — a payee (`account-many-names`,
 * `repeat-siphon`) or an LAO-period (`benford`, `near-threshold`) — so that when one rule fires about the subject
 * later, the alert it re-emits still carries the other rules' reasons. Without this, the later alert (same id)
 * would replace the earlier one downstream and an auditor would lose evidence. Payment and batch subjects are
 * evaluated in one call and need nothing kept.
 */
import type { Finding, Subject } from '@paywatch/domain';

/** Subjects kept; the oldest-touched goes first when more fire. Far above what an LAO-year raises. */
export const MAX_SHARED_SUBJECTS = 20_000;

const isShared = (s: Subject): boolean => s.kind === 'payee' || s.kind === 'lao-period';
const keyOf = (f: Finding): string => JSON.stringify([f.laoCode, f.subject.kind, f.subject.key]);

export interface SharedSubjectEntry { laoCode: string; subject: Subject; findings: Finding[] }

export class SharedSubjects {
  /** Subject key → its latest findings, one rule's set each; insertion order = least recently fired first. */
  #bySubject = new Map<string, Finding[]>();

  /**
   * The findings of one evaluation, with the earlier findings of other rules about the same shared subjects added;
   * remembers the result. A rule that fires again replaces its own earlier findings about the subject.
   */
  withEarlier(findings: readonly Finding[]): Finding[] {
    const fresh = new Map<string, Finding[]>();
    const out: Finding[] = [];
    for (const f of findings) {
      if (!isShared(f.subject)) { out.push(f); continue; }
      const k = keyOf(f);
      const list = fresh.get(k);
      if (list) list.push(f);
      else fresh.set(k, [f]);
    }
    for (const [k, now] of fresh) {
      const rules = new Set(now.map((f) => f.ruleId));
      const merged = [...(this.#bySubject.get(k) ?? []).filter((f) => !rules.has(f.ruleId)), ...now];
      this.#bySubject.delete(k);
      this.#bySubject.set(k, merged);
      out.push(...merged);
    }
    while (this.#bySubject.size > MAX_SHARED_SUBJECTS) this.#bySubject.delete(this.#bySubject.keys().next().value!);
    return out;
  }

  snapshot(): SharedSubjectEntry[] {
    return [...this.#bySubject.values()].map((findings) => ({ laoCode: findings[0]!.laoCode, subject: findings[0]!.subject, findings }));
  }

  static restore(entries: readonly SharedSubjectEntry[]): SharedSubjects {
    const s = new SharedSubjects();
    for (const e of entries) s.#bySubject.set(keyOf(e.findings[0]!), [...e.findings]);
    return s;
  }
}
