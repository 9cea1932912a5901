import { decodeBytes, generateBulkBatch, renderKtbBulk } from '../src/index.ts';
const variant = process.argv[2]!;
const { parseKtbBulk } = await import(`./${variant}/parse-ktb-bulk.ts`);
const g = generateBulkBatch({ seed: 1, laoCode: '6600101', companyId: 'GMIS660101', debitAccount: '9800012345', rows: 200000, effectiveDate: '2024-10-28' });
const { text } = decodeBytes(renderKtbBulk(g.spec, { encoding: 'utf-8', eol: '\r\n', beYears: true }));
let best = 1e9;
for (let i = 0; i < 10; i++) { const c0 = process.cpuUsage(); let n = 0; for (const e of parseKtbBulk(text, { laoCode: "6600101", today: "2024-10-28" })) if (e.kind === "record") n++; const c = process.cpuUsage(c0); best = Math.min(best, (c.user + c.system) / 1000); }
console.log(variant.padEnd(12), best.toFixed(0));
