/** Minimal argument parsing for the paywatch CLI: `--name value` options and positional arguments. */
export interface ParsedArgs { positional: string[]; options: Map<string, string | true> }

/** Splits argv into options (`--x v`, `--x=v`, boolean `--x` when listed in `flags`) and positionals. */
export function parseArgs(argv: readonly string[], flags: readonly string[] = []): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) { positional.push(a); continue; }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq === -1 ? undefined : eq);
    if (eq !== -1) options.set(name, a.slice(eq + 1));
    else if (flags.includes(name)) options.set(name, true);
    else {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new Error(`option --${name} needs a value`);
      options.set(name, v);
      i++;
    }
  }
  return { positional, options };
}

/** A string option or undefined. */
export const opt = (a: ParsedArgs, name: string): string | undefined => {
  const v = a.options.get(name);
  return typeof v === 'string' ? v : undefined;
};
