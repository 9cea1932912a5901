/**
 * A small validating schema with defaults, for rule configuration and engine snapshots.
 *
 * Why not zod: `zod` does not resolve from packages/rules (it is not a dependency, and
 * @paywatch/domain does not re-export `z`); the package may depend on domain and
 * simple-statistics only. This keeps the zod habits that matter here — parse at the edge,
 * `parse`/`safeParse`, defaults, inferred types — so that moving to `z` is mechanical once
 * domain re-exports it. Unlike zod objects, these objects are strict: an unknown key (a typo
 * in a threshold name) is an issue, not silently dropped.
 */
import { RULES_ERROR_CODES, RulesError, type Issue } from './errors.ts';

type Path = (string | number)[];
type Run<T> = (input: unknown, path: Path, issues: Issue[]) => T;

/** What `safeParse` returns: the data, or every issue found. */
export type SafeParseResult<T> = { success: true; data: T } | { success: false; issues: Issue[] };

/** The input a schema with defaults accepts: any field may be left out, arrays are given whole. */
export type DeepPartial<T> = T extends (infer U)[] ? readonly U[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** The type a schema produces. */
export type Infer<S> = S extends Schema<infer T> ? T : never;

/** A validator that turns unknown input into `T` (with defaults applied) or reports issues. */
export class Schema<T> {
  readonly #run: Run<T>;
  readonly #fallback: { value: unknown } | undefined;

  constructor(run: Run<T>, fallback?: { value: unknown }) {
    this.#run = run;
    this.#fallback = fallback;
  }

  /** Validates at `path`, appending issues; the value returned is meaningful only when none were added. */
  check(input: unknown, path: Path, issues: Issue[]): T {
    // The default is parsed like input (zod 4 calls this `prefault`), so `{}` fills nested defaults.
    return this.#run(input === undefined && this.#fallback ? this.#fallback.value : input, path, issues);
  }

  /** The same schema, using `value` (validated like input) when the input is missing. */
  default(value: DeepPartial<T>): Schema<T> {
    return new Schema(this.#run, { value });
  }

  /** Adds a check across fields: `test` returns a message when the value is wrong, else null. */
  refine(test: (value: T) => string | null): Schema<T> {
    return new Schema<T>((input, path, issues) => {
      const before = issues.length;
      const value = this.check(input, path, issues);
      if (issues.length === before) {
        const message = test(value);
        if (message !== null) issues.push({ path: [...path], message });
      }
      return value;
    }, this.#fallback);
  }

  /** Validates without throwing. */
  safeParse(input: unknown): SafeParseResult<T> {
    const issues: Issue[] = [];
    const data = this.check(input, [], issues);
    return issues.length === 0 ? { success: true, data } : { success: false, issues };
  }

  /** Validates, or throws a `RulesError` (`PW_ERR_RULES_INVALID_DATA`) listing the issues. */
  parse(input: unknown): T {
    const result = this.safeParse(input);
    if (result.success) return result.data;
    throw new RulesError(RULES_ERROR_CODES.invalidData, describeIssues(result.issues), result.issues);
  }
}

/** `a.b[2]: message; …` — the first few issues, for an error message. */
export function describeIssues(issues: readonly Issue[]): string {
  const shown = issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  return shown.join('; ') + (issues.length > 5 ? `; and ${issues.length - 5} more` : '');
}

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function fail(path: Path, issues: Issue[], message: string): never {
  issues.push({ path: [...path], message });
  // The caller only uses the value when no issue was added, so any placeholder will do.
  return undefined as never;
}

function bounds(v: number, o: { min?: number; max?: number }, path: Path, issues: Issue[]): number {
  if (o.min !== undefined && v < o.min) return fail(path, issues, `must be ≥ ${o.min}, got ${v}`);
  if (o.max !== undefined && v > o.max) return fail(path, issues, `must be ≤ ${o.max}, got ${v}`);
  return v;
}

/** Schema builders. */
export const s = {
  /** true or false. */
  boolean: () => new Schema<boolean>((v, p, i) => (typeof v === 'boolean' ? v : fail(p, i, `expected boolean, got ${typeName(v)}`))),

  /** A safe integer within optional bounds. */
  integer: (o: { min?: number; max?: number } = {}) =>
    new Schema<number>((v, p, i) => (typeof v === 'number' && Number.isSafeInteger(v) ? bounds(v, o, p, i) : fail(p, i, `expected integer, got ${typeName(v)} ${String(v)}`))),

  /** A finite number within optional bounds. */
  number: (o: { min?: number; max?: number } = {}) =>
    new Schema<number>((v, p, i) => (typeof v === 'number' && Number.isFinite(v) ? bounds(v, o, p, i) : fail(p, i, `expected finite number, got ${typeName(v)}`))),

  /** A string, optionally matching a pattern. */
  string: (o: { pattern?: RegExp; minLength?: number } = {}) =>
    new Schema<string>((v, p, i) => {
      if (typeof v !== 'string') return fail(p, i, `expected string, got ${typeName(v)}`);
      if (o.minLength !== undefined && v.length < o.minLength) return fail(p, i, `must have at least ${o.minLength} characters`);
      if (o.pattern && !o.pattern.test(v)) return fail(p, i, `must match ${o.pattern}, got "${v}"`);
      return v;
    }),

  /** Exactly this value. */
  literal: <const L extends string | number>(value: L) =>
    new Schema<L>((v, p, i) => (v === value ? value : fail(p, i, `expected ${JSON.stringify(value)}, got ${JSON.stringify(v) ?? typeName(v)}`))),

  /** One of these strings. */
  enumOf: <const V extends readonly string[]>(values: V) =>
    new Schema<V[number]>((v, p, i) => (typeof v === 'string' && values.includes(v) ? v : fail(p, i, `expected one of ${values.join(', ')}, got ${JSON.stringify(v) ?? typeName(v)}`))),

  /** The inner schema, or null. */
  nullable: <T>(inner: Schema<T>) => new Schema<T | null>((v, p, i) => (v === null ? null : inner.check(v, p, i))),

  /** An array of items, optionally length-bounded and free of repeated (primitive) values. */
  array: <T>(item: Schema<T>, o: { minLength?: number; maxLength?: number; unique?: boolean } = {}) =>
    new Schema<T[]>((v, p, i) => {
      if (!Array.isArray(v)) return fail(p, i, `expected array, got ${typeName(v)}`);
      if (o.minLength !== undefined && v.length < o.minLength) return fail(p, i, `must have at least ${o.minLength} items`);
      if (o.maxLength !== undefined && v.length > o.maxLength) return fail(p, i, `must have at most ${o.maxLength} items`);
      if (o.unique && new Set(v).size !== v.length) return fail(p, i, 'must not repeat a value');
      return v.map((x, k) => item.check(x, [...p, k], i));
    }),

  /** A fixed-length array whose positions have their own schemas. */
  tuple: <const S extends readonly Schema<unknown>[]>(items: S) =>
    new Schema<{ -readonly [K in keyof S]: Infer<S[K]> }>((v, p, i) => {
      if (!Array.isArray(v) || v.length !== items.length) return fail(p, i, `expected array of ${items.length}, got ${typeName(v)}`);
      return items.map((schema, k) => schema.check(v[k], [...p, k], i)) as { -readonly [K in keyof S]: Infer<S[K]> };
    }),

  /** A plain object with exactly these keys (missing ones take their defaults); output keys follow the shape's order. */
  object: <S extends Record<string, Schema<unknown>>>(shape: S) =>
    new Schema<{ [K in keyof S]: Infer<S[K]> }>((v, p, i) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(p, i, `expected object, got ${typeName(v)}`);
      const input = v as Record<string, unknown>;
      for (const key of Object.keys(input)) if (!Object.hasOwn(shape, key)) i.push({ path: [...p, key], message: 'unknown key' });
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(shape)) out[key] = shape[key]!.check(Object.hasOwn(input, key) ? input[key] : undefined, [...p, key], i);
      return out as { [K in keyof S]: Infer<S[K]> };
    }),
} as const;
