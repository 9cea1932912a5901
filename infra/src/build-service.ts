/**
 * Builds one service for its image: esbuild compiles the service's `src/main.ts` and every workspace package it
 * imports (TypeScript with `.ts` specifiers) into one ESM file, `dist/main.js`; npm packages stay external and
 * come from `node_modules`, which holds the production dependencies only (production-closure.ts). The output
 * runs under plain `node dist/main.js`: no tsx, no TypeScript, no devDependencies (ADR 0011).
 */
import { build, type Plugin } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, resolve } from 'node:path';
import { copyDirectory, packageDirOf, packageNameOf, resolveProductionImport, writeProductionNodeModules, type TopLevelPackage } from './production-closure.ts';

/** The services that have an image: each has `services/<name>/src/main.ts`. */
export const SERVICES = ['ingest', 'detector', 'alerts', 'console'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** What one build produced. */
export interface ServiceBuild {
  service: ServiceName;
  outDir: string;
  bundleBytes: number;
  /** npm packages the bundle imports (its externals). */
  imports: string[];
  /** `.pnpm` entries copied into node_modules (the production closure). */
  packages: string[];
  ms: number;
}

/** Marks every npm import external and records, per import, the workspace package that asked for it. */
function externalNpm(found: TopLevelPackage[]): Plugin {
  return {
    name: 'paywatch-external-npm',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        if (args.path.startsWith('@paywatch/')) return undefined; // workspace source: compiled into the bundle
        found.push(resolveProductionImport(packageNameOf(args.path), packageDirOf(args.resolveDir)));
        return { path: args.path, external: true };
      });
    },
  };
}

/** Builds `service` from the workspace at `root` into `outDir` (emptied first). */
export async function buildService(root: string, service: ServiceName, outDir: string): Promise<ServiceBuild> {
  const t0 = performance.now();
  const serviceDir = resolve(root, 'services', service);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'dist'), { recursive: true });
  const found: TopLevelPackage[] = [];
  await build({
    entryPoints: [join(serviceDir, 'src/main.ts')],
    outfile: join(outDir, 'dist/main.js'),
    bundle: true, platform: 'node', format: 'esm', target: 'node24',
    sourcemap: true, sourcesContent: false, legalComments: 'none', logLevel: 'error',
    plugins: [externalNpm(found)],
  });
  // The service's own npm dependencies are there even when only read from disk (Chart.js and the font of the console).
  const manifest = JSON.parse(readFileSync(join(serviceDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const own = Object.keys(manifest.dependencies ?? {})
    .filter((d) => !d.startsWith('@paywatch/'))
    .map((d) => resolveProductionImport(d, serviceDir));
  const packages = writeProductionNodeModules([...found, ...own], outDir);
  if (existsSync(join(serviceDir, 'assets'))) copyDirectory(join(serviceDir, 'assets'), join(outDir, 'assets'));
  // ESM output: `type: module` makes `node dist/main.js` load it as such.
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify({ name: `@paywatch/${service}-image`, private: true, type: 'module' }, null, 2)}\n`);
  return {
    service, outDir, bundleBytes: statSync(join(outDir, 'dist/main.js')).size,
    imports: [...new Set(found.map((f) => f.name))].sort(), packages, ms: Math.round(performance.now() - t0),
  };
}
