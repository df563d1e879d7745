// The pipeline's modes, each one function calling the stages (src/stages/)
// in order and noting each result once in the run's journal:
//
//   emit             preflight → prepare → restore → record → summary
//   build            preflight → Nix → load (an earlier emit) → build → publish → summary
//   emit-then-build  preflight → Nix → prepare → restore Nix's cache → the earlier plan, reused
//                    and built (reuse.ts) | restore → record → build, plan kept → publish → summary
//   publish (CLI)    preflight → publish an earlier run's flake

import type { Sccache } from '../sccache/server.js';
import { restoreForEmit, restoreNixCache } from '../stages/actions-caches.js';
import { loadEarlierEmit } from '../stages/load.js';
import { buildWithNix } from '../stages/nix-build.js';
import { preflightEarlier, preflightFresh } from '../stages/preflight.js';
import { prepare } from '../stages/prepare.js';
import {
  type PublishTarget,
  publishEarlier,
  publishIfBuilt,
  publishTarget,
} from '../stages/publish.js';
import { type Recorded, record } from '../stages/record.js';
import { buildAndKeepPlan, reuseEarlierPlan } from '../stages/reuse.js';
import { summarise } from '../stages/summary.js';
import type { Inputs, InvocationRecord, Plan } from '../types.js';
import { enter, type StageContext } from './context.js';
import { type Journal, resultsOf, runningSccache } from './journal.js';
import { type Outputs, outputsOf } from './outcome.js';

export interface PipelineResult {
  outputs: Outputs;
  /** The running sccache server: the action's post step stops it, the CLI at its end. */
  sccache: Sccache | null;
  summary: string;
  failure: string | null;
  plan: Plan;
  records: InvocationRecord[];
}

/** One run: its inputs, its context, Nix set up once when first asked for, what it finished. */
export interface Run {
  inputs: Inputs;
  ctx: StageContext;
  nix: () => Promise<NodeJS.ProcessEnv>;
  journal: Journal;
}

/** mode emit: the build recorded. */
async function emitMode(run: Run): Promise<PipelineResult> {
  const { inputs, ctx, nix, journal: j } = run;
  const pre = preflightFresh(inputs, ctx.env, ctx.log);
  const target = inputs.publish ? await publishTarget(inputs, ctx) : null;
  enter(ctx, 'setting up');
  const prepared = j.note('prepared', await prepare(inputs, pre, ctx, nix));
  const cached = j.note('cached', await restoreForEmit(inputs, prepared, ctx, nix));
  const recorded = j.note('recorded', await record(inputs, prepared, cached, ctx));
  return finish(run, recorded, target);
}

/** mode build: an earlier emit's metadata-dir, built with Nix. */
async function buildMode(run: Run): Promise<PipelineResult> {
  const { inputs, ctx, nix, journal: j } = run;
  const earlier = preflightEarlier(inputs, ctx.env, ctx.log, inputs.publish);
  const target = inputs.publish ? await publishTarget(inputs, ctx) : null;
  enter(ctx, 'setting up Nix');
  await nix();
  const loaded = await loadEarlierEmit(inputs, earlier, ctx);
  const cached = j.note('cached', loaded.cached);
  const recorded = j.note('recorded', loaded.recorded);
  j.note('built', await buildWithNix(inputs, recorded, cached, ctx, await nix()));
  return finish(run, recorded, target);
}

/** emit-then-build: the earlier plan when it still holds and builds (reuse.ts), else the build recorded, then built. */
async function emitThenBuildMode(run: Run): Promise<PipelineResult> {
  const { inputs, ctx, nix, journal: j } = run;
  const pre = preflightFresh(inputs, ctx.env, ctx.log);
  const target = inputs.publish ? await publishTarget(inputs, ctx) : null;
  enter(ctx, 'setting up Nix');
  await nix();
  enter(ctx, 'setting up');
  const prepared = j.note('prepared', await prepare(inputs, pre, ctx, nix));
  const restored = j.note('nixRestored', await restoreNixCache(inputs, prepared, ctx));
  const reused = await reuseEarlierPlan(inputs, prepared, restored, ctx, nix, j);
  if (reused) return finish(run, reused, target);
  const cached = j.note('cached', await restoreForEmit(inputs, prepared, ctx, nix, restored));
  const recorded = j.note('recorded', await record(inputs, prepared, cached, ctx));
  if (!recorded.failure)
    await buildAndKeepPlan(inputs, prepared, recorded, cached, ctx, await nix(), j);
  return finish(run, recorded, target);
}

/** The CLI's publish: the flake an earlier build generated in metadata-dir, pushed as it is (not built again). */
async function publishMode({ inputs, ctx, journal: j }: Run): Promise<PipelineResult> {
  // Its metadata is checked as publishing, whatever the publish input says.
  const earlier = preflightEarlier(inputs, ctx.env, ctx.log, true);
  const target = await publishTarget(inputs, ctx);
  const { recorded, published } = await publishEarlier(inputs, earlier, target, ctx);
  j.note('recorded', recorded);
  j.note('published', published);
  const { records, plan } = recorded;
  const outputs = outputsOf(inputs, resultsOf(j));
  return { outputs, summary: '', failure: null, plan, records, sccache: null };
}

/** Every mode that records or builds ends here: publishing a good build, then summary.md. */
async function finish(
  { inputs, ctx, journal: j }: Run,
  recorded: Recorded,
  target: PublishTarget | null,
): Promise<PipelineResult> {
  const published = target
    ? await publishIfBuilt(inputs, target, recorded, j.entries.built, ctx)
    : null;
  if (published) j.note('published', published);
  const results = { ...resultsOf(j), recorded };
  const { summary, failure } = summarise(inputs, results, ctx);
  const { plan, records } = recorded;
  // Handed over: from here the host stops sccache (the action's post step, the CLI at its end).
  const sccache = runningSccache(j);
  return { outputs: outputsOf(inputs, results), summary, failure, plan, records, sccache };
}

export const MODES = {
  emit: emitMode,
  build: buildMode,
  'emit-then-build': emitThenBuildMode,
  publish: publishMode,
} as const;
