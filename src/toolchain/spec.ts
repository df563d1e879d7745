// The `toolchain` input, parsed into what to fetch. Channel names follow rustup's
// (https://rust-lang.github.io/rustup/concepts/toolchains.html) as far as rust-overlay
// serves them; `stage0` and rust-toolchain files are read here so a bad value fails
// before any Nix call.
//
//   stable | beta | nightly       newest release of that channel in the pinned rust-overlay
//   1.83.0                        that stable release
//   1.83                          the newest 1.83.x in the pinned rust-overlay (as rustup does)
//   nightly-2025-10-16            that nightly; beta-2025-10-16 likewise
//   stage0                        the compiler <source-dir>/src/stage0 names
//   ./path/rust-toolchain(.toml)  rustup's toolchain file (channel, components, targets, profile)
//   system                        rustc and cargo on PATH
//   empty or `auto`               stage0 where src/stage0 exists, else the source dir's
//                                 rust-toolchain(.toml), else stable
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';

export type Profile = 'minimal' | 'default' | 'complete';

export interface Stage0Info {
  /** compiler_version from src/stage0: `beta`, `nightly` or X.Y.Z */
  compilerVersion: string;
  compilerDate: string | null;
  /** src/version: the version the tree builds */
  sourceVersion: string;
  file: string;
}

export interface NixToolchainSpec {
  kind: 'nix';
  origin: 'channel' | 'stage0' | 'file';
  /** stable | beta | nightly | X.Y.Z | X.Y | nightly-YYYY-MM-DD | beta-YYYY-MM-DD */
  channel: string;
  profile: Profile;
  /** rust-overlay extensions: the toolchain file's plus the `components` input */
  components: string[];
  /** extra rust-std targets: the toolchain file's plus the `targets` input */
  targets: string[];
  /** absolute path of the rust-toolchain file (origin `file`) */
  file?: string;
  stage0?: Stage0Info;
  warnings: string[];
}

export interface SystemToolchainSpec {
  kind: 'system';
  components: string[];
  targets: string[];
  warnings: string[];
}

export type ToolchainSpec = NixToolchainSpec | SystemToolchainSpec;

export class ToolchainInputError extends Error {
  override name = 'ToolchainInputError';
}

export const TOOLCHAIN_ACCEPTS =
  'stable, beta, nightly, a version (1.83.0, or 1.83 for its newest patch release), ' +
  'nightly-YYYY-MM-DD, beta-YYYY-MM-DD, stage0, system, or a path to a rust-toolchain or ' +
  'rust-toolchain.toml file';

export interface ParseOptions {
  /** absolute source dir (stage0 and auto-detection read from it) */
  sourceDir: string;
  /** relative toolchain file paths resolve against this; default process.cwd() */
  cwd?: string;
  /** the `targets` input, already split */
  targets?: string[];
  /** the `components` input, already split */
  components?: string[];
}

const VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?$/;
const DATED = /^(nightly|beta|stable)-(\d{4})-(\d{2})-(\d{2})$/;
const HOST_SUFFIX =
  /^(stable|beta|nightly|\d+\.\d+(?:\.\d+)?|(?:nightly|beta)-\d{4}-\d{2}-\d{2})-([a-z][a-z0-9_]*-[a-z0-9_]+-.+)$/;
const COMPONENT = /^[a-z][a-z0-9-]*$/;
const TARGET = /^[A-Za-z0-9_.-]+$/;
const PROFILES: readonly Profile[] = ['minimal', 'default', 'complete'];

export function parseToolchain(value: string | null, opts: ParseOptions): ToolchainSpec {
  const raw = (value ?? '').trim();
  const targets = checkNames(opts.targets ?? [], TARGET, 'targets', 'target triples');
  const components = checkNames(
    opts.components ?? [],
    COMPONENT,
    'components',
    'rust-overlay component names such as rust-src or llvm-tools',
  );
  if (raw === '' || raw === 'auto') return auto(opts, targets, components);
  const bad = (reason: string) =>
    new ToolchainInputError(
      `Invalid toolchain input "${raw}": ${reason}. It accepts ${TOOLCHAIN_ACCEPTS}`,
    );

  if (raw === 'system') {
    const warnings =
      components.length > 0
        ? [
            `components (${components.join(', ')}) are ignored with toolchain: system; add them with rustup instead`,
          ]
        : [];
    return { kind: 'system', components: [], targets, warnings };
  }
  if (raw === 'stage0') return stage0(opts.sourceDir, targets, components, bad);
  if (looksLikePath(raw)) {
    const file = path.resolve(opts.cwd ?? process.cwd(), raw);
    if (!existsSync(file)) throw bad(`the file ${file} does not exist`);
    if (!statSync(file).isFile()) throw bad(`${file} is not a file`);
    return toolchainFile(file, targets, components, bad);
  }
  const reason = channelProblem(raw);
  if (reason !== null) throw bad(reason);
  return {
    kind: 'nix',
    origin: 'channel',
    channel: raw,
    profile: 'default',
    components,
    targets,
    warnings: [],
  };
}

/** Why a channel name is not one rust-overlay can serve, or null when it is. */
export function channelProblem(channel: string): string | null {
  if (channel === 'stable' || channel === 'beta' || channel === 'nightly') return null;
  const v = VERSION.exec(channel);
  if (v) {
    if (v[1] !== '1') return `Rust versions start with 1. (got major version ${v[1]})`;
    return null;
  }
  const host = HOST_SUFFIX.exec(channel);
  if (host) {
    return `a host triple in the name (${host[2]}) is not supported; the host is the runner's, so use ${host[1]}`;
  }
  const d = DATED.exec(channel);
  if (d) {
    const [, kind, y, m, day] = d;
    if (kind === 'stable') return 'stable releases have no date; use a version such as 1.83.0';
    if (!isCalendarDate(Number(y), Number(m), Number(day))) {
      return `${y}-${m}-${day} is not a calendar date`;
    }
    return null;
  }
  if (/^\d+(\.\d+)*$/.test(channel) || /^\d+\.\d+\.\d+[-+]/.test(channel)) {
    return 'a version is MAJOR.MINOR or MAJOR.MINOR.PATCH, without pre-release or build suffixes';
  }
  if (/^(nightly|beta)-/.test(channel))
    return 'a dated channel is nightly-YYYY-MM-DD or beta-YYYY-MM-DD';
  return 'it is not a channel, a version, stage0, system or an existing file path';
}

/**
 * Bootstrap's own check on build.rustc/build.cargo (config.rs check_stage0_version):
 * the compiler must be the version of src/version or the minor version below it.
 * Returns why `compiler` cannot build `source`, or null when it can.
 */
export function bootstrapCompilerProblem(source: string, compiler: string): string | null {
  const s = parseVersion(source);
  const c = parseVersion(compiler);
  if (!s || !c) return null;
  if (s.major === c.major && (s.minor === c.minor || s.minor === c.minor + 1)) return null;
  return `bootstrap builds ${source} only with a ${s.major}.${s.minor - 1}.x or ${s.major}.${s.minor}.x compiler, not ${compiler}`;
}

/** The JSON the nix/ flake's lib.toolchainFor takes as `spec` (see nix/lib/spec.nix). */
export interface FlakeSpec {
  channel?: string;
  profile: Profile;
  components: string[];
  targets: string[];
  /** file name inside the generated wrapper flake (copied there) */
  toolchainFile?: string;
}

export function flakeSpec(spec: NixToolchainSpec, fileName?: string): FlakeSpec {
  if (spec.origin === 'file' && fileName) {
    // The flake reads the file itself; the inputs' extras are added on top of it.
    return {
      profile: spec.profile,
      components: spec.components,
      targets: spec.targets,
      toolchainFile: fileName,
    };
  }
  return {
    channel: spec.channel,
    profile: spec.profile,
    components: spec.components,
    targets: spec.targets,
  };
}

function auto(opts: ParseOptions, targets: string[], components: string[]): ToolchainSpec {
  const src = opts.sourceDir;
  if (
    existsSync(path.join(src, 'src', 'stage0')) ||
    existsSync(path.join(src, 'src', 'stage0.json'))
  ) {
    return stage0(
      src,
      targets,
      components,
      (reason) =>
        new ToolchainInputError(
          `Invalid toolchain input (auto: stage0 of ${src}): ${reason}. Set toolchain to one of ${TOOLCHAIN_ACCEPTS}`,
        ),
    );
  }
  // rustup reads rust-toolchain before rust-toolchain.toml when both exist.
  for (const name of ['rust-toolchain', 'rust-toolchain.toml']) {
    const file = path.join(src, name);
    if (existsSync(file) && statSync(file).isFile()) {
      return toolchainFile(
        file,
        targets,
        components,
        (reason) =>
          new ToolchainInputError(
            `Invalid toolchain input (auto: ${file}): ${reason}. Set toolchain to one of ${TOOLCHAIN_ACCEPTS}`,
          ),
      );
    }
  }
  return {
    kind: 'nix',
    origin: 'channel',
    channel: 'stable',
    profile: 'default',
    components,
    targets,
    warnings: [],
  };
}

function stage0(
  sourceDir: string,
  targets: string[],
  components: string[],
  bad: (reason: string) => Error,
): NixToolchainSpec {
  const info = readStage0(sourceDir, bad);
  let channel: string;
  if (info.compilerVersion === 'beta' || info.compilerVersion === 'nightly') {
    if (info.compilerDate === null) {
      throw bad(`${info.file} has compiler_version=${info.compilerVersion} but no compiler_date`);
    }
    channel = `${info.compilerVersion}-${info.compilerDate}`;
    const problem = channelProblem(channel);
    if (problem) throw bad(`${info.file} has compiler_date=${info.compilerDate}: ${problem}`);
  } else if (/^\d+\.\d+\.\d+$/.test(info.compilerVersion)) {
    channel = info.compilerVersion;
    const problem = bootstrapCompilerProblem(info.sourceVersion, channel);
    if (problem) {
      throw bad(
        `${info.file} names compiler ${channel} but src/version is ${info.sourceVersion}; ${problem}`,
      );
    }
  } else {
    throw bad(
      `${info.file} has compiler_version=${info.compilerVersion}; expected beta, nightly or X.Y.Z`,
    );
  }
  // Bootstrap downloads only rustc, cargo and rust-std for stage0; so does the minimal profile.
  return {
    kind: 'nix',
    origin: 'stage0',
    channel,
    profile: 'minimal',
    components,
    targets,
    stage0: info,
    warnings: [],
  };
}

/** Reads src/stage0 (key=value, current trees) or src/stage0.json (trees before 2024). */
export function readStage0(sourceDir: string, bad: (reason: string) => Error): Stage0Info {
  const kv = path.join(sourceDir, 'src', 'stage0');
  const json = path.join(sourceDir, 'src', 'stage0.json');
  let version: string | undefined;
  let date: string | undefined;
  let file: string;
  if (existsSync(kv)) {
    file = kv;
    for (const line of readFileSync(kv, 'utf8').split('\n')) {
      const t = line.trim();
      if (t === '' || t.startsWith('#')) continue;
      const eq = t.indexOf('=');
      if (eq < 0) continue;
      const key = t.slice(0, eq).trim();
      const val = t.slice(eq + 1).trim();
      if (key === 'compiler_version') version = val;
      if (key === 'compiler_date') date = val;
    }
  } else if (existsSync(json)) {
    file = json;
    try {
      const doc = JSON.parse(readFileSync(json, 'utf8')) as {
        compiler?: { version?: unknown; date?: unknown };
      };
      if (typeof doc.compiler?.version === 'string') version = doc.compiler.version;
      if (typeof doc.compiler?.date === 'string') date = doc.compiler.date;
    } catch (e) {
      throw bad(`${json} is not valid JSON (${(e as Error).message})`);
    }
  } else {
    throw bad(`${kv} does not exist, so there is no stage0 compiler to use`);
  }
  if (version === undefined) throw bad(`${file} has no compiler_version`);
  const versionFile = path.join(sourceDir, 'src', 'version');
  if (!existsSync(versionFile)) {
    throw bad(`${versionFile} does not exist; bootstrap reads the version it builds from it`);
  }
  const sourceVersion = readFileSync(versionFile, 'utf8').trim();
  if (!parseVersion(sourceVersion)) {
    throw bad(`${versionFile} holds "${sourceVersion}", not a version such as 1.84.0`);
  }
  return { compilerVersion: version, compilerDate: date ?? null, sourceVersion, file };
}

function toolchainFile(
  file: string,
  targets: string[],
  components: string[],
  bad: (reason: string) => Error,
): NixToolchainSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw bad(`${file} cannot be read`);
  }
  const fields = parseToolchainFile(file, text, bad);
  const problem = channelProblem(fields.channel);
  if (problem) throw bad(`${file} sets channel "${fields.channel}": ${problem}`);
  return {
    kind: 'nix',
    origin: 'file',
    channel: fields.channel,
    profile: fields.profile ?? 'default',
    components: union(fields.components, components),
    targets: union(fields.targets, targets),
    file,
    warnings: [],
  };
}

interface ToolchainFileFields {
  channel: string;
  profile: Profile | null;
  components: string[];
  targets: string[];
}

/** rustup's toolchain file: one word (the legacy form) or TOML with a [toolchain] table. */
export function parseToolchainFile(
  file: string,
  text: string,
  bad: (reason: string) => Error,
): ToolchainFileFields {
  const legacy = text.trim();
  if (legacy !== '' && !/[\s=[\]"']/.test(legacy)) {
    return { channel: legacy, profile: null, components: [], targets: [] };
  }
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    const first = (e as Error).message.split('\n')[0];
    throw bad(`${file} is neither a one-word channel nor valid TOML (${first})`);
  }
  const tc = doc.toolchain;
  if (typeof tc !== 'object' || tc === null || Array.isArray(tc)) {
    throw bad(`${file} has no [toolchain] table`);
  }
  const t = tc as Record<string, unknown>;
  if (t.path !== undefined) {
    throw bad(`${file} sets toolchain.path, which is not supported; use toolchain: system instead`);
  }
  if (typeof t.channel !== 'string') throw bad(`${file} has no toolchain.channel string`);
  const list = (key: string): string[] => {
    const v = t[key];
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
      throw bad(`${file}: toolchain.${key} must be an array of strings`);
    }
    return v as string[];
  };
  let profile: Profile | null = null;
  if (t.profile !== undefined) {
    if (typeof t.profile !== 'string' || !PROFILES.includes(t.profile as Profile)) {
      throw bad(`${file}: toolchain.profile must be minimal, default or complete`);
    }
    profile = t.profile as Profile;
  }
  return { channel: t.channel, profile, components: list('components'), targets: list('targets') };
}

function looksLikePath(value: string): boolean {
  const base = path.basename(value);
  return (
    value.includes('/') ||
    base === 'rust-toolchain' ||
    base === 'rust-toolchain.toml' ||
    value.endsWith('.toml')
  );
}

function checkNames(names: string[], re: RegExp, input: string, what: string): string[] {
  for (const n of names) {
    if (!re.test(n)) {
      throw new ToolchainInputError(`Invalid ${input} input "${n}": it accepts ${what}`);
    }
  }
  return union(names, []);
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}

function parseVersion(v: string): { major: number; minor: number; patch: number } | null {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(v.trim());
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

function isCalendarDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}
