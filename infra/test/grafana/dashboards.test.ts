// infra/grafana: the provisioned datasource is compose's Prometheus, and every dashboard panel and variable
// queries only metrics and labels the services really export (scraped from the services built in-process).
import { beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { exportedMetrics, type ExportedMetric } from '../exported-metrics.ts';
import { metricsOf, problemsOf } from '../promql.ts';
import { ROOT, jsonFile, yamlFile } from '../repo-files.ts';

interface Target { expr: string; refId: string; datasource?: { uid: string } }
interface Panel { id: number; title: string; type: string; datasource?: { uid: string }; targets?: Target[]; panels?: Panel[] }
interface Variable { name: string; type: string; query: string | { query: string }; datasource?: { uid: string } }
interface Dashboard { uid: string; title: string; panels: Panel[]; templating?: { list: Variable[] } }

const DIR = 'infra/grafana/dashboards';
const files = readdirSync(resolve(ROOT, DIR)).filter((f) => f.endsWith('.json')).sort();
const dashboards = files.map((f) => ({ file: f, d: jsonFile<Dashboard>(`${DIR}/${f}`) }));
const panelsOf = (ps: Panel[]): Panel[] => ps.flatMap((p) => [p, ...panelsOf(p.panels ?? [])]);
const datasource = yamlFile<{ datasources: Array<{ uid: string; type: string; url: string }> }>('infra/grafana/provisioning/datasources/prometheus.yml').datasources[0]!;

/** Grafana's variables replaced by values Prometheus accepts, so the rest can be parsed as PromQL. */
const withVariables = (expr: string) => expr
  .replaceAll('$__rate_interval', '5m').replaceAll('$__interval', '1m').replaceAll('$__range', '6h')
  .replace(/\$\{?(\w+)\}?/g, '.*');

let exported: Map<string, ExportedMetric[]>;
beforeAll(async () => { exported = await exportedMetrics(); }, 60_000);

describe('infra/grafana', () => {
  it('when Grafana starts, then its datasource is the Prometheus of docker-compose.yml and its dashboards come from the mounted folder', () => {
    expect(datasource).toMatchObject({ type: 'prometheus', uid: 'prometheus', url: 'http://prometheus:9090' });
    const provider = yamlFile<{ providers: Array<{ type: string; options: { path: string } }> }>('infra/grafana/provisioning/dashboards/paywatch.yml').providers[0]!;
    const compose = yamlFile<{ services: Record<string, { volumes: string[] }> }>('docker-compose.yml').services;
    expect(compose.grafana!.volumes).toContain(`./${DIR}:${provider.options.path}:ro`);
    expect(compose.prometheus).toBeDefined();
  });

  it('when the dashboards are listed, then the four the operator asked for are there, with unique uids and panels on the provisioned datasource', () => {
    expect(files).toEqual(['alerts.json', 'notifications.json', 'pipeline.json', 'uploads.json']);
    expect(new Set(dashboards.map((x) => x.d.uid)).size).toBe(dashboards.length);
    for (const { file, d } of dashboards) {
      const panels = panelsOf(d.panels);
      expect(panels.length, file).toBeGreaterThan(0);
      expect(new Set(panels.map((p) => p.id)).size, `${file} panel ids`).toBe(panels.length);
      for (const p of panels) {
        expect(p.datasource?.uid, `${file} ${p.title}`).toBe(datasource.uid);
        expect(p.targets?.length, `${file} ${p.title}`).toBeGreaterThan(0);
        for (const t of p.targets ?? []) expect(t.datasource?.uid ?? datasource.uid, `${file} ${p.title}`).toBe(datasource.uid);
      }
    }
  });

  it('when every panel query is parsed with Prometheus\'s grammar, then it has no syntax error and selects only metrics and labels a service exports', () => {
    expect(exported.size).toBeGreaterThan(20);
    for (const { file, d } of dashboards) {
      for (const p of panelsOf(d.panels)) for (const t of p.targets ?? []) expect(problemsOf(withVariables(t.expr), exported), `${file} "${p.title}" ${t.refId}`).toEqual([]);
    }
  });

  it('when a variable lists label values, then its metric is exported and carries that label', () => {
    for (const { file, d } of dashboards) {
      for (const v of d.templating?.list ?? []) {
        const q = typeof v.query === 'string' ? v.query : v.query.query;
        const m = /^label_values\((.+),\s*(\w+)\)$/.exec(q);
        expect(m, `${file} $${v.name}: ${q}`).not.toBeNull();
        const [, selector, label] = m!;
        expect(problemsOf(withVariables(selector!), exported), `${file} $${v.name}`).toEqual([]);
        const metric = metricsOf(selector!)[0]!;
        expect(exported.get(metric)!.some((e) => e.labels.has(label!)), `${file} $${v.name}: ${metric} has ${label}`).toBe(true);
      }
    }
  });

  it('when the dashboards are read together, then they cover throughput and lag per stage, uploads and rejects by LAO, alerts by rule and severity, and notification delivery', () => {
    const exprs = (file: string) => panelsOf(dashboards.find((x) => x.file === file)!.d.panels).flatMap((p) => (p.targets ?? []).map((t) => t.expr)).join('\n');
    expect(exprs('pipeline.json')).toMatch(/paywatch_consumer_lag/);
    expect(exprs('pipeline.json')).toMatch(/sum by \(stage\) \(rate\(paywatch_detector_records_total/);
    expect(exprs('pipeline.json')).toMatch(/paywatch_detector_checkpoint_age_seconds/);
    expect(exprs('uploads.json')).toMatch(/by \(province, lao\) \(increase\(paywatch_ingest_rows_total\{outcome="rejected"/);
    expect(exprs('uploads.json')).toMatch(/paywatch_ingest_upload_refusals_total/);
    expect(exprs('alerts.json')).toMatch(/by \(rule, severity\) \(increase\(paywatch_detector_alerts_total/);
    expect(exprs('notifications.json')).toMatch(/by \(channel, outcome\) \(rate\(paywatch_notifications_total/);
    expect(exprs('notifications.json')).toMatch(/paywatch_alerts_channel_failing/);
  });
});
