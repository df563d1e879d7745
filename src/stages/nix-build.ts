// The Nix build stage: the toolchain the steps run with (toolchain/store-copy.ts),
// the local Nix cache the Actions cache restored imported meanwhile
// (nix/local-cache.ts), the flake generated (nix/generate.ts), `nix build`,
// then the binary-cache input's push (binary-cache/input.ts) and the local
// Nix cache kept for the post step's save (actions-caches.ts).
import { join } from 'node:path';
import {
  afterBuild,
  type BinaryCacheUse,
  cacheBuildArgs,
  deferPush,
} from '../binary-cache/input.js';
import { type BuildOnce, buildOnce } from '../build-once/index.js';
import { metadataPath } from '../metadata/dir.js';
import {
  addMachines,
  buildProgress,
  type NixBuildOptions,
  type NixBuildResult,
  nixBuild,
} from '../nix/build.js';
import { generateFlake } from '../nix/generate.js';
import { importBinaryCache } from '../nix/local-cache.js';
import { offlineTools } from '../nix/tools.js';
import { untrustedFix } from '../nix/trust.js';
import { nixConfSets } from '../nix-install/conf.js';
import { enter, type StageContext } from '../pipeline/context.js';
import type { KeptPlan, LastBuild } from '../plan/saved-plan.js';
import { rootStorePath } from '../toolchain/resolve.js';
import { copyWhenNeeded, toolsFor } from '../toolchain/store-copy.js';
import { sourceGateFor } from '../trust/source-gate.js';
import type { Inputs, Plan } from '../types.js';
import { runnerDirs } from '../util/runner-temp.js';
import { type CachesReady, keepNixCache, nixCacheDir } from './actions-caches.js';
import type { Recorded } from './record.js';

export interface Built extends NixBuildResult {
  flakeDir: string;
  /** What the next run reusing this plan compares against. */
  lastBuild: LastBuild;
  /** What the binary-cache input did: null without one. */
  cacheUse: BinaryCacheUse | null;
  /** The recording's compiles taken as their steps' outputs: null when every step was Nix's to build. */
  once: BuildOnce | null;
}

/** The last build's result, kept from garbage collection as `nix build` would keep it. */
async function lastBuildAgain(
  previous: LastBuild,
  plan: Plan,
  gcRoots: string,
  env: NodeJS.ProcessEnv,
  ctx: StageContext,
): Promise<NixBuildResult> {
  const started = Date.now();
  for (const [i, out] of previous.outPaths.entries())
    await rootStorePath(out, {
      gcRootDir: gcRoots,
      name: i ? `result-${i}` : 'result',
      env,
      signal: ctx.signal,
    });
  ctx.log.info("The flake is the last build's and every output is in the store: nothing to build.");
  const seen = { started: 0, finished: 0, failed: 0, expected: 0 };
  const { done, detail } = buildProgress(plan.steps.length, seen, true, true);
  ctx.log.progress('nix build', done, plan.steps.length, detail);
  return {
    ok: true,
    outPaths: previous.outPaths,
    built: [],
    reused: plan.steps.length,
    substituted: [],
    machines: {},
    builtDrvs: [],
    untrusted: [],
    ms: Date.now() - started,
    failure: null,
    failedStep: null,
  };
}

export async function buildWithNix(
  inputs: Inputs,
  recorded: Recorded,
  cached: CachesReady,
  ctx: StageContext,
  nixEnv: NodeJS.ProcessEnv,
  kept: KeptPlan | null = null,
): Promise<Built> {
  const { log, signal } = ctx;
  const gcRoots = runnerDirs.gcRoots(ctx.env);
  const cacheDir = nixCacheDir(ctx.env);
  enter(ctx, 'getting the toolchain into the Nix store');
  // The restored binary cache is imported while the toolchain is added and
  // the flake written: neither needs it, and both take as long.
  const importing = importBinaryCache(cacheDir, nixEnv, log, signal);
  importing.catch(() => {}); // awaited below; cancelled meanwhile, the stage's own error is the one reported
  const previous = kept?.lastBuild ?? null;
  let { tools, copy } = await toolsFor(
    recorded.plan,
    previous?.toolchainCopy ?? null,
    nixEnv,
    gcRoots,
    log,
    signal,
  );
  const where = { log, signal, nixEnv, gcRoots, importing };
  // Awaited below, as the import is; a cancellation meanwhile reports its own error.
  const startCopy = (digest: string | null) => {
    const started =
      copy && !copy.inStore ? copyWhenNeeded(copy, previous, digest, recorded.plan, where) : null;
    started?.catch(() => {});
    return started;
  };
  // A reused plan with a changed source builds a step: the copy need not wait for the flake.
  let copying = recorded.plan.reuse?.rebuilt_steps.length ? startCopy(null) : null;
  enter(ctx, 'generating the flake');
  const flakeDir = metadataPath(inputs.metadataDir, 'flake');
  const generate = () =>
    generateFlake({
      plan: recorded.plan,
      records: recorded.records,
      flakeDir,
      tools,
      carried: kept?.carried ?? undefined,
      gate: sourceGateFor(inputs, ctx.env, (text) => ctx.redactor.secretKindIn(text)),
    });
  let generated = generate();
  log.info(`Generated ${flakeDir}: ${generated.steps} steps, ${generated.sources} source files.`);
  copying ??= startCopy(generated.digest);
  enter(
    ctx,
    copying
      ? 'importing the Nix binary cache and copying the toolchain'
      : 'importing the Nix binary cache',
  );
  const imported = await importing;
  if (imported > 0)
    log.info(`Imported ${imported} store paths from the restored Nix binary cache.`);
  if (copy && copying) {
    const named = copy.storePath;
    copy = await copying;
    if (copy.storePath !== named) {
      // Same files by their sizes and times, other contents: name the real copy.
      tools = offlineTools(copy.storePath);
      generated = generate();
    }
  }
  const finished: string[] = [];
  const build = (
    outLink: string | null,
    more: Pick<NixBuildOptions, 'attrs' | 'before'> & { counted?: ReadonlySet<string> } = {},
  ) =>
    nixBuild(
      {
        flakeDir,
        outLink,
        attrs: more.attrs,
        before: more.before,
        env: nixEnv,
        // A round of build once counts only the steps it may build.
        steps: more.counted
          ? recorded.plan.steps.filter((st) => more.counted!.has(st.id))
          : recorded.plan.steps,
        roots: recorded.plan.roots,
        signal: ctx.signal,
        nixArgs: cacheBuildArgs(inputs),
        sandboxPaths: tools.sandboxPaths,
        // Every core of the runner, unless nix-conf says (`max-jobs = 0`: only the remote builders).
        maxJobs: nixConfSets(inputs.nixConf, 'max-jobs') ? null : 'auto',
        onStepBuilt: (drv) => finished.push(drv),
      },
      log,
    ).catch((e: unknown) => {
      // Cancelled halfway: what finished is not lost either.
      deferPush(inputs, finished, ctx.state, log, 'was cancelled');
      throw e;
    });
  const againOnly = !!(copy && !copy.inStore && previous);
  let once: BuildOnce | null = null;
  // A cache others substitute from gets only what Nix built in its sandbox: never a
  // recorded output, which came from a build with the whole runner in reach.
  const pushing = !!(inputs.binaryCache && inputs.binaryCacheSecretKey);
  if (inputs.buildOnce && recorded.outputsHere && pushing)
    log.info(
      'Build once is off while pushing to the binary cache (binary-cache-secret-key): every step is built by Nix, so the cache holds only sandboxed builds.',
    );
  if (inputs.buildOnce && recorded.outputsHere && !againOnly && !pushing) {
    enter(ctx, NIX_STAGES.buildOnce);
    once = await buildOnce({
      plan: recorded.plan,
      model: generated.model,
      flakeDir,
      system: tools.system,
      storePaths: copy ? [copy.storePath] : [],
      env: nixEnv,
      signal,
      log,
      substituterArgs: cacheBuildArgs(inputs),
      build: (ids, counted) => build(null, { attrs: { system: tools.system, ids }, counted }),
    });
    log.info(buildOnceLine(once, recorded.plan.steps.length));
  }
  enter(ctx, NIX_STAGES.build);
  const last = againOnly
    ? // The last build's flake, every output in the store: Nix would build nothing,
      // and could not evaluate its steps without the toolchain copy they name.
      await lastBuildAgain(previous!, recorded.plan, gcRoots, nixEnv, ctx)
    : await build(join(gcRoots, 'result'), {
        before: once ? { built: once.built.length, taken: once.taken.length } : undefined,
      });
  const built = once ? withRounds(last, once, recorded.plan.steps.length) : last;
  if (built.untrusted.length > 0) log.warning(untrustedFix(built.untrusted, tools.sandboxPaths));
  if (built.substituted.length > 0)
    log.info(`Substituted ${built.substituted.length} steps from ${inputs.binaryCache}.`);
  if (inputs.binaryCache) enter(ctx, 'pushing to the binary cache');
  const cacheUse = await afterBuild(
    inputs,
    built,
    recorded.plan.steps,
    nixEnv,
    ctx.state,
    log,
    signal,
  );
  if (built.ok) await keepNixCache(inputs, cached, built.outPaths, kept, ctx, nixEnv);
  const lastBuild: LastBuild = {
    flakeDigest: generated.digest,
    outPaths: built.outPaths,
    toolchainCopy: copy ? { fingerprint: copy.fingerprint, storePath: copy.storePath } : null,
  };
  return { ...built, flakeDir, lastBuild, cacheUse, once };
}

/** The stages in which `nix build` runs (a cancel says it stopped Nix's processes). */
export const NIX_STAGES = {
  buildOnce: "taking the recording's compiles as their steps' outputs",
  build: 'the Nix build',
} as const;

/** The last build's counts with the rounds' builds and the taken compiles in them. */
function withRounds(last: NixBuildResult, once: BuildOnce, steps: number): NixBuildResult {
  const built = [...new Set([...once.built, ...last.built])];
  const machines = { ...once.machines };
  addMachines(machines, last.machines);
  return {
    ...last,
    ok: last.ok && !once.failed,
    built,
    substituted: [...new Set([...once.substituted, ...last.substituted])],
    machines,
    reused: steps - built.length - once.taken.length,
    ms: last.ms + once.ms,
  };
}

function buildOnceLine(once: BuildOnce, steps: number): string {
  const differing = once.runsDiffering.length
    ? ` ${once.runsDiffering.length} build script run(s) under Nix differed from the recording (${once.runsDiffering
        .slice(0, 3)
        .map((r) => `${r.id}: ${r.reason}`)
        .join('; ')}), so the compiles reading them are built by Nix.`
    : '';
  return `Build once: ${once.taken.length} of ${steps} steps taken from the recording (compiled once), ${once.notTaken.length} compile(s) left to Nix.${differing}`;
}
