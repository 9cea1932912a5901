// docker-compose.yml read statically (no Docker engine here): the console is in, behind the services'
// authentication; every service has a healthcheck, a restart policy and resource limits; Kafka, MinIO and
// PostgreSQL keep their data in named volumes; secrets come from the environment only; topics match the code.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEAD_LETTER_TOPICS, REFERENCE_TOPIC_PARTITIONS, ReferenceKind, TOPIC_PARTITIONS, referenceTopic } from '@paywatch/domain';
import { SERVICES } from '../src/build-service.ts';
import { ROOT, text, yamlFile } from './repo-files.ts';

interface ComposeService {
  image?: string; build?: { context: string; dockerfile: string; target: string }; restart?: string;
  environment?: Record<string, string | number>; healthcheck?: { test: string[] }; ports?: string[]; volumes?: string[];
  depends_on?: Record<string, { condition: string }> | string[]; deploy?: { resources?: { limits?: { cpus?: string; memory?: string } } };
  command?: string[] | string; read_only?: boolean; security_opt?: string[];
}
const compose = yamlFile<{ services: Record<string, ComposeService>; volumes: Record<string, unknown> }>('docker-compose.yml');
const services = compose.services;
const env = (name: string): Record<string, string> => Object.fromEntries(Object.entries(services[name]!.environment ?? {}).map(([k, v]) => [k, String(v)]));

/** A value taken from the environment, required (`${X:?message}`) or optional with an empty default (`${X:-}`). */
const FROM_ENV = /^\$\{[A-Z][A-Z0-9_]*(:\?[^}]+|:-)\}$/;
const SECRET_NAME = /SECRET|PASSWORD|PASS$|TOKEN|PRIVATE|(?<!_ID)_KEY$/;

describe('docker-compose.yml', () => {
  it('when up, then the three services and the console run from the repository\'s Dockerfile, each as its own target', () => {
    for (const s of SERVICES) {
      expect(services[s]?.build, s).toEqual({ context: '.', dockerfile: 'infra/docker/Dockerfile', target: s });
      expect(existsSync(resolve(ROOT, services[s]!.build!.dockerfile))).toBe(true);
    }
  });

  it('when the console starts, then it points at the three services on the ports they listen on and verifies tokens with the same JWT_SECRET', () => {
    const c = env('console');
    for (const [s, key] of [['ingest', 'INGEST_URL'], ['detector', 'DETECTOR_URL'], ['alerts', 'ALERTS_URL']] as const) {
      expect(c[key]).toBe(`http://${s}:${env(s).PORT}`);
    }
    for (const s of ['ingest', 'detector', 'alerts']) expect(env(s).JWT_SECRET, s).toBe(c.JWT_SECRET);
    expect(c.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?/);
    expect(c.CONSOLE_COOKIE_SECRET).toMatch(/^\$\{CONSOLE_COOKIE_SECRET:\?/);
    expect(services.console!.ports).toContain(`${c.PORT}:${c.PORT}`);
    // It waits for the services it calls, and the e-mails' links open it.
    expect(Object.keys(services.console!.depends_on as Record<string, unknown>).sort()).toEqual(['alerts', 'detector', 'ingest']);
    expect(env('alerts').CONSOLE_BASE_URL).toContain(`:${c.PORT}`);
  });

  it('when a long-running service is defined, then it has a healthcheck, a restart policy and CPU and memory limits; the topics job runs once', () => {
    for (const [name, s] of Object.entries(services)) {
      expect(s.deploy?.resources?.limits?.cpus, `${name} cpu limit`).toMatch(/^\d+(\.\d+)?$/);
      expect(s.deploy?.resources?.limits?.memory, `${name} memory limit`).toMatch(/^\d+[mg]$/);
      if (name === 'kafka-topics') { expect(s.restart).toBe('no'); continue; }
      expect(s.restart, `${name} restart`).toMatch(/^(unless-stopped|always)$/);
      expect(s.healthcheck?.test?.length, `${name} healthcheck`).toBeGreaterThan(1);
    }
  });

  it('when a paywatch service is checked for health, then the check asks its own /health on its own port, runs read-only and without privilege escalation', () => {
    for (const s of SERVICES) {
      const test = services[s]!.healthcheck!.test.join(' ');
      expect(test, s).toContain(`http://127.0.0.1:${env(s).PORT}/health`);
      expect(services[s]!.read_only, s).toBe(true);
      expect(services[s]!.security_opt, s).toContain('no-new-privileges:true');
    }
  });

  it('when Kafka, MinIO and PostgreSQL restart, then their data is in named volumes declared at the top level', () => {
    const mounts = { kafka: '/var/lib/kafka/data', minio: '/data', postgres: '/var/lib/postgresql/data' } as const;
    for (const [s, path] of Object.entries(mounts)) {
      const named = (services[s]!.volumes ?? []).map((v) => v.split(':')).find(([, p]) => p === path);
      expect(named, `${s} volume at ${path}`).toBeDefined();
      expect(named![0], s).toMatch(/^[a-z][\w-]*$/); // a name, not a host path
      expect(Object.keys(compose.volumes)).toContain(named![0]);
    }
    expect(env('kafka').KAFKA_LOG_DIRS).toBe(mounts.kafka);
  });

  it('when it holds a secret, then the value comes from the environment only: no literal anywhere, and every required one is listed in .env.example', () => {
    const required = new Set<string>();
    for (const [name, s] of Object.entries(services)) {
      for (const [k, v] of Object.entries(s.environment ?? {}).map(([a, b]) => [a, String(b)] as const)) {
        for (const m of v.matchAll(/\$\{([A-Z][A-Z0-9_]*):\?/g)) required.add(m[1]!);
        if (SECRET_NAME.test(k)) expect(v, `${name}.${k}`).toMatch(FROM_ENV);
        // Credentials inside URLs too: a connection string carries its password by reference.
        if (/:\/\/[^/\s]*@/.test(v)) expect(v, `${name}.${k}`).toMatch(/:\/\/[^:/]+:\$\{[A-Z_]+:\?[^}]+\}@/);
      }
    }
    expect([...required].sort()).toEqual(['AUDIT_HMAC_KEY', 'CONSOLE_COOKIE_SECRET', 'GRAFANA_ADMIN_PASSWORD', 'JWT_SECRET', 'MINIO_ROOT_PASSWORD', 'POSTGRES_PASSWORD']);
    const example = text('.env.example');
    for (const r of required) expect(example, r).toMatch(new RegExp(`^${r}=$`, 'm'));
    // The same credential on both sides: MinIO's root user is what the services sign S3 requests with.
    expect(env('ingest').AWS_SECRET_ACCESS_KEY!.split(':?')[0]).toBe(env('minio').MINIO_ROOT_PASSWORD!.split(':?')[0]);
    expect(env('alerts').DATABASE_URL).toContain(env('postgres').POSTGRES_PASSWORD!.split(':?')[0]!.replace('${', ''));
  });

  it('when the topics job runs, then it creates every topic of packages/domain with its partition count, the dead-letter topics and the compacted reference topics', () => {
    const script = String((services['kafka-topics']!.command as string[])[0]);
    const listed = new Map([...script.matchAll(/([a-z][a-z0-9.-]+\.v1(?:\.dlq)?):(\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
    expect(Object.fromEntries([...listed].filter(([t]) => !t.endsWith('.dlq')))).toEqual(TOPIC_PARTITIONS);
    for (const t of Object.values(DEAD_LETTER_TOPICS)) expect(listed.get(t), t).toBe(1);
    const compacted = /for t in ([^;]+); do\s+\$\$k[^\n]*--partitions (\d+)[^\n]*cleanup\.policy=compact/.exec(script)!;
    expect(compacted[1]!.trim().split(/\s+/).sort()).toEqual(ReferenceKind.options.map(referenceTopic).sort());
    expect(Number(compacted[2])).toBe(REFERENCE_TOPIC_PARTITIONS);
  });

  it('when Prometheus and Grafana start, then they load the repository\'s scrape config, alert rules, datasource and dashboards', () => {
    const mounted = (s: string) => (services[s]!.volumes ?? []).filter((v) => v.startsWith('./')).map((v) => v.split(':')[0]!);
    expect(mounted('prometheus')).toEqual(['./infra/prometheus']);
    expect(mounted('grafana').sort()).toEqual(['./infra/grafana/dashboards', './infra/grafana/provisioning']);
    for (const p of [...mounted('prometheus'), ...mounted('grafana')]) expect(existsSync(resolve(ROOT, p)), p).toBe(true);
    expect((services.prometheus!.command as string[]).join(' ')).toContain('--config.file=/etc/prometheus/prometheus.yml');
    expect(existsSync(resolve(ROOT, 'infra/prometheus/prometheus.yml'))).toBe(true);
  });
});
