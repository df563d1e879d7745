// What a rust-lang/rust tree needs in its bootstrap config so `python3 x.py build` uses
// our toolchain. Key names and places follow bootstrap's parser
// (src/bootstrap/src/core/config/toml/*.rs and bootstrap.py's line-based get_toml, which
// only sees `key = value` lines under a `[build]` header: write tables, not dotted keys).
import { constants, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { metadataPath } from '../metadata/dir.js';
import { isTable } from '../util/toml-table.js';
import { mayAccess } from '../util/which.js';
import { bootstrapCompilerProblem } from './spec.js';

/** Keys bootstrap reads under [build] (union over bootstrap versions since 2023). */
export const BUILD_SECTION_KEYS: readonly string[] = [
  'build',
  'description',
  'host',
  'target',
  'build-dir',
  'cargo',
  'rustc',
  'rustdoc',
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
  'yarn',
  'python',
  'windows-rc',
  'reuse',
  'locked-deps',
  'vendor',
  'full-bootstrap',
  'bootstrap-cache-path',
  'extended',
  'tools',
  'tool',
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
  'compiletest-allow-stage0',
  'compiletest-use-stage0-libtest',
  'tidy-extra-checks',
  'ccache',
  'exclude',
  'record_failed_tests_path',
  'sde',
];

/** Plain keys bootstrap reads at the top level (TomlConfig; changelog-seen before 2024). */
export const TOP_LEVEL_KEYS: readonly string[] = [
  'change-id',
  'changelog-seen',
  'profile',
  'include',
];

/** Tables bootstrap reads at the top level. */
export const TOP_LEVEL_TABLES: readonly string[] = [
  'build',
  'install',
  'llvm',
  'gcc',
  'rust',
  'target',
  'dist',
];

export class XpyConfigError extends Error {
  override name = 'XpyConfigError';
}

export interface RustTreeInfo {
  root: string;
  /** src/version */
  sourceVersion: string | null;
  /** src/ci/channel: stable, beta, nightly or dev */
  channel: string;
  hasVendor: boolean;
  /** the last entry of CONFIG_CHANGE_HISTORY, which bootstrap compares change-id with */
  latestChangeId: number | null;
  /** src/bootstrap exists but has no change tracker: a bootstrap that rejects change-id */
  predatesChangeId: boolean;
  writable: boolean;
}

/** True for a rust-lang/rust-shaped tree (the action then runs x.py). */
export function isRustTree(sourceDir: string): boolean {
  return existsSync(path.join(sourceDir, 'x.py'));
}

/** Reads what xpyConfig needs from a rust-lang/rust checkout. */
export function inspectRustTree(sourceDir: string): RustTreeInfo {
  const root = path.resolve(sourceDir);
  const channelFile = path.join(root, 'src', 'ci', 'channel');
  if (!existsSync(channelFile)) {
    throw new XpyConfigError(
      `${channelFile} is missing: bootstrap reads the release channel (stable, beta, nightly or dev) from it; restore it from the checkout (git checkout -- src/ci/channel)`,
    );
  }
  const channel = readFileSync(channelFile, 'utf8').trim();
  if (!['stable', 'beta', 'nightly', 'dev'].includes(channel)) {
    throw new XpyConfigError(
      `${channelFile} holds "${channel}"; bootstrap expects stable, beta, nightly or dev`,
    );
  }
  const versionFile = path.join(root, 'src', 'version');
  const sourceVersion = existsSync(versionFile) ? readFileSync(versionFile, 'utf8').trim() : null;
  const vendor = path.join(root, 'vendor');
  const tracker = path.join(root, 'src', 'bootstrap', 'src', 'utils', 'change_tracker.rs');
  const latestChangeId = existsSync(tracker) ? lastChangeId(readFileSync(tracker, 'utf8')) : null;
  return {
    root,
    sourceVersion,
    channel,
    hasVendor: existsSync(vendor) && statSync(vendor).isDirectory(),
    latestChangeId,
    predatesChangeId: existsSync(path.join(root, 'src', 'bootstrap')) && !existsSync(tracker),
    writable: mayAccess(root, constants.W_OK),
  };
}

/** The last change_id in CONFIG_CHANGE_HISTORY (file order, as bootstrap's `.last()`). */
export function lastChangeId(trackerSource: string): number | null {
  const start = trackerSource.indexOf('CONFIG_CHANGE_HISTORY');
  if (start < 0) return null;
  const ids = [...trackerSource.slice(start).matchAll(/change_id:\s*(\d+)/g)].map((m) =>
    Number(m[1]),
  );
  return ids.length > 0 ? ids[ids.length - 1]! : null;
}

export interface XpyToolchain {
  rustc: string;
  cargo: string;
  /** rustc's release, e.g. 1.83.0 */
  version: string;
  /** rustc's host triple */
  host: string;
}

export interface XpyBuildSection {
  build: string;
  host: string[];
  target: string[];
  rustc: string;
  cargo: string;
  vendor?: boolean;
  'build-dir'?: string;
}

export interface XpyConfig {
  'change-id'?: number | 'ignore';
  build: XpyBuildSection;
}

export interface XpyConfigResult {
  /** merge over the template (after hoistBuildKeys), under the inline `config` input */
  config: XpyConfig;
  warnings: string[];
}

/**
 * The config.toml additions for x.py. `template` is the parsed config template (or
 * null); it is only read, so keys the user set (change-id, host, target, vendor,
 * build-dir) are kept or extended rather than overwritten.
 */
export function xpyConfig(
  tree: RustTreeInfo,
  toolchain: XpyToolchain,
  targets: string[],
  metadataDir: string,
  template: Record<string, unknown> | null = null,
): XpyConfigResult {
  const warnings: string[] = [];
  if (tree.sourceVersion !== null) {
    const problem = bootstrapCompilerProblem(tree.sourceVersion, toolchain.version);
    if (problem) {
      throw new XpyConfigError(
        `the toolchain's rustc ${toolchain.version} cannot build this tree (src/version ${tree.sourceVersion}): ${problem}; use toolchain: stage0`,
      );
    }
  }
  const tpl = hoistBuildKeys(template ?? {}).doc;
  const tplBuild = (isTable(tpl.build) ? tpl.build : {}) as Record<string, unknown>;

  for (const key of ['rustc', 'cargo'] as const) {
    const v = tplBuild[key];
    if (typeof v === 'string' && v !== toolchain[key]) {
      warnings.push(`the config template's build.${key} (${v}) is replaced by ${toolchain[key]}`);
    }
  }

  const build: XpyBuildSection = {
    build: typeof tplBuild.build === 'string' ? tplBuild.build : toolchain.host,
    host: stringList(tplBuild.host) ?? [toolchain.host],
    target: unique([...(stringList(tplBuild.target) ?? [toolchain.host]), ...targets]),
    rustc: toolchain.rustc,
    cargo: toolchain.cargo,
  };
  if (tree.hasVendor && tplBuild.vendor === undefined) build.vendor = true;
  if (!tree.writable && tplBuild['build-dir'] === undefined) {
    build['build-dir'] = metadataPath(metadataDir, 'xpyBuild');
    warnings.push(
      `${tree.root} is read-only; x.py writes its build directory to ${build['build-dir']}`,
    );
  }

  const config: XpyConfig = { build };
  if (tpl['change-id'] === undefined) {
    if (tree.latestChangeId !== null) {
      config['change-id'] = tree.latestChangeId;
    } else if (tree.predatesChangeId) {
      warnings.push(
        'this bootstrap predates change-id (no src/bootstrap/src/utils/change_tracker.rs), so none is written',
      );
    } else {
      config['change-id'] = 'ignore';
      warnings.push(
        'the latest change-id is unknown (src/bootstrap/src/utils/change_tracker.rs has none); writing change-id = "ignore", which bootstrap accepts since 2025 and which silences its config-change notices',
      );
    }
  }
  if (tpl['changelog-seen'] !== undefined && tree.latestChangeId !== null) {
    warnings.push(
      'the config template sets changelog-seen, which bootstrap removed (rust-lang/rust#123711); delete it',
    );
  }
  return { config, warnings };
}

/**
 * Moves keys a hand-written config puts at the top level (rustc = ..., vendor = true)
 * under [build], where bootstrap reads them. A key already in [build] wins. `target` and
 * `build` move only when they are not tables (top-level [target.<triple>] and [build]
 * are real sections).
 */
export function hoistBuildKeys(doc: Record<string, unknown>): {
  doc: Record<string, unknown>;
  moved: string[];
} {
  const out: Record<string, unknown> = {};
  const build: Record<string, unknown> = isTable(doc.build) ? { ...doc.build } : {};
  const moved: string[] = [];
  for (const [key, value] of Object.entries(doc)) {
    if (key === 'build' && isTable(value)) continue;
    const isSection = TOP_LEVEL_TABLES.includes(key) && isTable(value);
    if (BUILD_SECTION_KEYS.includes(key) && !isSection) {
      moved.push(key);
      if (!(key in build)) build[key] = value;
      continue;
    }
    out[key] = value;
  }
  if (Object.keys(build).length > 0 || isTable(doc.build)) out.build = build;
  return { doc: out, moved };
}

function stringList(v: unknown): string[] | null {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return null;
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
