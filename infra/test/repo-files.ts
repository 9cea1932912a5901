// Reading the repository's production files in tests: paths, YAML (with compose's merge keys) and JSON.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, '../..');
/** A file's text, by path from the repository root. */
export const text = (path: string) => readFileSync(resolve(ROOT, path), 'utf8');
/** One YAML document (merge keys `<<` resolved, as docker compose does). */
export const yamlFile = <T = unknown>(path: string) => parse(text(path), { merge: true }) as T;
/** Every document of a multi-document YAML file, refusing any with a syntax error. */
export function yamlDocuments(path: string): unknown[] {
  return parseAllDocuments(text(path)).map((d, i) => {
    if (d.errors.length) throw new Error(`${path} document ${i}: ${d.errors.map((e) => e.message).join('; ')}`);
    return d.toJS();
  }).filter((d) => d !== null);
}
/** A JSON file. */
export const jsonFile = <T = unknown>(path: string) => JSON.parse(text(path)) as T;
