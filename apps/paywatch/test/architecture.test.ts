// The dependency rules of architecture.md, checked on the manifests and the imports themselves.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');
const pkgDirs = ['packages', 'services', 'apps'].flatMap((top) => readdirSync(join(root, top)).map((d) => join(top, d)));
const manifest = (dir: string) => JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { name: string; dependencies?: Record<string, string> };

function sources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (e === 'node_modules') continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) out.push(p);
    }
  };
  walk(join(root, dir, 'src'));
  return out;
}
const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]!);

const ADAPTER_LIBS = ['kafkajs', '@aws-sdk/client-s3', 'pg', '@electric-sql/pglite', 'nodemailer', 'node:sqlite'];
const ADAPTER_PACKAGES = new Set(['packages/event-log', 'packages/blob-store', 'packages/db', 'packages/mail']);

describe('architecture', () => {
  it('packages/domain depends on zod only', () => {
    expect(Object.keys(manifest('packages/domain').dependencies ?? {})).toEqual(['zod']);
  });
  it('packages/rules depends on domain and simple-statistics only, and does no I/O', () => {
    expect(Object.keys(manifest('packages/rules').dependencies ?? {}).sort()).toEqual(['@paywatch/domain', 'simple-statistics']);
    for (const f of sources('packages/rules')) {
      for (const i of importsOf(f)) expect(i, `${f} imports ${i}`).toMatch(/^(\.|@paywatch\/domain$|simple-statistics$)/);
      expect(readFileSync(f, 'utf8'), `${f} reads the clock`).not.toMatch(/Date\.now\(|new Date\(\)|Math\.random\(/);
    }
  });
  it('services never import each other', () => {
    for (const dir of pkgDirs.filter((d) => d.startsWith('services/'))) {
      const deps = Object.keys(manifest(dir).dependencies ?? {});
      expect(deps.filter((d) => ['@paywatch/ingest', '@paywatch/detector', '@paywatch/alerts'].includes(d)), dir).toEqual([]);
      for (const f of sources(dir)) for (const i of importsOf(f)) expect(i, `${f} imports ${i}`).not.toMatch(/^@paywatch\/(ingest|detector|alerts)$|\.\.\/\.\.\/(ingest|detector|alerts)\//);
    }
  });
  it('only adapter packages import kafkajs, the AWS SDK, pg, PGlite, nodemailer or node:sqlite', () => {
    for (const dir of pkgDirs.filter((d) => !ADAPTER_PACKAGES.has(d))) {
      for (const f of sources(dir)) for (const i of importsOf(f)) expect(ADAPTER_LIBS.includes(i), `${f} imports ${i}`).toBe(false);
    }
  });
  it('no package reaches into another package\'s files (public surface is index.ts)', () => {
    for (const dir of pkgDirs) for (const f of sources(dir)) for (const i of importsOf(f)) expect(i, `${f} imports ${i}`).not.toMatch(/^@paywatch\/[^/]+\/|^\.\.\/\.\.\/\.\.\/(packages|services)\//);
  });
  it('money is never parsed as a float: no parseFloat or Number(text with a dot) in parsers, domain or services', () => {
    for (const dir of pkgDirs.filter((d) => d !== 'apps/paywatch')) {
      for (const f of sources(dir)) expect(readFileSync(f, 'utf8'), f).not.toMatch(/parseFloat\(|Number\.parseFloat/);
    }
  });
});
