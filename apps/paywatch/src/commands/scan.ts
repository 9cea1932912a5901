/**
 * `paywatch scan [--reference DIR] [--lao-registry FILE] [--config FILE] [--header-map FILE] FILES...`: the same parsers and the
 * same detection engine as the streaming pipeline, offline in one process. Prints one JSON line per alert
 * (its final form, in order of first detection). Same inputs ⇒ same output, byte for byte.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { batchIdFor, disbursementOf, peerGroupOf, sha256Hex, type Alert, type BatchManifest, type Disbursement, type LaoRegistryEntry } from '@paywatch/domain';
import { loadReportHeaderMap, parseFileAsync, type ManifestEvent, type ParseContext } from '@paywatch/ktb-formats';
import { createEngine, createPayeeEngine, RuleSetConfig, type Engine } from '@paywatch/rules';
import { opt, parseArgs } from '../args.ts';
import { loadRegistry } from '../registry-file.ts';
import { loadReferenceFolder } from '../reference-folder.ts';

/** The line printed for an alert (the scan contract). */
export function scanLine(a: Alert): string {
  return JSON.stringify({
    alertId: a.alertId, laoCode: a.laoCode, severity: a.severity, ruleIds: a.ruleIds,
    payments: a.payments.map((p) => ({ file: p.file, row: p.row })),
    reasons: a.reasons, evidence: a.evidence,
    // A group alert (ADR 0019) lists a few payments in its payload; the scan line names every one it grouped.
    ...(a.group ? { group: { ...a.group, members: (a.groupMembers ?? []).map((m) => ({ file: m.file, row: m.row })) } } : {}),
  });
}

/** Runs the command; returns the exit code. Parse problems go to `warn`, alerts to `write`. */
export async function runScan(argv: readonly string[], write: (line: string) => void, warn: (line: string) => void): Promise<number> {
  const args = parseArgs(argv);
  if (args.positional.length === 0) throw new Error('usage: paywatch scan [--reference DIR] [--lao-registry FILE] [--config FILE] [--header-map FILE] FILES...');
  const registry = await loadRegistry(opt(args, 'lao-registry'));
  const configFile = opt(args, 'config');
  const ruleSet = RuleSetConfig.parse(configFile ? JSON.parse(await readFile(configFile, 'utf8')) : {});
  const reference = opt(args, 'reference');
  const engine = createEngine(ruleSet);
  if (reference) {
    if (!(await stat(reference).then((s) => s.isDirectory(), () => false))) throw new Error(`--reference ${reference} is not a folder`);
    for (const snapshot of await loadReferenceFolder(reference, warn)) engine.applyReference(snapshot);
  }
  const files = await Promise.all(args.positional.map(async (f) => ({ name: basename(f), bytes: await readFile(f) })));
  const headerMapFile = opt(args, 'header-map');
  const reportHeaderMap = headerMapFile ? loadReportHeaderMap(await readFile(headerMapFile, 'utf8')) : undefined;
  for (const a of await scanFiles(files, registry, ruleSet, warn, engine, undefined, reportHeaderMap)) write(scanLine(a));
  return 0;
}

/**
 * Parses and evaluates files in the given order with one engine, as the streaming detector would see them;
 * returns each alert in its final form, in order of first detection. Every record also goes to stage 2 (the cross-LAO
 * payee engine, by default a fresh one of the rule set) under each key the detector forwards it to
 * `disbursements.by-payee.v1` with (one process holds every key), so scan is the pipeline, offline.
 */
export async function scanFiles(files: readonly { name: string; bytes: Uint8Array }[], registry: readonly LaoRegistryEntry[], ruleSet: RuleSetConfig, warn: (line: string) => void = () => undefined, engine: Engine = createEngine(ruleSet), stage2: { process(record: Disbursement, key?: string): Alert[] } = createPayeeEngine(ruleSet), reportHeaderMap?: ParseContext['reportHeaderMap']): Promise<Alert[]> {
  const finalById = new Map<string, Alert>();
  // A group alert's versions each carry the members they added (ADR 0019): scan returns it with all of them.
  const membersById = new Map<string, NonNullable<Alert['groupMembers']>>();
  const keep = (a: Alert) => {
    finalById.set(a.alertId, a);
    if (a.groupMembers) { const list = membersById.get(a.alertId); if (list) list.push(...a.groupMembers); else membersById.set(a.alertId, [...a.groupMembers]); }
  };
  // As ingest stamps them: the peer group (province, LAO type) of each LAO the registry knows.
  const peerGroups = new Map(registry.map((e) => [e.laoCode, peerGroupOf(e)]));
  for (const { name, bytes } of files) {
    const sha = sha256Hex(bytes);
    let laoCode: string | null = null;
    for await (const ev of parseFileAsync(bytes, { registry, ...(reportHeaderMap ? { reportHeaderMap } : {}) })) {
      if (ev.kind === 'record') {
        const d = disbursementOf(ev.record, batchIdFor(ev.record.laoCode ?? '', sha), ev.row, name, peerGroups.get(ev.record.laoCode ?? '') ?? null);
        laoCode = d.laoCode;
        // Map insertion order = first detection; later versions of an alert replace its content.
        for (const a of engine.process(d)) keep(a);
        for (const key of engine.forwardKeys(d)) for (const a of stage2.process(d, key)) keep(a);
      } else if (ev.kind === 'manifest') {
        if (ev.refusal || ev.rowsRejected > 0) warn(JSON.stringify({ kind: 'file', file: name, rowsRead: ev.rowsRead, rowsRejected: ev.rowsRejected, refusal: ev.refusal ?? null }));
        // Batch-level rules (header vs details) see the manifest the pipeline publishes on batches.v1.
        if (laoCode) for (const a of engine.processManifest(manifestFor(name, laoCode, sha, bytes.length, ev))) keep(a);
      }
    }
  }
  return [...finalById.values()].map((a) => (a.group ? { ...a, groupMembers: membersById.get(a.alertId) ?? [] } : a));
}

/** The manifest ingest would publish for a parsed file (scan has no upload, so no uploader or receipt time). */
function manifestFor(fileName: string, laoCode: string, sha: string, sizeBytes: number, ev: ManifestEvent): BatchManifest {
  return {
    batchId: batchIdFor(laoCode, sha), laoCode, sha256: sha, fileName, sizeBytes, rawKey: '', format: ev.format, encoding: ev.encoding,
    rowsRead: ev.rowsRead, rowsAccepted: ev.rowsAccepted, rowsRejected: ev.rowsRejected, totalSatang: ev.totalSatang,
    header: ev.header, status: ev.refusal ? 'refused' : 'published', refusal: ev.refusal, uploadedBy: 'scan', receivedAt: '', publishedAt: null,
  };
}
