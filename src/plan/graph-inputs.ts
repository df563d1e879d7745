// What decides a recorded plan's graph, and the contents of the files its
// steps read: taken after a full emit, taken again before the next run, and
// compared. When nothing that decides the graph changed, the plan still holds
// (cargo would run the same compiles with the same arguments) and only the
// steps whose source files changed need building again.
//
// What decides the graph: the toolchain, the command, config.toml, the
// variables cargo and rustc read, every manifest-like file of the tree
// (Cargo.toml, Cargo.lock, .cargo/config*, rust-toolchain*, build.rs), the
// targets cargo would discover (src/bin/, examples/...), everything a build
// script or a build-script run read, and for an x.py tree bootstrap itself.
// A source of a plain compile is not: an edit only changes that compile's output.
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { Plan, PlanStep } from '../types.js';
import { isSecretName } from '../util/secrets.js';
import { walk } from '../util/walk.js';
import { under } from './roots.js';

export interface GraphInputs {
  /** Each named input (`file Cargo.lock`, `variable RUSTFLAGS`, `toolchain`) to a hash of its content. */
  graph: Record<string, string>;
  /** Each source file of a plain compile (absolute) to a hash of its content. */
  sources: Record<string, string>;
}

export interface GraphContext {
  sourceDir: string;
  command: readonly string[];
  configToml: string;
  /** `rustc -vV` and where the toolchain is. */
  toolchain: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** Files that say what cargo builds, wherever they are in the tree. */
const MANIFEST_NAMES = new Set([
  'Cargo.toml',
  'Cargo.lock',
  'build.rs',
  'rust-toolchain',
  'rust-toolchain.toml',
]);
/** Directories whose files cargo turns into targets on its own. */
const DISCOVERED = ['src/bin', 'examples', 'tests', 'benches'];
const SKIP_DIRS = new Set(['.git', 'node_modules']);
/** The crates of x.py's own driver: an edit can change every step after it. */
const BOOTSTRAP_CRATES = new Set(['bootstrap', 'build_helper']);
/** What else bootstrap reads to decide the build (versions, the stage0 pins). */
const XPY_FILES = ['x.py', 'src/stage0', 'src/version', 'src/ci/channel'];
const GONE = 'gone';

export function hashFile(path: string): string {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return GONE;
  }
}

const hashText = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A step whose output runs during the build, so its inputs can change what the build does. */
function decidesGraph(step: PlanStep): boolean {
  return (
    step.kind === 'build-script' ||
    step.type === 'build_script_run' ||
    BOOTSTRAP_CRATES.has(step.crate)
  );
}

/**
 * Walks the tree once: manifest-like files, `.cargo/config*`, and the
 * directories cargo discovers targets in (their listings: a new
 * `src/bin/tool.rs` is a new target). Build output is skipped: the target
 * dirs and any directory tagged CACHEDIR.TAG.
 */
function walkTree(sourceDir: string, targetDirs: readonly string[], out: Record<string, string>) {
  const dir = (dir: string, entries: readonly Dirent[]): boolean => {
    const names = new Set(entries.map((e) => e.name));
    if (names.has('CACHEDIR.TAG') && dir !== sourceDir) return false;
    const rel = relative(sourceDir, dir) || '.';
    if (names.has('Cargo.toml')) {
      const listing = DISCOVERED.map((d) => {
        const p = join(dir, d);
        const found = existsSync(p) ? readdirSync(p).sort().join('\n') : '';
        return `${d}:\n${found}`;
      });
      for (const f of ['src/lib.rs', 'src/main.rs'])
        listing.push(`${f}: ${existsSync(join(dir, f))}`);
      out[`targets of ${rel}`] = hashText(listing.join('\n'));
    }
    return true;
  };
  const entry = (e: Dirent, path: string): boolean => {
    if (!e.isDirectory()) {
      if (MANIFEST_NAMES.has(e.name)) out[`file ${relative(sourceDir, path)}`] = hashFile(path);
      return false;
    }
    if (SKIP_DIRS.has(e.name) || targetDirs.some((t) => under(path, t))) return false;
    if (e.name !== '.cargo') return true;
    const rel = relative(sourceDir, dirname(path)) || '.';
    for (const c of ['config', 'config.toml'])
      if (existsSync(join(path, c))) out[`file ${rel}/.cargo/${c}`] = hashFile(join(path, c));
    return false;
  };
  walk(sourceDir, { dir, entry });
}

/** `.cargo/config*` above the tree and in CARGO_HOME: cargo reads them all. */
function outerCargoConfigs(ctx: GraphContext, out: Record<string, string>): void {
  const dirs: string[] = [];
  for (let d = dirname(ctx.sourceDir); ; d = dirname(d)) {
    dirs.push(join(d, '.cargo'));
    if (d === dirname(d)) break;
  }
  dirs.push(ctx.env.CARGO_HOME || join(ctx.env.HOME || homedir(), '.cargo'));
  for (const d of dirs)
    for (const c of ['config', 'config.toml']) {
      const p = join(d, c);
      if (existsSync(p)) out[`file ${p}`] = hashFile(p);
    }
}

/** The variables that steer cargo, rustc and build scripts: never their values, only hashes. */
function variables(plan: Plan, env: GraphContext['env'], out: Record<string, string>): void {
  const names = new Set<string>();
  for (const n of Object.keys(env)) if (/^(CARGO|RUST)/.test(n) && !isSecretName(n)) names.add(n);
  for (const s of plan.steps) for (const n of s.env_deps) names.add(n);
  for (const n of [...names].sort())
    out[`variable ${n}`] = env[n] === undefined ? 'unset' : hashText(env[n]);
}

export function graphInputsOf(plan: Plan, ctx: GraphContext): GraphInputs {
  const graph: Record<string, string> = {
    toolchain: hashText(ctx.toolchain),
    command: hashText(JSON.stringify(ctx.command)),
    'config.toml': hashText(ctx.configToml),
    'source-dir': hashText(ctx.sourceDir),
  };
  walkTree(ctx.sourceDir, plan.target_dirs, graph);
  outerCargoConfigs(ctx, graph);
  variables(plan, ctx.env, graph);
  if (existsSync(join(ctx.sourceDir, 'x.py'))) {
    for (const f of XPY_FILES) graph[`file ${f}`] = hashFile(join(ctx.sourceDir, f));
    const entry = (e: Dirent, p: string): boolean => {
      if (e.isFile()) graph[`file ${relative(ctx.sourceDir, p)}`] = hashFile(p);
      return e.isDirectory();
    };
    const bootstrap = join(ctx.sourceDir, 'src', 'bootstrap');
    if (statSync(bootstrap, { throwIfNoEntry: false })?.isDirectory())
      walk(bootstrap, { entry, onError: 'throw' });
  }
  // A file under a target dir is the build's own (a stamp): the saved plan carries its copy.
  const own = (p: string): boolean => plan.target_dirs.some((t) => under(p, t));
  const sources: Record<string, string> = {};
  for (const step of plan.steps) {
    const decides = decidesGraph(step);
    for (const p of step.sources) {
      if (own(p)) continue;
      if (decides) graph[`file ${relative(ctx.sourceDir, p)}`] ??= hashFile(p);
      else sources[p] ??= hashFile(p);
    }
  }
  for (const p of Object.keys(sources))
    if (graph[`file ${relative(ctx.sourceDir, p)}`] !== undefined) delete sources[p];
  return { graph, sources };
}

/** One hash of everything the next run compares: a new one means a plan worth saving. */
export function graphDigest(g: GraphInputs): string {
  // Sorted: steps start in a different order from run to run (parallel compiles).
  const sorted = (o: Record<string, string>) =>
    Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1));
  return hashText(JSON.stringify([sorted(g.graph), sorted(g.sources)]));
}

export interface GraphChanges {
  /** Inputs that decide the graph and differ (added, changed or gone): the plan may be wrong. */
  graph: string[];
  /** Source files of plain compiles whose content changed: their steps build again. */
  sources: string[];
  /** Source files that are gone: a step would read a file the tree no longer has. */
  gone: string[];
}

export function compareGraphInputs(before: GraphInputs, now: GraphInputs): GraphChanges {
  const keys = new Set([...Object.keys(before.graph), ...Object.keys(now.graph)]);
  const graph = [...keys].filter((k) => before.graph[k] !== now.graph[k]).sort();
  const sources: string[] = [];
  const gone: string[] = [];
  for (const [p, h] of Object.entries(before.sources)) {
    const n = now.sources[p];
    if (n === GONE || n === undefined) gone.push(p);
    else if (n !== h) sources.push(p);
  }
  return { graph, sources: sources.sort(), gone: gone.sort() };
}
