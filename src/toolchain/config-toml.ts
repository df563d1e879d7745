// The Rust bootstrap config.toml: the template first, then [build] pointed at
// the toolchain (plus what an x.py tree needs), then the inline `config`
// input merged last. Keys go where bootstrap's parser reads them: under
// [build], never at the top level, where hand-written configs often put them.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse, stringify, TomlError } from 'smol-toml';
import { InputError } from '../inputs.js';
import { isTable } from '../util/toml-table.js';
import { BUILD_SECTION_KEYS, hoistBuildKeys, TOP_LEVEL_TABLES } from './xpy.js';

export type Table = Record<string, unknown>;

/** Deep merge: tables merge key by key, anything else is replaced. */
export function mergeToml(base: Table, over: Table): Table {
  const out: Table = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const cur = out[k];
    out[k] = isTable(cur) && isTable(v) ? mergeToml(cur, v) : v;
  }
  return out;
}

export function parseToml(input: 'config-template' | 'config', text: string, where: string): Table {
  try {
    return parse(text) as Table;
  } catch (e) {
    // The parser's reason, at the user's line and column (its own text draws the line in ASCII art).
    if (!(e instanceof TomlError)) throw e;
    const reason = e.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    throw new InputError(
      input,
      `${where} is not valid TOML: line ${e.line}, column ${e.column}: ${reason}.`,
    );
  }
}

function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Date) return 'a date';
  return typeof v === 'string' ? 'a string' : `a ${typeof v}`;
}

/**
 * Why a parsed config cannot be merged as given, or null: a bootstrap table
 * given as a value, or (inline config, which wins over the toolchain) a
 * `[build] rustc`/`cargo` that is no program.
 */
export function configTableProblem(
  table: Table,
  opts: { inline: boolean; sourceDir: string; isProgram: (path: string) => boolean },
): string | null {
  // Any other type in a bootstrap table's place would replace the whole table
  // on merge (the action's own [build] pins included). A top-level `build =
  // "<triple>"` or `target = [...]` is a [build] key written out of place,
  // and is moved there.
  for (const key of TOP_LEVEL_TABLES) {
    const v = table[key];
    if (v === undefined || isTable(v)) continue;
    const hoisted =
      BUILD_SECTION_KEYS.includes(key) &&
      (typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')));
    if (!hoisted) return `'${key}' must be a table ([${key}]), but is ${typeName(v)}`;
  }
  const build = hoistBuildKeys(table).doc.build;
  if (!opts.inline || !isTable(build)) return null;
  for (const key of ['rustc', 'cargo']) {
    const v = build[key];
    if (v === undefined) continue;
    if (typeof v !== 'string')
      return `[build] ${key} must be a path (a string), but is ${typeName(v)}`;
    if (!opts.isProgram(resolve(opts.sourceDir, v)))
      return `[build] ${key} = "${v}" is not an executable file; give the path of ${key}, or leave it out to use the toolchain input's`;
  }
  return null;
}

/**
 * The template as bootstrap should read it, with a warning for every key
 * moved under [build]. Bootstrap resolves `include` entries against the
 * directory of the file naming them; the written config lives elsewhere, so
 * relative ones are made absolute here.
 */
export function readTemplate(path: string): { table: Table; warnings: string[] } {
  const { doc, moved } = hoistBuildKeys(
    parseToml('config-template', readFileSync(path, 'utf8'), path),
  );
  if (Array.isArray(doc.include))
    doc.include = doc.include.map((p: unknown) =>
      typeof p === 'string' ? resolve(dirname(path), p) : p,
    );
  const warnings = moved.length
    ? [
        `${path}: moved top-level ${moved.map((k) => `'${k}'`).join(', ')} under [build], where bootstrap reads ${moved.length === 1 ? 'it' : 'them'}.`,
      ]
    : [];
  return { table: doc, warnings };
}

export interface ConfigParts {
  template: Table | null;
  rustc: string;
  cargo: string;
  /** More keys, e.g. an x.py tree's [build] build/host/target/vendor and change-id. */
  extra?: Table;
  inline: string;
}

export function composeConfig(parts: ConfigParts): string {
  let config: Table = parts.template ?? {};
  if (parts.extra) config = mergeToml(config, parts.extra);
  config = mergeToml(config, { build: { rustc: parts.rustc, cargo: parts.cargo } });
  if (parts.inline.trim())
    config = mergeToml(
      config,
      hoistBuildKeys(parseToml('config', parts.inline, 'the inline config')).doc,
    );
  return stringify(config);
}
