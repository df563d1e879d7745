// The reuse stage (emit-then-build, `reuse-plan: true`): when the plan the
// last full emit saved still holds (nothing that decides its graph changed),
// this run takes it instead of running the build again: cargo or x.py does
// not run, the flake is generated from it with the source files as they are
// now, and Nix rebuilds only the steps that read a changed one. Anything
// doubtful declines, and the full emit runs instead. After a good build the
// plan is kept for the next run, beside the binary cache the post step saves.
import { existsSync } from 'node:fs';
import { writeRecordsAndPlan } from '../metadata/dir.js';
import { enter, type StageContext } from '../pipeline/context.js';
import type { Journal } from '../pipeline/journal.js';
import { compareGraphInputs, type GraphContext, graphInputsOf } from '../plan/graph-inputs.js';
import { type KeptPlan, type LastBuild, loadPlan, savePlan } from '../plan/saved-plan.js';
import { metadataDigest } from '../trust/metadata-integrity.js';
import { sourceGateFor } from '../trust/source-gate.js';
import { refusalOf } from '../trust/untrusted-metadata.js';
import type { Inputs, Plan } from '../types.js';
import { type CachesReady, nixCacheDir, type RestoredCaches } from './actions-caches.js';
import { type Built, buildWithNix } from './nix-build.js';
import type { Prepared } from './prepare.js';
import { type Recorded, recordedEarlier } from './record.js';

/**
 * What the summary says of plan reuse in this run: the earlier plan built this
 * run, or the full emit ran (declined: the plan did not hold; fallback: it was
 * tried and failed under Nix), and why.
 */
export type ReuseOutcome = { kind: 'reused' } | { kind: 'declined' | 'fallback'; reason: string };

/** The earlier plan taken as this run's, and what it carries for the build and the next run. */
export interface Reusable {
  recorded: Recorded;
  kept: KeptPlan;
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
  ctx.log.info(
    `Reusing the earlier plan (${plan.steps.length} steps; the build command does not run): ${
      changes.sources.length === 0
        ? 'no source file changed'
        : `${changes.sources.length} source file(s) changed (${some(changes.sources)}), ${plan.reuse!.rebuilt_steps.length} step(s) to build again`
    }.`,
  );
  return {
    recorded: recordedEarlier(records, plan, metadataDigest(inputs.metadataDir)),
    kept: { inputs: now, carried: saved.carried, lastBuild: saved.lastBuild },
  };
}

/**
 * emit-then-build's attempt at the earlier plan (reuse-plan: true): taken
 * when it still holds, built, and kept again after a good build. Returns
 * its Recorded when that build succeeded; null when it was declined, or
 * given up because its build failed under Nix (a step may read a file the
 * plan does not list, a new `mod`): then the full emit runs, logged once.
 */
export async function reuseEarlierPlan(
  inputs: Inputs,
  prepared: Prepared,
  restored: RestoredCaches,
  ctx: StageContext,
  nix: () => Promise<NodeJS.ProcessEnv>,
  journal: Journal,
): Promise<Recorded | null> {
  if (!inputs.reusePlan) return null;
  const taken = reusePlan(inputs, prepared, ctx);
  if ('declined' in taken)
    return fullEmit(journal.note('reuse', { kind: 'declined', reason: taken.declined }), ctx);
  const recorded = journal.note('reused', taken.recorded);
  const cached = { ...restored, sccache: null };
  const built = await buildWithNix(inputs, recorded, cached, ctx, await nix(), taken.kept);
  if (!built.ok) {
    const reason = `the earlier plan's build failed under Nix (${errorLine(built)}); a step may read a file the plan does not list, or no longer compile`;
    return fullEmit(journal.note('reuse', { kind: 'fallback', reason }), ctx);
  }
  journal.note('built', built);
  journal.note('reuse', { kind: 'reused' });
  keepPlan(recorded, taken.kept, built.lastBuild, ctx);
  return recorded;
}

function fullEmit(why: ReuseOutcome, ctx: StageContext): null {
  if (why.kind !== 'reused')
    ctx.log.info(
      `${why.kind === 'fallback' ? 'Falling back to' : 'Running'} a full emit: ${why.reason}.`,
    );
  return null;
}

/** The failed step and rustc's first error, as nixBuild found them. */
function errorLine(built: Built): string {
  const f = built.failedStep;
  if (!f) return (built.failure ?? 'no message').split('\n')[0]!;
  return f.error ? `${f.label}: ${f.error}` : f.label;
}

/** A full emit's build under Nix, and its plan kept for the next run when the build succeeded. */
export async function buildAndKeepPlan(
  inputs: Inputs,
  prepared: Prepared,
  recorded: Recorded,
  cached: CachesReady,
  ctx: StageContext,
  nixEnv: NodeJS.ProcessEnv,
  journal: Journal,
): Promise<Built> {
  // What the next run compares against: taken from the tree as this run's build found it.
  const kept: KeptPlan = {
    inputs: graphInputsOf(recorded.plan, graphContext(inputs, prepared, ctx.env)),
    carried: null,
    lastBuild: null,
  };
  const built = journal.note(
    'built',
    await buildWithNix(inputs, recorded, cached, ctx, nixEnv, kept),
  );
  if (built.ok) keepPlan(recorded, kept, built.lastBuild, ctx);
  return built;
}

/** After a good build: the plan kept for the next run, beside the binary cache the post step saves. */
function keepPlan(
  recorded: Recorded,
  kept: KeptPlan,
  lastBuild: LastBuild,
  ctx: StageContext,
): void {
  enter(ctx, 'keeping the plan for the next run');
  try {
    // The stamps as the build wrote them: a reused plan's saved copies, else the files themselves.
    const stamp = kept.carried ?? ((path: string) => (existsSync(path) ? path : null));
    savePlan(
      nixCacheDir(ctx.env),
      { plan: recorded.plan, records: recorded.records, inputs: kept.inputs, lastBuild },
      stamp,
    );
  } catch (e) {
    ctx.log.warning(
      `The plan was not kept for the next run, which will run the build again: ${(e as Error).message}`,
    );
  }
}
