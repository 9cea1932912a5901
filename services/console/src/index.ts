/** @paywatch/console — the web console (server-rendered, Thai first). */
export { buildConsoleService, type ConsoleDeps } from './app.ts';
export { html, raw, escapeHtml } from './html.ts';
export { formatBaht, formatThaiDate, neutraliseCsvCell, toCsv } from './format.ts';
