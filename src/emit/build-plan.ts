// plan.json: the non-probe steps as a graph, the link steps for what the
// build placed itself, and the final artifacts: the files those place
// (target/debug/app is a copy of target/debug/deps/app-<hash>).
import { basename, dirname } from 'node:path';
import { isHostFile } from '../plan/host-files.js';
import { computeRoots, type PathAlias, rootOf } from '../plan/roots.js';
import type { Plan, PlanStep } from '../types.js';
import { byId } from '../util/order.js';
import { type Analyzed, isStep } from './analyze.js';
import type { LinkGroup } from './placed.js';
import { durationMs } from './raw.js';

const PLAN_SCHEMA_VERSION = 1;

export interface PlanContext {
  /** Directories the build also ran under another name: each named like the root it aliases. */
  aliases?: readonly PathAlias[];
  sourceDir: string;
  targetDirs: string[];
  toolchain: Plan['toolchain'];
}

export function buildPlan(
  items: readonly Analyzed[],
  links: readonly LinkGroup[],
  ctx: PlanContext,
): Plan {
  const stepItems = items.filter(isStep);
  const steps: PlanStep[] = stepItems.map((a) => ({
    id: a.id,
    type: a.type,
    crate: a.crate,
    kind: a.kind,
    deps: a.deps,
    outputs: a.outputs,
    sources: a.sources,
    env_deps: a.envDeps,
    cwd: a.raw.cwd,
    duration_ms: durationMs(a.raw),
    exit_code: a.raw.exitCode,
    stage: a.stage,
    env_names: a.envNames,
  }));
  // External packages (registry crates) are rooted at the directory cargo ran
  // their compiles in; anything else outside the tree at its own directory.
  const prelim = computeRoots(ctx.sourceDir, ctx.targetDirs, []);
  const external = new Set<string>();
  for (const s of steps) {
    if (!rootOf(prelim, s.cwd)) external.add(s.cwd);
  }
  const withPkgs = computeRoots(ctx.sourceDir, ctx.targetDirs, [...external]);
  // A file of the host's system directories stays where it is (host-files.ts).
  for (const s of steps)
    for (const f of s.sources) if (!rootOf(withPkgs, f) && !isHostFile(f)) external.add(dirname(f));
  for (const l of links)
    steps.push({
      id: l.id,
      type: 'link',
      crate: basename(l.dir),
      kind: 'link',
      deps: l.deps,
      outputs: l.files.map((f) => f.path),
      sources: l.files.flatMap((f) => (f.from ? [] : [f.path])),
      env_deps: [],
      cwd: l.dir,
      duration_ms: 0,
      exit_code: 0,
      stage: l.stage,
      files: l.files,
      empty_dirs: l.emptyDirs,
    });
  const roots = computeRoots(ctx.sourceDir, ctx.targetDirs, [...external]);
  for (const a of ctx.aliases ?? []) {
    const r = rootOf(roots, a.path);
    if (r) roots.push({ name: r.name + a.path.slice(r.path.length), path: a.alias });
  }
  // By id, never by start order: parallel compiles start in another order each
  // run, and everything generated from the plan (the flake, a lattice README)
  // must be a function of the build's content.
  steps.sort(byId);
  return {
    schema_version: PLAN_SCHEMA_VERSION,
    source_dir: ctx.sourceDir,
    target_dirs: ctx.targetDirs,
    roots,
    toolchain: ctx.toolchain,
    steps,
    artifacts: links.flatMap((l) =>
      l.files.map((f) => ({ path: f.path, step: l.id, from: f.from ?? f.path })),
    ),
  };
}
