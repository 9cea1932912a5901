/**
 * The production dependencies of a built service, taken from the installed workspace: the npm packages its bundle
 * imports (each one a declared `dependencies` entry of the workspace package that imports it, never a
 * devDependency), the service's own npm dependencies (the console reads Chart.js and the Sarabun font from disk),
 * and everything those depend on — exactly the `.pnpm` entries pnpm installed for them, with their relative
 * symlinks, so resolution inside the copy is the resolution pnpm set up. Needs no registry (ADR 0011).
 */
import { cpSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, symlinkSync, copyFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/** One npm package the built service needs at its top level, and which workspace package asked for it. */
export interface TopLevelPackage { name: string; realPath: string; requestedBy: string }

/** Raised when a bundle needs what production would not have (a devDependency, an undeclared or doubly-versioned package). */
export class ClosureError extends Error {
  readonly code = 'PW_ERR_BUILD_DEPENDENCY';
}

interface Manifest { name?: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> }
const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The nearest directory at or above `dir` with a package.json. */
export function packageDirOf(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d;
    if (dirname(d) === d) throw new ClosureError(`no package.json above ${dir}`);
  }
}

/** Where Node would find `name` from `fromDir` (the first `node_modules/name` walking up), as a real path. */
export function locatePackage(name: string, fromDir: string): string | null {
  for (let d = fromDir; ; d = dirname(d)) {
    const candidate = join(d, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(d) === d) return null;
  }
}

/**
 * Checks that `name`, imported from workspace package `importerDir`, is one of its production dependencies,
 * and returns where it is installed.
 */
export function resolveProductionImport(name: string, importerDir: string): TopLevelPackage {
  const m = readManifest(importerDir);
  const who = m.name ?? importerDir;
  if (!m.dependencies?.[name]) {
    const why = m.devDependencies?.[name] ? 'a devDependency' : 'not declared';
    throw new ClosureError(`${who} imports ${name}, which is ${why} in its package.json: production images install dependencies only`);
  }
  const realPath = locatePackage(name, importerDir);
  if (!realPath) throw new ClosureError(`${who} depends on ${name} but it is not installed (run pnpm install)`);
  return { name, realPath, requestedBy: who };
}

/** The `.pnpm/<entry>` directory holding an installed package, or an error for any other layout. */
function entryDirOf(realPath: string): string {
  const marker = `${sep}node_modules${sep}.pnpm${sep}`;
  const i = realPath.lastIndexOf(marker);
  if (i < 0) throw new ClosureError(`${realPath} is not in a pnpm virtual store (node-linker=isolated is assumed)`);
  const rest = realPath.slice(i + marker.length);
  return realPath.slice(0, i + marker.length) + rest.split(sep)[0]!;
}

/** The packages linked inside an entry's node_modules (its dependencies, and itself), as real paths. */
function linkedPackages(entryDir: string): string[] {
  const nm = join(entryDir, 'node_modules');
  const out: string[] = [];
  for (const name of readdirSync(nm)) {
    if (name === '.bin') continue;
    const names = name.startsWith('@') ? readdirSync(join(nm, name)).map((n) => join(name, n)) : [name];
    for (const n of names) out.push(realpathSync(join(nm, n)));
  }
  return out;
}

/** Every `.pnpm` entry reachable from the top-level packages (their dependencies, transitively). */
export function closureOf(top: readonly TopLevelPackage[]): string[] {
  const seen = new Set<string>();
  const queue = top.map((t) => entryDirOf(t.realPath));
  while (queue.length) {
    const entry = queue.pop()!;
    if (seen.has(entry)) continue;
    seen.add(entry);
    for (const p of linkedPackages(entry)) {
      // A workspace package linked from an npm package would be source code, not a build: refuse it loudly.
      if (!p.includes(`${sep}node_modules${sep}.pnpm${sep}`)) throw new ClosureError(`${entry} links to ${p}, outside the virtual store`);
      queue.push(entryDirOf(p));
    }
  }
  return [...seen].sort();
}

/** Hard-links a file where the file system allows (the build and the store share a disk), else copies it. */
function placeFile(from: string, to: string): void {
  try { linkSync(from, to); } catch { copyFileSync(from, to); }
}

function copyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    if (name === '.bin') continue;
    const src = join(from, name);
    const dst = join(to, name);
    const st = lstatSync(src);
    if (st.isSymbolicLink()) symlinkSync(readlinkSync(src), dst);
    else if (st.isDirectory()) copyTree(src, dst);
    else placeFile(src, dst);
  }
}

/**
 * Writes `outDir/node_modules`: the closure's `.pnpm` entries and a top-level link per package the service needs.
 * Returns the entry names copied.
 */
export function writeProductionNodeModules(top: readonly TopLevelPackage[], outDir: string): string[] {
  const byName = new Map<string, TopLevelPackage>();
  for (const t of top) {
    const prior = byName.get(t.name);
    if (prior && prior.realPath !== t.realPath) {
      throw new ClosureError(`${t.name} is needed in two versions (${prior.requestedBy}: ${prior.realPath}; ${t.requestedBy}: ${t.realPath}); one bundle can load one`);
    }
    byName.set(t.name, t);
  }
  const entries = closureOf([...byName.values()]);
  const store = join(outDir, 'node_modules', '.pnpm');
  mkdirSync(store, { recursive: true });
  for (const e of entries) copyTree(e, join(store, e.split(sep).at(-1)!));
  for (const t of byName.values()) {
    const entryName = entryDirOf(t.realPath).split(sep).at(-1)!;
    const link = join(outDir, 'node_modules', t.name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(relative(dirname(link), join(store, entryName, 'node_modules', t.name)), link);
  }
  return entries.map((e) => e.split(sep).at(-1)!);
}

/** Copies a directory as is (the console's own CSS and JS). */
export function copyDirectory(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
}
