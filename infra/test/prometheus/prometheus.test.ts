// infra/prometheus: the scrape config reaches every service of the compose file, every alert rule parses, queries
// only what the services export, has a runbook in docs/operations.md and a promtool unit test that makes it fire.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { exportedMetrics, type ExportedMetric } from '../exported-metrics.ts';
import { problemsOf } from '../promql.ts';
import { ROOT, text, yamlFile } from '../repo-files.ts';

interface Rule { alert: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }
const rules = yamlFile<{ groups: Array<{ name: string; rules: Rule[] }> }>('infra/prometheus/rules.yml').groups.flatMap((g) => g.rules);
const unitTests = yamlFile<{ tests: Array<{ name: string; alert_rule_test?: Array<{ alertname: string; exp_alerts: unknown[] }> }> }>('infra/prometheus/rules.test.yml').tests;
const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0;
const runPromtool = (...args: string[]) => execFileSync('promtool', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

let exported: Map<string, ExportedMetric[]>;
beforeAll(async () => { exported = await exportedMetrics(); }, 60_000);

describe('infra/prometheus', () => {
  it('when the alert rules are read, then the five the operator asked for are there, each with a severity, a summary and a runbook link', () => {
    const names = rules.map((r) => r.alert);
    for (const n of ['PaywatchConsumerLagGrowing', 'PaywatchDeadLettersAppearing', 'PaywatchNotifierChannelDown', 'PaywatchUploadRefusalsSpiking', 'PaywatchDetectorCheckpointStale']) expect(names).toContain(n);
    expect(new Set(names).size).toBe(names.length);
    for (const r of rules) {
      expect(['warning', 'critical'], r.alert).toContain(r.labels?.severity);
      expect(r.annotations?.summary, r.alert).toBeTruthy();
      expect(r.annotations?.runbook_url, r.alert).toBe(`docs/operations.md#${r.alert.toLowerCase()}`);
    }
  });

  it('when an alert fires, then docs/operations.md has its runbook under a heading of the same name', () => {
    const headings = [...text('docs/operations.md').matchAll(/^#{2,4} (\S+)/gm)].map((m) => m[1]!);
    for (const r of rules) expect(headings, r.alert).toContain(r.alert);
  });

  it('when every rule expression is parsed with Prometheus\'s grammar, then it has no syntax error and selects only metrics and labels a service exports', () => {
    for (const r of rules) expect(problemsOf(r.expr, exported), r.alert).toEqual([]);
  });

  it('when the unit tests are read, then every alert has a case where it fires', () => {
    for (const r of rules) {
      const firing = unitTests.flatMap((t) => t.alert_rule_test ?? []).filter((a) => a.alertname === r.alert && a.exp_alerts.length > 0);
      expect(firing.length, r.alert).toBeGreaterThan(0);
    }
  });

  it.skipIf(!promtool)('when promtool checks the config and the rules, then both are valid', () => {
    expect(runPromtool('check', 'config', 'infra/prometheus/prometheus.yml')).toMatch(/SUCCESS/);
    expect(runPromtool('check', 'rules', 'infra/prometheus/rules.yml')).toMatch(/SUCCESS: \d+ rules found/);
  });

  it.skipIf(!promtool)('when promtool runs the unit tests, then every alert fires on its series, with its labels and annotations, and stays quiet on the near misses', () => {
    expect(runPromtool('test', 'rules', 'infra/prometheus/rules.test.yml')).toMatch(/SUCCESS/);
  });

  it('when Prometheus scrapes, then its targets are the four services of docker-compose.yml on their ports', () => {
    const config = yamlFile<{ rule_files: string[]; scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }> }>('infra/prometheus/prometheus.yml');
    expect(config.rule_files).toEqual(['rules.yml']);
    const job = config.scrape_configs.find((j) => j.job_name === 'paywatch')!;
    const compose = yamlFile<{ services: Record<string, { environment?: Record<string, string> }> }>('docker-compose.yml').services;
    expect(job.static_configs.flatMap((c) => c.targets).sort()).toEqual(['alerts', 'console', 'detector', 'ingest'].map((s) => `${s}:${compose[s]!.environment!.PORT}`).sort());
    // The rule files sit beside the config, which compose mounts at /etc/prometheus.
    expect(resolve(ROOT, 'infra/prometheus', config.rule_files[0]!)).toBe(resolve(ROOT, 'infra/prometheus/rules.yml'));
  });
});
