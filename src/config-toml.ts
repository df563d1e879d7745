// The Rust bootstrap config.toml: the template first, then [build] rustc and
// cargo pointed at the toolchain, then the inline `config` input merged last.
// Keys go where bootstrap's parser reads them: under [build], never at the
// top level, where hand-written configs often put them.
import { readFileSync } from 'node:fs';
import { parse, stringify, TomlError } from 'smol-toml';
import { InputError } from './inputs.js';

type Table = Record<string, unknown>;

/** Keys bootstrap reads only from [build]; found at the top level they are moved there. */
export const BUILD_SECTION_KEYS = [
  'build',
  'host',
  'target',
  'build-dir',
  'cargo',
  'rustc',
  'rustfmt',
  'cargo-clippy',
  'docs',
  'compiler-docs',
  'library-docs-private-items',
  'docs-minification',
  'submodules',
  'gdb',
  'lldb',
  'nodejs',
  'npm',
  'python',
  'reuse',
  'locked-deps',
  'vendor',
  'full-bootstrap',
  'bootstrap-cache-path',
  'extended',
  'tools',
  'verbose',
  'sanitizers',
  'profiler',
  'cargo-native-static',
  'low-priority',
  'configure-args',
  'local-rebuild',
  'print-step-timings',
  'print-step-rusage',
  'check-stage',
  'doc-stage',
  'build-stage',
  'test-stage',
  'install-stage',
  'dist-stage',
  'bench-stage',
  'patch-binaries-for-nix',
  'metrics',
  'android-ndk',
  'optimized-compiler-builtins',
  'jobs',
  'compiletest-diff-tool',
  'ccache',
] as const;

const isTable = (v: unknown): v is Table =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Deep merge: tables merge key by key, anything else is replaced. */
export function mergeToml(base: Table, over: Table): Table {
  const out: Table = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const cur = out[k];
    out[k] = isTable(cur) && isTable(v) ? mergeToml(cur, v) : v;
  }
  return out;
}

function parseAs(input: string, text: string, where: string): Table {
  try {
    return parse(text) as Table;
  } catch (e) {
    const detail = e instanceof TomlError ? e.message.split('\n')[0] : String(e);
    throw new InputError(input, `${where} is not valid TOML: ${detail}`);
  }
}

export interface ConfigParts {
  templatePath: string | null;
  rustc: string;
  cargo: string;
  /** More [build] keys and sections, e.g. from the x.py tree (build, host, target, vendor). */
  extra?: Table;
  inline: string;
}

export function composeConfig(parts: ConfigParts): { toml: string; warnings: string[] } {
  const warnings: string[] = [];
  let config: Table = {};
  if (parts.templatePath) {
    config = parseAs(
      'config-template',
      readFileSync(parts.templatePath, 'utf8'),
      parts.templatePath,
    );
    const moved: string[] = [];
    for (const key of BUILD_SECTION_KEYS) {
      if (!(key in config) || isTable(config[key])) continue;
      const build = isTable(config.build) ? config.build : {};
      if (!(key in build)) build[key] = config[key];
      config.build = build;
      delete config[key];
      moved.push(key);
    }
    if (moved.length > 0) {
      warnings.push(
        `${parts.templatePath}: moved top-level ${moved.map((k) => `'${k}'`).join(', ')} under [build], where bootstrap reads ${moved.length === 1 ? 'it' : 'them'}.`,
      );
    }
  }
  config = mergeToml(config, {
    build: { ...(parts.extra?.build as Table | undefined), rustc: parts.rustc, cargo: parts.cargo },
  });
  if (parts.extra) {
    const { build: _build, ...rest } = parts.extra;
    config = mergeToml(config, rest);
  }
  if (parts.inline.trim())
    config = mergeToml(config, parseAs('config', parts.inline, 'the inline config'));
  return { toml: stringify(config), warnings };
}
