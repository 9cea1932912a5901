// The image definition, read statically (no Docker engine here): multi-stage, the final images hold the built
// output only and run it with plain node as a non-root user; `pnpm build` is what produces that output.
import { describe, expect, it } from 'vitest';
import { SERVICES } from '../../src/build-service.ts';
import { text } from '../repo-files.ts';

interface Instruction { op: string; args: string }
interface Stage { name: string; from: string; instructions: Instruction[] }

/** Stages of a Dockerfile: instructions with line continuations joined, comments dropped, ARGs substituted in FROM. */
function stagesOf(dockerfile: string): Stage[] {
  const lines = dockerfile.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of lines) {
    const [op, ...rest] = line.split(/\s+/);
    const a = rest.join(' ');
    if (op!.toUpperCase() === 'ARG' && stages.length === 0) { const [k, v] = a.split('='); args.set(k!, v ?? ''); continue; }
    if (op!.toUpperCase() === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(a)!;
      stages.push({ from: m[1]!.replace(/\$\{(\w+)\}/g, (_, k: string) => args.get(k) ?? ''), name: m[2] ?? `#${stages.length}`, instructions: [] });
      continue;
    }
    stages.at(-1)!.instructions.push({ op: op!.toUpperCase(), args: a });
  }
  return stages;
}

const stages = stagesOf(text('infra/docker/Dockerfile'));
const byName = new Map(stages.map((s) => [s.name, s]));
/** A stage and the stages it is built FROM, nearest first. */
const chainOf = (name: string): Stage[] => {
  const s = byName.get(name);
  return s ? [s, ...chainOf(s.from)] : [];
};
const effective = (name: string, op: string) => chainOf(name).flatMap((s) => s.instructions.filter((i) => i.op === op).reverse())[0]?.args;
/** Every ENV of a stage's chain, as one string. */
const envOf = (name: string) => chainOf(name).flatMap((s) => s.instructions.filter((i) => i.op === 'ENV').map((i) => i.args)).join(' ');

describe('infra/docker/Dockerfile', () => {
  it('when read, then it is multi-stage: a build stage runs pnpm build into /out, and every service has its own final stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const build = byName.get('build')!;
    expect(build.instructions.some((i) => i.op === 'RUN' && /pnpm install --frozen-lockfile/.test(i.args))).toBe(true);
    expect(build.instructions.some((i) => i.op === 'RUN' && /pnpm build --out \/out\b/.test(i.args))).toBe(true);
    for (const s of SERVICES) expect(byName.has(s), `stage ${s}`).toBe(true);
    // Node pinned to the toolchain's version (ADR 0001), not a floating tag.
    expect(build.from).toMatch(/^node:24\.\d+\.\d+-bookworm-slim$/);
  });

  it('when a service image is built, then it copies only that service\'s built output from the build stage and runs it with plain node, no tsx', () => {
    for (const s of SERVICES) {
      const chain = chainOf(s);
      const copies = chain.flatMap((st) => st.instructions.filter((i) => i.op === 'COPY' || i.op === 'ADD'));
      expect(copies.map((c) => c.args), s).toEqual([`--from=build /out/${s} /app`]);
      expect(JSON.parse(effective(s, 'CMD')!), s).toEqual(['node', 'dist/main.js']);
      expect(effective(s, 'WORKDIR'), s).toBe('/app');
      for (const st of chain) for (const i of st.instructions) expect(`${i.op} ${i.args}`, s).not.toMatch(/tsx|pnpm|npm install|--prod=false/);
      // The final image is the slim Node base, not the build stage.
      expect(chain.at(-1)!.from, s).toBe(byName.get('build')!.from);
      expect(chain.map((c) => c.name), s).not.toContain('build');
      expect(envOf(s), s).toMatch(/NODE_ENV=production/);
    }
  });

  it('when a service image runs, then its user is not root (numeric, so Kubernetes runAsNonRoot can verify it)', () => {
    for (const s of SERVICES) {
      const user = effective(s, 'USER');
      expect(user, s).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
    }
  });

  it('when the images expose ports, then each is the port its service listens on by default', () => {
    const ports = { ingest: '8081', detector: '8082', alerts: '8083', console: '8080' } as const;
    for (const s of SERVICES) {
      expect(effective(s, 'EXPOSE'), s).toBe(ports[s]);
      expect(envOf(s), s).toContain(`PORT=${ports[s]}`);
    }
  });

  it('when read, then no secret is baked in: no ENV or ARG names a secret, password or token', () => {
    for (const st of stages) for (const i of st.instructions.filter((x) => x.op === 'ENV' || x.op === 'ARG')) expect(i.args).not.toMatch(/SECRET|PASSWORD|TOKEN|AWS_/i);
  });

  it('when the build context is sent, then dependencies, build output, the toolchain and .env stay out of it', () => {
    const ignored = text('.dockerignore').split('\n').map((l) => l.trim());
    for (const p of ['node_modules', '**/node_modules', '.build', '.toolchain', '.env', '.git']) expect(ignored).toContain(p);
  });
});
