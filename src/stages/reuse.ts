// The reuse stage (emit-then-build, `reuse-plan: true`): when the plan the
// last full emit saved still holds (nothing that decides its graph changed),
// this run takes it instead of running the build again: cargo or x.py does
// not run, the flake is generated from it with the source files as they are
// now, and Nix rebuilds only the steps that read a changed one. Anything
// doubtful declines, and the pipeline runs the full emit instead.
import { existsSync } from 'node:fs';
import { writeRecordsAndPlan } from '../metadata/dir.js';
import {
  compareGraphInputs,
  type GraphContext,
  type GraphInputs,
  graphInputsOf,
} from '../plan/graph-inputs.js';
import { type LastBuild, loadPlan, type SavedPlan, savePlan } from '../plan/saved-plan.js';
import { metadataDigest } from '../trust/metadata-integrity.js';
import { sourceGateFor } from '../trust/source-gate.js';
import { refusalOf } from '../trust/untrusted-metadata.js';
import type { Inputs, Plan } from '../types.js';
import { nixCacheDir } from './caching.js';
import { enter, type StageContext } from './context.js';
import type { Prepared } from './prepare.js';
import { type Recorded, recordedEarlier } from './record.js';

/**
 * What the summary says of plan reuse in this run: the earlier plan built this
 * run, or the full emit ran (declined: the plan did not hold; fallback: it was
 * tried and failed under Nix), and why.
 */
export type ReuseOutcome = { kind: 'reused' } | { kind: 'declined' | 'fallback'; reason: string };

export interface Reusable {
  recorded: Recorded;
  inputs: GraphInputs;
  carried: SavedPlan['carried'];
  lastBuild: LastBuild | null;
}

function graphContext(inputs: Inputs, prepared: Prepared, env: NodeJS.ProcessEnv): GraphContext {
  return {
    sourceDir: inputs.sourceDir,
    command: prepared.command,
    configToml: prepared.configToml,
    toolchain: `${prepared.toolchain.toolchain}\n${prepared.toolchain.rustc}\n${prepared.toolchain.verbose}`,
    env,
  };
}

/** A few names, then how many more. */
function some(items: readonly string[], n = 3): string {
  const shown = items.slice(0, n).join(', ');
  return items.length > n ? `${shown} and ${items.length - n} more` : shown;
}

/** The steps that read a changed source, and every step after one of them. */
export function stepsToRebuild(plan: Plan, changed: readonly string[]): string[] {
  const changedSet = new Set(changed);
  const rebuilt = new Set(
    plan.steps.filter((s) => s.sources.some((p) => changedSet.has(p))).map((s) => s.id),
  );
  // Steps are by id (a plan from an older version: in start order): loop until stable for any order.
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of plan.steps)
      if (!rebuilt.has(s.id) && s.deps.some((d) => rebuilt.has(d))) {
        rebuilt.add(s.id);
        grew = true;
      }
  }
  return plan.steps.filter((s) => rebuilt.has(s.id)).map((s) => s.id);
}

/**
 * The earlier plan, when it still holds: written to metadata-dir (records
 * marked `reused`, the plan naming what changed), or why not.
 */
export function reusePlan(
  inputs: Inputs,
  prepared: Prepared,
  ctx: StageContext,
): Reusable | { declined: string } {
  enter(ctx, 'checking the earlier plan');
  const saved = loadPlan(nixCacheDir(ctx.env));
  if ('missing' in saved) return { declined: saved.missing };
  if (saved.plan.source_dir !== inputs.sourceDir)
    return {
      declined: `the earlier plan was recorded in ${saved.plan.source_dir}, not ${inputs.sourceDir}`,
    };
  // The kept plan came through the Actions cache: checked as mode build checks an artifact's.
  const gate = sourceGateFor({ ...inputs, mode: 'build' }, ctx.env, () => null);
  const refused = refusalOf(saved.plan, saved.records, gate, ctx.env);
  if (refused)
    return {
      declined: `the earlier plan is refused: its ${refused.entry} (${refused.why})`,
    };
  const now = graphInputsOf(saved.plan, graphContext(inputs, prepared, ctx.env));
  const changes = compareGraphInputs(saved.inputs, now);
  if (changes.graph.length > 0)
    return { declined: `what decides the build graph changed: ${some(changes.graph)}` };
  if (changes.gone.length > 0)
    return { declined: `source files the plan reads are gone: ${some(changes.gone)}` };
  const plan: Plan = {
    ...saved.plan,
    reuse: {
      changed_sources: changes.sources,
      rebuilt_steps: stepsToRebuild(saved.plan, changes.sources),
    },
  };
  const records = saved.records.map((r) => ({ ...r, reused: true as const }));
  writeRecordsAndPlan(inputs.metadataDir, records, plan);
  ctx.progress.recorded = records.length;
  ctx.log.info(
    `Reusing the earlier plan (${plan.steps.length} steps; the build command does not run): ${
      changes.sources.length === 0
        ? 'no source file changed'
        : `${changes.sources.length} source file(s) changed (${some(changes.sources)}), ${plan.reuse!.rebuilt_steps.length} step(s) to build again`
    }.`,
  );
  return {
    recorded: recordedEarlier(records, plan, metadataDigest(inputs.metadataDir)),
    inputs: now,
    carried: saved.carried,
    lastBuild: saved.lastBuild,
  };
}

/** What the next run compares against: taken from the tree as this run's build found it. */
export function graphInputsNow(
  inputs: Inputs,
  prepared: Prepared,
  recorded: Recorded,
  ctx: StageContext,
): GraphInputs {
  return graphInputsOf(recorded.plan, graphContext(inputs, prepared, ctx.env));
}

/** After a good build: the plan kept for the next run, beside the binary cache the post step saves. */
export function keepPlan(
  recorded: Recorded,
  graph: GraphInputs,
  carried: SavedPlan['carried'] | null,
  lastBuild: LastBuild,
  ctx: StageContext,
): void {
  enter(ctx, 'keeping the plan for the next run');
  try {
    // The stamps as the build wrote them: a reused plan's saved copies, else the files themselves.
    const stamp = carried ?? ((path: string) => (existsSync(path) ? path : null));
    savePlan(
      nixCacheDir(ctx.env),
      { plan: recorded.plan, records: recorded.records, inputs: graph, lastBuild },
      stamp,
    );
  } catch (e) {
    ctx.log.warning(
      `The plan was not kept for the next run, which will run the build again: ${(e as Error).message}`,
    );
  }
}
