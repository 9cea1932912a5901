/** @paywatch/console — the web console (server-rendered, Thai first). */
export { buildConsoleService, type ConsoleDeps } from './app.ts';
export { html, raw, escapeHtml } from './html.ts';
export { formatBaht, formatThaiDate, neutraliseCsvCell, toCsv } from './format.ts';
/** Thai (and English) labels for evidence keys and values, field codes, statuses, rules, provinces and audit entries. */
export {
  EVIDENCE_KEY_LABELS, EVIDENCE_VALUE_LABELS, FIELD_LABELS, PROVINCES, auditActionLabel, auditSentence, evidenceKeyLabel, evidenceValueText,
  fieldLabel, provinceName, unlabelledEvidenceKeys, batchStatusLabel, dispositionLabel, ruleLabel, severityLabel, statusLabel,
} from './labels.ts';
