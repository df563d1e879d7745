// The pipeline, the same for the action and the CLI. It only sequences the
// stages, each a function from the previous stage's result to its own:
//
//   preflight → prepare → restore → record → build (Nix) → publish → outcome
//   mode build: preflight → load (an earlier emit) → build → publish → outcome
//   the CLI's publish: preflight → publish (an earlier run's flake) → outcome
//
// and turns what stopped a run into one error, with summary.md saying where.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from './inputs.js';
import { redactingLog } from './log.js';
import { writeSummary } from './metadata/dir.js';
import { graphDigest } from './plan/graph-inputs.js';
import { savePostConfig } from './post/state.js';
import { type Sccache, stopSccache } from './sccache/server.js';
import { restoreForEmit, restoreNixCache } from './stages/caching.js';
import type { PipelineContext, Progress, StageContext } from './stages/context.js';
import { enter } from './stages/context.js';
import { loadEarlierEmit } from './stages/load.js';
import { type Built, buildWithNix } from './stages/nix-build.js';
import { nixEnvironment } from './stages/nix-setup.js';
import { type Outputs, outputsOf, type StageResults, sectionsOf } from './stages/outcome.js';
import { type EarlierEmit, preflight } from './stages/preflight.js';
import { type Prepared, prepare } from './stages/prepare.js';
import { flakeDirOf, type PublishTarget, publishFlake, publishTarget } from './stages/publish.js';
import { record, recordedEarlier } from './stages/record.js';
import { graphInputsNow, keepPlan, reusePlan } from './stages/reuse.js';
import { cancelled, stoppedSummary } from './stages/stopped.js';
import { renderSummary } from './summary.js';
import type { Inputs, InvocationRecord, Plan } from './types.js';
import { nixFlakeDir } from './util/assets-dir.js';
import { Redactor, secretInputsOf, secretValuesOf } from './util/secrets.js';

export type { PipelineContext } from './stages/context.js';
export { OUTPUT_NAMES, type OutputName } from './stages/outcome.js';

export interface PipelineResult {
  outputs: Outputs;
  /** The running sccache server: the action's post step stops it, the CLI at its end. */
  sccache: Sccache | null;
  summary: string;
  failure: string | null;
  plan: Plan;
  records: InvocationRecord[];
}

/** A run that failed after its inputs were found good: summary.md (and the job summary) say where and why. */
export class PipelineError extends Error {
  constructor(
    message: string,
    readonly stage: string,
    readonly summary: string,
    readonly outputs: Outputs,
  ) {
    super(message);
  }
}

/**
 * `only: 'publish'` (the CLI's publish) publishes the flake of an earlier
 * run's metadata-dir (inputs.mode is `build`: preflight reads it whole).
 */
export async function runPipeline(
  inputs: Inputs,
  context: PipelineContext,
  only: 'publish' | null = null,
): Promise<PipelineResult> {
  // Before anything is logged: every secret of the environment (by name, by
  // shape, a URL's password) is masked, and scrubbed from whatever is written.
  const redactor = new Redactor(secretValuesOf(context.env, ...secretInputsOf(inputs)), (v) =>
    context.log.mask(v),
  );
  const log = redactingLog(context.log, (t) => redactor.scrub(t));
  const progress: Progress = { stage: 'starting', sccache: null, recorded: null };
  // The toolchain and the build see the environment as the run found it:
  // finding or installing Nix adds to the host's (PATH, NIX_SSL_CERT_FILE),
  // which only Nix's own calls are to see.
  const ctx: StageContext = { ...context, env: { ...context.env }, log, redactor, progress };
  let nixEnv: Promise<NodeJS.ProcessEnv> | null = null;
  const nix = async (): Promise<NodeJS.ProcessEnv> => {
    nixEnv ??= nixEnvironment(inputs, { ...context, log });
    const env = await nixEnv;
    ctx.signal?.throwIfAborted();
    return env;
  };
  const results: StageResults = {};
  savePostConfig(context.state, inputs);
  try {
    return await stages(inputs, ctx, nix, results, only);
  } catch (e) {
    // Whatever stopped the run, the sccache server it started does not outlive it (the
    // hosts only stop one they were handed).
    const stopped = progress.sccache !== null;
    if (progress.sccache) await stopSccache(progress.sccache, log);
    if (ctx.signal?.aborted) throw cancelled(inputs, ctx.signal, progress, stopped);
    // An error's message is printed (::error::, the CLI's last line): it may quote anything.
    const message = redactor.scrub((e as Error).message);
    if (e instanceof InputError) {
      e.message = message;
      throw e; // found before anything was written
    }
    const summary = stoppedSummary(inputs, progress.stage, message, log);
    throw new PipelineError(message, progress.stage, summary, outputsOf(inputs, results));
  }
}

/**
 * emit-then-build: the earlier plan when it still holds (reuse.ts), else the
 * recorded build; then Nix; then the plan kept for the next run. A reused
 * plan whose build fails under Nix is given up for a full emit (a step may
 * read a file the plan does not list, a new `mod`), logged once.
 */
async function emitThenBuild(
  inputs: Inputs,
  prepared: Prepared,
  ctx: StageContext,
  nix: () => Promise<NodeJS.ProcessEnv>,
  r: StageResults,
): Promise<void> {
  const restored = await restoreNixCache(inputs, prepared, ctx);
  const reuse = inputs.reusePlan ? reusePlan(inputs, prepared, ctx) : null;
  if (reuse && !('declined' in reuse)) {
    r.cached = { ...restored, sccache: null };
    r.recorded = reuse.recorded;
    const kept = {
      carried: reuse.carried,
      digest: graphDigest(reuse.inputs),
      lastBuild: reuse.lastBuild,
    };
    const built = await buildWithNix(inputs, reuse.recorded, r.cached, ctx, await nix(), kept);
    if (built.ok) {
      r.built = built;
      r.reuse = { kind: 'reused' };
      keepPlan(reuse.recorded, reuse.inputs, reuse.carried, built.lastBuild, ctx);
      return;
    }
    r.reuse = {
      kind: 'fallback',
      reason: `the earlier plan's build failed under Nix (${errorLine(built)}); a step may read a file the plan does not list, or no longer compile`,
    };
    r.recorded = undefined;
  } else if (reuse) r.reuse = { kind: 'declined', reason: reuse.declined };
  if (r.reuse && r.reuse.kind !== 'reused')
    ctx.log.info(
      `${r.reuse.kind === 'fallback' ? 'Falling back to' : 'Running'} a full emit: ${r.reuse.reason}.`,
    );
  r.cached = await restoreForEmit(inputs, prepared, ctx, nix, restored);
  r.recorded = await record(inputs, prepared, r.cached, ctx);
  if (r.recorded.failure) return;
  const graph = graphInputsNow(inputs, prepared, r.recorded, ctx);
  r.built = await buildWithNix(inputs, r.recorded, r.cached, ctx, await nix(), {
    carried: null,
    digest: graphDigest(graph),
    lastBuild: null,
  });
  if (r.built.ok) keepPlan(r.recorded, graph, null, r.built.lastBuild, ctx);
}

/** The failed step and rustc's first error, as nixBuild found them. */
function errorLine(built: Built): string {
  const f = built.failedStep;
  if (!f) return (built.failure ?? 'no message').split('\n')[0]!;
  return f.error ? `${f.label}: ${f.error}` : f.label;
}

/** The CLI's publish: the flake an earlier build generated, pushed as it is (not built again). */
async function publishEarlier(
  inputs: Inputs,
  earlier: EarlierEmit,
  target: PublishTarget,
  ctx: StageContext,
  r: StageResults,
): Promise<PipelineResult> {
  const flakeDir = flakeDirOf(inputs.metadataDir);
  if (!existsSync(join(flakeDir, 'flake.nix')))
    throw new InputError(
      'metadata-dir',
      `${inputs.metadataDir} holds no flake/flake.nix; run mode 'build' or 'emit-then-build' on it first.`,
    );
  // An older run's files may hold what this run knows to be a secret (as load.ts).
  const { records, plan } = ctx.redactor.deep({ records: earlier.records, plan: earlier.plan });
  r.recorded = recordedEarlier(records, plan, earlier.trust.digest);
  r.published = await publishFlake(
    inputs,
    target,
    { plan, flakeDir, nixFlakeDir: nixFlakeDir() },
    ctx,
  );
  return {
    outputs: outputsOf(inputs, r),
    summary: '',
    failure: null,
    plan,
    records,
    sccache: null,
  };
}

async function stages(
  inputs: Inputs,
  ctx: StageContext,
  nix: () => Promise<NodeJS.ProcessEnv>,
  r: StageResults,
  only: 'publish' | null,
): Promise<PipelineResult> {
  // Everything a mode needs is checked before the build: a problem found after
  // it would waste the build (and name the wrong input).
  // The CLI's publish publishes whatever the publish input says: its metadata is checked as publishing.
  const pre = preflight(inputs, ctx.env, ctx.log, inputs.publish || only === 'publish');
  const target = inputs.publish || only ? await publishTarget(inputs, ctx) : null;
  if (only === 'publish') return publishEarlier(inputs, pre.earlier!, target!, ctx, r);
  if (inputs.mode !== 'emit') {
    enter(ctx, 'setting up Nix');
    await nix();
  }
  if (pre.earlier) {
    Object.assign(r, await loadEarlierEmit(inputs, pre.earlier, ctx));
    if (inputs.mode !== 'emit' && !r.recorded!.failure)
      r.built = await buildWithNix(inputs, r.recorded!, r.cached!, ctx, await nix());
  } else {
    enter(ctx, 'setting up');
    r.prepared = await prepare(inputs, { ...pre, spec: pre.spec! }, ctx, nix);
    if (inputs.mode === 'emit-then-build') await emitThenBuild(inputs, r.prepared, ctx, nix, r);
    else {
      r.cached = await restoreForEmit(inputs, r.prepared, ctx, nix);
      r.recorded = await record(inputs, r.prepared, r.cached, ctx);
    }
  }
  const recorded = r.recorded!;
  if (target && r.built?.ok)
    r.published = await publishFlake(
      inputs,
      target,
      { plan: recorded.plan, flakeDir: r.built.flakeDir, nixFlakeDir: nixFlakeDir() },
      ctx,
    );
  else if (target) ctx.log.info('Not publishing: the build did not succeed.');
  enter(ctx, 'writing the summary');
  // Nix's and the build's own words (a failed step's log) may quote anything.
  const failure = ctx.redactor.scrub(recorded.failure ?? r.built?.failure ?? '') || null;
  const summary = ctx.redactor.scrub(
    renderSummary({
      mode: inputs.mode,
      records: recorded.records,
      plan: recorded.plan,
      failure,
      emitMs: recorded.emitMs,
      sections: sectionsOf({ ...r, recorded }),
    }),
  );
  writeSummary(inputs.metadataDir, summary);
  // Handed over: from here the host stops it (the action's post step, the CLI at its end).
  ctx.progress.sccache = null;
  return {
    outputs: outputsOf(inputs, r),
    summary,
    failure,
    plan: recorded.plan,
    records: recorded.records,
    sccache: r.cached?.sccache ?? null,
  };
}
