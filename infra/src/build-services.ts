/**
 * `pnpm build [--out DIR] [SERVICE...]`: builds every service (or those named) into `DIR/<service>` (default
 * `.build/`), ready to copy into an image: `dist/main.js`, `node_modules` (production only), `package.json` and,
 * for the console, `assets/`. Prints one JSON line per service.
 */
import { resolve } from 'node:path';
import { buildService, SERVICES, type ServiceName } from './build-service.ts';

const root = resolve(import.meta.dirname, '../..');
const argv = process.argv.slice(2);
const outAt = argv.indexOf('--out');
const out = resolve(outAt >= 0 ? argv[outAt + 1] ?? '.build' : '.build');
const named = argv.filter((a, i) => a !== '--out' && i !== outAt + 1);
const unknown = named.filter((n) => !(SERVICES as readonly string[]).includes(n));
if (unknown.length) {
  console.error(`unknown service(s): ${unknown.join(', ')}; choose from ${SERVICES.join(', ')}`);
  process.exit(2);
}
const services = (named.length ? named : SERVICES) as readonly ServiceName[];
for (const s of services) {
  const b = await buildService(root, s, resolve(out, s));
  console.log(JSON.stringify({ service: b.service, out: b.outDir, bundleBytes: b.bundleBytes, npmImports: b.imports.length, packages: b.packages.length, ms: b.ms }));
}
