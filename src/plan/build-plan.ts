// plan.json: the non-probe steps as a graph, plus the final artifacts cargo
// hard-linked out of step outputs (target/debug/app is target/debug/deps/app-<hash>).
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type Analyzed, isStep } from '../emit/analyze.js';
import { durationMs } from '../emit/raw.js';
import type { Plan, PlanArtifact, PlanStep } from '../types.js';
import { computeRoots, rootOf } from './roots.js';

const PLAN_SCHEMA_VERSION = 1;

export interface PlanContext {
  sourceDir: string;
  targetDirs: string[];
  toolchain: Plan['toolchain'];
}

export function buildPlan(items: readonly Analyzed[], ctx: PlanContext): Plan {
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
  }));
  // External packages (registry crates) are rooted at the directory cargo ran
  // their compiles in; anything else outside the tree at its own directory.
  const prelim = computeRoots(ctx.sourceDir, ctx.targetDirs, []);
  const external = new Set<string>();
  for (const s of steps) {
    if (!rootOf(prelim, s.cwd)) external.add(s.cwd);
  }
  const withPkgs = computeRoots(ctx.sourceDir, ctx.targetDirs, [...external]);
  for (const s of steps)
    for (const f of s.sources) if (!rootOf(withPkgs, f)) external.add(dirname(f));
  return {
    schema_version: PLAN_SCHEMA_VERSION,
    source_dir: ctx.sourceDir,
    target_dirs: ctx.targetDirs,
    roots: computeRoots(ctx.sourceDir, ctx.targetDirs, [...external]),
    toolchain: ctx.toolchain,
    steps,
    artifacts: findArtifacts(steps),
  };
}

/** Files next to a `deps` out dir that are hard links of a step's output. */
function findArtifacts(steps: readonly PlanStep[]): PlanArtifact[] {
  const byInode = new Map<string, { step: string; from: string }>();
  const profileDirs = new Set<string>();
  for (const s of steps) {
    if (s.type !== 'rust_compiler_invocation') continue;
    for (const o of s.outputs) {
      if (o.endsWith('.d')) continue;
      try {
        const st = statSync(o);
        byInode.set(`${st.dev}:${st.ino}`, { step: s.id, from: o });
      } catch {
        continue;
      }
      if (basename(dirname(o)) === 'deps') profileDirs.add(dirname(dirname(o)));
    }
  }
  const artifacts: PlanArtifact[] = [];
  for (const dir of [...profileDirs].sort()) {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = join(dir, entry.name);
      const st = statSync(path);
      const hit = byInode.get(`${st.dev}:${st.ino}`);
      if (hit && hit.from !== path) artifacts.push({ path, step: hit.step, from: hit.from });
    }
  }
  return artifacts;
}
