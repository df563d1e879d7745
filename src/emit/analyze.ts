// Turns raw recorded calls into steps: what each one is, what it wrote, and
// which other steps' outputs and which source files it read. This is the one
// place that knows cargo's layout (out dirs, OUT_DIR, build script outputs).
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { PlanStep, RecordType, StepKind } from '../types.js';
import { walk } from '../util/walk.js';

type PlanStepType = PlanStep['type'];

import { type PathAlias, unalias } from '../plan/roots.js';
import { type StepEnvContext, stepEnvNames } from '../plan/step-env.js';
import { parseDepInfo } from './depinfo.js';
import { findPlaced, type LinkGroup } from './placed.js';
import type { RawInvocation } from './raw.js';
import { ownsOutputName, parseRustcArgs, type RustcUnit, unitKind } from './rustc-args.js';
import { stageOf } from './stage.js';

/** Compiles and build-script runs: what becomes a plan step (probes and cargo calls do not). */
export function isStep(a: Analyzed): a is Analyzed & { type: PlanStepType } {
  return !a.probe && a.type !== 'cargo_invocation';
}

export interface Analyzed {
  /** The call with the build's path aliases resolved: what the analysis reads. */
  raw: RawInvocation;
  /** The call exactly as recorded: what its record keeps. */
  recorded: RawInvocation;
  id: string;
  type: RecordType;
  command: string;
  args: string[];
  probe: boolean;
  parent: string | null; // id
  crate: string;
  kind: StepKind;
  unit: RustcUnit | null;
  outputs: string[]; // files; OUT_DIR for build-script runs
  deps: string[];
  sources: string[];
  envDeps: string[];
  /** The variables it runs with under Nix (see plan/step-env.ts). */
  envNames: string[];
  /** x.py's stage (see stage.ts); null outside x.py's stages. */
  stage: number | null;
}

export interface Analysis {
  items: Analyzed[];
  /** Files a step read that may never be a source (trust/forbidden-files.ts), left out of the plan. */
  leftOut: string[];
  /** What the build placed itself between compiles (see placed.ts). */
  links: LinkGroup[];
}

const SHIM_SUFFIX = '.rbn-real';

function shortHash(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
}

/** A step id: readable, stable across emits of the same tree, usable as a Nix attribute name. */
function sanitize(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[^A-Za-z_]/, '_$&');
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

function listDir(cache: Map<string, string[]>, dir: string): string[] {
  let names = cache.get(dir);
  if (!names) {
    try {
      names = readdirSync(dir);
    } catch {
      names = [];
    }
    cache.set(dir, names);
  }
  return names;
}

/**
 * Every file under `dir`, skipping version-control metadata and the given
 * directories. With `onePackage`, a subdirectory holding its own Cargo.toml
 * is left out: it is another package, as cargo sees it.
 */
function walkFiles(dir: string, skip: ReadonlySet<string>, onePackage = false): string[] {
  const out: string[] = [];
  const entry = (e: Dirent, p: string): boolean => {
    if (e.isDirectory())
      return (
        e.name !== '.git' && !skip.has(p) && !(onePackage && existsSync(join(p, 'Cargo.toml')))
      );
    if (e.isFile() || e.isSymbolicLink()) out.push(p);
    return false;
  };
  if (existsSync(dir)) walk(dir, { entry, onError: 'throw' });
  return out.sort();
}

/**
 * A package from a registry or a vendor directory: cargo checks its files
 * against `.cargo-checksum.json` (directory sources: `cargo vendor`, Debian's
 * /usr/share/cargo/registry) or unpacked it (`.cargo-ok`, ~/.cargo/registry).
 */
function isRegistryPackage(dir: string): boolean {
  return existsSync(join(dir, '.cargo-checksum.json')) || existsSync(join(dir, '.cargo-ok'));
}

/** `cargo:rerun-if-changed=` / `rerun-if-env-changed=` lines of a build script's captured stdout. */
function rerunDirectives(
  outputFile: string,
  aliases: readonly PathAlias[],
): { paths: string[]; env: string[] } | null {
  let text: string;
  try {
    text = unalias(readFileSync(outputFile, 'utf8'), aliases);
  } catch {
    return null;
  }
  const paths: string[] = [];
  const env: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^cargo::?(rerun-if-changed|rerun-if-env-changed)=(.*)$/.exec(line.trimEnd());
    if (m) (m[1] === 'rerun-if-changed' ? paths : env).push(m[2]!);
  }
  return { paths, env };
}

export interface AnalyzeOptions {
  targetDirs: string[];
  env: StepEnvContext;
  /** Directories the build also ran under another name (emit/stable-path.ts). */
  aliases?: readonly PathAlias[];
  /** Files that never become a source, whoever names them (git's metadata, credentials). */
  forbidden?: (path: string) => boolean;
}

/** A call as the analysis sees it: every aliased path by its real name. */
function resolveAliases(raw: RawInvocation, aliases: readonly PathAlias[]): RawInvocation {
  if (aliases.length === 0) return raw;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw.env)) env[k] = unalias(v, aliases);
  return {
    ...raw,
    cwd: unalias(raw.cwd, aliases),
    argv: raw.argv.map((a) => unalias(a, aliases)),
    env,
  };
}

export function analyze(raws: readonly RawInvocation[], opts: AnalyzeOptions): Analysis {
  const dirCache = new Map<string, string[]>();
  const byKey = new Map<string, Analyzed>();
  const used = new Set<string>();
  const uniqueId = (base: string): string => {
    let id = sanitize(base);
    for (let n = 2; used.has(id); n++) id = sanitize(`${base}-${n}`);
    used.add(id);
    return id;
  };
  let probeCount = 0;
  let cargoCount = 0;

  const aliases = opts.aliases ?? [];
  const items: Analyzed[] = raws.map((recorded) => {
    const raw = resolveAliases(recorded, aliases);
    // Command and arguments as recorded, byte for byte; the analysis reads `raw`.
    const [program = '', ...args] = recorded.argv;
    const pkg = raw.env.CARGO_PKG_NAME;
    if (raw.kind === 'cargo') {
      return identified(raw, recorded, {
        id: uniqueId(`cargo-${++cargoCount}`),
        type: 'cargo_invocation',
        command: program,
        args,
        crate: 'cargo',
        kind: 'other',
      });
    }
    if (raw.kind === 'build-script') {
      const command = program.endsWith(SHIM_SUFFIX)
        ? program.slice(0, -SHIM_SUFFIX.length)
        : program;
      const outDir = raw.env.OUT_DIR;
      const hash = outDir ? basename(dirname(outDir)).split('-').pop()! : shortHash(raw.argv);
      return identified(raw, recorded, {
        id: uniqueId(`${pkg ?? 'build'}-run-${hash}`),
        type: 'build_script_run',
        command,
        args,
        crate: pkg ?? basename(raw.cwd),
        kind: 'build-script-run',
        outputs: outDir ? [outDir] : [],
      });
    }
    const unit = parseRustcArgs(raw.argv.slice(1));
    const probe = raw.kind === 'probe' || raw.parentKey !== null || unit.isQuery;
    if (probe) {
      return identified(raw, recorded, {
        id: uniqueId(`probe-${++probeCount}`),
        type: 'rust_compiler_invocation',
        command: program,
        args,
        probe: true,
        crate: pkg ?? unit.crateName ?? 'rustc',
        kind: 'other',
        unit,
      });
    }
    const kind = unitKind(unit);
    const hash = unit.extraFilename.replace(/^-/, '') || shortHash(raw.argv);
    const crate = pkg ?? unit.crateName ?? 'rustc';
    return identified(raw, recorded, {
      id: uniqueId(`${crate}-${kind === 'build-script' ? 'build' : kind}-${hash}`),
      type: 'rust_compiler_invocation',
      command: program,
      args,
      crate,
      kind,
      unit,
      outputs: compileOutputs(unit, raw.cwd, dirCache),
    });
  });
  for (const a of items) byKey.set(a.raw.key, a);
  for (const a of items) {
    if (a.raw.parentKey) a.parent = byKey.get(a.raw.parentKey)?.id ?? null;
  }
  for (const a of items) {
    const out = a.outputs[0] ?? '';
    const t = opts.targetDirs.find((d) => out.startsWith(`${d}/`));
    if (isStep(a)) a.stage = stageOf(t ? out.slice(t.length) : '', a.raw.env);
  }
  const links = findPlaced(
    items.filter(isStep).map((a) => ({
      id: a.id,
      files: a.type === 'build_script_run' ? [] : a.outputs,
      dirs: a.type === 'build_script_run' ? a.outputs : [],
      endUs: a.raw.endUs,
      stage: a.stage,
    })),
    opts.targetDirs,
    aliases,
  );
  const leftOut = linkDependencies(items, links, opts);
  return { items, links, leftOut };
}

/** What one call is, known from the call alone; what it depends on (parent, deps, sources, env) comes from the others. */
type Identity = Pick<Analyzed, 'id' | 'type' | 'command' | 'args' | 'crate' | 'kind'> &
  Partial<Pick<Analyzed, 'probe' | 'unit' | 'outputs'>>;

function identified(raw: RawInvocation, recorded: RawInvocation, who: Identity): Analyzed {
  return {
    raw,
    recorded,
    probe: false,
    unit: null,
    outputs: [],
    ...who,
    parent: null,
    deps: [],
    sources: [],
    envDeps: [],
    envNames: [],
    stage: null,
  };
}

function compileOutputs(unit: RustcUnit, cwd: string, dirCache: Map<string, string[]>): string[] {
  if (unit.outFile) return [resolve(cwd, unit.outFile)];
  if (!unit.outDir) return [];
  const dir = resolve(cwd, unit.outDir);
  return listDir(dirCache, dir)
    .filter(
      (name) => ownsOutputName(unit, name) && !name.endsWith(SHIM_SUFFIX) && !name.endsWith('.tmp'),
    )
    .map((name) => join(dir, name))
    .sort();
}

/**
 * Finds which step produced a path: an output file, a file inside an OUT_DIR,
 * or a file the build placed (a link step's, counted only once it existed).
 */
class OutputIndex {
  private readonly files = new Map<string, { id: string; readyUs: number }>();
  private readonly dirs = new Map<string, string>();
  private readonly links: readonly LinkGroup[];

  constructor(items: readonly Analyzed[], links: readonly LinkGroup[]) {
    for (const a of items) {
      if (!isStep(a)) continue;
      for (const o of a.outputs)
        if (a.type === 'build_script_run') this.dirs.set(o, a.id);
        else this.files.set(o, { id: a.id, readyUs: 0 });
    }
    for (const l of links)
      for (const f of l.files) this.files.set(f.path, { id: l.id, readyUs: l.readyUs });
    this.links = links;
  }

  owner(path: string, atUs: number): string | undefined {
    const f = this.files.get(path);
    if (f) return f.readyUs <= atUs ? f.id : undefined;
    for (let p = path; p !== dirname(p); p = dirname(p)) {
      const d = this.dirs.get(p);
      if (d) return d;
    }
    return undefined;
  }

  /** Link steps that had placed files under `dir` by `atUs` (a sysroot a compile reads). */
  placedUnder(dir: string, atUs: number): string[] {
    return this.links
      .filter((l) => l.readyUs <= atUs && (l.dir === dir || l.dir.startsWith(`${dir}/`)))
      .map((l) => l.id);
  }
}

function linkDependencies(
  items: Analyzed[],
  links: readonly LinkGroup[],
  opts: AnalyzeOptions,
): string[] {
  const leftOut = new Set<string>();
  const forbidden = opts.forbidden ?? (() => false);
  const allowed = (f: string): boolean => {
    if (!forbidden(f)) return true;
    leftOut.add(f);
    return false;
  };
  const index = new OutputIndex(items, links);
  const aliases = opts.aliases ?? [];
  const targetDirs = opts.targetDirs;
  const underTarget = (p: string): boolean =>
    targetDirs.some((t) => p === t || p.startsWith(`${t}/`));
  const skip = new Set(targetDirs);
  // A package's build script may run several times (host and target, each stage).
  const packageFiles = new Map<string, string[]>();
  const filesOf = (pkgDir: string): string[] => {
    let files = packageFiles.get(pkgDir);
    if (!files) {
      files = walkFiles(pkgDir, skip, true).filter((f) => !underTarget(f));
      packageFiles.set(pkgDir, files);
    }
    return files;
  };
  for (const a of items) {
    if (!isStep(a)) continue;
    const deps = new Set<string>();
    const reads = (p: string | null | undefined): boolean => {
      if (!p || !isAbsolute(p)) return false;
      const owner = index.owner(p, a.raw.startUs);
      if (owner && owner !== a.id) deps.add(owner);
      return owner !== undefined;
    };
    // A program built earlier in the same build (x.py's rustc shim as the command).
    reads(unalias(a.command, aliases));
    if (a.type === 'build_script_run') {
      const outDir = a.raw.env.OUT_DIR;
      const rerun = outDir ? rerunDirectives(join(dirname(outDir), 'output'), aliases) : null;
      const pkgDir = a.raw.env.CARGO_MANIFEST_DIR ?? a.raw.cwd;
      const pkgFiles = filesOf(pkgDir);
      if (rerun && rerun.paths.length > 0) {
        const files = rerun.paths.flatMap((p) => {
          const abs = resolve(pkgDir, p);
          const st = statSync(abs, { throwIfNoEntry: false });
          if (!st) return [];
          return st.isDirectory() ? walkFiles(abs, skip) : [abs];
        });
        // rerun-if-changed says when cargo reruns it, not what it reads: a script
        // that names only build.rs may still compile C sources or read data (the
        // cc crate adds no rerun lines for its inputs). So the package's other
        // files come too. Its .rs files stay out of one's own package, so a Rust
        // edit reruns nothing; a registry or vendored package, which nobody
        // edits, gives them too (rustix's picks its backend by whether
        // src/backend/linux_raw/arch/<arch>.rs exists).
        files.push(
          ...(isRegistryPackage(pkgDir) ? pkgFiles : pkgFiles.filter((f) => !f.endsWith('.rs'))),
        );
        a.sources = [...new Set(files)].filter((f) => !reads(f)).sort();
      } else {
        // No rerun-if-changed: cargo reruns it when any file of the package changes.
        a.sources = pkgFiles;
      }
      a.envDeps = rerun?.env ?? [];
    } else if (a.unit) {
      const u = a.unit;
      for (const e of u.externs) reads(e.path ? resolve(a.raw.cwd, e.path) : null);
      for (const s of u.searchPaths) if (s.kind !== 'dependency') reads(resolve(a.raw.cwd, s.path));
      if (u.sysroot)
        for (const l of index.placedUnder(resolve(a.raw.cwd, u.sysroot), a.raw.startUs))
          deps.add(l);
      const depFile = a.outputs.find((o) => o.endsWith('.d'));
      if (depFile) {
        const info = parseDepInfo(unalias(readFileSync(depFile, 'utf8'), aliases), a.raw.cwd);
        // A file under the build dir that no step wrote (bootstrap generated
        // it between compiles) is captured as a source, like any other.
        a.sources = info.files.filter((f) => !reads(f) && (!underTarget(f) || isFile(f))).sort();
        a.envDeps = info.envDeps;
      } else if (u.input && u.input !== '-') {
        a.sources = [resolve(a.raw.cwd, u.input)];
      }
    }
    // In plain form (dep-info names `src/../README.md`): a plan's paths never climb with `..`.
    // And never a forbidden file, even when a build script names it (rerun-if-changed=.git/HEAD).
    a.sources = [...new Set(a.sources.map((p) => resolve(p)))].filter(allowed).sort();
    a.envNames = stepEnvNames(a.type, a.raw.env, a.envDeps, opts.env);
    // Variables name programs and files of other steps too (RUSTC, RUSTC_WRAPPER, a linker).
    for (const name of a.envNames)
      if (name !== 'OUT_DIR' || a.type !== 'build_script_run') reads(a.raw.env[name]);
    a.deps = [...deps].sort();
  }
  return [...leftOut].sort();
}
